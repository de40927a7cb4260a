"""Who has not filed, at every level (107号 四(二); 六(一) 台账): the county office's table of
its units × forms, escalation after the window by the kernel's sweep (once), the proposals of
106号 第五条(四) to the office, the city's view of counties; scope by real requests."""

import json

import pytest
from django.test import Client

from kmgov.core.models import OrgUnit
from kmgov.policies.safety.models import Warning
from kmgov.policies.safety.selectors import consolidated, counties_view
from kmgov.policies.safety.services import zero_report_proposals, zr_file, zr_start
from kmgov.procedures.selectors import inbox_for
from kmgov.procedures.services import deadlines_sweep

from .conftest import at
from .test_zero_report_filing import T3

pytestmark = pytest.mark.django_db

TOWN3 = {**T3, "unit_name": "滇源镇人民政府", "item_3": "落实", "item_3_note": None,
         "item_2": "不落实", "item_2_note": "经费2.5万元，未达3万元", "budget_yuan": 25000}


def _file_two(sp):
    """7月1日 the sweep opens 2010H1; the coal mine and 滇源镇 file 表三 on 7月5日."""
    deadlines_sweep(now=at(2010, 7, 1, 8))
    mine = zr_start(3, "2010H1", org=OrgUnit.objects.get(code="ent-mine"), actor=sp.mine,
                    now=at(2010, 7, 5, 9))
    zr_file(mine, T3, actor=sp.mine, now=at(2010, 7, 5, 10))
    town = zr_start(3, "2010H1", org=OrgUnit.objects.get(code="panlong-dianyuan"),
                    actor=sp.dianyuan, now=at(2010, 7, 5, 9))
    return mine, zr_file(town, TOWN3, actor=sp.dianyuan, now=at(2010, 7, 5, 11))


def test_the_office_sees_exactly_who_has_not_filed(sp):
    mine, town = _file_two(sp)
    view = consolidated(sp.office, "2010H1", now=at(2010, 7, 6, 9))
    by_unit = {r["org"].code: r for r in view["rows"]}
    # 盘龙区: two listed enterprises, two townships (and its departments' consolidations,
    # whose window has not opened: not in the register yet); not 五华区's chemical works.
    assert set(by_unit) == {"ent-mine", "ent-build", "panlong-dianyuan", "panlong-aziying"}
    third = {code: r["cells"][3]["status"] for code, r in by_unit.items()}
    assert third == {"ent-mine": "filed", "ent-build": "pending", "panlong-dianyuan": "filed",
                     "panlong-aziying": "pending"}
    assert {r["org"].code for r in view["not_filed"]} == {"ent-build", "panlong-aziying",
                                                          "ent-mine", "panlong-dianyuan"}  # 表一…
    # column 表三: 2 filed, 2 pending; 不落实: the mine's item 3 + 滇源镇's item 2.
    col3 = view["forms"][2]
    assert (col3["filed"], col3["pending"], col3["not_implemented"]) == (2, 2, 2)
    assert by_unit["ent-mine"]["cells"][3]["not_implemented"] == 1
    # 五华区's office sees none of 盘龙区's units.
    assert consolidated(sp.wuhua_office, "2010H1", now=at(2010, 7, 6))["rows"] == [
        r for r in consolidated(sp.wuhua_office, "2010H1", now=at(2010, 7, 6))["rows"]
        if r["org"].code.startswith(("ent-wuhua", "wuhua"))]


