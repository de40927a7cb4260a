"""Refusals of 总部企业认定: outside the window, scope (API and pages), the auditor, bad input."""

import io

import pytest
from policies.recognition_fixtures import (
    HQ_DOCS,
    HQ_INPUTS,
    PNG,
    at,
    attach,
    client_for,
    post_json,
    step,
    upload,
)

from kmgov.core.models import AuditEntry
from kmgov.policies._recognition_services import application_create
from kmgov.policies.headquarters.models import HeadquartersApplication
from kmgov.procedures.errors import WindowClosed
from kmgov.procedures.models import Attachment
from kmgov.procedures.services import case_transition

pytestmark = pytest.mark.django_db


def draft(people, when=None):
    case = application_create(HeadquartersApplication, actor=people.applicant,
                              data={"hq_type": "comprehensive", "inputs": HQ_INPUTS},
                              now=when or at(2026, 3, 10, 10))
    for key in HQ_DOCS:
        attach(case, people.applicant, key)
    return case


def test_outside_the_window_refused_saying_when_it_opens(people):
    case = draft(people, when=at(2026, 2, 20, 10))
    # 63号 附件 第十一条: 每年3月1日至31日. On 2月28日 the window opens on 3月1日 …
    with pytest.raises(WindowClosed) as exc:
        case_transition(case, "submit", actor=people.applicant, now=at(2026, 2, 28, 23, 59))
    assert "下次开放：2026年3月1日" in exc.value.message
    assert "昆政发〔2010〕63号 附件 第十一条" in exc.value.message
    # … on 4月1日 it has closed until next year.
    with pytest.raises(WindowClosed) as exc:
        case_transition(case, "submit", actor=people.applicant, now=at(2026, 4, 1, 0, 0))
    assert "下次开放：2027年3月1日" in exc.value.message and exc.value.field == "submitted_at"
    # First and last days are inside (both ends included).
    case = case_transition(case, "submit", actor=people.applicant, now=at(2026, 3, 31, 23, 59))
    assert case.state == "submitted"


def test_outside_the_window_through_the_api(people, monkeypatch):
    from django.utils import timezone

    case = draft(people)
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 4, 15, 10))
    r = step(client_for(people.applicant), "hq", case.reference, "submit")
    assert r.status_code == 400 and r.json()["code"] == "window_closed"
    assert "下次开放：2027年3月1日" in r.json()["detail"]


def test_scope_through_the_api(people, march):
    case = draft(people)
    case = case_transition(case, "submit", actor=people.applicant, now=march)
    ref = case.reference
    url = f"/api/v1/headquarters/applications/{ref}"
    # The enterprise sees its own; another enterprise and another county get 404 (not revealed).
    assert client_for(people.applicant).get(url).status_code == 200
    for outsider in (people.other_enterprise, people.wuhua_office, people.wuhua_government):
        r = client_for(outsider).get(url)
        assert r.status_code == 404 and "昆明滇池" not in r.content.decode()
        assert step(client_for(outsider), "hq", ref, "pass_to_meeting").status_code == 404
    # Lists: the county its county's, the city office and auditor all, others none.
    lst = "/api/v1/headquarters/applications"
    assert [c["reference"] for c in client_for(people.office).get(lst).json()] == [ref]
    assert client_for(people.wuhua_office).get(lst).json() == []
    assert client_for(people.other_enterprise).get(lst).json() == []
    assert [c["reference"] for c in client_for(people.city_office).get(lst).json()] == [ref]
    assert [c["reference"] for c in client_for(people.auditor).get(lst + "?county=panlong").json()] == [ref]
    assert client_for(people.auditor).get(lst + "?county=wuhua").json() == []
    # The right county but the wrong role: 403 naming who may act.
    r = step(client_for(people.government), "hq", ref, "pass_to_meeting")
    assert r.status_code == 403 and "县级领导小组办公室" in r.json()["detail"]
    # An enterprise cannot act as the office on its own case.
    assert step(client_for(people.applicant), "hq", ref, "pass_to_meeting").status_code == 403


def test_auditor_reads_everything_and_changes_nothing(people, march):
    case = case_transition(draft(people), "submit", actor=people.applicant, now=march)
    auditor = client_for(people.auditor)
    before = AuditEntry.objects.count()
    r = auditor.get(f"/api/v1/headquarters/applications/{case.reference}")
    assert r.status_code == 200 and r.json()["steps"] == []
    assert r.json()["decision"]["trace"]
    for name in ("pass_to_meeting", "reject", "withdraw"):
        assert step(auditor, "hq", case.reference, name, reason="x").status_code == 403
    r = post_json(auditor, f"/api/v1/headquarters/applications/{case.reference}",
                  {"hq_type": "comprehensive"}, method="patch")
    assert r.status_code == 403
    assert upload(auditor, "hq", case.reference, "other").status_code in (403, 409)
    r = post_json(auditor, "/api/v1/headquarters/applications",
                  {"org": "ent-dianchi", "hq_type": "comprehensive", "inputs": HQ_INPUTS})
    assert r.status_code == 403
    assert AuditEntry.objects.count() == before
    assert HeadquartersApplication.objects.get().state == "submitted"


