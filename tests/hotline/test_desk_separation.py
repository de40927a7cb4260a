"""Separation of duties at the 96128 desk (issue 15 item 1). The desk's routine steps decide
nothing (the operator who recorded a call goes on handling it); two steps decide on a unit's
request: the desk's approval of an extension (116号 五(三): 承办单位申请延期，话务平台审核同意)
is not given by the one who asked for it, and the review of a 退单 (三(四)4: 说明理由退回话务平台
审核) is not made by the one who refused the dispatch. Through the API: 403, the reason named,
nothing changed. A superuser without a desk role takes neither."""

import datetime as dt
import json

import pytest
from django.test import Client

from kmgov.core import calendar
from kmgov.core.services import user_create
from kmgov.hotline import services
from kmgov.hotline.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db
WED = dt.datetime(2026, 11, 25, 10, tzinfo=calendar.TZ)
API = "/api/v1/hotline"


def _post(user, path, body):
    c = Client()
    c.force_login(user)
    return c.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def both(desk):
    """One person at the desk who is also 市林业局's liaison (the rule must hold for them)."""
    return user_create(username="op-lin", roles=[("hotline_operator", "city-mayors-hotline"),
                                                 ("department_liaison", "city-forestry")])


@pytest.fixture
def dispatched(operator):
    t = services.ticket_create(channel="phone", request_type="other", actor=operator, now=WED,
                               text="林地旁有人夜间砍伐树木", route=False)
    return services.ticket_dispatch(ticket=t, lead="city-forestry", actor=operator, now=WED)


def test_the_requester_of_an_extension_cannot_approve_it(dispatched, both, operator):
    r = _post(both, f"{API}/tickets/{dispatched.number}/extension",
              {"days": 3, "reason": "需会同乡镇现场核查"})
    assert r.status_code == 200 and r.json()["extension_days"] == 3, r.content
    due = Ticket.objects.get(pk=dispatched.pk).due_at
    r = _post(both, f"{API}/tickets/{dispatched.number}/extension/decision", {"approve": True})
    assert r.status_code == 403, r.content
    body = r.json()
    assert body["code"] == "separation_of_duties"
    assert "申请延期" in body["detail"] and "批准延期" in body["detail"], body
    t = Ticket.objects.get(pk=dispatched.pk)
    assert (t.extension_days, t.due_at, t.state) == (3, due, TicketStatus.TRANSFERRED)
    # the generic case API refuses it the same way
    r = _post(both, f"/api/v1/cases/hotline/{t.reference}/steps/extend",
              {"data": {"days": 3}, "expected_state": t.state})
    assert r.status_code == 403 and r.json()["code"] == "separation_of_duties", r.content
    # another operator approves: 3 working days added to what was left
    r = _post(operator, f"{API}/tickets/{dispatched.number}/extension/decision", {"approve": True})
    assert r.status_code == 200 and r.json()["extension_days"] is None, r.content
    assert Ticket.objects.get(pk=dispatched.pk).due_at > due


def test_the_one_who_refused_a_dispatch_does_not_review_the_refusal(dispatched, both, operator):
    # 11-26 is 1 working day after the dispatch: within hotline.refuse_within_working_days (1)
    t = services.ticket_refuse(ticket=dispatched, reason="属国土资源部门职责", actor=both,
                               now=WED + dt.timedelta(days=1))
    assert t.state == TicketStatus.RETURNED
    for path, body in ((f"{API}/tickets/{t.number}/dispatch", {"lead": "city-land"}),
                       (f"/api/v1/cases/hotline/{t.reference}/steps/close",
                        {"reason": "不再办理", "expected_state": t.state})):
        r = _post(both, path, body)
        assert r.status_code == 403, (path, r.content)
        assert r.json()["code"] == "separation_of_duties" and "退单" in r.json()["detail"]
        assert Ticket.objects.get(pk=t.pk).state == TicketStatus.RETURNED
    # another operator reviews it and re-dispatches (改派)
    r = _post(operator, f"{API}/tickets/{t.number}/dispatch", {"lead": "city-land"})
    assert r.status_code == 200 and r.json()["status"] == TicketStatus.TRANSFERRED, r.content


def test_the_desks_routine_steps_stay_with_the_operator_who_recorded_the_call(operator):
    """The operator who created the ticket dispatches it and finishes it: not decisions."""
    t = services.ticket_create(channel="phone", request_type="other", actor=operator, now=WED,
                               text="咨询林木采伐许可", route=False)
    t = services.ticket_dispatch(ticket=t, lead="city-forestry", actor=operator, now=WED)
    assert t.state == TicketStatus.TRANSFERRED


def test_a_superuser_without_a_desk_role_decides_nothing(dispatched, forestry_liaison):
    boss = user_create(username="root", is_superuser=True)
    services.ticket_extension_request(ticket=dispatched, days=2, reason="待检测",
                                      actor=forestry_liaison)
    r = _post(boss, f"{API}/tickets/{dispatched.number}/extension/decision", {"approve": True})
    assert r.status_code == 403, r.content
    r = _post(boss, f"/api/v1/cases/hotline/{dispatched.reference}/steps/extend",
              {"data": {"days": 2}, "expected_state": dispatched.state})
    assert r.status_code in (403, 404), r.content
    assert Ticket.objects.get(pk=dispatched.pk).extension_days == 2
