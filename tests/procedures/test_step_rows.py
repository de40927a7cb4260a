"""The rows a case step writes, column by column (issue 14 item 6): the step's fixed writes are
sent as one unit (`core.writes`; on PostgreSQL one statement), and must be exactly the rows the
ORM wrote one statement at a time before — the audit entry, the inbox items closed and opened,
the deadlines cancelled and scheduled, the case's columns. The expected rows below were taken
from the kernel as it was before the unit (main at c893023), on both databases."""

import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from procedures.helpers import at

from kmgov.core.models import AuditEntry, OrgUnit
from kmgov.procedures.models import Deadline, InboxItem
from kmgov.procedures.services import case_transition

pytestmark = pytest.mark.django_db

T = [at(2026, 3, 10, 10), at(2026, 3, 11, 10), at(2026, 3, 12, 10), at(2026, 3, 13, 10),
     at(2026, 3, 16, 10)]


def _when(value):
    """A moment as the index of the step that wrote it (`T`), or its ISO text if another."""
    if value is None:
        return None
    return T.index(value) if value in T else value.isoformat()


def _names():
    from django.contrib.auth import get_user_model

    users = dict(get_user_model().objects.values_list("pk", "username"))
    orgs = dict(OrgUnit.objects.values_list("pk", "code"))
    cts = {ct.pk: ct.model for ct in ContentType.objects.all()}
    return users, orgs, cts


def _rows(case):
    users, orgs, cts = _names()
    audit = [
        (_when(e.at), e.action, users.get(e.actor_id), e.object_type, e.object_id == str(case.pk),
         orgs.get(e.org_id), e.from_state, e.to_state, e.reason,
         json.dumps(e.extra, ensure_ascii=False, sort_keys=True), e.seq, e.chain_hash)
        for e in AuditEntry.objects.filter(object_id=str(case.pk), object_type=case._meta.label_lower)
        .order_by("id")]
    items = [
        (cts[i.content_type_id], i.object_id == case.pk, i.case_reference == case.reference,
         i.kind, i.procedure, i.case_title, i.case_state, orgs[i.org_id], users.get(i.user_id),
         i.role, orgs.get(i.role_org_id), i.what, _when(i.due_at), _when(i.created_at),
         _when(i.done_at),
         users.get(i.done_by_id))
        for i in InboxItem.objects.filter(object_id=case.pk).order_by("id")]
    deadlines = [
        (cts[d.content_type_id], d.object_id == case.pk, d.case_reference == case.reference,
         d.kind, d.state, d.step, _when(d.due_at), _when(d.period_ends_at), d.days, d.count,
         users.get(d.target_user_id), d.target_role, orgs.get(d.target_org_id), d.message,
         d.citation, _when(d.created_at), _when(d.fired_at), _when(d.cancelled_at))
        for d in Deadline.objects.filter(object_id=case.pk).order_by("id")]
    return audit, items, deadlines


def _post(client, case, step, body):
    r = client.post(f"/api/v1/cases/sample/{case.reference}/steps/{step}", json.dumps(body),
                    content_type="application/json")
    assert r.status_code == 200, r.content
    return r.json()


def test_a_route_of_steps_writes_the_rows_it_wrote_before(people, new_case, monkeypatch):
    from django.utils import timezone

    clock = [T[0]]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    case = new_case()
    created = type(case).objects.get(pk=case.pk)
    # in process, the case read under the lock
    case = case_transition(case, "submit", actor=people.applicant, now=T[0])
    office, city = Client(), Client()
    office.force_login(people.office)
    city.force_login(people.city_department)
    # through the API: the case read once, locked, and stepped on as read (`held`)
    clock[0] = T[1]
    _post(office, case, "return_for_changes", {"reason": "请补正营业执照"})
    clock[0] = T[2]
    case = case_transition(type(case).objects.get(pk=case.pk), "submit", actor=people.applicant,
                           now=T[2])
    clock[0] = T[3]
    answer = _post(office, case, "approve", {"data": {"approved_amount": "80.00"}})
    clock[0] = T[4]
    _post(city, case, "record_filing", {})

    case.refresh_from_db()
    assert (case.state, case.version, case.approved_amount, case.due_at, case.title) == (
        "filed", 5, Decimal("80.00"), None, created.title)
    assert case.state_changed_at == T[4] and case.submitted_at == T[2]
    assert case.updated_at == T[4] and case.created_at == created.created_at == T[0]
    assert answer["state"] == "approved" and answer["version"] == 4

    audit, items, deadlines = _rows(case)
    assert audit == EXPECTED_AUDIT
    assert items == EXPECTED_ITEMS
    assert deadlines == EXPECTED_DEADLINES


