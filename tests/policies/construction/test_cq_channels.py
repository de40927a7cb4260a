"""Real requests: the register, the filings and the city report are scoped — a county body
cannot read another county's projects or filings (404, the existence not disclosed); bad
input is refused naming the field; the xlsx import refuses a bad row by its number and
writes nothing; the pages show no internal identifiers."""

import io

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook
from policies.construction.helpers import PARTIES, at

from kmgov.core.models import OrgUnit
from kmgov.policies.construction import services
from kmgov.policies.construction.models import Project
from kmgov.procedures.filing_services import filing_start, slots_open
from kmgov.procedures.services import case_transition


def client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def register(cq):
    services.project_create(actor=cq.wuhua, org="wuhua", code="WH-001", name="五华安置房工程",
                            kind="building", started_on="2026-06-03", parties=PARTIES)
    services.project_create(actor=cq.panlong, org="panlong", code="PL-001", name="盘龙排水工程",
                            kind="municipal", parties=PARTIES[:2])
    return cq


def test_project_is_registered_with_its_five_parties(register):
    p = Project.objects.get(code="WH-001")
    assert {x.role: x.unit_name for x in p.parties.all()} == {
        "builder": "甲建设投资公司", "surveyor": "乙勘察院", "designer": "丙设计院",
        "contractor": "丁建工集团", "supervisor": "戊监理公司"}
    assert p.parties.get(role="contractor").person == "孙六"


def test_a_county_cannot_read_another_countys_projects(register):
    wuhua = client(register.wuhua)
    assert wuhua.get("/construction/projects/WH-001/").status_code == 200
    assert wuhua.get("/construction/projects/PL-001/").status_code == 404
    assert wuhua.get("/api/v1/construction/projects/PL-001").status_code == 404
    codes = [p["code"] for p in wuhua.get("/api/v1/construction/projects").json()]
    assert codes == ["WH-001"]
    page = wuhua.get("/construction/").content.decode()
    assert "五华安置房工程" in page and "盘龙排水工程" not in page
    exported = load_workbook(io.BytesIO(wuhua.get("/construction/projects.xlsx").content)).active
    assert [r[0] for r in exported.iter_rows(min_row=2, values_only=True)] == ["WH-001"]
    # the inspection group (at 市住建局) reads every county's; 市司法局's office none
    group_codes = {p["code"] for p in client(register.group).get("/api/v1/construction/projects").json()}
    assert group_codes == {"WH-001", "PL-001"}
    assert client(register.other_city_office).get("/api/v1/construction/projects").json() == []
    # nor may 五华 register a project for 盘龙
    resp = wuhua.post("/api/v1/construction/projects", {"org": "panlong", "code": "X-1", "name": "x",
                                                         "kind": "building"},
                      content_type="application/json")
    assert resp.status_code == 403 and not Project.objects.filter(code="X-1").exists()


def test_a_county_cannot_read_another_countys_filings(register):
    now = at(2026, 7, 5)
    slots_open("cq-monthly", "2026-06", now=now)
    case = filing_start("cq-monthly", "2026-06", org=OrgUnit.objects.get(code="panlong-housing"),
                        actor=register.panlong, now=now)
    case_transition(case, "submit", actor=register.panlong, now=now, data={
        "projects_started": 2, "problems_found": 1, "problems_handled": 1,
        "problems": ["盘龙的问题"]})
    wuhua = client(register.wuhua)
    assert wuhua.get(f"/cases/cq-monthly/{case.reference}/").status_code == 404
    assert wuhua.get(f"/api/v1/cases/cq-monthly/{case.reference}").status_code == 404
    slots = wuhua.get("/api/v1/filings/cq-monthly?period=2026-06").json()
    orgs = {s["org"] for s in slots["items"]}
    assert orgs == {"wuhua-housing"}
    report = wuhua.get("/api/v1/construction/city-report/2026-06").json()
    assert [r["org"] for r in report["rows"]] == ["wuhua-housing"]
    page = wuhua.get("/construction/report/?period=2026-06").content.decode()
    assert "盘龙的问题" not in page and "盘龙区" not in page
    # the group sees 盘龙's report and lists who has not filed
    page = client(register.group).get("/construction/report/?period=2026-06").content.decode()
    assert "盘龙的问题" in page and "五华区" in page and "未申报" in page
    assert client(register.group).get(f"/cases/cq-monthly/{case.reference}/").status_code == 200


def test_city_report_downloads(register):
    c = client(register.group)
    resp = c.get("/construction/report/?period=2026-06&format=xlsx")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    resp = c.get("/api/v1/construction/city-report/2026-06?format=pdf")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")
    assert c.get("/api/v1/construction/city-report/2026-13").status_code == 422


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(services.xlsx_headers())
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_import_refuses_a_bad_row_by_number_and_writes_nothing(register):
    good = ["WH-101", "wuhua", "五华学校工程", "房屋建筑工程", "", "", "2026-05-01", "在建",
            "甲建设", "张", "李", "1"]
    bad = ["WH-102", "wuhua", "五华道路工程", "不存在的类别"]
    c = client(register.wuhua)
    resp = c.post("/construction/", {"action": "import",
                                     "file": _upload(_sheet([good, bad]))}, follow=True)
    page = resp.content.decode()
    assert "第3行" in page and "工程类别" in page
    assert not Project.objects.filter(code__in=["WH-101", "WH-102"]).exists()
    resp = c.post("/construction/", {"action": "import", "file": _upload(_sheet([good]))}, follow=True)
    p = Project.objects.get(code="WH-101")
    assert (p.kind, p.status, p.parties.get(role="builder").unit_name) == ("building", "underway", "甲建设")