def test_scope_through_the_pages(people, march):
    case = case_transition(draft(people), "submit", actor=people.applicant, now=march)
    url = f"/headquarters/{case.reference}/"
    assert client_for(people.office).get(url).status_code == 200
    assert client_for(people.city_office).get(url).status_code == 200
    assert client_for(people.auditor).get(url).status_code == 200
    for outsider in (people.other_enterprise, people.wuhua_office):
        r = client_for(outsider).get(url)
        assert r.status_code == 404 and "昆明滇池" not in r.content.decode()
        r = client_for(outsider).post(f"{url}step/pass_to_meeting/", {"reason": "x"})
        assert r.status_code == 404
    r = client_for(people.wuhua_office).get("/headquarters/")
    assert r.status_code == 200 and case.reference not in r.content.decode()
    assert case.reference in client_for(people.office).get("/headquarters/").content.decode()
    # The auditor sees the page but no action, and a forged POST is refused.
    page = client_for(people.auditor).get(url).content.decode()
    assert "step/pass_to_meeting" not in page
    r = client_for(people.auditor).post(f"{url}step/pass_to_meeting/", {"reason": "x"})
    assert r.status_code == 403
    assert HeadquartersApplication.objects.get().state == "submitted"
    # Anonymous: sent to log in.
    from django.test import Client
    assert Client().get(url).status_code == 302


@pytest.mark.parametrize("body, field", [
    ({"hq_type": "comprehensive", "inputs": {**HQ_INPUTS, "subsidiaries": "three"}}, "inputs.subsidiaries"),
    ({"hq_type": "comprehensive", "inputs": {**HQ_INPUTS, "revenue_share_from_subsidiaries": 1.5}},
     "inputs.revenue_share_from_subsidiaries"),
    ({"hq_type": "headquarters-of-everything", "inputs": HQ_INPUTS}, "hq_type"),
    ({"hq_type": "comprehensive", "inputs": "not an object"}, "inputs"),
    ({"hq_type": "comprehensive", "inputs": HQ_INPUTS, "bonus": 1}, "bonus"),
    ({"hq_type": "comprehensive", "inputs": {k: v for k, v in HQ_INPUTS.items() if k != "subsidiaries"}},
     "inputs.subsidiaries"),
])
def test_bad_input_refused_naming_the_field(people, march, body, field):
    r = post_json(client_for(people.applicant), "/api/v1/headquarters/applications", body)
    assert r.status_code == 400, r.json()
    assert field in r.json()["detail"], r.json()
    assert HeadquartersApplication.objects.count() == 0
    assert not AuditEntry.objects.filter(action="hq.create").exists()


def test_bad_attachments_and_meeting_data(people, march):
    case = draft(people)
    applicant = client_for(people.applicant)
    # A PNG named .pdf, an executable named .pdf, an oversize file: refused naming the file.
    r = upload(applicant, "hq", case.reference, "other", name="证明.pdf", content=PNG)
    assert r.status_code == 400 and "证明.pdf" in r.json()["detail"]
    r = upload(applicant, "hq", case.reference, "other", name="x.pdf", content=b"MZ\x90\x00" + b"\0" * 100)
    assert r.status_code == 400
    big = b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)
    r = upload(applicant, "hq", case.reference, "other", name="big.pdf", content=big)
    assert r.status_code == 400 and r.json()["field"] == "file"
    r = upload(applicant, "hq", case.reference, "bonus", name="x.pdf")
    assert r.status_code == 400 and r.json()["field"] == "key"
    assert Attachment.objects.filter(key="other").count() == 0
    case = case_transition(case, "submit", actor=people.applicant, now=march)
    case = case_transition(case, "pass_to_meeting", actor=people.office, now=march)
    sec = client_for(people.secretary)
    good = {"meeting_date": "2026-03-10", "meeting_members": ["区商务局"]}
    for data, field in [
        ({**good, "meeting_date": "2026-13-01"}, "meeting_date"),
        ({**good, "meeting_date": "2026-03-11"}, "meeting_date"),  # after today
        ({**good, "meeting_date": "2026-03-01"}, "meeting_date"),  # before it was submitted
        ({**good, "meeting_members": []}, "meeting_members"),
        ({**good, "meeting_members": "区商务局"}, "meeting_members"),
        ({**good, "cake": True}, "cake"),
    ]:
        r = step(sec, "hq", case.reference, "meeting_pass", data=data)
        # A step's input is refused with 422, the field named and a Chinese message.
        body = r.json()
        assert r.status_code == 422 and body["field"] == field, (data, body)
        assert body["code"] == "invalid_input" and body["errors"][0]["message"], body
    case.refresh_from_db()
    assert case.state == "at_meeting" and case.meeting_date is None and case.version == 2
    r = step(sec, "hq", case.reference, "meeting_pass", data=good)
    assert r.status_code == 200


def test_attachment_stored_by_content_not_name(people, march):
    case = draft(people)
    att = Attachment.objects.filter(object_id=case.pk, key="application").get()
    assert att.mime_type == "application/pdf" and att.size > 0
    assert io.BytesIO(att.file.read()).read(4) == b"%PDF"


def test_first_minutes_of_the_window_in_beijing_time(people):
    import datetime as dt

    case = draft(people, when=at(2026, 2, 20, 10))
    # 00:30 on 3月1日 in Beijing is still 2月28日 in UTC: the window and the decision use Beijing.
    utc = at(2026, 3, 1, 0, 30).astimezone(dt.UTC)
    case = case_transition(case, "submit", actor=people.applicant, now=utc)
    assert case.state == "submitted" and case.decision["as_of"] == "2026-03-01"