# (at: the step's index in T; action; actor; object type; the case; unit; from; to; reason; extra;
#  seq; chain hash)
# (case type; the case; its reference; kind; procedure; title; state; unit; user; role; role's
#  unit; what; due; created: step; done: step; done by)
# (case type; the case; its reference; kind; state; step; due; period ends; days; count; user;
#  role; unit; message; citation; created: step; fired; cancelled: step)
EXPECTED_AUDIT = [(0, 'sample.create', 'qiye', 'sample.sampleapplication', True, 'ent-dianchi', '', 'draft', '',
                   '{"reference": "YL-2026-00001"}', None, ''),
                  (0, 'sample.attachment_add', 'qiye', 'sample.sampleapplication', True, 'ent-dianchi', 'draft',
                   'draft', '',
                   '{"key": "licence", "name": "licence.pdf", "sha256": '
                   '"5a838678058f6de375e8635b5f2fea47a4e5f07cb1a882a44b10f39abc6f34ff", "size": 45, "type": '
                   '"pdf"}',
                   None, ''),
                  (0, 'sample.submit', 'qiye', 'sample.sampleapplication', True, 'ent-dianchi', 'draft',
                   'submitted', '', '{"data": {}, "step": "提交申报", "version": 1}', None, ''),
                  (1, 'sample.return_for_changes', 'panlong-ban', 'sample.sampleapplication', True,
                   'ent-dianchi', 'submitted', 'returned', '请补正营业执照',
                   '{"data": {}, "step": "退回修改", "version": 2}', None, ''),
                  (2, 'sample.submit', 'qiye', 'sample.sampleapplication', True, 'ent-dianchi', 'returned',
                   'submitted', '', '{"data": {}, "step": "提交申报", "version": 3}', None, ''),
                  (3, 'sample.approve', 'panlong-ban', 'sample.sampleapplication', True, 'ent-dianchi',
                   'submitted', 'approved', '',
                   '{"data": {"approved_amount": "80.00"}, "step": "审核通过", "version": 4}', None, ''),
                  (4, 'sample.record_filing', 'shi-shangwu', 'sample.sampleapplication', True, 'ent-dianchi',
                   'approved', 'filed', '', '{"data": {}, "step": "备案", "version": 5}', None, '')]
EXPECTED_ITEMS = [('sampleapplication', True, True, 'action', 'sample', '样例申报', 'draft', 'ent-dianchi', 'qiye',
                   '', None, '填写并提交申报', None, 0, 0, 'qiye'),
                  ('sampleapplication', True, True, 'action', 'sample', '样例申报', 'submitted', 'ent-dianchi',
                   None, 'county_office', 'panlong', '审核申报', '2026-03-31T16:00:00+00:00', 0, 1, 'panlong-ban'),
                  ('sampleapplication', True, True, 'action', 'sample', '样例申报', 'returned', 'ent-dianchi',
                   'qiye', '', None, '按审核意见修改后重新提交', '2026-03-23T16:00:00+00:00', 1, 2, 'qiye'),
                  ('sampleapplication', True, True, 'action', 'sample', '样例申报', 'submitted', 'ent-dianchi',
                   None, 'county_office', 'panlong', '审核申报', '2026-04-02T16:00:00+00:00', 2, 3, 'panlong-ban'),
                  ('sampleapplication', True, True, 'action', 'sample', '样例申报', 'approved', 'ent-dianchi', None,
                   'city_department', 'city-commerce', '备案', None, 3, 4, 'shi-shangwu')]
EXPECTED_DEADLINES = [('sampleapplication', True, True, 'reminder', 'submitted', 'submit',
                       '2026-03-26T01:00:00+00:00', '2026-03-31T16:00:00+00:00', 15, 'working', None,
                       'county_office', 'panlong', '提醒：样例申报“YL-2026-00001”审核期限为15个工作日，将于2026年3月31日届满',
                       '样例：受理后15个工作日内审核', 0, None, 1),
                      ('sampleapplication', True, True, 'escalation', 'submitted', 'submit',
                       '2026-03-31T16:00:00+00:00', '2026-03-31T16:00:00+00:00', 15, 'working', None,
                       'county_government', 'panlong', '逾期：样例申报“YL-2026-00001”审核期限15个工作日已于2026年3月31日届满，尚未办理',
                       '样例：受理后15个工作日内审核', 0, None, 1),
                      ('sampleapplication', True, True, 'reminder', 'returned', 'return_for_changes',
                       '2026-03-21T01:00:00+00:00', '2026-03-23T16:00:00+00:00', 10, 'calendar', 'qiye', '', None,
                       '提醒：样例申报“YL-2026-00001”按审核意见修改后重新提交期限为10日，将于2026年3月23日届满', '', 1, None, 2),
                      ('sampleapplication', True, True, 'escalation', 'returned', 'return_for_changes',
                       '2026-03-23T16:00:00+00:00', '2026-03-23T16:00:00+00:00', 10, 'calendar', 'qiye', '', None,
                       '逾期：样例申报“YL-2026-00001”按审核意见修改后重新提交期限10日已于2026年3月23日届满，尚未办理', '', 1, None, 2),
                      ('sampleapplication', True, True, 'reminder', 'submitted', 'submit',
                       '2026-03-30T01:00:00+00:00', '2026-04-02T16:00:00+00:00', 15, 'working', None,
                       'county_office', 'panlong', '提醒：样例申报“YL-2026-00001”审核期限为15个工作日，将于2026年4月2日届满',
                       '样例：受理后15个工作日内审核', 2, None, 3),
                      ('sampleapplication', True, True, 'escalation', 'submitted', 'submit',
                       '2026-04-02T16:00:00+00:00', '2026-04-02T16:00:00+00:00', 15, 'working', None,
                       'county_government', 'panlong', '逾期：样例申报“YL-2026-00001”审核期限15个工作日已于2026年4月2日届满，尚未办理',
                       '样例：受理后15个工作日内审核', 2, None, 3)]
