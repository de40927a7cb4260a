"""GD-1: the hazard-point register — xlsx and GeoJSON import/export, refusals, audit, scope."""

import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from kmgov.core.errors import Forbidden, InvalidInput
from kmgov.core.models import AuditEntry
from kmgov.policies.geohazards import selectors, services
from kmgov.policies.geohazards.models import HazardPoint

from .conftest import PLACES, make_point

HEADER = [lbl for _, lbl in services.COLUMNS]


def sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_row(i, org="滇源镇", place="panlong-dianyuan", **kw):
    lon, lat = PLACES[place]
    row = {"编号": f"PL-{i:04d}", "名称": f"示例{i}号滑坡", "灾害类型": "滑坡", "规模": "小型",
           "所在县（市）区或乡镇": org, "位置（村组）": f"{i}组", "经度": float(lon), "纬度": float(lat),
           "威胁户数": 3, "威胁人数": 10, "威胁财产（万元）": 20.5, "威胁对象": "村庄",
           "监测人": f"张{i}、李{i}", "监测人电话": f"1390000{i:04d}、1380000{i:04d}",
           "包乡县级领导": "县领导甲", "县级领导电话": "13800000001",
           "包村乡镇干部": "乡干部乙", "乡镇干部电话": "13800000002",
           "包组村干部": "村干部丙", "村干部电话": "13800000003",
           "转移路线": "沿村道向东", "转移地点": "村小学", "报警人": "王五", "报警信号": "鸣锣",
           "避险场地": "村小学操场", "“两卡一书”发放日期": None}
    row.update(kw)
    return [row[h] for h in HEADER]


def test_xlsx_of_30_points_creates_30(gd):
    rows = services.xlsx_rows(sheet([xlsx_row(i) for i in range(1, 31)]))
    counts = services.points_import(rows, actor=gd.panlong_land)
    assert counts == {"created": 30, "updated": 0, "unchanged": 0}
    assert HazardPoint.objects.count() == 30
    p = HazardPoint.objects.get(code="PL-0007")
    assert p.org.code == "panlong-dianyuan" and p.hazard_type == "landslide" and p.scale == "small"
    assert p.monitors == [{"name": "张7", "phone": "13900000007", "email": ""},
                          {"name": "李7", "phone": "13800000007", "email": ""}]
    # history: one creation entry per point, plus the import itself
    assert AuditEntry.objects.filter(action="geohazards.point_create").count() == 30
    assert AuditEntry.objects.filter(action="geohazards.points_import").count() == 1


@pytest.mark.parametrize("bad,row_no,words", [
    ({"规模": "巨型"}, 14, "规模"),                       # not a scale of 二(四)
    ({"经度": "东经一百零二度"}, 14, "经度"),
    ({"所在县（市）区或乡镇": "不存在县"}, 14, "不存在县"),
    ({"监测人电话": "13900000001"}, 14, "须一一对应"),   # two monitors, one phone
])
def test_malformed_row_refused_with_its_number_nothing_written(gd, bad, row_no, words):
    rows = [xlsx_row(i) for i in range(1, 31)]
    rows[12] = xlsx_row(13, **bad)          # data row 13 is sheet row 14 (row 1 is the header)
    with pytest.raises(InvalidInput) as exc:
        services.points_import(services.xlsx_rows(sheet(rows)), actor=gd.panlong_land)
    assert f"第{row_no}行" in exc.value.message and words in exc.value.message
    assert HazardPoint.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="geohazards.").exists()


def test_point_outside_its_county_is_refused(gd):
    # 五华区 coordinates registered under 盘龙区滇源镇
    rows = services.xlsx_rows(sheet([xlsx_row(1), xlsx_row(2, place="wuhua")]))
    with pytest.raises(InvalidInput) as exc:
        services.points_import(rows, actor=gd.panlong_land)
    assert "第3行" in exc.value.message and "不在盘龙区界内" in exc.value.message
    assert HazardPoint.objects.count() == 0


