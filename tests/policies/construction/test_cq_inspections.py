"""五(一): the inspection group's quarterly inspections, scheduled and recorded per quarter,
each finding a rectification case with its own deadline (a kernel DeadlineRule): reminded,
escalated to the county government when it runs out, reported and verified. And the check of
四(三)/五(一)/五(二) on the register's data."""

import datetime as dt

import pytest
from policies.construction.helpers import at

from kmgov.core.calendar import end_of_day
from kmgov.policies.construction import selectors, services
from kmgov.policies.construction.models import Rectification
from kmgov.procedures.errors import SeparationOfDuties, StepInputInvalid, TransitionDenied
from kmgov.procedures.models import InboxItem
from kmgov.procedures.selectors import inbox_for
from kmgov.procedures.services import case_step, case_transition, deadlines_sweep


def _inspect(cq, quarter, on, org="panlong"):
    case = services.inspection_schedule(actor=cq.group, org=org, quarter=quarter, planned_on=on,
                                        now=at(on.year, on.month, on.day, 8))
    return case_transition(case, "record", actor=cq.member, now=at(on.year, on.month, on.day, 17),
                           data={"inspected_on": on.isoformat(), "projects_inspected": ["甲工程"]})


def test_only_the_group_schedules_and_the_date_lies_in_the_quarter(cq):
    for outsider in (cq.panlong, cq.other_city_office):
        with pytest.raises(TransitionDenied):
            services.inspection_schedule(actor=outsider, org="panlong", quarter="2026Q2",
                                         planned_on="2026-05-20")
    case = services.inspection_schedule(actor=cq.group, org="panlong", quarter="2026Q2",
                                        planned_on="2026-05-20", now=at(2026, 5, 1))
    assert (case.org.code, case.state, case.quarter) == ("panlong-housing", "scheduled", "2026Q2")
    # 五(一) 每个季度: an inspection recorded for Q2 on a day of Q3 is refused, naming the field
    with pytest.raises(StepInputInvalid) as exc:
        case_step(case, "record", actor=cq.member, data={
            "inspected_on": "2026-07-02", "projects_inspected": ["甲工程"]})
    assert exc.value.field == "inspected_on" and "2026年第二季度" in exc.value.message
    case.refresh_from_db()
    assert case.state == "scheduled"
    # the one who scheduled the inspection does not record its findings (separation of duties)
    with pytest.raises(SeparationOfDuties) as exc:
        case_step(case, "record", actor=cq.group, data={
            "inspected_on": "2026-05-20", "projects_inspected": ["甲工程"]})
    assert "创建" in exc.value.message
    case.refresh_from_db()
    assert case.state == "scheduled"


