"""Knowledge-base governance (issue 13 item 4; 116号 三(四)1 the departments' FAQ authorisation
table, 三(五) "由各级各部门对涉及本部门相关职能职责等信息数据及时修改、删除、增加相关信息"): drafted by
staff, approved by the entry's department (never by the author), every edit a version with
its differences, the public answered only with the approved current version, reminders
before the validity ends (kernel outbox), expired and withdrawn entries not served."""

import datetime as dt
import importlib
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from kmgov.core.models import AuditEntry, OrgUnit
from kmgov.hotline import kb, services
from kmgov.hotline.models import KbEntry, KbEntryVersion, VersionStatus
from kmgov.hotline.permissions import HotlinePermissionError

pytestmark = pytest.mark.django_db


def _draft(actor, **kw):
    fields = dict(org=OrgUnit.objects.get(code="city-forestry"), question="松茸采摘季节林区能进吗",
                  answer="林区松茸季节开放，凭村委会证明进山。", valid_from="2026-01-01",
                  valid_to="2026-12-31")
    fields.update(kw)
    return services.kb_draft_create(actor=actor, **fields)


def _served(question, on=dt.date(2026, 11, 25)):
    return [a.key for a in kb.answers(question, on=on, include_nodes=False)]


def test_seeded_entries_are_approved_version_1(desk):
    assert KbEntry.objects.count() == KbEntryVersion.objects.count()
    assert not KbEntry.objects.exclude(version=1).exists()
    assert set(KbEntryVersion.objects.values_list("number", "status")) == {
        (1, VersionStatus.APPROVED)}


def test_migration_makes_existing_entries_approved_version_1(desk):
    from django.apps import apps

    mig = importlib.import_module("kmgov.hotline.migrations.0004_kb_versions_approval")
    e = KbEntry.objects.get(key="fo-subsidy")
    KbEntryVersion.objects.all().delete()
    KbEntry.objects.filter(pk=e.pk).update(version=3)
    mig.existing_entries_as_approved_version_1(apps, None)
    v = KbEntryVersion.objects.get(entry=e)
    assert (v.number, v.status, v.answer, v.valid_to) == (1, "approved", e.answer, e.valid_to)
    e.refresh_from_db()
    assert e.version == 1


def test_draft_is_served_only_after_another_person_of_the_department_approves(
        forestry_liaison, forestry_official, commerce_liaison, admin_user):
    v = _draft(forestry_liaison)
    entry = v.entry
    assert entry.status == "draft" and v.status == VersionStatus.PENDING
    assert entry.key not in _served("松茸采摘林区")
    # separation of duties: not the author; not another department; not a superuser as such
    with pytest.raises(HotlinePermissionError, match="职责分离"):
        services.kb_version_approve(version=v, actor=forestry_liaison)
    with pytest.raises(HotlinePermissionError):
        services.kb_version_approve(version=v, actor=commerce_liaison)
    with pytest.raises(HotlinePermissionError):
        services.kb_version_approve(version=v, actor=admin_user)
    services.kb_version_approve(version=v, actor=forestry_official, note="内容准确")
    entry.refresh_from_db()
    assert (entry.status, entry.version) == ("active", 1)
    assert entry.authorised_by == "市林业局 林业局科员"
    assert _served("松茸采摘林区")[0] == entry.key
    actions = list(AuditEntry.objects.filter(object_id=str(entry.pk)).values_list(
        "action", flat=True))
    assert "hotline.entry.draft" in actions and "hotline.entry.approve" in actions


def test_an_edit_is_a_new_version_served_only_once_approved(forestry_liaison,
                                                             forestry_official, operator):
    e = KbEntry.objects.get(key="fo-subsidy")
    old_answer = e.answer
    v2 = services.kb_draft_edit(entry=e, actor=operator, note="补充拨付时间",
                                answer=old_answer + "验收合格后30日内拨付。")
    assert v2.number == 2
    with pytest.raises(ValidationError):  # one draft at a time
        services.kb_draft_edit(entry=e, actor=forestry_liaison, answer="另一稿")
    hits = kb.answers("低产林改造补助", include_nodes=False)
    assert next(h for h in hits if h.key == "fo-subsidy").text == old_answer
    services.kb_version_approve(version=v2, actor=forestry_liaison)
    hits = kb.answers("低产林改造补助", include_nodes=False)
    assert next(h for h in hits if h.key == "fo-subsidy").text.endswith("验收合格后30日内拨付。")
    e.refresh_from_db()
    assert e.version == 2
    assert dict(e.versions.values_list("number", "status")) == {
        1: VersionStatus.SUPERSEDED, 2: VersionStatus.APPROVED}


def test_a_draft_sent_back_needs_a_reason_and_changes_nothing(forestry_liaison,
                                                              forestry_official):
    e = KbEntry.objects.get(key="fo-subsidy")
    v2 = services.kb_draft_edit(entry=e, actor=forestry_liaison, answer="改错了")
    with pytest.raises(ValidationError):
        services.kb_version_reject(version=v2, actor=forestry_official, reason="  ")
    services.kb_version_reject(version=v2, actor=forestry_official, reason="金额与文件不符")
    v2.refresh_from_db()
    assert v2.status == VersionStatus.REJECTED and v2.decision_note == "金额与文件不符"
    e.refresh_from_db()
    assert e.answer != "改错了" and e.version == 1


