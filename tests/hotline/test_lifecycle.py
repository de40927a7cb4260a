"""The ticket's lifecycle as the national 12345 guidelines describe it (issue 13 item 4) and
the desk's notifications through the outbox (item 5). Dates are worked by hand on the
working-day calendar (core/calendar.py): 2026-11-25 is a Wednesday; no holiday falls in
November or December 2026 before New Year's Day, so the working days after it are
11-26 Thu, 11-27 Fri, 11-30 Mon, 12-01 Tue, 12-02 Wed, 12-03 Thu, 12-04 Fri, 12-07 Mon,
12-08 Tue, 12-09 Wed, 12-10 Thu …"""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from kmgov.core import calendar
from kmgov.core.models import AuditEntry, OrgUnit
from kmgov.hotline import selectors, services
from kmgov.hotline.models import MissedCall, Ticket, TicketEvent, TicketStatus
from kmgov.hotline.permissions import HotlinePermissionError
from kmgov.procedures import notify
from kmgov.procedures.models import Delivery

pytestmark = pytest.mark.django_db
TZ = calendar.TZ


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


WED = at(2026, 11, 25, 10)


def last_day(t):
    return calendar.last_day_of(t.due_at)


def _other(operator, text="小区旁边工地夜间施工噪音扰民，想问问归哪个部门管", **kw):
    """A request of type `other` filed by phone and left at the desk (no routing)."""
    return services.ticket_create(channel="phone", request_type="other", text=text,
                                  actor=operator, now=WED, route=False, **kw)


@pytest.fixture
def dispatched(operator, forestry_liaison):
    t = _other(operator, caller_phone="13800001111")
    return services.ticket_dispatch(ticket=t, lead="city-forestry", actor=operator, now=WED)


# --- answer (from the knowledge base, text edited) and notes ------------------------------


def test_answer_prefilled_from_the_entry_can_be_edited_and_reaches_the_caller(
        operator, django_capture_on_commit_callbacks):
    from kmgov.hotline.models import KbEntry

    entry = KbEntry.objects.get(key="ag-conversion-subsidy")
    notify.LoggingSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        t = services.ticket_create(channel="phone", request_type="query", text="问个事",
                                   actor=operator, now=WED, route=False,
                                   caller_phone="13900002222", caller_email="caller@example.cn")
        t = services.ticket_answer(ticket=t, entry=entry, actor=operator, now=WED,
                                   text=entry.answer + " 具体以乡镇核实的面积为准。")
    assert t.state == TicketStatus.ANSWERED
    assert t.answer_text.endswith("具体以乡镇核实的面积为准。")
    assert t.events.get(kind="answered").extra["edited"] is True
    # Receipt then answer, each by e-mail and SMS (the caller has no account): four rows.
    rows = Delivery.objects.filter(notification__ref=t.number).order_by("id")
    assert [(d.channel, d.status) for d in rows] == [
        ("email", "sent"), ("sms", "sent"), ("email", "sent"), ("sms", "sent")]
    assert t.check_code in rows[0].notification.body and t.number in rows[0].notification.body
    assert rows[2].notification.body == t.answer_text
    assert [m.to for m in mail.outbox] == [["caller@example.cn"]] * 2
    assert [m["phone"] for m in notify.LoggingSmsBackend.outbox] == ["13900002222"] * 2


def test_no_contact_no_message_and_a_landline_gets_no_sms(operator):
    t = _other(operator)
    assert not Delivery.objects.filter(notification__ref=t.number).exists()
    t2 = _other(operator, caller_phone="0871-63111111")  # a landline: SMS cannot reach it
    assert not Delivery.objects.filter(notification__ref=t2.number).exists()


def test_note_by_the_desk_and_the_unit_refused_to_others(dispatched, operator, forestry_liaison,
                                                         commerce_liaison):
    ev = services.ticket_note(ticket=dispatched, text="来电人下午三点后方便接电话", actor=operator)
    assert ev.kind == TicketEvent.Kind.NOTE and ev.extra == {"internal": True}
    services.ticket_note(ticket=dispatched, text="已联系现场核实", actor=forestry_liaison)
    assert AuditEntry.objects.filter(action="hotline.note", object_id=str(dispatched.pk)).count() == 2
    with pytest.raises(HotlinePermissionError):
        services.ticket_note(ticket=dispatched, text="x", actor=commerce_liaison)
    with pytest.raises(ValidationError) as e:
        services.ticket_note(ticket=dispatched, text="  ", actor=operator)
    assert "text" in e.value.message_dict


# --- dispatch, refusal, re-dispatch --------------------------------------------------------


