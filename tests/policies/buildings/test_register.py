"""The building register (62号 七(一)、七(三), 附件1 第十七条、第十八条), its grades (附件1 第十二条)
and the targets computed from it (二(三)). Values worked by hand beside each assertion."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from policies.recognition_fixtures import MARCH, client_for, post_json

from kmgov.core.models import OrgUnit, Role
from kmgov.core.services import user_create
from kmgov.policies.buildings import register
from kmgov.policies.buildings.models import Building, BuildingYear, Tenant
from kmgov.procedures.decisions import DecisionRecord
from kmgov.rules import decide

pytestmark = pytest.mark.django_db

FIGURES = {"total_floor_area_m2": "30000", "office_floor_area_m2": "20000",
           "vacant_floor_area_m2": "2000", "management_level": "level2",
           "facilities": {"parking": True, "catering": True, "conference": True,
                          "transport": True}}


def tenants(*taxes):
    return [f"企业{i}｜金融｜是｜否｜{t}" for i, t in enumerate(taxes)]


@pytest.fixture
def reg(people):
    panlong, wuhua = OrgUnit.objects.get(code="panlong"), OrgUnit.objects.get(code="wuhua")
    OrgUnit(code="panlong-tuodong", name="拓东街道", kind="subdistrict", parent=panlong).save()
    OrgUnit(code="wuhua-huashan", name="华山街道", kind="subdistrict", parent=wuhua).save()
    p = people
    p.liaison = user_create(username="tuodong-lly", roles=[(Role.TOWNSHIP_STAFF, "panlong-tuodong")])
    p.wuhua_liaison = user_create(username="huashan-lly",
                                  roles=[(Role.TOWNSHIP_STAFF, "wuhua-huashan")])
    tuodong = OrgUnit.objects.get(code="panlong-tuodong")
    huashan = OrgUnit.objects.get(code="wuhua-huashan")
    p.b_pl = [Building.objects.create(name=f"盘龙{i}号楼", property_certificate_no=f"PL-{i}",
                                      county=panlong, subdistrict=tuodong) for i in range(4)]
    p.b_wh = [Building.objects.create(name=f"五华{i}号楼", property_certificate_no=f"WH-{i}",
                                      county=wuhua, subdistrict=huashan) for i in range(2)]
    return p


def save(building, year, taxes, actor, **over):
    return register.record_save(building, year, {**FIGURES, **over, "tenants": tenants(*taxes)},
                                actor=actor, now=MARCH)


# ---------------------------------------------------------------- BE-4 grading boundaries

def grade(tax, area=60000, facilities=7, mgmt="level1"):
    return decide("buildings.grade", {"tax_yuan": tax, "total_floor_area_m2": area,
                                      "facilities_count": facilities, "management_level": mgmt,
                                      "as_of": "2025-12-31"}).to_dict()


def test_grading_tax_at_the_gazettes_numbers():
    # 二(三) 税收过千万元: 过 = 超过, 1000万 itself is not 过千万 → 丙 on tax, so 丙 overall.
    assert grade(10_000_000)["tax_level"] == "C" and grade(10_000_000)["grade"] == "C"
    assert grade(10_000_000.01)["tax_level"] == "B"
    assert grade(99_999_999.99)["tax_level"] == "B"
    # 税收亿元楼 read as 达到1亿元 (interpretation buildings.tax_100m_comparison = ">=").
    assert grade(100_000_000)["tax_level"] == "A" and grade(100_000_000)["grade"] == "A"


def test_grading_scale_facilities_management_and_the_lowest_wins():
    # 附件1 第二条 1万平方米及以上 (以上 includes the number) → 乙 on scale; 5万 → 甲.
    assert grade(2e8, area=9_999.99)["scale_level"] == "C"
    assert grade(2e8, area=10_000)["scale_level"] == "B"
    assert grade(2e8, area=50_000)["scale_level"] == "A"
    # facilities (四(二)、三(四), 7 listed): 6 以上 甲, 4 以上 乙.
    assert [grade(2e8, facilities=n)["facilities_level"] for n in (3, 4, 5, 6)] == ["C", "B", "B", "A"]
    assert [grade(2e8, mgmt=m)["management_grade"] for m in ("level1", "level2", "level3", "none")] \
        == ["A", "B", "C", "C"]
    # every criterion 甲 except management 乙 → the building is 乙级.
    d = grade(2e8, mgmt="level2")
    assert d["grade"] == "B" and d["outcome"] == "grade_b"


# ---------------------------------------------------------------- register writes

def test_liaison_saves_year_grade_kept_and_recomputed_on_change(reg):
    b = reg.b_pl[0]
    r = save(b, 2025, [6_000_000, 5_000_000], reg.liaison)
    # tax = 6,000,000 + 5,000,000 = 11,000,000 > 10,000,000 → 乙 on tax; 30,000 m² → 乙;
    # 4 facilities → 乙; 二级资质 → 乙: 乙级.
    assert r.tax_yuan == Decimal("11000000.00") and r.grade == "B"
    assert r.occupancy_rate == Decimal("0.9000")  # (20000 − 2000) / 20000
    assert Tenant.objects.filter(record=r).count() == 2
    # the register changes: the second firm leaves → 6,000,000 ≤ 1000万 → 丙级, re-decided.
    r = save(b, 2025, [6_000_000], reg.liaison)
    assert r.grade == "C"
    kept = DecisionRecord.objects.filter(object_id=r.pk, rule="buildings.grade").order_by("id")
    assert [k.outcome for k in kept] == ["grade_b", "grade_c"]
    assert any("附件1 第十二条" in (c.get("reference") or "") for c in kept.last().citations)


def test_bad_figures_refused_naming_the_field_nothing_written(reg):
    b = reg.b_pl[0]
    from kmgov.procedures.errors import StepInputInvalid
    with pytest.raises(Exception) as exc:
        save(b, 2025, [1], reg.liaison, vacant_floor_area_m2="25000")
    assert "空置面积" in str(exc.value)
    with pytest.raises(StepInputInvalid) as exc:
        register.record_save(b, 2025, {**FIGURES, "tenants": ["甲公司｜金融｜是｜否｜很多"]},
                             actor=reg.liaison, now=MARCH)
    assert "第1行" in exc.value.message and "年度纳税额" in exc.value.message
    assert not BuildingYear.objects.exists()


def test_liaison_cannot_edit_another_countys_building_real_requests(reg):
    own, other = reg.b_pl[0], reg.b_wh[0]
    c = client_for(reg.liaison)
    body = {**FIGURES, "tenants": tenants(100)}
    r = post_json(c, f"/api/v1/buildings/register/{own.pk}/2025", body, method="put")
    assert r.status_code == 200, r.json()
    # 五华's building is out of the 拓东 liaison's reach: not revealed (404), nothing written.
    r = post_json(c, f"/api/v1/buildings/register/{other.pk}/2025", body, method="put")
    assert r.status_code == 404
    assert c.get(f"/buildings/register/{other.pk}/").status_code == 404
    r = c.post(f"/buildings/register/{other.pk}/?year=2025", {"total_floor_area_m2": "1"})
    assert r.status_code == 404
    # 华山 liaison cannot either; 五华 county office cannot edit 盘龙's building.
    assert post_json(client_for(reg.wuhua_liaison), f"/api/v1/buildings/register/{own.pk}/2025",
                     body, method="put").status_code == 404
    assert post_json(client_for(reg.wuhua_office), f"/api/v1/buildings/register/{own.pk}/2025",
                     body, method="put").status_code == 404
    # an auditor sees it but may not write (403)
    assert post_json(client_for(reg.auditor), f"/api/v1/buildings/register/{own.pk}/2025",
                     body, method="put").status_code == 403
    assert BuildingYear.objects.filter(building=other).count() == 0
    assert BuildingYear.objects.filter(building=own).count() == 1
    # the page's form writes for the liaison of the building's own subdistrict
    page = c.get(f"/buildings/register/{own.pk}/?year=2025")
    assert page.status_code == 200 and 'id="register-form"' in page.content.decode()
    assert 'id="register-form"' not in client_for(reg.auditor).get(
        f"/buildings/register/{own.pk}/?year=2025").content.decode()


# ---------------------------------------------------------------- BE-5 targets

def test_targets_from_a_demo_like_register_match_a_hand_count(reg):
    office = reg.office
    # 盘龙: four buildings' tenant taxes (元)
    save(reg.b_pl[0], 2025, [10_000_000], office)               # exactly 1000万: not 过千万
    save(reg.b_pl[1], 2025, [10_000_000, 0.01], office)          # 10,000,000.01: 过千万
    save(reg.b_pl[2], 2025, [60_000_000, 40_000_000], office)    # 100,000,000: 亿元楼 and 过千万
    save(reg.b_pl[3], 2025, [3_000_000], office)                 # neither
    save(reg.b_wh[0], 2025, [150_000_000, 100_000_000], reg.wuhua_office)  # 2.5亿: both
    save(reg.b_wh[1], 2025, [9_999_999.99], reg.wuhua_office,    # neither
         vacant_floor_area_m2="20000")
    register.county_year_save(OrgUnit.objects.get(code="panlong"), 2025,
                              total_tax_yuan="500000000", clusters=2, actor=office)
    register.county_year_save(OrgUnit.objects.get(code="wuhua"), 2025,
                              total_tax_yuan="500000000", clusters=1, actor=reg.wuhua_office)
    t = register.targets(reg.city_office, year=2025)
    city = t["city"]["decisions"]["2012"].to_dict()
    # hand count: 过千万 = PL-1, PL-2, WH-0 = 3; 亿元楼 = PL-2, WH-0 = 2
    assert city["buildings_tax_over_10m"] == 3 and city["buildings_tax_over_100m"] == 2
    # building tax = 1e7 + (1e7+0.01) + 1e8 + 3e6 + 2.5e8 + 9,999,999.99 = 383,000,000.00
    assert city["building_tax_yuan"] == pytest.approx(383_000_000.00)
    # share = 383,000,000 / (500,000,000 + 500,000,000) = 0.383 ≥ 0.35 → met (35%以上)
    assert city["building_tax_share"] == pytest.approx(0.383)
    assert "building_tax_share" in city["met"]
    # occupancy: 5 buildings × 18,000 + 1 × 0 occupied of 6 × 20,000 office = 90,000/120,000 = 0.75
    assert city["occupancy_rate"] == pytest.approx(0.75) and "occupancy_rate" in city["not_met"]
    # 60 / 10 / 5 clusters (2012) not reached: 3 / 2 / 3
    assert city["outcome"] == "not_met" and "clusters" in city["not_met"]
    c2015 = t["city"]["decisions"]["2015"].to_dict()
    assert set(c2015["not_met"]) == {"buildings_tax_over_10m", "buildings_tax_over_100m", "clusters"}
    pl = next(r for r in t["counties"] if r["county"].code == "panlong")["decisions"]["2012"]
    # 盘龙: 过千万 2 (PL-1, PL-2), 亿元楼 1 (PL-2); tax 123,000,000.01 / 500,000,000 = 0.24600000002
    assert pl.to_dict()["buildings_tax_over_10m"] == 2 and pl.to_dict()["buildings_tax_over_100m"] == 1
    assert pl.to_dict()["building_tax_share"] == pytest.approx(0.246)
    # a county office sees its own county only, and not the city's row
    tw = register.targets(reg.wuhua_office, year=2025)
    assert tw["city"] is None and [r["county"].code for r in tw["counties"]] == ["wuhua"]
    # the page shows the trace with its provision
    page = client_for(reg.city_office).get("/buildings/targets/?year=2025")
    text = page.content.decode()
    assert page.status_code == 200 and "税收过千万元的商务楼宇60栋" in text and "二(三)" in text


# ---------------------------------------------------------------- xlsx

def _xlsx(buildings_rows, tenant_rows):
    wb = Workbook()
    ws = wb.active
    ws.title = register.BUILDING_SHEET
    ws.append(register.BUILDING_HEADERS)
    for r in buildings_rows:
        ws.append(r)
    wt = wb.create_sheet(register.TENANT_SHEET)
    wt.append(register.TENANT_HEADERS)
    for r in tenant_rows:
        wt.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FLAGS = ["是", "是", "否", "否", "是", "是", "是"]


def test_import_refuses_a_malformed_row_with_its_number_nothing_written(reg):
    good = ["PL-0", 2025, "盘龙0号楼", 30000, 20000, 1000, "一级资质", *FLAGS, ""]
    bad = ["PL-1", 2025, "盘龙1号楼", 30000, "两万", 1000, "一级资质", *FLAGS, ""]
    content = _xlsx([good, bad], [["PL-0", 2025, "甲公司", "金融", "是", "是", 2e8, ""]])
    with pytest.raises(Exception) as exc:
        register.register_import(content, actor=reg.office, now=MARCH)
    assert "“楼宇”表第3行" in str(exc.value) and "商务（办公）面积" in str(exc.value)
    assert not BuildingYear.objects.exists() and not Tenant.objects.exists()
    # through the page: the same refusal shown, nothing written
    r = client_for(reg.office).post("/buildings/register/import/",
                                    {"file": io.BytesIO(content)}, format="multipart")
    assert r.status_code == 400 and "第3行" in r.content.decode()
    # a tenant row of a building not in the sheet is refused with its row number as well
    content = _xlsx([good], [["PL-0", 2025, "甲公司", "金融", "是", "是", 2e8, ""],
                             ["PL-0", 2025, "乙公司", "金融", "也许", "否", 1, ""]])
    with pytest.raises(Exception) as exc:
        register.register_import(content, actor=reg.office, now=MARCH)
    assert "“入驻企业”表第3行" in str(exc.value) and "在昆注册" in str(exc.value)
    assert not BuildingYear.objects.exists()


def test_import_page_shows_the_refusal_beside_the_file_nothing_written(reg):
    good = ["PL-0", 2025, "盘龙0号楼", 30000, 20000, 1000, "一级资质", *FLAGS, ""]
    bad = ["PL-1", 2025, "盘龙1号楼", 30000, "两万", 1000, "一级资质", *FLAGS, ""]  # 面积 not a number
    content = _xlsx([good, bad], [["PL-0", 2025, "甲公司", "金融", "是", "是", 2e8, ""]])
    upload = io.BytesIO(content)
    upload.name = "楼宇2025.xlsx"
    r = client_for(reg.office).post("/buildings/register/import/", {"file": upload},
                                    format="multipart")
    assert r.status_code == 400
    page = r.content.decode()
    beside = re.search(r'<p class="govuk-error-message" id="f-file-error" role="alert">(.*?)</p>',
                       page, re.S)
    assert beside and "“楼宇”表第3行" in beside.group(1) and "商务（办公）面积" in beside.group(1)
    assert "楼宇2025.xlsx" in beside.group(1)  # the file chosen is named (never refilled)
    assert 'aria-describedby="f-file-error"' in page and 'href="#f-file"' in page
    assert 'class="error"' not in page  # not a message at the top any more
    assert not BuildingYear.objects.exists() and not Tenant.objects.exists()
    r = client_for(reg.office).post("/buildings/register/import/", {})
    assert r.status_code == 400 and 'id="f-file-error"' in r.content.decode()
    assert "请选择要导入的xlsx文件" in r.content.decode()


def test_import_then_export_round_trip_and_scope(reg):
    rows = [["PL-0", 2025, "盘龙0号楼", 30000, 20000, 1000, "一级资质", *FLAGS, ""]]
    content = _xlsx(rows, [["PL-0", 2025, "甲公司", "金融", "是", "是", 100_000_000, ""]])
    # 五华's office may not import 盘龙's building: refused, the row named
    with pytest.raises(Exception) as exc:
        register.register_import(content, actor=reg.wuhua_office, now=MARCH)
    assert "第2行" in str(exc.value)
    assert register.register_import(content, actor=reg.office, now=MARCH) == {
        "buildings": 1, "tenants": 1}
    r = BuildingYear.objects.get()
    # 1亿 (亿元楼, 甲) · 30,000 m² (乙) · 5 facilities (乙) · 一级 (甲) → 乙级
    assert r.grade == "B" and r.tax_yuan == Decimal("100000000.00")
    resp = client_for(reg.office).get("/buildings/register/export.xlsx?year=2025")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb[register.BUILDING_SHEET].cell(2, 1).value == "PL-0"
    assert wb[register.BUILDING_SHEET].cell(2, 15).value == "乙级"
    assert wb[register.TENANT_SHEET].cell(2, 3).value == "甲公司"
    # 五华's export holds none of 盘龙's rows
    resp = client_for(reg.wuhua_office).get("/buildings/register/export.xlsx?year=2025")
    assert load_workbook(io.BytesIO(resp.content))[register.BUILDING_SHEET].max_row == 1


def test_cli_import_refusal_exit_2_then_targets_json(reg, tmp_path):
    import json

    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx([["PL-0", 2025, "盘龙0号楼", 30000, 20000, -5, "一级资质", *FLAGS, ""]], []))
    with pytest.raises(CommandError) as exc:
        call_command("buildings_register", "import", str(bad), "--as", "panlong-ban")
    assert exc.value.returncode == 2 and "第2行" in str(exc.value)
    assert not BuildingYear.objects.exists()
    good = tmp_path / "good.xlsx"
    good.write_bytes(_xlsx([["PL-0", 2025, "盘龙0号楼", 30000, 20000, 0, "一级资质", *FLAGS, ""]],
                           [["PL-0", 2025, "甲公司", "金融", "是", "是", 10_000_000.01, ""]]))
    out = io.StringIO()
    call_command("buildings_register", "import", str(good), "--as", "panlong-ban", "--json",
                 stdout=out)
    assert json.loads(out.getvalue()) == {"buildings": 1, "tenants": 1}
    out = io.StringIO()
    call_command("buildings_register", "targets", "--year", "2025", "--as", "shi-ban", "--json",
                 stdout=out)
    body = json.loads(out.getvalue())
    # one building with 10,000,000.01 > 1000万 → 1 过千万, 0 亿元楼
    assert body["city"]["decisions"]["2012"]["buildings_tax_over_10m"] == 1
    assert body["city"]["decisions"]["2012"]["buildings_tax_over_100m"] == 0


def test_county_office_names_the_subdistrict_and_liaison(reg):
    b = reg.b_pl[0]
    OrgUnit(code="panlong-gulou", name="鼓楼街道", kind="subdistrict",
            parent=OrgUnit.objects.get(code="panlong")).save()
    url = f"/api/v1/buildings/liaisons/{b.pk}"
    body = {"subdistrict": "panlong-gulou", "liaison_name": "王联络", "liaison_phone": "0871-1"}
    # the liaison of 拓东 may not reassign (403); 五华's office does not see it (404)
    assert post_json(client_for(reg.liaison), url, body, method="put").status_code == 403
    assert post_json(client_for(reg.wuhua_office), url, body, method="put").status_code == 404
    # a subdistrict of another county is refused, the field named (422)
    r = post_json(client_for(reg.office), url, {**body, "subdistrict": "wuhua-huashan"}, method="put")
    assert r.status_code == 422 and r.json()["field"] == "subdistrict"
    r = post_json(client_for(reg.office), url, body, method="put")
    assert r.status_code == 200 and r.json()["subdistrict"] == "panlong-gulou"
    # now 拓东's liaison no longer reaches the building; 鼓楼's would
    assert client_for(reg.liaison).get(f"/buildings/register/{b.pk}/").status_code == 404
    page = client_for(reg.office).get(f"/buildings/register/{b.pk}/").content.decode()
    assert "王联络" in page and "鼓楼街道" in page


def test_register_pages_show_no_internal_identifiers(reg):
    save(reg.b_pl[0], 2025, [150_000_000, 5_000_000], reg.liaison)
    register.county_year_save(OrgUnit.objects.get(code="panlong"), 2025,
                              total_tax_yuan="500000000", clusters=1, actor=reg.office)
    c = client_for(reg.city_office)
    for url in (f"/buildings/register/{reg.b_pl[0].pk}/?year=2025", "/buildings/register/?year=2025",
                "/buildings/targets/?year=2025"):
        # the visible text (form option values are attributes, not shown)
        text = re.sub(r"<[^>]+>", " ", c.get(url).content.decode())
        for code in ("level1", "level2", "tax_level", "grade_a", "True", "False", "None",
                     "value：", "threshold", "building_taxes_yuan", "liaison", "filing"):
            assert code not in text, (url, code)
    # 155,000,000 ≥ 1亿 (甲), 30,000 m² (乙), 4 facilities (乙), 二级 (乙) → 乙级, shown in words
    assert "乙级" in c.get(f"/buildings/register/{reg.b_pl[0].pk}/?year=2025").content.decode()


def test_county_tax_typed_in_wan_and_a_refusal_beside_its_field(reg):
    # issue 13 item 3: the county's total tax (the denominator of 62号 二(三)'s share) is
    # typed in 万元 or 元 and kept in 元; a wrong entry is named beside its field, kept as typed
    from kmgov.policies.buildings.models import CountyYear

    office = client_for(reg.wuhua_office)
    page = office.get("/buildings/targets/?year=2025").content.decode()
    assert '<label class="govuk-label" for="f-tax">税收总额</label>' in page
    assert '<option value="wan" selected>万元</option>' in page
    r = office.post("/buildings/targets/?year=2025", {
        "county": "wuhua", "total_tax_yuan": "三亿八千万", "total_tax_yuan__unit": "wan",
        "clusters": "2"})
    html = r.content.decode()
    assert r.status_code == 400 and not CountyYear.objects.exists()
    assert re.search(r'<p class="govuk-error-message" id="f-tax-error"[^>]*>[^<]*税收总额', html)
    assert 'value="三亿八千万"' in html and 'value="2"' in html and '<a href="#f-tax">' in html
    r = office.post("/buildings/targets/?year=2025", {
        "county": "wuhua", "total_tax_yuan": "38000", "total_tax_yuan__unit": "wan",
        "clusters": "2"})
    assert r.status_code == 302
    assert CountyYear.objects.get(county__code="wuhua", year=2025).total_tax_yuan == Decimal(
        "380000000.00")  # 38000万元 × 10000