def test_each_finding_has_its_own_deadline_reminded_and_escalated(cq):
    insp = _inspect(cq, "2026Q2", dt.date(2026, 5, 20))
    now = at(2026, 5, 20, 17, 30)
    insp = case_transition(insp, "add_finding", actor=cq.member, now=now, data={
        "project": "甲工程", "problem": "连墙件不足", "deadline": "2026-06-10"})
    insp = case_transition(insp, "add_finding", actor=cq.member, now=now, data={
        "project": "乙工程", "problem": "未见证取样"})
    first, second = Rectification.objects.filter(inspection=insp).order_by("pk")
    assert (first.state, second.state) == ("issued", "issued")
    # 届满 includes the deadline day: due at its 24:00
    assert first.due_at == end_of_day(dt.date(2026, 6, 10))
    # no deadline given: construction.rectification_days_default = 30 calendar days
    assert second.deadline == dt.date(2026, 6, 19)
    # 19 June 2026 is 端午节: a period in calendar days ending on a holiday moves to the next
    # working day, Monday 22 June (民法典 第二百零三条; docs/interpretations.md, "Calendar")
    assert second.due_at == end_of_day(dt.date(2026, 6, 22))
    # what the county must do is in its inbox
    assert {i.case_reference for i in inbox_for(cq.panlong)} >= {first.reference, second.reference}
    # construction.rectification_remind_days = 3: reminded on 7 June 09:00
    deadlines_sweep(now=at(2026, 6, 7, 9, 30))
    assert InboxItem.objects.filter(case_reference=first.reference, kind="reminder").exists()
    assert not InboxItem.objects.filter(case_reference=second.reference, kind="reminder").exists()
    # the county reports the second before its deadline; the first runs out on 10 June
    case_transition(second, "report", actor=cq.panlong, now=at(2026, 6, 9), data={
        "measures": "已补做见证取样送检", "rectified_on": "2026-06-09"})
    deadlines_sweep(now=at(2026, 6, 11, 0, 30))
    assert InboxItem.objects.filter(case_reference=first.reference, kind="escalation",
                                    role_org__code="panlong").exists()
    assert any(i.case_reference == first.reference for i in inbox_for(cq.panlong_gov))
    assert not InboxItem.objects.filter(case_reference=second.reference, kind="escalation").exists()
    second.refresh_from_db()
    # the member who recorded the finding does not recheck it (separation of duties)
    with pytest.raises(SeparationOfDuties):
        case_transition(second, "verify", actor=cq.member, now=at(2026, 6, 12),
                        data={"note": "复查合格"})
    second = case_transition(second, "verify", actor=cq.group, now=at(2026, 6, 12),
                             data={"note": "复查合格"})
    assert second.state == "closed"


def test_another_county_cannot_act_on_or_see_the_finding(cq):
    insp = _inspect(cq, "2026Q2", dt.date(2026, 5, 20))
    insp = case_transition(insp, "add_finding", actor=cq.member, now=at(2026, 5, 21), data={
        "project": "甲工程", "problem": "连墙件不足"})
    rect = Rectification.objects.get(inspection=insp)
    from kmgov.procedures.errors import CaseNotFound

    with pytest.raises(CaseNotFound):
        case_transition(rect, "report", actor=cq.wuhua, now=at(2026, 5, 22), data={
            "measures": "x", "rectified_on": "2026-05-22"})
    with pytest.raises(CaseNotFound):  # 市司法局's office is not the inspection group
        case_transition(rect, "verify", actor=cq.other_city_office, data={})


def test_check_on_the_register_counts_each_quarter(cq):
    services.body_set(actor=cq.panlong, org="panlong", name="盘龙区建设工程质量安全监督站",
                      full_time_staff=6)
    for q, day in (("2026Q1", dt.date(2026, 2, 10)), ("2026Q2", dt.date(2026, 5, 10)),
                   ("2026Q3", dt.date(2026, 8, 10)), ("2026Q4", dt.date(2026, 11, 10))):
        _inspect(cq, q, day)
    body = selectors.bodies_visible(cq.panlong).get()
    d = selectors.body_check(body, year=2026, on=dt.date(2027, 1, 1))
    assert d.outputs["quarters_without_inspection"] == []
    # no monthly report filed: January–November (December's window runs to 10 January)
    assert d.outputs["months_without_report"] == [f"2026-{m:02d}" for m in range(1, 12)]
    assert d.outcome == "non_compliant"


def test_check_on_the_register_four_inspections_in_one_quarter(cq):
    services.body_set(actor=cq.panlong, org="panlong", name="盘龙区监督站", full_time_staff=4)
    for day in (dt.date(2026, 1, 10), dt.date(2026, 2, 10), dt.date(2026, 3, 10), dt.date(2026, 3, 20)):
        _inspect(cq, "2026Q1", day)
    body = selectors.bodies_visible(cq.group).get(org__code="panlong-housing")
    d = selectors.body_check(body, year=2026, on=dt.date(2027, 1, 1))
    assert d.outputs["quarters_without_inspection"] == ["2026Q2", "2026Q3", "2026Q4"]
    assert d.outputs["checks"]["staff"] is False  # 4 < 5 (四(三) 不少于5人)