def test_reminder_before_the_validity_ends_then_expired_and_not_served(
        forestry_liaison, forestry_official):
    from kmgov.procedures.models import Delivery, Notification

    v = _draft(forestry_liaison, valid_to="2026-12-20")
    services.kb_version_approve(version=v, actor=forestry_official)
    # 2026-11-25 is 25 days before 12-20: inside hotline.kb_expiry_remind_days (30)
    out = services.kb_expiry_sweep(today=dt.date(2026, 11, 25))
    assert out["reminded"] >= 1
    note = Notification.objects.get(source="hotline.kb_expiry", ref=v.entry.key)
    assert "2026-12-20" in note.subject and "25天" in note.body
    users = set(Delivery.objects.filter(notification=note).values_list("user__username",
                                                                       flat=True))
    assert {"lin", "linguan"} <= users  # the department's liaison and official
    # once per end date
    services.kb_expiry_sweep(today=dt.date(2026, 11, 26))
    assert Notification.objects.filter(source="hotline.kb_expiry", ref=v.entry.key).count() == 1
    # the day after the end: expired, no longer answered with
    assert v.entry.key in _served("松茸采摘林区", on=dt.date(2026, 12, 20))
    out = services.kb_expiry_sweep(today=dt.date(2026, 12, 21))
    assert out["expired"] >= 1
    v.entry.refresh_from_db()
    assert v.entry.status == "expired"
    assert v.entry.key not in _served("松茸采摘林区", on=dt.date(2026, 12, 20))


def test_kb_expiry_command(desk):
    out = StringIO()
    call_command("hotline", "kb-expiry", "--json", stdout=out)
    assert json.loads(out.getvalue())["remind_days"] == 30


def test_withdrawn_entry_is_not_served_and_its_draft_closed(forestry_liaison,
                                                           forestry_official):
    e = KbEntry.objects.get(key="fo-subsidy")
    services.kb_draft_edit(entry=e, actor=forestry_liaison, answer="新稿")
    services.kb_entry_withdraw(entry=e, actor=forestry_official, reason="政策调整")
    assert "fo-subsidy" not in _served("低产林改造补助")
    assert not e.versions.filter(status=VersionStatus.PENDING).exists()


def test_pages_draft_approve_and_history_with_differences(forestry_liaison, forestry_official):
    c = Client()
    c.force_login(forestry_liaison)
    r = c.post("/hotline/kb/new/", {"org": "city-forestry", "question": "林区防火期进山要带什么？",
                                     "answer": "带入山证明。", "valid_from": "2026-01-01",
                                     "valid_to": ""})
    assert r.status_code == 302
    entry = KbEntry.objects.get(question="林区防火期进山要带什么？")
    page = c.get(f"/hotline/kb/{entry.key}/").content.decode()
    assert "待部门审批" in page and "审批通过并发布" not in page  # the author cannot approve
    o = Client()
    o.force_login(forestry_official)
    assert "林区防火期进山要带什么？" in o.get("/hotline/kb/").content.decode()
    v1 = entry.versions.get(number=1)
    r = o.post(f"/hotline/kb/{entry.key}/", {"action": "approve", "version": v1.pk})
    assert r.status_code == 302
    r = c.post(f"/hotline/kb/{entry.key}/", {
        "action": "edit", "question": "林区防火期进山要带什么？", "answer": "带入山证明和身份证。",
        "valid_from": "2026-01-01", "valid_to": "2026-12-31", "note": "加身份证"})
    assert r.status_code == 302
    page = o.get(f"/hotline/kb/{entry.key}/").content.decode()
    assert "<ins>和身份证</ins>" in page and "<ins>2026-12-31</ins>" in page
    assert "审批通过并发布" in page
    # Chinese, field-named error; nothing lost
    r = c.post("/hotline/kb/new/", {"org": "city-forestry", "question": "", "answer": "答",
                                     "valid_from": "2026-01-01"})
    assert r.status_code == 400 and "请填写问题" in r.content.decode()


def test_pages_refuse_outsiders(desk, commerce_liaison, forestry_liaison):
    from kmgov.core.services import user_create

    assert Client().get("/hotline/kb/").status_code == 302  # to the login page
    citizen = user_create(username="citizen", password="pw-citizen-secret")
    c = Client()
    c.force_login(citizen)
    assert c.get("/hotline/kb/").status_code == 403
    c.force_login(commerce_liaison)
    assert c.get("/hotline/kb/fo-subsidy/").status_code == 404  # another department's entry
    assert c.post("/hotline/kb/new/", {"org": "city-forestry", "question": "问", "answer": "答",
                                       "valid_from": "2026-01-01"}).status_code == 400
    assert not KbEntry.objects.filter(question="问").exists()


def test_api_versions_approve_and_refusals(forestry_liaison, forestry_official,
                                           commerce_liaison):
    from kmgov.core.services import api_token_create

    def auth(u):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=u).key}"}

    c = Client()
    own = KbEntry.objects.get(key="fo-subsidy")
    r = c.patch(f"/api/v1/hotline/entries/{own.pk}", data={"answer": "新的答案。"},
                content_type="application/json", **auth(forestry_liaison))
    assert r.status_code == 200 and r.json()["version"] == 1
    url = f"/api/v1/hotline/entries/{own.pk}/versions/2/approve"
    assert c.post(url, data={}, content_type="application/json",
                  **auth(forestry_liaison)).status_code == 403  # its author
    assert c.post(url, data={}, content_type="application/json",
                  **auth(commerce_liaison)).status_code == 404  # another department's entry
    r = c.post(url, data={"note": "同意"}, content_type="application/json",
               **auth(forestry_official))
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["answer"] == "新的答案。"
    versions = c.get(f"/api/v1/hotline/entries/{own.pk}/versions",
                     **auth(forestry_official)).json()
    assert [(v["number"], v["status"]) for v in versions] == [(2, "approved"), (1, "superseded")]
