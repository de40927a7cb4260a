"""The 96128 intake writes the same rows, and answers with the same ticket, however few
statements it takes (issue 14 item 2): what one API intake leaves in the database — ticket,
history events, audit entries, inbox items, notifications and deliveries — and its answer
against the same ticket read back. Run on SQLite and on PostgreSQL."""

import datetime as dt

import pytest
from django.test import Client

from kmgov.core.models import AuditEntry, OrgUnit
from kmgov.hotline.models import DESK_ORG, Ticket
from kmgov.procedures.models import Delivery, InboxItem, Notification

pytestmark = pytest.mark.django_db


def _post(operator, text, request_type, **extra):
    from kmgov.core.services import api_token_create

    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=operator).key}"}
    c = Client()
    r = c.post("/api/v1/hotline/tickets", data={"channel": "phone", "request_type": request_type,
                                                "text": text, **extra},
               content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    return c, auth, r.json()


@pytest.mark.parametrize("text, request_type, status", [
    ("路灯坏了", "complaint", "transferred"),
    ("林业局办公室周六开门吗", "query", "open"),
    ("低产林改造一亩补助多少", "query", "answered"),
])
def test_the_intakes_answer_is_the_ticket_as_read_back(operator, text, request_type, status):
    """The answer is built from the events the intake has just written (not read back): it is
    the ticket as any later read gives it, event for event, check code aside."""
    c, auth, made = _post(operator, text, request_type, caller_phone="13800138000")
    assert made["status"] == status
    again = c.get(f"/api/v1/hotline/tickets/{made['number']}", **auth)
    assert again.status_code == 200
    made.pop("check_code")
    again = again.json()
    # the history exactly as read back; the ticket's own moments are those of the request
    # (`now` here is in Beijing time, see conftest), the same instants as read back
    events = made.pop("events")
    assert events == again.pop("events")
    assert events[0]["kind"] == "created" and len(events) == {"open": 1}.get(status, 2)
    for key in ("received_at", "handle_from", "due_at"):
        assert _instant(made.pop(key)) == _instant(again.pop(key)), key
    assert made == again


def _instant(text):
    return None if text is None else dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _rows(t: Ticket) -> dict:
    """What one intake wrote, without ids, numbers and moments."""
    t = Ticket.objects.get(pk=t.pk)
    notes = Notification.objects.filter(ref=t.number).order_by("id")
    return {
        "ticket": (t.state, t.org.code, t.assigned_org.code if t.assigned_org else None,
                   t.topic.code if t.topic else None, t.operator.username, t.caller_phone,
                   t.answer_entry.key if t.answer_entry else None, t.due_at is not None),
        "events": [(e.kind, e.actor.username if e.actor else None,
                    e.from_org.code if e.from_org else None, e.to_org.code if e.to_org else None,
                    e.citation, sorted(e.extra)) for e in t.events.order_by("id")],
        "audit": [(a.action, a.actor.username if a.actor else None,
                   a.org.code if a.org else None, a.from_state, a.to_state)
                  for a in AuditEntry.objects.filter(
                      object_id__in=[str(t.pk)] + [str(n.pk) for n in notes]).order_by("id")
                  if a.object_type in ("hotline.ticket", "procedures.notification")],
        "inbox": [(i.kind, i.role, i.org.code if i.org else None, i.case_state,
                   i.done_at is not None) for i in InboxItem.objects.filter(
                       object_id=t.pk, case_reference=t.reference).order_by("id")],
        "deliveries": [(d.notification.subject.split("（")[0], d.channel, d.address, d.status)
                       for d in Delivery.objects.filter(notification__in=notes).order_by("id")],
    }


def test_the_rows_of_a_transferred_intake(operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _c, _auth, made = _post(operator, "路灯坏了", "complaint", caller_phone="13800138000")
    t = Ticket.objects.get(number=made["number"])
    rows = _rows(t)
    assert rows == EXPECTED_TRANSFERRED


def test_the_rows_of_an_answered_intake(operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _c, _auth, made = _post(operator, "低产林改造一亩补助多少", "query",
                                caller_phone="13800138000")
    t = Ticket.objects.get(number=made["number"])
    rows = _rows(t)
    assert rows == EXPECTED_ANSWERED


def test_the_desk_unit_is_the_same_row_whoever_files(operator, desk):
    """The case is created at the desk's unit: taken from the operator's own assignment when
    they work there, read by its code for a citizen's web intake (the desk's account)."""
    from kmgov.hotline import services

    desk_org = OrgUnit.objects.get(code=DESK_ORG)
    by_operator = services.ticket_create(channel="phone", request_type="complaint",
                                         text="路灯坏了", actor=operator)
    by_web = services.ticket_create(channel="web", request_type="complaint", text="路灯坏了",
                                    source_ip="192.0.2.7")
    for t in (by_operator, by_web):
        created = AuditEntry.objects.get(object_type="hotline.ticket", object_id=str(t.pk),
                                         action="hotline.create")
        assert created.org_id == desk_org.pk
        assert Ticket.objects.get(pk=t.pk).events.first().kind == "created"


# As `main` wrote them before session 7 (this file run against main's exported src/).
HOT = "city-mayors-hotline"  # the desk's unit, and 12345 where complaints go
EXPECTED_TRANSFERRED = {
    "ticket": ("transferred", HOT, HOT, None, "op1", "13800138000", None, True),
    "events": [("created", "op1", None, None, "", ["channel", "request_type"]),
               ("transferred", "op1", None, HOT, "昆政办〔2010〕116号 三(四)3",
                ["contact", "destination", "due_at", "platform_type", "rule"])],
    "audit": [("hotline.create", "op1", HOT, "", "queued"),
              ("notification.send", "op1", HOT, "", ""),
              ("hotline.intake", "op1", HOT, "queued", "open"),
              ("hotline.route", "op1", HOT, "open", "transferred")],
    "inbox": [("action", "hotline_operator", HOT, "queued", True),
              ("action", "hotline_operator", HOT, "open", True),
              ("action", "department_liaison", HOT, "transferred", False)],
    "deliveries": [("96128 已受理您的诉求", "sms", "13800138000", "sent")],
}
EXPECTED_ANSWERED = {
    "ticket": ("answered", HOT, None, "forestry", "op1", "13800138000", "fo-subsidy", False),
    "events": [("created", "op1", None, None, "", ["channel", "request_type"]),
               ("answered", "op1", None, None, "昆政办〔2010〕116号 三(四)1",
                ["authorised_by", "edited", "entry", "entry_version"])],
    "audit": [("hotline.create", "op1", HOT, "", "queued"),
              ("notification.send", "op1", HOT, "", ""),
              ("hotline.intake", "op1", HOT, "queued", "open"),
              ("notification.send", "op1", HOT, "", ""),
              ("hotline.answer", "op1", HOT, "open", "answered")],
    "inbox": [("action", "hotline_operator", HOT, "queued", True),
              ("action", "hotline_operator", HOT, "open", True),
              ("action", "hotline_operator", HOT, "answered", False)],
    "deliveries": [("96128 已受理您的诉求", "sms", "13800138000", "sent"),
                   ("96128 答复", "sms", "13800138000", "sent")],
}
