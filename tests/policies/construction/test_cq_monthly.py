"""五(二): each county's monthly report to the inspection group (the scheduled filing
`cq-monthly`), who has not filed, reminders and escalation by the sweep, and the city monthly
report compiled from the filings (page data, xlsx, PDF, and the group's own filing to
市政府办公厅)."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from policies.construction.helpers import at
from procedures.pdftext import pdf_text

from kmgov.core.models import OrgUnit
from kmgov.policies.construction import reports
from kmgov.policies.construction.models import SUPERVISING_UNITS
from kmgov.procedures.filing_services import filing_start, filings_sweep, slots_open
from kmgov.procedures.models import FilingSlot, InboxItem
from kmgov.procedures.services import case_transition

JUNE = "2026-06"
# construction.monthly_report_window (interpretation of 五(二) 每月): 1–10 July for June
IN_WINDOW = at(2026, 7, 5)


def _file(user, code, now=IN_WINDOW, **data):
    case = filing_start("cq-monthly", JUNE, org=OrgUnit.objects.get(code=code), actor=user, now=now)
    return case_transition(case, "submit", actor=user, now=now, data=data)


@pytest.fixture
def june(cq):
    slots_open("cq-monthly", JUNE, now=IN_WINDOW)
    _file(cq.wuhua, "wuhua-housing", projects_started=3, new_projects=["甲工程", "乙工程", "丙工程"],
          problems_found=5, problems_handled=4, problems=["模板支撑不规范"], actions=["责令整改"])
    _file(cq.xishan, "xishan-housing", projects_started=1, problems_found=2, problems_handled=2)
    return cq


def test_every_county_and_zone_owes_the_month(cq):
    # 二 成员单位: the 14 counties' and the 3 zones' 建设行政主管部门
    assert len(SUPERVISING_UNITS) == 17
    assert slots_open("cq-monthly", JUNE, now=IN_WINDOW)["opened"] == 17
    slot = FilingSlot.objects.get(obligation="cq-monthly", period=JUNE, org__code="panlong-housing")
    assert (slot.window_opens.isoformat(), slot.window_closes.isoformat()) == ("2026-07-01", "2026-07-10")
    assert (slot.receiver_org.code, slot.receiver_role) == ("city-housing", "city_office")


def test_city_report_counts_match_the_filings_and_list_who_did_not_file(june):
    r = reports.city_report(june.group, JUNE)
    assert (r["units"], r["filed"]) == (17, 2)
    # totals by hand: 五华 3+西山 1 started; 5+2 problems found; 4+2 handled
    assert r["totals"] == {"projects_started": 4, "problems_found": 7, "problems_handled": 6}
    assert len(r["not_filed"]) == 15
    assert "盘龙区" in r["not_filed"] and "官渡区" in r["not_filed"]
    assert "五华区" not in r["not_filed"] and "西山区" not in r["not_filed"]
    wuhua = next(row for row in r["rows"] if row["org"] == "wuhua-housing")
    assert wuhua["problems"] == ["模板支撑不规范"] and wuhua["filed"] and not wuhua["late"]


def test_city_report_xlsx_and_pdf_carry_the_same_numbers(june):
    r = reports.city_report(june.group, JUNE)
    ws = load_workbook(io.BytesIO(reports.report_xlsx(r))).active
    rows = list(ws.iter_rows(values_only=True))
    total = next(row for row in rows if row[0] == "合计")
    assert total[2:6] == ("2/17", 4, 7, 6)
    missing = next(row for row in rows if row[0] == "未申报单位")
    assert "盘龙区" in missing[1] and "五华区" not in missing[1]
    text = pdf_text(reports.report_pdf(r))
    assert "2026年6月" in text and "未申报单位" in text and "盘龙区" in text
    assert "已申报2个" in text


def test_the_group_files_the_city_report_to_the_general_office(june):
    # the consolidation's window: the 5 days after the counties' (11–15 July)
    now = at(2026, 7, 12)
    case = filing_start("cq-city-monthly", JUNE, org=OrgUnit.objects.get(code="city-housing"),
                        actor=june.group, now=now)
    case = case_transition(case, "submit", actor=june.group, now=now)
    assert case.compiled["totals"] == {"projects_started": 4, "problems_found": 7, "problems_handled": 6}
    assert "盘龙区" in case.compiled["not_filed"]
    slot = FilingSlot.objects.get(obligation="cq-city-monthly", period=JUNE)
    assert slot.filed_at is not None and not slot.late
    case = case_transition(case, "receive", actor=june.general_office, now=now)
    assert case.state == "received"


@pytest.fixture
def only_cq_obligations(only_obligations):
    only_obligations("cq-")


def test_sweep_reminds_then_escalates_those_who_have_not_filed(june, only_cq_obligations):
    # remind_before=3: 7 July 09:00 for a window ending 10 July
    r = filings_sweep(now=at(2026, 7, 7, 9, 30))
    assert r["reminders"] == 15
    reminded = InboxItem.objects.filter(procedure="cq-monthly", kind="reminder")
    assert {i.role_org.code for i in reminded} == set(SUPERVISING_UNITS) - {"wuhua-housing", "xishan-housing"}
    # 届满: after 24:00 of 10 July the group is told who has not filed
    r = filings_sweep(now=at(2026, 7, 11, 0, 30))
    assert r["escalations"] == 15
    esc = InboxItem.objects.filter(procedure="cq-monthly", kind="escalation")
    assert {i.role_org.code for i in esc} == {"city-housing"}
    assert any("盘龙区" in i.what for i in esc)
    assert filings_sweep(now=at(2026, 7, 11, 1, 0))["escalations"] == 0  # once


def test_bad_report_is_refused_naming_the_field_and_nothing_is_written(cq):
    slots_open("cq-monthly", JUNE, now=IN_WINDOW)
    case = filing_start("cq-monthly", JUNE, org=OrgUnit.objects.get(code="panlong-housing"),
                        actor=cq.panlong, now=IN_WINDOW)
    client = Client()
    client.force_login(cq.panlong)
    url = f"/api/v1/cases/cq-monthly/{case.reference}/steps/submit"
    resp = client.post(url, {"data": {"projects_started": 0, "problems_found": 1, "problems_handled": 2}},
                       content_type="application/json")
    assert resp.status_code == 422 and resp.json()["field"] == "problems_handled", resp.json()
    assert "已处理问题数不能多于发现问题数" in resp.json()["detail"]
    resp = client.post(url, {"data": {"projects_started": -1, "problems_found": 0, "problems_handled": 0}},
                       content_type="application/json")
    assert resp.status_code == 422 and resp.json()["field"] == "projects_started"
    case.refresh_from_db()
    assert case.state == "draft"
    assert FilingSlot.objects.get(obligation="cq-monthly", period=JUNE,
                                  org__code="panlong-housing").filed_at is None