def test_export_reimports_to_the_same_register(register):
    c = client(register.wuhua)
    content = c.get("/construction/projects.xlsx").content
    before = [(p.code, p.name, p.kind, p.started_on, sorted(p.parties.values_list("role", "unit_name")))
              for p in Project.objects.filter(org__code="wuhua-housing")]
    result = services.projects_import_xlsx(content, actor=register.wuhua)
    assert result == {"created": 0, "updated": 1}
    after = [(p.code, p.name, p.kind, p.started_on, sorted(p.parties.values_list("role", "unit_name")))
             for p in Project.objects.filter(org__code="wuhua-housing")]
    assert after == before


def test_bodies_check_date_out_of_range_is_a_refusal(register):
    c = client(register.group)
    assert c.get("/api/v1/construction/bodies?on=9999-12-31").status_code == 422
    assert c.get("/api/v1/construction/bodies?on=2026-12-31").status_code == 200


def test_bad_body_staff_is_refused_naming_the_field(register):
    resp = client(register.wuhua).post("/api/v1/construction/bodies", {
        "org": "wuhua", "name": "五华站", "full_time_staff": -1}, content_type="application/json")
    assert resp.status_code == 422 and resp.json()["field"] == "full_time_staff"


def test_pages_show_words_not_codes(register):
    services.body_set(actor=register.wuhua, org="wuhua", name="五华区监督站", full_time_staff=4)
    c = client(register.wuhua)
    page = c.get("/construction/").content.decode()
    # 111号 附件 四(三): 专职人员不少于5人; 4 registered → the plain sentence and what to do
    assert "不符合要求" in page and "专职人员4人，少于5人（四(三)）" in page
    assert "配足专职监督人员（不少于5人）" in page
    for code in ("building", "underway", "wuhua-housing", "True", "None", "contractor"):
        assert f">{code}<" not in page
    detail = c.get("/construction/projects/WH-001/").content.decode()
    assert "施工单位" in detail and "丁建工集团" in detail and "房屋建筑工程" in detail
    assert ">contractor<" not in detail and ">building<" not in detail


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("p.xlsx", content,
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_cli_exports_reports_and_checks_within_the_callers_scope(register, tmp_path):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("construction", "projects-export", "--as", "wuhua-zjj",
                 "--xlsx", str(tmp_path / "p.xlsx"), stdout=out)
    sheet = load_workbook(tmp_path / "p.xlsx").active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["WH-001"]
    slots_open("cq-monthly", "2026-06", now=at(2026, 7, 5))  # as the sweep does in the window
    out = io.StringIO()
    call_command("construction", "city-report", "--as", "shi-zjj-dc", "--period", "2026-06",
                 "--pdf", str(tmp_path / "r.pdf"), stdout=out)
    report = json.loads(out.getvalue())
    assert report["units"] == 17 and report["filed"] == 0 and len(report["not_filed"]) == 17
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    services.body_set(actor=register.panlong, org="panlong", name="盘龙站", full_time_staff=4)
    out = io.StringIO()
    call_command("construction", "check", "--as", "panlong-zjj", "--on", "2026-12-31", stdout=out)
    [row] = json.loads(out.getvalue())
    assert (row["org"], row["outcome"]) == ("panlong-housing", "non_compliant")
    try:
        call_command("construction", "city-report", "--as", "shi-zjj-dc", "--period", "2026-13")
        raise AssertionError("a bad period must be refused")
    except CommandError as exc:
        assert "period" in str(exc)


def test_project_form_refusal_beside_the_field_with_what_was_typed(register):
    # issue 13 item 3: a code already registered (WH-001) is named above 监督登记号; the name,
    # the date and a party's unit typed come back; nothing new is written
    import re

    c = client(register.wuhua)
    before = Project.objects.count()
    r = c.post("/construction/", {"action": "project", "org": "wuhua", "code": "WH-001",
                                  "name": "五华新校区工程", "kind": "building",
                                  "started_on": "2026-05-01", "status": "underway",
                                  "builder_unit_name": "甲建设集团"})
    html = r.content.decode()
    assert r.status_code == 400 and Project.objects.count() == before
    error = re.search(r'<p class="govuk-error-message" id="p-code-error"[^>]*>([^<]*)</p>', html)
    assert error and error.group(1) == "监督登记号“WH-001”已登记"
    assert '<a href="#p-code">' in html and 'aria-describedby="p-code-error"' in html
    assert 'value="五华新校区工程"' in html and 'value="2026-05-01"' in html
    assert 'value="甲建设集团"' in html
