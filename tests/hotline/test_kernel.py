"""The desk on the procedures kernel (issue 8, item 7): a ticket is a case with declared,
typed steps; routing is the rule hotline.route; reply periods are 116号 interpretation
parameters read at the time of transfer; the kernel's sweep and scope apply."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from kmgov.core.calendar import TZ
from kmgov.core.services import api_token_create
from kmgov.hotline import selectors, services
from kmgov.hotline.models import Ticket, TicketStatus
from kmgov.procedures.declare import registered, steps_of
from kmgov.procedures.models import Deadline, InboxItem
from kmgov.procedures.selectors import inbox_for

pytestmark = pytest.mark.django_db


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


WED = at(2026, 11, 25, 10)


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user).key}"}


def test_the_ticket_is_a_registered_procedure_with_its_steps():
    assert registered()["hotline"] is Ticket
    steps = steps_of(Ticket)
    assert set(steps) == {"intake", "answer", "route", "transfer", "reply", "call_back",
                          "close", "reopen", "dispatch", "refuse", "merge", "finish", "extend",
                          "suspend", "resume", "reopen_to_unit", "unit_suspend", "unit_resume"}
    assert steps["reply"].input.model_fields["method"].title == "回复方式"
    assert steps["intake"].input is None


def test_consultation_is_routed_by_the_rule_to_the_topic_department(operator):
    # The rule knew 专业咨询 (116号 三(四)4), the desk's table did not: now one vocabulary.
    t = services.ticket_create(channel="phone", request_type="consultation", topic="geohazard",
                               text="滑坡隐患点的监测仪器怎么选型", actor=operator, now=WED)
    assert t.state == TicketStatus.TRANSFERRED and t.assigned_org.code == "city-land"
    assert t.events.get(kind="transferred").citation == "昆政办〔2010〕116号 三(四)4"
    assert t.org.code == "city-land"  # the case belongs to the department it was given to


def test_anonymous_web_intake_is_taken_by_the_desk_account(desk):
    t = services.ticket_create(channel="web", request_type="complaint", text="夜市噪音扰民",
                               now=WED, source_ip="10.7.7.7")
    assert t.state == TicketStatus.TRANSFERRED and t.applicant is None
    assert t.reference.startswith("RX-2026-")
    create = t.events.get(kind="created")
    assert create.actor is None  # the desk's own account is not a person in the history
    from kmgov.core.models import AuditEntry
    steps = list(AuditEntry.objects.filter(object_type="hotline.ticket", object_id=str(t.pk))
                 .order_by("id").values_list("action", "actor__username"))
    assert steps == [("hotline.create", "96128-desk"), ("hotline.intake", "96128-desk"),
                     ("hotline.route", "96128-desk")]
    # The desk account cannot log in.
    assert not Client().login(username="96128-desk", password="")


def test_reply_period_is_read_at_transfer_through_the_override(operator, admin_user):
    from kmgov.rules import invalidate_overrides
    from kmgov.rules.services import parameter_override_create

    parameter_override_create(parameter="hotline.reply_working_days.complaint", value=5,
                              effective_from=dt.date(2026, 11, 20), note="投诉提速",
                              actor=admin_user)
    invalidate_overrides()
    try:
        t = services.ticket_create(channel="phone", request_type="complaint", text="路灯不亮",
                                   actor=operator, now=WED)
    finally:
        invalidate_overrides()
    # 5 working days from Wed 25 Nov 2026: Wed 2 Dec, the period ends at its 24:00.
    assert t.due_at == at(2026, 12, 3, 0, 0)
    rows = Deadline.objects.filter(object_id=t.pk, case_reference=t.reference)
    assert {(d.kind, d.days) for d in rows} == {("reminder", 5), ("escalation", 5)}
    esc = rows.get(kind="escalation")
    assert esc.target_org.code == "city-general-office" and esc.citation.endswith("五(三)")


def test_the_kernel_sweep_fires_the_desks_deadlines_and_the_alias_counts_them(
        operator, forestry_liaison):
    t = services.ticket_create(channel="phone", request_type="query", topic="forestry",
                               text="林业局办公室周六开门吗？", actor=operator, now=WED)
    out = io.StringIO()
    call_command("procedures", "sweep", "--json", "--now", "2026-11-26T09:30:00+08:00",
                 stdout=out)
    assert json.loads(out.getvalue())["reminders"] == 1
    # The liaison's inbox has the reminder; the hotline alias finds nothing left to fire.
    assert inbox_for(forestry_liaison).filter(kind="reminder", object_id=t.pk).exists()
    assert services.tickets_sweep(now=at(2026, 11, 26, 10)) == {"reminded": 0, "escalated": 0}
    events = [e.kind for e in selectors.ticket_events(t)]
    assert events == ["created", "transferred", "reminded"]


def test_steps_through_the_kernel_api_with_typed_inputs(operator, forestry_liaison):
    t = services.ticket_create(channel="phone", request_type="query", topic="forestry",
                               text="林业局办公室周六开门吗？", actor=operator, now=WED)
    c = Client()
    url = f"/api/v1/cases/hotline/{t.reference}/steps/reply"
    liaison = _auth(forestry_liaison)
    # Unknown fields, kernel names and a bad method are refused with 422, nothing written.
    for data in ({"method": "fax", "text": "x"}, {"method": "phone", "text": "x", "now": "2001"},
                 {"method": "phone", "text": "  "}):
        r = c.post(url, data={"data": data}, content_type="application/json", **liaison)
        assert r.status_code == 422, (data, r.content)
        assert r.json()["errors"][0]["message"]
    t.refresh_from_db()
    assert t.state == TicketStatus.TRANSFERRED
    r = c.post(url, data={"data": {"method": "email", "text": "周六不开门"}},
               content_type="application/json", **liaison)
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "replied"
    t.refresh_from_db()
    assert t.reply_on_time is True and t.answer_text == "周六不开门"
    # The operator's call-back through the desk's own API keeps its JSON shape.
    r = c.post(f"/api/v1/hotline/tickets/{t.number}/close", data={"satisfaction": 6},
               content_type="application/json", **_auth(operator))
    assert r.status_code == 400 and "满意度" in json.dumps(r.json(), ensure_ascii=False)


def test_scope_departments_see_theirs_operators_all_citizens_their_own(
        operator, forestry_liaison, commerce_liaison):
    f = services.ticket_create(channel="phone", request_type="query", topic="forestry",
                               text="林业局办公室周六开门吗？", actor=operator, now=WED)
    # A department cannot open another department's ticket through the kernel either.
    r = Client().get(f"/api/v1/cases/hotline/{f.reference}", **_auth(commerce_liaison))
    assert r.status_code == 404
    assert Client().get(f"/api/v1/cases/hotline/{f.reference}",
                        **_auth(forestry_liaison)).status_code == 200
    assert set(selectors.tickets_visible(operator)) == {f}
    # A department may not take the desk's steps.
    r = Client().post(f"/api/v1/cases/hotline/{f.reference}/steps/transfer",
                      data={"data": {"to_org": "city-land"}}, content_type="application/json",
                      **_auth(forestry_liaison))
    assert r.status_code == 403


def test_close_without_call_back_needs_a_reason_and_reopen_brings_it_back(operator):
    t = services.ticket_create(channel="phone", request_type="complaint", text="重复来电：噪音",
                               actor=operator, now=WED)
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        services._step(t, "close", actor=operator, now=WED)
    t = services._step(t, "close", actor=operator, now=WED, reason="重复工单")
    assert t.state == TicketStatus.CLOSED and t.due_at is None
    assert not Deadline.objects.filter(object_id=t.pk, fired_at__isnull=True,
                                       cancelled_at__isnull=True,
                                       case_reference=t.reference).exists()
    t = services.ticket_reopen(ticket=t, actor=operator, reason="来电人补充了新情况", now=WED)
    assert t.state == TicketStatus.OPEN and t in selectors.desk_queue(operator)
    assert InboxItem.objects.filter(object_id=t.pk, case_reference=t.reference,
                                    done_at__isnull=True, role="hotline_operator").exists()


def test_after_hours_queue_is_the_initial_state_and_intake_takes_it(operator):
    t = services.ticket_create(channel="phone", request_type="approval", text="想办林木采伐证",
                               now=at(2026, 11, 28, 11))  # a Saturday
    assert t.state == TicketStatus.QUEUED and t.after_hours
    item = InboxItem.objects.get(object_id=t.pk, case_reference=t.reference)
    assert item.role == "hotline_operator" and item.done_at is None
    t = services.ticket_take(ticket=t, actor=operator, now=at(2026, 11, 30, 9, 5))
    assert t.state == TicketStatus.TRANSFERRED and t.assigned_org.code == "city-service-bureau"
    assert t.operator == operator