def test_duplicate_code_in_file_is_refused(gd):
    rows = services.xlsx_rows(sheet([xlsx_row(1), xlsx_row(2), xlsx_row(1)]))
    with pytest.raises(InvalidInput) as exc:
        services.points_import(rows, actor=gd.panlong_land)
    assert "第4行" in exc.value.message and "与第2行重复" in exc.value.message


def test_another_countys_officer_cannot_import_here(gd):
    rows = services.xlsx_rows(sheet([xlsx_row(1)]))
    with pytest.raises(InvalidInput) as exc:
        services.points_import(rows, actor=gd.wuhua_land)
    assert "第2行" in exc.value.message and "无权" in exc.value.message


def register_snapshot():
    return sorted(
        (p.code, p.name, p.hazard_type, p.scale, p.org.code, str(p.longitude), str(p.latitude),
         p.threatened_people, p.threatened_households, str(p.threatened_property), p.monitors,
         p.county_leader, p.evacuation_route, p.refuge, p.cards_issued_on)
        for p in HazardPoint.objects.select_related("org"))


def test_geojson_export_reimports_to_the_same_register(gd):
    make_point(gd.panlong_land, "PL-0001", scale="medium", cards_issued_on="2010-05-20")
    make_point(gd.panlong_land, "PL-0002", org="panlong-aziying", hazard_type="debris_flow",
               monitors=[{"name": "甲", "phone": "13900000001", "email": "jia@example.cn"},
                         {"name": "乙", "phone": "13900000002"}])
    make_point(gd.city_land, "WH-0001", org="wuhua")
    before = register_snapshot()
    doc = services.points_geojson(HazardPoint.objects.select_related("org"))
    text = json.dumps(doc, ensure_ascii=False)
    assert [f["geometry"]["coordinates"] for f in doc["features"]][0] == [102.88, 25.43]
    HazardPoint.objects.all().delete()
    counts = services.points_import(services.geojson_rows(text), actor=gd.city_land, source="geojson")
    assert counts["created"] == 3
    assert register_snapshot() == before
    # and importing it again changes nothing
    again = services.points_import(services.geojson_rows(text), actor=gd.city_land, source="geojson")
    assert again == {"created": 0, "updated": 0, "unchanged": 3}


def test_xlsx_export_reimports_to_the_same_register(gd):
    for i in range(1, 4):
        make_point(gd.panlong_land, f"PL-000{i}")
    before = register_snapshot()
    data = services.points_xlsx(HazardPoint.objects.select_related("org"))
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == HEADER and ws["C2"].value == "滑坡"
    HazardPoint.objects.all().delete()
    services.points_import(services.xlsx_rows(data), actor=gd.panlong_land)
    assert register_snapshot() == before


def test_change_is_audited_with_old_and_new_values(gd):
    p = make_point(gd.panlong_land, "PL-0001")
    make_point(gd.panlong_land, "PL-0001", threatened_people=60, refuge="村委会广场")
    entry = selectors.point_history(p).filter(action="geohazards.point_update").get()
    assert entry.extra["changes"]["threatened_people"] == [45, 60]
    assert entry.extra["changes"]["refuge"] == ["村小学操场", "村委会广场"]
    assert entry.actor == gd.panlong_land