def test_dispatch_to_a_lead_unit_with_supporting_units(operator, forestry_liaison,
                                                       commerce_liaison):
    from kmgov.core.services import user_create

    land = user_create(username="land", roles=[("department_liaison", "city-land")])
    t = _other(operator)
    # The lead given by its full name (typed in the picker), the supporting unit by code.
    lead_name = OrgUnit.objects.get(code="city-forestry").name
    t = services.ticket_dispatch(ticket=t, lead=lead_name, supporting=["city-land"],
                                 actor=operator, now=WED, note="请会同国土部门办理")
    assert t.state == TicketStatus.TRANSFERRED and t.assigned_org.code == "city-forestry"
    assert [o.code for o in t.supporting_orgs.all()] == ["city-land"]
    # other → 10 working days (hotline.reply_working_days.other): the 10th after 11-25 is 12-09.
    assert last_day(t) == dt.date(2026, 12, 9)
    assert selectors.tickets_visible(land).filter(pk=t.pk).exists()  # 协办 reads it
    assert not selectors.tickets_visible(commerce_liaison).filter(pk=t.pk).exists()
    with pytest.raises(ValidationError) as e:
        services.ticket_dispatch(ticket=t, lead="不存在的局", actor=operator)
    assert "lead_org" in e.value.message_dict
    with pytest.raises(HotlinePermissionError):
        services.ticket_dispatch(ticket=t, lead="city-land", actor=forestry_liaison)


def test_refusal_is_reviewed_and_redispatched(dispatched, operator, forestry_liaison):
    # 11-26 is 1 working day after the dispatch: within hotline.refuse_within_working_days (1).
    t = services.ticket_refuse(ticket=dispatched, reason="噪音扰民属环保部门职责",
                               actor=forestry_liaison, now=at(2026, 11, 26, 9))
    assert t.state == TicketStatus.RETURNED and t.org.code == "city-mayors-hotline"
    ev = t.events.get(kind="returned")
    assert ev.from_org.code == "city-forestry" and ev.text == "噪音扰民属环保部门职责"
    assert t in selectors.tickets_filtered(Ticket.objects.all(), "returned")
    with pytest.raises(HotlinePermissionError):  # the unit cannot act on it any more
        services.ticket_refuse(ticket=t, reason="再退", actor=forestry_liaison)
    t = services.ticket_dispatch(ticket=t, lead="city-land", actor=operator,
                                 now=at(2026, 11, 26, 10))
    assert t.state == TicketStatus.TRANSFERRED and t.assigned_org.code == "city-land"
    last = t.events.filter(kind="transferred").last()
    assert last.extra["redispatch"] is True and last.text.startswith("改派")
    # Restarted: 10 working days from 11-26 end on 12-10.
    assert last_day(t) == dt.date(2026, 12, 10)


def test_refusal_after_the_period_is_refused(dispatched, forestry_liaison):
    # 11-27 is the 2nd working day after 11-25: past the 1-day limit.
    with pytest.raises(ValidationError) as e:
        services.ticket_refuse(ticket=dispatched, reason="不归我们", actor=forestry_liaison,
                               now=at(2026, 11, 27, 9))
    assert "1 个工作日" in e.value.message_dict["reason_text"][0]
    assert Ticket.objects.get(pk=dispatched.pk).state == TicketStatus.TRANSFERRED


# --- merge ----------------------------------------------------------------------------------


