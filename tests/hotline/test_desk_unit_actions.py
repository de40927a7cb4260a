"""The desk's remaining gaps (issue 13 item 4, session 5 "desk2"): the lead unit (主办) pauses
and resumes while waiting for the caller; the unit's reply carries files, which the desk and
the lead unit download, nobody else does, and the caller only when the unit marks them; the
caller's earlier tickets beside the ticket.

Dates are worked by hand on the working-day calendar (core/calendar.py): 2026-11-25 is a
Wednesday and no holiday falls between it and New Year's Day, so the working days after it
are 11-26 Thu, 11-27 Fri, 11-30 Mon, 12-01 Tue, 12-02 Wed, 12-03 Thu, 12-04 Fri, 12-07 Mon,
12-08 Tue, 12-09 Wed, 12-10 Thu, 12-11 Fri, 12-14 Mon, 12-15 Tue …"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kmgov.core import calendar
from kmgov.core.models import AuditEntry
from kmgov.core.services import api_token_create, user_create
from kmgov.hotline import services
from kmgov.hotline.models import Ticket, TicketEvent, TicketStatus
from kmgov.hotline.permissions import HotlinePermissionError
from kmgov.procedures.models import Attachment

pytestmark = pytest.mark.django_db
TZ = calendar.TZ
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


WED = at(2026, 11, 25, 10)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files(settings):
    media = settings.MEDIA_ROOT
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def citizen(desk):
    return user_create(username="zhang", password="pw-zhang-secret", roles=[],
                       display_name="张女士")


@pytest.fixture
def land_liaison(desk):
    return user_create(username="tudi", password="pw-tudi-secret",
                       roles=[("department_liaison", "city-land")], display_name="国土联络员")


@pytest.fixture
def dispatched(operator, forestry_liaison, commerce_liaison, citizen):
    """Filed on the web by a logged-in citizen on Wed 11-25, dispatched to 市林业局 (主办) with
    市商务局 (协办): 10 working days (116号 interpretation `hotline.reply_working_days.other`),
    last day 12-09."""
    t = services.ticket_create(channel="web", request_type="other", text="林地旁边的苗圃夜间施工扰民",
                               actor=citizen, now=WED, route=False, caller_phone="13800002222")
    t = services.ticket_dispatch(ticket=t, lead="city-forestry", supporting=["city-commerce"],
                                 actor=operator, now=WED)
    assert calendar.last_day_of(t.due_at) == dt.date(2026, 12, 9)
    return t


# --- 1. the lead unit pauses while waiting for the caller ----------------------------------


def test_the_lead_unit_pauses_and_resumes_and_the_deadline_moves_by_the_paused_days(
        dispatched, forestry_liaison, operator, client):
    # Paused on Mon 11-30: left 12-01 … 12-09 = 7 working days (116号 三(二), the desk's clock).
    t = services.ticket_unit_suspend(ticket=dispatched, note="等待来电人补充施工地点和时间",
                                     actor=forestry_liaison, now=at(2026, 11, 30, 10))
    assert t.state == TicketStatus.SUSPENDED and t.due_at is None and t.period_days == 7
    ev = t.events.get(kind=TicketEvent.Kind.SUSPENDED)
    assert ev.extra["by_unit"] is True and ev.from_org.code == "city-forestry"
    assert AuditEntry.objects.filter(action="hotline.unit_suspend", object_id=str(t.pk)).exists()
    # The desk sees it: state, who paused and why.
    client.force_login(operator)
    page = client.get(f"/hotline/console/t/{t.number}/").content.decode()
    assert "挂起，待来电人补充" in page and "等待来电人补充施工地点和时间" in page
    assert "昆明市林业局" in page
    # Resumed on Thu 12-03: 7 working days after it → 12-04, 07, 08, 09, 10, 11, 14.
    t = services.ticket_unit_resume(ticket=t, actor=forestry_liaison, note="来电人已补充地址",
                                    now=at(2026, 12, 3, 10))
    assert t.state == TicketStatus.TRANSFERRED
    assert calendar.last_day_of(t.due_at) == dt.date(2026, 12, 14)
    assert AuditEntry.objects.filter(action="hotline.unit_resume", object_id=str(t.pk)).exists()


def test_pause_and_resume_on_the_desk_page_of_the_lead_unit(dispatched, forestry_liaison, client):
    client.force_login(forestry_liaison)
    url = f"/hotline/desk/t/{dispatched.number}/"
    page = client.get(url).content.decode()
    assert 'id="suspend-form"' in page and 'for="suspend-note"' in page
    r = client.post(url, {"action": "suspend", "note": ""}, follow=True)
    assert "挂起原因" in r.content.decode()  # the field is named in the refusal
    assert Ticket.objects.get(pk=dispatched.pk).state == TicketStatus.TRANSFERRED
    client.post(url, {"action": "suspend", "note": "等待来电人补充材料"})
    assert Ticket.objects.get(pk=dispatched.pk).state == TicketStatus.SUSPENDED
    page = client.get(url).content.decode()
    assert 'id="resume-form"' in page and 'id="suspend-form"' not in page
    client.post(url, {"action": "resume", "note": "已补充"})
    assert Ticket.objects.get(pk=dispatched.pk).state == TicketStatus.TRANSFERRED


def test_a_supporting_unit_or_another_unit_cannot_pause(
        dispatched, commerce_liaison, land_liaison, client):
    # 协办 reads the ticket but may not stop its clock: 403 from the service …
    with pytest.raises(HotlinePermissionError):
        services.ticket_unit_suspend(ticket=dispatched, note="等待", actor=commerce_liaison)
    # … the page shows no pause form and refuses the post …
    client.force_login(commerce_liaison)
    url = f"/hotline/desk/t/{dispatched.number}/"
    assert 'id="suspend-form"' not in client.get(url).content.decode()
    r = client.post(url, {"action": "suspend", "note": "等待"}, follow=True)
    assert "只有主办单位可以挂起或恢复本工单" in r.content.decode()
    # … and the kernel's step refuses it (its roles do not reach the lead unit's case).
    r = Client().post(f"/api/v1/cases/hotline/{dispatched.reference}/steps/unit_suspend",
                      data={"data": {"note": "等待"}}, content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=commerce_liaison).key}")
    assert r.status_code in (403, 404)
    # Another unit does not even see the ticket.
    client.force_login(land_liaison)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "suspend", "note": "等待"}).status_code == 404
    assert Ticket.objects.get(pk=dispatched.pk).state == TicketStatus.TRANSFERRED


def test_the_unit_does_not_resume_what_the_desk_paused(dispatched, operator, forestry_liaison):
    t = services.ticket_suspend(ticket=dispatched, note="话务员等待来电人回电", actor=operator,
                                now=at(2026, 11, 30, 10))
    with pytest.raises(ValidationError) as e:
        services.ticket_unit_resume(ticket=t, actor=forestry_liaison, now=at(2026, 12, 1, 10))
    assert "由话务平台恢复办理" in str(e.value)
    assert Ticket.objects.get(pk=t.pk).state == TicketStatus.SUSPENDED


# --- 2. the reply's attachments -------------------------------------------------------------


def _reply(client, t, *, for_caller=False, name="现场核查.pdf", data=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    post = {"action": "reply", "method": "email", "text": "已现场核查，责令夜间停工",
            "attachments": [SimpleUploadedFile(name, data, content_type="application/pdf")]}
    if for_caller:
        post["for_caller"] = "1"
    return client.post(f"/hotline/desk/t/{t.number}/", post, follow=True)


def test_reply_with_a_file_listed_and_downloaded_by_the_desk_and_the_lead_unit_only(
        dispatched, forestry_liaison, commerce_liaison, land_liaison, operator, citizen, client,
        settings):
    client.force_login(forestry_liaison)
    page = client.get(f"/hotline/desk/t/{dispatched.number}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'for="reply-files"' in page
    _reply(client, dispatched)
    t = Ticket.objects.get(pk=dispatched.pk)
    assert t.state == TicketStatus.REPLIED
    a = Attachment.objects.get(object_id=t.pk, key="reply")
    assert a.original_name == "现场核查.pdf" and a.mime_type == "application/pdf"
    assert t.events.get(kind="replied").extra["attachments"] == [a.pk]
    url = f"/cases/hotline/{t.reference}/attachments/{a.pk}/"
    # listed in the history for the lead unit and the desk, with the download link
    for who, page_url in ((forestry_liaison, f"/hotline/desk/t/{t.number}/"),
                          (operator, f"/hotline/console/t/{t.number}/")):
        client.force_login(who)
        page = client.get(page_url).content.decode()
        assert "现场核查.pdf" in page and f'href="{url}"' in page
        r = client.get(url)
        assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
        assert "attachment" in r["Content-Disposition"]
    # 协办 sees the name, not the file; another unit nothing; the public nothing
    client.force_login(commerce_liaison)
    page = client.get(f"/hotline/desk/t/{t.number}/").content.decode()
    assert "现场核查.pdf" in page and f'href="{url}"' not in page
    assert client.get(url).status_code == 404
    client.force_login(land_liaison)
    assert client.get(url).status_code == 404
    client.force_login(citizen)  # the caller who filed it, logged in: not marked for the caller
    assert client.get(url).status_code == 404
    r = client.get(f"/api/v1/cases/hotline/{t.reference}")
    assert r.status_code == 200 and r.json()["attachments"] == []
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    follow = client.get("/hotline/", {"number": t.number, "code": t.check_code}).content.decode()
    assert 'id="follow-up"' in follow and "现场核查.pdf" not in follow
    assert client.get(f"/hotline/t/{t.number}/files/{a.pk}/",
                      {"code": t.check_code}).status_code == 404


def test_a_file_marked_for_the_caller_is_on_the_follow_up_page_with_the_check_code(
        dispatched, forestry_liaison, client):
    client.force_login(forestry_liaison)
    _reply(client, dispatched, for_caller=True, name="告知书.pdf")
    t = Ticket.objects.get(pk=dispatched.pk)
    a = Attachment.objects.get(object_id=t.pk, key="reply")
    client.logout()
    follow = client.get("/hotline/", {"number": t.number, "code": t.check_code}).content.decode()
    assert 'id="caller-files"' in follow and "告知书.pdf" in follow
    r = client.get(f"/hotline/t/{t.number}/files/{a.pk}/", {"code": t.check_code})
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    wrong = "0" * 8 if t.check_code != "0" * 8 else "1" * 8
    assert client.get(f"/hotline/t/{t.number}/files/{a.pk}/", {"code": wrong}).status_code == 404


@pytest.mark.parametrize("name,data,why", [
    ("大文件.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "超过大小上限 2 MB"),
    ("伪装.pdf", b"MZ\x90\x00" + b"\x00" * 200, "不是可接受的类型"),
])
def test_a_refused_file_leaves_nothing_written(dispatched, forestry_liaison, client, settings,
                                               name, data, why):
    client.force_login(forestry_liaison)
    before = AuditEntry.objects.count()
    r = _reply(client, dispatched, name=name, data=data)
    assert why in r.content.decode()
    t = Ticket.objects.get(pk=dispatched.pk)
    assert t.state == TicketStatus.TRANSFERRED and not t.events.filter(kind="replied").exists()
    assert not Attachment.objects.filter(object_id=t.pk, key="reply").exists()
    assert stored_files(settings) == [] and AuditEntry.objects.count() == before
    # what the unit typed is kept for the next try (the page the refusal redirects to)
    assert ">已现场核查，责令夜间停工</textarea>" in r.content.decode()


def test_a_refused_reply_removes_the_files_already_stored(dispatched, forestry_liaison, settings):
    with pytest.raises(ValidationError):
        services.reply_record(ticket=dispatched, method="fax", text="已办", actor=forestry_liaison,
                              attachments=[("a.pdf", "application/pdf", PDF)])
    assert stored_files(settings) == []
    assert not Attachment.objects.filter(object_id=dispatched.pk).exists()


def test_a_supporting_unit_cannot_add_a_reply_file_through_the_kernel(
        dispatched, commerce_liaison, citizen):
    from kmgov.procedures.errors import ProcedureError
    from kmgov.procedures.services import attachment_add

    for who in (commerce_liaison, citizen):
        with pytest.raises(ProcedureError):
            attachment_add(dispatched, key="reply", file=__import__("io").BytesIO(PDF),
                           name="x.pdf", actor=who)
    assert not Attachment.objects.filter(object_id=dispatched.pk).exists()


# --- 3. the caller's history beside the ticket --------------------------------------------


def test_the_callers_earlier_tickets_are_links_in_the_side_column(
        dispatched, operator, forestry_liaison, client):
    earlier = services.ticket_create(channel="phone", request_type="query", text="苗圃补贴怎么申请",
                                     actor=operator, now=at(2026, 11, 20, 10), route=False,
                                     caller_phone="13800002222")
    client.force_login(operator)
    page = client.get(f"/hotline/console/t/{dispatched.number}/").content.decode()
    side = page[page.index('class="govuk-grid-column-one-third kmgov-caller-history"'):]
    assert f'href="/hotline/console/t/{earlier.number}/"' in side
    assert 'class="govuk-grid-column-two-thirds' in page
    # the unit sees only the earlier tickets it may read (not the desk's own)
    client.force_login(forestry_liaison)
    page = client.get(f"/hotline/desk/t/{dispatched.number}/").content.decode()
    assert 'id="caller-history"' in page and earlier.number not in page
    assert "该号码没有其他工单" in page