def test_scope_township_officer_reads_only_own_points(gd, client):
    make_point(gd.panlong_land, "PL-0001")                      # 滇源镇
    make_point(gd.panlong_land, "PL-0002", org="panlong-aziying")
    make_point(gd.city_land, "DC-0001", org="dongchuan")
    codes = lambda u: sorted(selectors.points_visible(u).values_list("code", flat=True))  # noqa: E731
    assert codes(gd.dianyuan) == ["PL-0001"]
    assert codes(gd.panlong_land) == ["PL-0001", "PL-0002"]     # the county land bureau: its county
    assert codes(gd.city_land) == ["DC-0001", "PL-0001", "PL-0002"]
    assert codes(gd.dongchuan_land) == ["DC-0001"]
    # real requests: another county's point is not found, on the page and in the API
    client.force_login(gd.dianyuan)
    assert client.get("/geohazards/points/DC-0001/").status_code == 404
    assert client.get("/api/v1/geohazards/points/DC-0001").status_code == 404
    assert client.get("/geohazards/points/PL-0001/").status_code == 200
    r = client.get("/api/v1/geohazards/points")
    assert [p["code"] for p in r.json()] == ["PL-0001"]


def test_township_officer_cannot_register_in_another_county(gd):
    with pytest.raises(Forbidden):
        make_point(gd.dianyuan, "DC-0002", org="dongchuan")
    assert not HazardPoint.objects.exists()


