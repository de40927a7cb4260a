"""The kernel's transitions, on the sample procedure: every path, refusals, audit, inbox."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from procedures.helpers import at

from kmgov.core.calendar import end_of_day, last_day_of
from kmgov.core.models import AuditEntry, Role
from kmgov.core.services import user_create
from kmgov.procedures.errors import (
    CaseNotFound,
    ConditionUnmet,
    StateChanged,
    TransitionDenied,
    TransitionNotAvailable,
    WindowClosed,
)
from kmgov.procedures.models import Deadline, InboxItem
from kmgov.procedures.selectors import case_history, inbox_for, steps_available
from kmgov.procedures.services import case_create, case_transition

pytestmark = pytest.mark.django_db

MARCH = at(2026, 3, 10, 10)  # a Tuesday inside the sample window (3月1日至31日)


def transitions_of(case):
    return [(e.action, e.from_state, e.to_state, e.actor.username if e.actor else None, e.reason)
            for e in case_history(case) if e.from_state != e.to_state or not e.from_state]


def test_submit_then_approve(people, new_case):
    case = new_case()
    assert case.reference == "YL-2026-00001" and case.state == "draft"
    case = case_transition(case, "submit", actor=people.applicant, now=MARCH)
    assert case.state == "submitted" and case.submitted_at == MARCH and case.version == 1
    case = case_transition(case, "approve", actor=people.office, reason="材料齐全", now=MARCH,
                           approved_amount="80")
    assert case.state == "approved" and case.approved_amount == Decimal("80")
    assert transitions_of(case) == [
        ("sample.create", "", "draft", "qiye", ""),
        ("sample.submit", "draft", "submitted", "qiye", ""),
        ("sample.approve", "submitted", "approved", "panlong-ban", "材料齐全"),
    ]


def test_return_for_changes_then_resubmit_then_reject(people, new_case):
    case = new_case()
    case = case_transition(case, "submit", actor=people.applicant, now=MARCH)
    with pytest.raises(ConditionUnmet, match="须填写理由"):
        case_transition(case, "return_for_changes", actor=people.office, now=MARCH)
    case = case_transition(case, "return_for_changes", actor=people.office,
                           reason="请补充财务报表", now=MARCH)
    assert case.state == "returned"
    # The applicant now has it in their inbox; the office no longer.
    assert [i.what for i in inbox_for(people.applicant)] == ["按审核意见修改后重新提交"]
    assert not inbox_for(people.office).exists()
    case = case_transition(case, "submit", actor=people.applicant, now=MARCH)
    case = case_transition(case, "reject", actor=people.office, reason="不符合条件", now=MARCH)
    assert case.state == "rejected"
    assert [t[0] for t in transitions_of(case)] == [
        "sample.create", "sample.submit", "sample.return_for_changes", "sample.submit",
        "sample.reject"]
    assert all(e.actor is not None and e.at for e in case_history(case))
    # Nothing is awaited of anyone once the case is decided.
    assert not InboxItem.objects.filter(case_reference=case.reference, done_at__isnull=True)
    assert not Deadline.objects.filter(case_reference=case.reference, fired_at__isnull=True,
                                       cancelled_at__isnull=True)


@pytest.mark.parametrize("first", ["draft", "submitted", "returned"])
def test_withdraw_from_each_open_state(people, new_case, first):
    case = new_case()
    if first in ("submitted", "returned"):
        case = case_transition(case, "submit", actor=people.applicant, now=MARCH)
    if first == "returned":
        case = case_transition(case, "return_for_changes", actor=people.office, reason="补正",
                               now=MARCH)
    case = case_transition(case, "withdraw", actor=people.applicant, reason="不再申请", now=MARCH)
    assert case.state == "withdrawn"
    last = case_history(case).last()
    assert (last.from_state, last.to_state, last.reason) == (first, "withdrawn", "不再申请")
    with pytest.raises(TransitionNotAvailable, match="已撤回"):
        case_transition(case, "submit", actor=people.applicant, now=MARCH)


def test_role_refusal(people, new_case):
    case = case_transition(new_case(), "submit", actor=people.applicant, now=MARCH)
    # The applicant cannot approve their own application; the county government is not the
    # office; the city office sees the case (it is held at the city) but is not the county's.
    for who in (people.applicant, people.government, people.city_office):
        with pytest.raises(TransitionDenied, match="须由县级领导小组办公室办理"):
            case_transition(case, "approve", actor=who, now=MARCH)
    # An official cannot submit on the applicant's behalf.
    draft = new_case()
    with pytest.raises(TransitionDenied, match="须由申请人办理"):
        case_transition(draft, "submit", actor=people.office, now=MARCH)
    # Read-only: the auditor sees the case and may do nothing.
    with pytest.raises(TransitionDenied):
        case_transition(case, "approve", actor=people.auditor, now=MARCH)
    assert steps_available(case, people.auditor) == []
    case.refresh_from_db()
    assert case.state == "submitted"


def test_scope_refusal_other_county_is_not_found(people, new_case):
    case = case_transition(new_case(), "submit", actor=people.applicant, now=MARCH)
    with pytest.raises(CaseNotFound, match="无权查看"):
        case_transition(case, "approve", actor=people.wuhua_office, now=MARCH)
    with pytest.raises(CaseNotFound):
        case_transition(case, "withdraw", actor=people.other_enterprise, now=MARCH)
    # A city department's role reaches its own department only, but the procedure lets it
    # record filings wherever the case is (SCOPE_ANY): it sees the case, may not approve it.
    with pytest.raises(TransitionDenied, match="须由县级领导小组办公室办理"):
        case_transition(case, "approve", actor=people.city_department, now=MARCH)
    assert {s.name for s in steps_available(case, people.office)} == {
        "approve", "reject", "return_for_changes"}
    assert not inbox_for(people.wuhua_office).exists()


def test_window_refusal_says_when_it_opens(people, new_case):
    case = new_case()
    with pytest.raises(WindowClosed) as exc:
        case_transition(case, "submit", actor=people.applicant, now=at(2026, 4, 1, 0, 0))
    assert str(exc.value) == ("申报期为每年3月1日至31日，当前不在申报期内，下次开放：2027年3月1日"
                              "（昆政发〔2010〕63号 附件 第十一条）")
    with pytest.raises(WindowClosed, match="下次开放：2026年3月1日"):
        case_transition(case, "submit", actor=people.applicant, now=at(2026, 2, 28, 23, 59))
    # Both ends of the window are open, in Beijing time (31 Mar 23:59 CST = 15:59 UTC).
    case_transition(case, "submit", actor=people.applicant,
                    now=dt.datetime(2026, 3, 31, 15, 59, tzinfo=dt.UTC))
    assert AuditEntry.objects.filter(action="sample.submit").count() == 1


def test_missing_document_refused_with_its_name(people, new_case):
    case = new_case(with_licence=False)
    with pytest.raises(ConditionUnmet, match="尚未上传必备材料：营业执照复印件"):
        case_transition(case, "submit", actor=people.applicant, now=MARCH)


def test_bad_step_data_is_refused_and_nothing_is_written(people, new_case):
    case = case_transition(new_case(), "submit", actor=people.applicant, now=MARCH)
    entries = AuditEntry.objects.count()
    items = list(InboxItem.objects.values_list("id", "done_at"))
    with pytest.raises(ValidationError, match="核定金额须大于0且不超过申请金额"):
        case_transition(case, "approve", actor=people.office, approved_amount="1000", now=MARCH)
    case.refresh_from_db()
    assert case.state == "submitted" and case.version == 1 and case.approved_amount is None
    assert AuditEntry.objects.count() == entries
    assert list(InboxItem.objects.values_list("id", "done_at")) == items


def test_stale_state_is_refused_sequentially(people, new_case):
    """The same refusal the threads get on PostgreSQL, in sequence (any database)."""
    case = case_transition(new_case(), "submit", actor=people.applicant, now=MARCH)
    from procedures.sample.models import SampleApplication

    first = SampleApplication.objects.get(pk=case.pk)
    second = SampleApplication.objects.get(pk=case.pk)
    case_transition(first, "approve", actor=people.office, now=MARCH)
    with pytest.raises(StateChanged, match="状态已变更为“已批准”.*请刷新后重试"):
        case_transition(second, "reject", actor=people.office2, reason="x", now=MARCH)
    with pytest.raises(StateChanged):
        case_transition(second, "approve", actor=people.office2, expected_state="submitted",
                        now=MARCH)
    assert AuditEntry.objects.filter(object_id=str(case.pk), action__in=[
        "sample.approve", "sample.reject"]).count() == 1


def test_unknown_step(people, new_case):
    with pytest.raises(TransitionNotAvailable, match="没有“pay”这一操作"):
        case_transition(new_case(), "pay", actor=people.office, now=MARCH)


def test_inbox_follows_the_case(people, new_case):
    case = new_case()
    assert [i.what for i in inbox_for(people.applicant)] == ["填写并提交申报"]
    case = case_transition(case, "submit", actor=people.applicant, now=MARCH)
    assert not inbox_for(people.applicant).exists()
    office_items = list(inbox_for(people.office))
    assert [(i.what, i.case_reference, i.role_org.code) for i in office_items] == [
        ("审核申报", case.reference, "panlong")]
    # Every holder of the role at the county sees it; the other county does not.
    assert inbox_for(people.office2).count() == 1
    assert not inbox_for(people.wuhua_office).exists()
    assert office_items[0].due_at == case.due_at
    case_transition(case, "approve", actor=people.office2, now=MARCH)
    assert not inbox_for(people.office).exists()
    done = inbox_for(people.office, include_done=True).get()
    assert done.done_by == people.office2 and done.done_at == MARCH


def test_deadline_counted_in_working_days_across_qingming(people, new_case):
    # Submitted Wed 25 Mar 2026; 15 working days skip Mon 6 Apr (清明节 4–6 Apr): 16 Apr.
    when = at(2026, 3, 25, 15)
    case = case_transition(new_case(when=when), "submit", actor=people.applicant, now=when)
    assert case.due_at == end_of_day(dt.date(2026, 4, 16)) == at(2026, 4, 17)
    rows = {d.kind: d for d in Deadline.objects.filter(case_reference=case.reference)}
    assert rows["escalation"].due_at == at(2026, 4, 17)
    assert rows["escalation"].target_role == "county_government"
    assert rows["escalation"].target_org.code == "panlong"
    # Reminder 3 working days before the last day, at office opening.
    assert rows["reminder"].due_at == at(2026, 4, 13, 9, 0)
    assert rows["reminder"].target_role == "county_office"
    assert "15个工作日" in rows["reminder"].message and "2026年4月16日" in rows["reminder"].message


def test_a_failure_after_the_step_rolls_back_state_and_audit(people, new_case, monkeypatch):
    """One transaction: if the inbox cannot be written, neither is the state nor the audit."""
    import kmgov.procedures.services as services

    case = new_case()
    entries = AuditEntry.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("inbox store down")

    monkeypatch.setattr(services, "_open_items", broken)
    with pytest.raises(RuntimeError):
        case_transition(case, "submit", actor=people.applicant, now=MARCH)
    case.refresh_from_db()
    assert case.state == "draft" and case.version == 0 and case.submitted_at is None
    assert AuditEntry.objects.count() == entries
    assert not Deadline.objects.exists()
    assert InboxItem.objects.filter(done_at__isnull=True).count() == 1  # still awaiting submit


def test_audit_entry_is_written_in_the_same_transaction(people, new_case):
    case = case_transition(new_case(), "submit", actor=people.applicant, reason="首次申报",
                           now=MARCH)
    entry = AuditEntry.objects.get(action="sample.submit")
    assert (entry.object_type, entry.object_id, entry.org.code) == (
        "sample.sampleapplication", str(case.pk), "ent-dianchi")
    assert (entry.from_state, entry.to_state, entry.reason, entry.actor) == (
        "draft", "submitted", "首次申报", people.applicant)
    assert entry.extra["step"] == "提交申报" and entry.extra["version"] == 1


def test_unscoped_step_city_department_records_any_countys_filing(people, new_case):
    case = case_transition(new_case(), "submit", actor=people.applicant, now=MARCH)
    with pytest.raises(TransitionNotAvailable):
        case_transition(case, "record_filing", actor=people.city_department, now=MARCH)
    case = case_transition(case, "approve", actor=people.office, now=MARCH)
    [item] = inbox_for(people.city_department)
    assert (item.what, item.role_org.code) == ("备案", "city-commerce")
    # The county office cannot record the filing; the city department can.
    with pytest.raises(TransitionDenied, match="须由市级部门办理"):
        case_transition(case, "record_filing", actor=people.office, now=MARCH)
    case = case_transition(case, "record_filing", actor=people.city_department, now=MARCH)
    assert case.state == "filed"
    assert not inbox_for(people.city_department).exists()


def test_calendar_deadline_beyond_the_holiday_data_is_not_moved(people, new_case):
    case = case_transition(new_case(), "submit", actor=people.applicant, now=MARCH)
    # 10 calendar days from Wed 26 Dec 2029 end on Sat 5 Jan 2030: past the three years after
    # the last notice on file (2026) that are counted provisionally, so the rest days of 2030
    # are unknown and the last day is left where it falls instead of being moved to Monday.
    case = case_transition(case, "return_for_changes", actor=people.office, reason="补正",
                           now=at(2029, 12, 26, 10))
    assert case.state == "returned"
    assert last_day_of(case.due_at) == dt.date(2030, 1, 5)


def test_unscoped_role_opens_a_case_anywhere_others_do_not(people):
    # A role with a SCOPE_ANY step (the city department's `record_filing`) works on the
    # procedure's cases in every county, so it may also open one there; a county office of
    # another county may not, nor the auditor (read-only).
    from procedures.sample.models import SampleApplication

    case = case_create(SampleApplication, actor=people.city_department, org=people.enterprise_org,
                       amount=Decimal("1.00"))
    assert case.org == people.enterprise_org and case.state == "draft"
    # A role held at the fixed unit a step names (`city_review`, at city-commerce) as well.
    reviewer = user_create(username="shi-shangwu-ban", roles=[(Role.CITY_OFFICE, "city-commerce")])
    case = case_create(SampleApplication, actor=reviewer, org=people.enterprise_org,
                       amount=Decimal("1.00"))
    assert case.applicant == reviewer
    elsewhere = user_create(username="shi-sifa-ban", roles=[(Role.CITY_OFFICE, "city-justice")])
    for outsider in (people.wuhua_office, people.auditor, elsewhere):
        with pytest.raises(TransitionDenied):
            case_create(SampleApplication, actor=outsider, org=people.enterprise_org,
                        amount=Decimal("1.00"))
