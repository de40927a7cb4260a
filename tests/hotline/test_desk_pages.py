"""The console's ticket page, the department desk's ticket page and the unit picker: who may
see what, and the actions as forms (issue 13 item 4, "What it must show")."""

import datetime as dt

import pytest

from kmgov.core import calendar
from kmgov.hotline import services
from kmgov.hotline.models import KbEntry, Ticket, TicketStatus

pytestmark = pytest.mark.django_db
WED = dt.datetime(2026, 11, 25, 10, tzinfo=calendar.TZ)


@pytest.fixture
def ticket(operator):
    return services.ticket_create(channel="phone", request_type="other",
                                  text="小区旁边工地夜间施工噪音扰民", actor=operator, now=WED,
                                  route=False, caller_name="张女士", caller_phone="13800001111")


def test_unit_picker_finds_units_by_part_of_the_name_and_is_for_operators(client, operator,
                                                                         forestry_liaison):
    client.force_login(operator)
    r = client.get("/hotline/units/", {"q": "林业"})
    units = r.json()["units"]
    assert units and all("林业" in u["name"] for u in units)
    # city departments are listed before the counties' bureaus
    assert units[0]["name"] == "昆明市林业局" and units[0]["group_label"] == "市级部门"
    assert {u["group_label"] for u in units} >= {"市级部门", "县级部门"}
    client.force_login(forestry_liaison)
    assert client.get("/hotline/units/", {"q": "林业"}).status_code == 403
    client.logout()
    assert client.get("/hotline/units/", {"q": "林业"}).status_code == 302


def test_console_answers_with_an_edited_knowledge_base_answer(client, operator, ticket):
    entry = KbEntry.objects.get(key="ag-conversion-subsidy")
    client.force_login(operator)
    page = client.get(f"/hotline/console/t/{ticket.number}/", {"entry": entry.pk}).content.decode()
    assert 'id="answer-text-input"' in page and entry.answer[:20] in page  # prefilled
    r = client.post(f"/hotline/console/t/{ticket.number}/",
                    {"action": "answer", "entry_id": entry.pk, "text": "改过的答复"})
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketStatus.ANSWERED and ticket.answer_text == "改过的答复"


def test_console_dispatch_by_name_note_and_errors_in_chinese(client, operator, ticket):
    client.force_login(operator)
    url = f"/hotline/console/t/{ticket.number}/"
    r = client.post(url, {"action": "dispatch", "lead": "不存在"}, follow=True)
    assert "没有名称或代码为“不存在”的单位" in r.content.decode()
    client.post(url, {"action": "dispatch", "lead": "昆明市林业局", "supporting": ["", ""]})
    ticket.refresh_from_db()
    assert ticket.state == TicketStatus.TRANSFERRED and ticket.assigned_org.code == "city-forestry"
    client.post(url, {"action": "note", "text": "请尽快核实"})
    page = client.get(url).content.decode()
    assert "请尽快核实" in page and "剩余 10 个工作日" in page  # 11-25 → 12-09, on 11-25


def test_desk_shows_the_caller_phone_only_to_the_unit_it_was_sent_to(
        client, operator, forestry_liaison, commerce_liaison, ticket):
    services.ticket_dispatch(ticket=ticket, lead="city-forestry", actor=operator, now=WED)
    client.force_login(forestry_liaison)
    listing = client.get("/hotline/desk/").content.decode()
    assert f'href="/hotline/desk/t/{ticket.number}/"' in listing and "13800001111" in listing
    page = client.get(f"/hotline/desk/t/{ticket.number}/").content.decode()
    assert 'id="caller-phone"' in page and "13800001111" in page and 'id="reply-form"' in page
    r = client.post(f"/hotline/desk/t/{ticket.number}/",
                    {"action": "reply", "method": "phone", "text": "已责令停工"})
    assert r.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).state == TicketStatus.REPLIED
    client.force_login(commerce_liaison)
    assert client.get(f"/hotline/desk/t/{ticket.number}/").status_code == 404
    assert "13800001111" not in client.get("/hotline/desk/").content.decode()