def test_merge_closes_the_duplicate_and_tells_its_caller(operator, dispatched,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dup = _other(operator, text="工地晚上施工太吵", caller_email="dup@example.cn")
        dup = services.ticket_merge(ticket=dup, master_number=dispatched.number, actor=operator)
    assert dup.state == TicketStatus.CLOSED and dup.merged_into == dispatched
    assert dispatched.number in dup.result
    subjects = list(Delivery.objects.filter(notification__ref=dup.number)
                    .values_list("notification__subject", flat=True))
    assert subjects == [f"96128 已受理您的诉求（工单号 {dup.number}）",
                        f"96128 工单已合并办理（工单号 {dup.number}）"]
    with pytest.raises(ValidationError) as e:
        services.ticket_merge(ticket=_other(operator), master_number=dup.number, actor=operator)
    assert dispatched.number in e.value.message_dict["master"][0]  # points to the real master


# --- close, call-back, dissatisfaction reopens ----------------------------------------------


def _replied(t, liaison, now):
    return services.reply_record(ticket=t, method="phone", text="已责令工地22时后停止施工",
                                 actor=liaison, now=now)


def test_close_with_result_then_dissatisfied_call_back_reopens_to_the_unit(
        dispatched, operator, forestry_liaison, django_capture_on_commit_callbacks):
    t = _replied(dispatched, forestry_liaison, at(2026, 11, 27, 10))
    with django_capture_on_commit_callbacks(execute=True):
        t = services.ticket_finish(ticket=t, result="经林业局现场核查，工地已停止夜间施工。",
                                   actor=operator, now=at(2026, 11, 27, 11))
    assert t.state == TicketStatus.CLOSED and t.result.startswith("经林业局")
    sms = Delivery.objects.get(notification__ref=t.number, channel="sms",
                               notification__subject__contains="已办结")
    assert sms.address == "13800001111" and sms.status == "sent"
    # The call-back is due within hotline.callback_working_days (3): 11-30, 12-01, 12-02.
    assert last_day(t) == dt.date(2026, 12, 2)
    t = services.ticket_call_back(ticket=t, satisfaction=2, note="晚上仍有噪音", actor=operator,
                                  now=at(2026, 11, 30, 10))
    # 不满意 → back to the lead unit, a fresh 10 working days from 11-30: 12-14.
    assert t.state == TicketStatus.TRANSFERRED and t.org.code == "city-forestry"
    assert t.satisfaction == 2 and t.satisfaction_label() == "不满意"
    assert last_day(t) == dt.date(2026, 12, 14)
    assert t.events.filter(kind="reopened").last().text == "回访不满意：晚上仍有噪音"


def test_satisfied_call_back_stays_closed_and_cannot_be_repeated(dispatched, operator,
                                                                forestry_liaison):
    t = _replied(dispatched, forestry_liaison, at(2026, 11, 27, 10))
    t = services.ticket_finish(ticket=t, result="已处理", actor=operator, now=at(2026, 11, 27, 11))
    t = services.ticket_call_back(ticket=t, satisfaction=3, actor=operator,
                                  now=at(2026, 11, 30, 10))
    assert t.state == TicketStatus.CLOSED and t.satisfaction_label() == "基本满意"
    assert t.due_at is None  # the call-back deadline was cancelled
    with pytest.raises(ValidationError):
        services.ticket_call_back(ticket=t, satisfaction=5, actor=operator)


def test_desk_answer_rated_very_dissatisfied_goes_back_to_the_desk(operator):
    from kmgov.hotline.models import KbEntry

    t = _other(operator)
    t = services.ticket_answer(ticket=t, entry=KbEntry.objects.get(key="ag-conversion-subsidy"),
                               actor=operator, now=WED)
    t = services.ticket_call_back(ticket=t, satisfaction=1, actor=operator, now=WED)
    assert t.state == TicketStatus.OPEN


# --- deadlines: extension and pause ---------------------------------------------------------


def test_extension_requested_by_the_unit_and_approved_by_the_desk(dispatched, operator,
                                                                  forestry_liaison):
    assert last_day(dispatched) == dt.date(2026, 12, 9)
    with pytest.raises(ValidationError) as e:  # hotline.extension_max_working_days is 10
        services.ticket_extension_request(ticket=dispatched, days=11, reason="需要检测",
                                          actor=forestry_liaison)
    assert "days" in e.value.message_dict
    t = services.ticket_extension_request(ticket=dispatched, days=3, reason="需委托噪声检测",
                                          actor=forestry_liaison, now=at(2026, 12, 1, 10))
    assert t.extension_days == 3
    assert t in selectors.tickets_filtered(Ticket.objects.all(), "extension")
    with pytest.raises(HotlinePermissionError):
        services.ticket_extension_decide(ticket=t, approve=True, actor=forestry_liaison)
    t = services.ticket_extension_decide(ticket=t, approve=True, actor=operator,
                                         now=at(2026, 12, 1, 11))
    # On 12-01, 6 working days were left (12-02 … 12-09); plus 3 → 12-10, 12-11, 12-14.
    assert last_day(t) == dt.date(2026, 12, 14)
    assert t.extension_days is None and t.events.get(kind="extended").extra["days"] == 3


def test_pause_while_waiting_for_the_caller_and_resume(dispatched, operator):
    # Suspended on 12-01 with 6 working days left; resumed on 12-07 (Mon): 6 more → 12-15.
    t = services.ticket_suspend(ticket=dispatched, note="请来电人提供施工地点门牌号",
                                actor=operator, now=at(2026, 12, 1, 10))
    assert t.state == TicketStatus.SUSPENDED and t.due_at is None and t.period_days == 6
    t = services.ticket_resume(ticket=t, actor=operator, note="已补充", now=at(2026, 12, 7, 10))
    assert t.state == TicketStatus.TRANSFERRED
    assert last_day(t) == dt.date(2026, 12, 15)


def test_remaining_working_days_and_overdue(dispatched):
    assert dispatched.working_days_left(at(2026, 12, 8, 10)) == 1
    assert dispatched.working_days_left(at(2026, 12, 9, 10)) == 0
    assert dispatched.working_days_left(at(2026, 12, 11, 10)) == -2  # 12-10, 12-11


# --- missed calls and the caller's history --------------------------------------------------


def test_missed_calls_are_listed_until_called_back(operator, forestry_liaison):
    call = services.missed_call_record(phone="138 0000 3333", actor=operator)
    assert call.phone == "13800003333"
    assert list(selectors.missed_calls_open(operator)) == [call]
    assert not selectors.missed_calls_open(forestry_liaison).exists()
    with pytest.raises(HotlinePermissionError):
        services.missed_call_record(phone="13800003333", actor=forestry_liaison)
    services.missed_call_call_back(call=call, outcome="已回拨，来电人咨询公积金", actor=operator)
    assert not selectors.missed_calls_open(operator).exists()
    assert MissedCall.objects.get().called_back_by == operator


def test_caller_history_lists_earlier_tickets_of_the_same_phone(operator, forestry_liaison):
    a = _other(operator, caller_phone="13700004444")
    b = _other(operator, caller_phone="13700004444", text="又来问施工噪音的事")
    _other(operator, caller_phone="13700005555")
    assert list(selectors.caller_history(operator, b)) == [a]
    # A department sees only the history it may read.
    assert list(selectors.caller_history(forestry_liaison, b)) == []


# --- officials' reminders through the outbox; preferences -----------------------------------


def test_reminder_and_escalation_reach_the_liaison_through_the_outbox(
        dispatched, forestry_liaison, django_capture_on_commit_callbacks):
    notify.preference_set(forestry_liaison, channels=["inbox", "email"],
                          email_address="lin@example.cn", phone="13600006666")
    with django_capture_on_commit_callbacks(execute=True):
        # Reminder at 09:00 of 12-08 (1 working day before the last day 12-09).
        counts = services.tickets_sweep(now=at(2026, 12, 8, 9, 30))
    assert counts == {"reminded": 1, "escalated": 0}
    rows = Delivery.objects.filter(notification__ref=dispatched.reference,
                                   notification__source="hotline")
    # SMS switched off by the liaison: inbox and e-mail only, to the address they set.
    assert sorted((d.channel, d.address) for d in rows) == [("email", "lin@example.cn"),
                                                           ("inbox", "")]
    assert "催办" in rows[0].notification.subject
    assert mail.outbox[-1].to == ["lin@example.cn"]


def test_preferences_are_checked_and_audited(forestry_liaison, commerce_liaison):
    from kmgov.procedures.errors import ProcedureError

    with pytest.raises(ProcedureError) as e:
        notify.preference_set(forestry_liaison, channels=["inbox", "fax"])
    assert e.value.field == "channels"
    with pytest.raises(ProcedureError):
        notify.preference_set(forestry_liaison, channels=["inbox"], actor=commerce_liaison)
    with pytest.raises(ProcedureError) as e:
        notify.preference_set(forestry_liaison, channels=["email"], email_address="not-mail")
    assert e.value.field == "email_address"
    notify.preference_set(forestry_liaison, channels=["sms"], phone="13600006666")
    assert AuditEntry.objects.filter(action="notification.preference").count() == 1


def test_step_is_also_in_the_api(client, operator, forestry_liaison):
    t = _other(operator)
    client.force_login(operator)
    r = client.post(f"/api/v1/cases/hotline/{t.reference}/steps/dispatch",
                    {"data": {"lead_org": "city-forestry", "supporting_orgs": ["city-land"]}},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    t.refresh_from_db()
    assert t.state == TicketStatus.TRANSFERRED and t.supporting_orgs.count() == 1
    client.force_login(forestry_liaison)
    r = client.post(f"/api/v1/cases/hotline/{t.reference}/steps/dispatch",
                    {"data": {"lead_org": "city-land"}}, content_type="application/json")
    assert r.status_code in (403, 404)


def test_demo_accounts_and_tickets_exercise_the_lifecycle(desk):
    import io

    from kmgov.core.scope import has_role
    from kmgov.hotline import demo
    from kmgov.hotline.models import MissedCall

    demo.contribute(io.StringIO())
    demo.contribute(io.StringIO())  # idempotent
    from django.contrib.auth import get_user_model

    User = get_user_model()
    assert has_role(User.objects.get(username="demo-96128-hwy"), "hotline_operator")
    assert has_role(User.objects.get(username="demo-shi-lyj-lly"), "department_liaison")
    states = sorted(Ticket.objects.filter(text__endswith=demo.MARK).values_list("state", flat=True))
    assert states == sorted(["answered", "transferred", "returned", "replied", "closed", "closed",
                             "transferred", "suspended"])
    assert Ticket.objects.filter(extension_days=3).count() == 1
    assert Ticket.objects.exclude(merged_into=None).count() == 1
    assert MissedCall.objects.filter(called_back_at=None).count() == 1