def test_api_refuses_bad_point_naming_the_field(gd, client):
    client.force_login(gd.panlong_land)
    from .conftest import point_data
    body = point_data("PL-0009", scale="huge")
    r = client.post("/api/v1/geohazards/points", body, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "scale"
    assert not HazardPoint.objects.exists()


def test_cli_export_and_import_round_trip(gd, tmp_path):
    from django.core.management import CommandError, call_command

    make_point(gd.panlong_land, "PL-0001")
    make_point(gd.panlong_land, "PL-0002", org="panlong-aziying")
    before = register_snapshot()
    out = tmp_path / "points.geojson"
    call_command("geohazards", "export", "--geojson", str(out), "--as", "panlong-gtj")
    HazardPoint.objects.all().delete()
    call_command("geohazards", "import", str(out), "--as", "panlong-gtj")
    assert register_snapshot() == before
    # a bad file: the refusal is the command's error line, nothing written
    bad = json.loads(out.read_text(encoding="utf-8"))
    bad["features"][1]["properties"]["scale"] = "巨型"
    out.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    HazardPoint.objects.all().delete()
    with pytest.raises(CommandError) as exc:
        call_command("geohazards", "import", str(out), "--as", "panlong-gtj")
    assert "第2个要素" in str(exc.value) and "规模" in str(exc.value) and not HazardPoint.objects.exists()


def test_point_form_registers_and_changes_with_history(gd, client):
    client.force_login(gd.panlong_land)
    form = {"code": "PL-0100", "name": "新发现滑坡", "hazard_type": "landslide", "scale": "small",
            "org": "滇源镇", "longitude": "102.88", "latitude": "25.43", "monitors": "王监测 13900000100"}
    # a bad value: the page says which field, in Chinese, and writes nothing
    r = client.post("/geohazards/points/new/", {**form, "latitude": "北纬二十五度"}, follow=True)
    html = r.content.decode()
    assert "纬度" in html and not HazardPoint.objects.exists()
    assert 'value="新发现滑坡"' in html                  # what was typed comes back
    r = client.post("/geohazards/points/new/", form)
    assert r.status_code == 302 and r["Location"] == "/geohazards/points/PL-0100/"
    p = HazardPoint.objects.get(code="PL-0100")
    assert p.monitors == [{"name": "王监测", "phone": "13900000100", "email": ""}]
    page = client.get("/geohazards/points/PL-0100/edit/").content.decode()
    assert 'value="滇源镇"' in page and "王监测 13900000100" in page
    client.post("/geohazards/points/PL-0100/edit/", {**form, "code": "IGNORED", "threatened_people": "30"})
    p.refresh_from_db()
    assert p.threatened_people == 30 and not HazardPoint.objects.filter(code="IGNORED").exists()
    hist = client.get("/geohazards/points/PL-0100/").content.decode()
    assert "修改：威胁人数" in hist and "threatened_people" not in hist
    # another county's officer cannot open the form for it
    client.force_login(gd.wuhua_land)
    assert client.get("/geohazards/points/PL-0100/edit/").status_code == 404


def test_api_import_and_export(gd, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(gd.panlong_land)
    good = sheet([xlsx_row(i) for i in range(1, 4)])
    r = client.post("/api/v1/geohazards/points/import",
                    {"file": SimpleUploadedFile("points.xlsx", good)})
    assert r.status_code == 200 and r.json() == {"created": 3, "updated": 0, "unchanged": 0}
    doc = client.get("/api/v1/geohazards/points.geojson").json()
    assert [f["id"] for f in doc["features"]] == ["PL-0001", "PL-0002", "PL-0003"]
    doc["features"][2]["geometry"]["coordinates"] = ["东", "北"]
    r = client.post("/api/v1/geohazards/points/import", {"file": SimpleUploadedFile(
        "points.geojson", json.dumps(doc, ensure_ascii=False).encode())})
    assert r.status_code == 422 and "第3个要素" in r.json()["detail"]
    assert client.get("/api/v1/geohazards/duty/panlong?year=99999").status_code == 422
    assert client.get("/geohazards/duty/?year=abc").status_code == 200


def test_point_form_errors_beside_fields_and_property_in_either_unit(gd, client):
    # issue 13 item 3: labels for every field, the error above its field, what was typed kept;
    # 威胁财产 is kept in 万元 (GD-1) and may be typed in 元: 12,300 元 = 1.23 万元 exactly
    import re

    client.force_login(gd.panlong_land)
    form = {"code": "PL-0200", "name": "新发现崩塌", "hazard_type": "collapse", "scale": "small",
            "org": "滇源镇", "longitude": "102.88", "latitude": "25.43",
            "threatened_property": "12300", "threatened_property__unit": "yuan"}
    page = client.get("/geohazards/points/new/").content.decode()
    assert '<label class="govuk-label" for="pt-latitude">纬度' in page
    assert '<option value="wan" selected>万元</option>' in page  # the register's own unit first
    r = client.post("/geohazards/points/new/", {**form, "latitude": "北纬二十五度"})
    html = r.content.decode()
    assert r.status_code == 400 and not HazardPoint.objects.exists()
    error = re.search(r'<p class="govuk-error-message" id="pt-latitude-error"[^>]*>([^<]*)</p>', html)
    assert error and error.group(1).startswith("纬度：")
    assert html.index('id="pt-latitude-error"') < html.index('id="pt-latitude"')
    assert '<a href="#pt-latitude">' in html
    # typed values back, the amount in the unit typed
    assert 'value="北纬二十五度"' in html and 'value="12300"' in html
    assert '<option value="yuan" selected>元</option>' in html
    assert client.post("/geohazards/points/new/", form).status_code == 302
    assert HazardPoint.objects.get(code="PL-0200").threatened_property == Decimal("1.23")


def test_plan_form_refusal_beside_each_field_with_what_was_typed(gd, client):
    # issue 13 item 3: 备案应急预案 without 批准单位 names it above its field; the title and the
    # date typed come back, the form stays open, nothing is filed
    import re

    make_point(gd.panlong_land, "PL-0300")
    client.force_login(gd.panlong_land)
    pdf = io.BytesIO(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    pdf.name = "plan.pdf"
    r = client.post("/geohazards/points/PL-0300/", {
        "action": "plan", "title": "滑坡应急预案", "approved_by": "", "approved_on": "2010-06-01",
        "file": pdf})
    html = r.content.decode()
    assert r.status_code == 400
    error = re.search(r'<p class="govuk-error-message" id="pt-approved_by-error"[^>]*>([^<]*)</p>', html)
    assert error and error.group(1) == "请填写批准单位"
    assert '<a href="#pt-approved_by">' in html and "<details open>" in html
    assert 'value="滑坡应急预案"' in html and 'value="2010-06-01"' in html
    assert not HazardPoint.objects.get(code="PL-0300").plans.exists()