def test_desk_filters_overdue(client, operator, forestry_liaison, ticket):
    # Dispatched on Tue 11-10: 10 working days end on 11-24, before "now" (11-25, conftest).
    services.ticket_dispatch(ticket=ticket, lead="city-forestry", actor=operator,
                             now=dt.datetime(2026, 11, 10, 10, tzinfo=calendar.TZ))
    other = services.ticket_create(channel="phone", request_type="other", text="另一件事",
                                   actor=operator, now=WED, route=False)
    services.ticket_dispatch(ticket=other, lead="city-forestry", actor=operator, now=WED)
    client.force_login(forestry_liaison)
    page = client.get("/hotline/desk/?status=overdue").content.decode()
    assert ticket.number in page and "已超期" in page and other.number not in page
    assert other.number in client.get("/hotline/desk/").content.decode()


def test_notification_settings_page(client, forestry_liaison):
    from kmgov.procedures.models import NotificationPreference

    client.force_login(forestry_liaison)
    page = client.get("/").content.decode()
    assert 'href="/notifications/settings/"' in page  # reachable from the nav
    r = client.post("/notifications/settings/", {"channels": ["inbox"], "phone": "abc"})
    assert r.status_code == 400 and "手机号应为" in r.content.decode()
    r = client.post("/notifications/settings/", {"channels": ["inbox", "sms"],
                                                 "phone": "13600006666"})
    assert r.status_code == 302
    pref = NotificationPreference.objects.get(user=forestry_liaison)
    assert (pref.inbox, pref.email, pref.sms, pref.phone) == (True, False, True, "13600006666")


def test_missed_calls_from_the_console(client, operator):
    client.force_login(operator)
    client.post("/hotline/console/missed/", {"action": "record", "phone": "13911112222"})
    page = client.get("/hotline/console/").content.decode()
    assert "13911112222" in page
    from kmgov.hotline.models import MissedCall

    call = MissedCall.objects.get()
    client.post("/hotline/console/missed/", {"action": "call_back", "call": call.pk,
                                             "outcome": "已回拨，无人接听"})
    assert MissedCall.objects.get().called_back_at is not None


def test_api_lifecycle_and_who_sees_the_callers_contact(client, operator, forestry_liaison,
                                                        commerce_liaison, ticket):
    api = "/api/v1/hotline"
    client.force_login(operator)
    r = client.post(f"{api}/tickets/{ticket.number}/dispatch",
                    {"lead": "昆明市林业局", "supporting": ["city-land"]},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["supporting_orgs"] == ["昆明市国土资源局"]
    assert r.json()["working_days_left"] == 10  # 11-25 → 12-09
    r = client.post(f"{api}/tickets/{ticket.number}/dispatch", {"lead": "火星局"},
                    content_type="application/json")
    assert r.status_code == 400 and "没有名称或代码为“火星局”的单位" in r.json()["detail"]["lead_org"][0]
    client.force_login(forestry_liaison)
    got = client.get(f"{api}/tickets/{ticket.number}").json()
    assert got["caller_phone"] == "13800001111"  # the unit sees the caller's phone
    r = client.post(f"{api}/tickets/{ticket.number}/notes", {"text": "已到现场"},
                    content_type="application/json")
    assert r.status_code == 200
    assert client.get(f"{api}/units", {"q": "林业"}).status_code == 403
    r = client.post(f"{api}/tickets/{ticket.number}/extension", {"days": 2, "reason": "待检测"},
                    content_type="application/json")
    assert r.json()["extension_days"] == 2
    client.force_login(commerce_liaison)
    assert client.get(f"{api}/tickets/{ticket.number}").status_code == 404
    r = client.post(f"{api}/tickets/{ticket.number}/notes", {"text": "x"},
                    content_type="application/json")
    assert r.status_code == 404
    client.logout()
    public = client.get(f"{api}/tickets/lookup", {"number": ticket.number,
                                                  "code": ticket.check_code}).json()
    assert public["caller_phone"] is None and public["number"] == ticket.number


def test_the_kernels_generic_case_page_offers_the_new_steps(client, operator, ticket):
    client.force_login(operator)
    r = client.get(f"/cases/hotline/{ticket.reference}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "派单" in page and "并单" in page and "supporting_orgs" in page
