"""The ledger of warnings (106号 SW-4): one row per warning in the xlsx, filters by county,
level and period, a page per unit; the pages and PDFs through real requests, scoped."""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from kmgov.policies.safety.ledger import LEDGER_COLUMNS
from kmgov.policies.safety.services import (
    accident_record,
    warning_draft,
    warning_issue,
    zr_file,
    zr_start,
)
from kmgov.procedures.filing_services import slots_open

from .conftest import at
from .test_zero_report_filing import T3

pytestmark = pytest.mark.django_db


@pytest.fixture
def warnings(sp):
    for day in ("2010-09-01", "2010-09-10"):
        accident_record(actor=sp.office, now=at(2010, 9, 12), data={
            "org": "ent-mine", "occurred_on": day, "grade": "general", "summary": "冒顶"})
    out = []
    for actor, recipient, level, grounds, when in (
            (sp.office, "ent-mine", "admonition", [], at(2010, 9, 16, 10)),
            (sp.office, "panlong-dianyuan", "prompt", ["other_prompt"], at(2010, 5, 2, 10)),
            (sp.wuhua_office, "ent-wuhua-chem", "notice", ["zero_report_inadequate"], at(2010, 8, 1, 10))):
        w = warning_draft(actor=actor, now=when, data={"recipient": recipient, "level": level,
                                                       "grounds": grounds})
        out.append(warning_issue(w, actor=sp.signer[actor], now=when))
    return out


def test_xlsx_one_row_per_warning(sp, warnings):
    c = Client()
    c.force_login(sp.city)  # 市安委办 reads every county's warnings
    r = c.get("/safety/warnings/?format=xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == LEDGER_COLUMNS and len(rows) == 1 + 3
    by_ref = {row[0]: row for row in rows[1:]}
    adm = by_ref[warnings[0].reference]
    assert adm[1] == "告诫" and adm[2] == "第六条(二)" and adm[6] == "2010-10-08"


def test_filters_and_scope(sp, warnings):
    c = Client()
    c.force_login(sp.city)
    got = lambda q: {x["reference"] for x in c.get(f"/api/v1/safety/warnings{q}").json()}  # noqa: E731
    a, p, n = (w.reference for w in warnings)
    assert got("") == {a, p, n}
    assert got("?county=panlong") == {a, p}
    assert got("?level=prompt") == {p}
    assert got("?period=2010H2") == {a, n} and got("?period=2010H1") == {p}
    r = c.get("/api/v1/safety/warnings?period=2010-H1")
    assert r.status_code == 400 and r.json()["field"] == "period"
    # 盘龙区's office sees its county's two; the mine sees its own warning only.
    c.force_login(sp.office)
    assert got("") == {a, p}
    c.force_login(sp.mine)
    assert got("") == {a}
    page = c.get("/safety/warnings/").content.decode()
    assert warnings[0].reference in page and warnings[2].reference not in page


def test_unit_page_and_pdfs(sp, warnings):
    slots_open("zr3-ent", "2010H1", now=at(2010, 7, 1, 8))
    from kmgov.core.models import OrgUnit

    case = zr_start(3, "2010H1", org=OrgUnit.objects.get(code="ent-mine"), actor=sp.mine,
                    now=at(2010, 7, 2, 9))
    case = zr_file(case, T3, actor=sp.mine, now=at(2010, 7, 2, 10))
    c = Client()
    c.force_login(sp.office)
    page = c.get("/safety/units/ent-mine/").content.decode()
    # the archive (表三, 2010年上半年) and the history (the admonition) of the unit
    assert "2010年上半年" in page and case.reference in page and warnings[0].reference in page
    assert "zr3-ent" not in page and "admonition" not in page  # no internal codes
    r = c.get(f"/safety/reports/3/{case.reference}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    r = c.get(f"/safety/warnings/{warnings[0].reference}/notice/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    detail = c.get(f"/safety/reports/3/{case.reference}/").content.decode()
    assert "2010年上半年" in detail and "检测设备尚缺一台" in detail and "zr3-ent" not in detail
    # another county's office: 404 on the unit, the report, its PDF and the notice
    c.force_login(sp.wuhua_office)
    for url in ("/safety/units/ent-mine/", f"/safety/reports/3/{case.reference}/pdf/",
                f"/safety/warnings/{warnings[0].reference}/notice/",
                f"/safety/reports/3/{case.reference}/"):
        assert c.get(url).status_code == 404, url


def test_pages_render_for_each_role(sp, warnings):
    c = Client()
    for user, urls in ((sp.mine, ["/safety/", "/safety/warnings/"]),
                       (sp.office, ["/safety/consolidated/?period=2010H1", "/safety/accidents/",
                                    "/safety/warnings/new/", f"/safety/warnings/{warnings[0].reference}/"]),
                       (sp.city, ["/safety/counties/?period=2010H1"])):
        c.force_login(user)
        for url in urls:
            r = c.get(url)
            assert r.status_code == 200, url
            text = r.content.decode()
            assert "True" not in text and "{'" not in text, url
    c.force_login(sp.office)
    assert c.get("/safety/counties/?period=2010H1").status_code == 404


def test_bad_input_named_in_page_and_api(sp):
    c = Client()
    c.force_login(sp.office)
    r = c.post("/api/v1/safety/accidents", json.dumps({
        "org": "ent-mine", "occurred_on": "2010-09-01", "grade": "tiny", "summary": "x x"}),
        content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "grade"
    r = c.post("/safety/accidents/", {"org": "ent-mine", "occurred_on": "", "grade": "general",
                                      "summary": "冒顶"})
    assert r.status_code == 400 and "事故日期" in r.content.decode()
    r = c.post("/safety/warnings/new/", {"recipient": "ent-wuhua-chem", "level": "prompt",
                                         "grounds": ["other_prompt"]})
    assert "不能对“五华示例化工有限公司”发出警示" in r.content.decode()
    from kmgov.policies.safety.models import Accident, Warning
    assert Accident.objects.count() == 0 and Warning.objects.count() == 0