def test_after_the_window_escalated_once_and_proposed_to_the_office(sp):
    _file_two(sp)
    # 7月7日 09:00: 3 days before 7月10日, the filers who have not filed are reminded.
    first = deadlines_sweep(now=at(2010, 7, 7, 9, 0))["filings"]
    assert first["reminders"] > 0 and first["escalations"] == 0
    # 7月11日 00:00 (24:00 of 7月10日): escalated to the receivers — once.
    esc = deadlines_sweep(now=at(2010, 7, 11, 0, 0))["filings"]["escalations"]
    again = deadlines_sweep(now=at(2010, 7, 11, 0, 5))["filings"]["escalations"]
    assert esc > 0 and again == 0
    items = list(inbox_for(sp.office).filter(kind="escalation", procedure="zr3-town"))
    # 阿子营镇 did not file 表三: one escalation to 盘龙区's office; 滇源镇 filed: none.
    assert [i.org.code for i in items] == ["panlong-aziying"]
    # The builder's 表三 went to 盘龙区住建局 (its receiver), not to the office.
    dept = list(inbox_for(sp.panlong_housing).filter(kind="escalation", procedure="zr3-ent"))
    assert [i.org.code for i in dept] == ["ent-build"]
    # Proposals: each unit that missed a form gets one draft 告知 (106号 第五条(四)) in the
    # office's inbox, once however often the sweep runs.
    made = zero_report_proposals(now=at(2010, 7, 11, 1))
    assert zero_report_proposals(now=at(2010, 7, 11, 2)) == 0
    drafts = Warning.objects.filter(source__startswith="zero-report:", org__code__in=(
        "ent-build", "panlong-aziying", "ent-mine", "panlong-dianyuan"))
    assert made >= 4 and drafts.count() == 4  # all four missed at least 表一
    assert set(drafts.values_list("level", flat=True)) == {"notice"}
    assert all(d.grounds == ["zero_report_inadequate"] for d in drafts)
    office_items = inbox_for(sp.office).filter(procedure="safety-warning")
    assert {i.org.code for i in office_items} == {"ent-build", "panlong-aziying", "ent-mine",
                                                   "panlong-dianyuan"}


def test_the_city_sees_counties(sp):
    _file_two(sp)
    rows = {r["county"].code: r for r in counties_view(sp.city, "2010H1", now=at(2010, 7, 12))}
    # 盘龙区: 2 enterprises + 2 townships owe 9 forms each = 36; 2 filed; 34 missing; 2 不落实.
    p = rows["panlong"]
    assert (p["owing"], p["filed"], p["missing"], p["not_implemented"]) == (36, 2, 34, 2)
    assert counties_view(sp.office, "2010H1") is None  # the county office is not the city


def test_scope_by_real_requests(sp):
    mine, town = _file_two(sp)
    c = Client()
    # A township officer cannot read another township's filing (page and API): 404.
    c.force_login(sp.aziying)
    assert c.get(f"/cases/zero-report-3/{town.reference}/").status_code == 404
    assert c.get(f"/api/v1/cases/zero-report-3/{town.reference}").status_code == 404
    # An enterprise sees only its own.
    c.force_login(sp.builder)
    assert c.get(f"/cases/zero-report-3/{mine.reference}/").status_code == 404
    r = c.get("/api/v1/filings/zr3-ent?period=2010H1")
    assert r.status_code == 200
    assert {s["org"] for s in r.json()["items"]} == {"ent-build"}
    c.force_login(sp.mine)
    assert c.get(f"/cases/zero-report-3/{mine.reference}/").status_code == 200
    # 五华区's office cannot read 盘龙区's filings; 盘龙区's office and 安监局 can.
    c.force_login(sp.wuhua_office)
    assert c.get(f"/api/v1/cases/zero-report-3/{mine.reference}").status_code == 404
    for user in (sp.office, sp.panlong_safety):
        c.force_login(user)
        assert c.get(f"/api/v1/cases/zero-report-3/{mine.reference}").status_code == 200
    assert json.loads(c.get(f"/api/v1/cases/zero-report-3/{mine.reference}").content)["state"] == "filed"


def test_cli_sweep_and_consolidated(sp, tmp_path):
    import io as _io

    from django.core.management import call_command

    _file_two(sp)
    out = _io.StringIO()
    call_command("safety", "sweep", "--now", "2010-07-11T00:30", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["filings"]["escalations"] > 0 and result["proposals"] >= 4
    out = _io.StringIO()
    call_command("safety", "consolidated", "--period", "2010H1", "--as", "panlong-awb",
                 "--json", stdout=out)
    rows = {r["org"]: r for r in json.loads(out.getvalue())["rows"]}
    assert rows["ent-mine"]["cells"][2] == {"status": "filed", "not_implemented": 1}
    assert rows["panlong-aziying"]["cells"][2]["status"] == "missing"
    out = _io.StringIO()
    call_command("safety", "ledger-export", "--xlsx", str(tmp_path / "l.xlsx"), "--as",
                 "panlong-awb", stdout=out)
    assert "已导出4条" in out.getvalue()  # the four proposals
