"""Queries per case step through the JSON API (issue 14 item 6): counted and bounded, and not
growing with the case's history, its open items or deadlines. Speed is measured in
benchmarks/procedures.py; here only the number of round trips, which the profile showed to be
what a step costs (each a network round trip to PostgreSQL in production)."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from procedures.helpers import at

from kmgov.procedures.services import case_transition

pytestmark = pytest.mark.django_db

MARCH = at(2026, 3, 10, 10)


def _submitted(people, new_case, rounds=0):
    """A submitted case; `rounds` times returned and resubmitted first (a longer history, more
    closed items and cancelled deadlines)."""
    case = case_transition(new_case(), "submit", actor=people.applicant, now=MARCH)
    for _ in range(rounds):
        case = case_transition(case, "return_for_changes", actor=people.office, reason="补正",
                               now=MARCH)
        case = case_transition(case, "submit", actor=people.applicant, now=MARCH)
    return case


def _step(client, case, step, body):
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(f"/api/v1/cases/sample/{case.reference}/steps/{step}",
                        json.dumps(body), content_type="application/json")
    assert r.status_code == 200, r.content
    return [q["sql"] for q in ctx.captured_queries]


#: Queries of one step through the API, signed in with a session: the session and the user (2);
#: the reader's roles (1); in the step's transaction, the savepoint, the case read once —
#: locked, within the reader's scope, and stepped on as read (`held`) — separation of duties
#: checked under the lock, the step's fixed writes, the release; the answer: the case's
#: attachments, history and latest decision (3). The fixed writes (the old deadlines
#: cancelled and the new ones inserted, the case's changed columns, the audit entry, the
#: awaited items closed and the next ones opened) are one unit (`core.writes`): on PostgreSQL
#: one statement, on SQLite six plain ones. A bearer token takes the place of the session and
#: the user: one query (its last use is written at most once an hour). Was 16 on both
#: databases (session 6), 18, 19, 27.
MAX_QUERIES = {"postgresql": 11}.get(connection.vendor, 16)
MAX_QUERIES_TOKEN = {"postgresql": 10}.get(connection.vendor, 15)

#: The step's writes, in order: the submission's reminder and escalation cancelled, the
#: return's reminder and escalation inserted (one INSERT), the case's state, version and due
#: date (one UPDATE of the changed columns), the audit entry, the county office's item closed,
#: the applicant's item opened.
WRITES = [
    "UPDATE procedures_deadline",
    "INSERT procedures_deadline",
    "UPDATE sample_sampleapplication",
    "INSERT core_auditentry",
    "UPDATE procedures_inboxitem",
    "INSERT procedures_inboxitem",
]


def _writes(queries: list[str]) -> list[str]:
    """The tables a step's statements write, in order: on PostgreSQL the parts of its one
    statement of data-modifying CTEs (and no other write)."""
    plain = [q.split(" ")[0] + " " + q.split('"')[1] for q in queries
             if q.startswith(("INSERT", "UPDATE", "DELETE"))]
    if connection.vendor != "postgresql":
        return plain
    units = [q for q in queries if q.startswith("WITH ")]
    assert len(units) == 1 and plain == [], (units, plain)
    return [f"{verb.split()[0]} {table}"
            for verb, table in re.findall(r'AS \((UPDATE|INSERT INTO|DELETE FROM) "(\w+)"',
                                          units[0])]


def test_a_step_through_the_api_takes_a_bounded_number_of_queries(people, new_case):
    c = Client()
    c.force_login(people.office)
    warm = _submitted(people, new_case)  # the process's first step loads what it caches
    _step(c, warm, "return_for_changes", {"reason": "请补正"})
    short = _submitted(people, new_case)
    long = _submitted(people, new_case, rounds=5)  # 11 more audit entries, 5 closed items …
    q_short = _step(c, short, "return_for_changes", {"reason": "请补正"})
    q_long = _step(c, long, "return_for_changes", {"reason": "请补正"})
    assert len(q_short) == len(q_long) <= MAX_QUERIES, "\n".join(q_long)
    assert _writes(q_long) == WRITES
    # only the columns the step changed (and `updated_at`), not every column of the case
    sets = next(re.search(r'UPDATE "sample_sampleapplication" SET (.*?) WHERE', q).group(1)
                for q in q_long if 'UPDATE "sample_sampleapplication"' in q)
    assert sorted(re.findall(r'"(\w+)" =', sets)) == [
        "due_at", "state", "state_changed_at", "updated_at", "version"]
    long.refresh_from_db()
    assert long.state == "returned" and long.due_at is not None


def test_a_step_with_a_bearer_token_reads_the_token_once(people, new_case):
    from kmgov.core.services import api_token_create

    c = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=people.office).key}")
    _step(c, _submitted(people, new_case), "return_for_changes", {"reason": "请补正"})  # warm
    q = _step(c, _submitted(people, new_case), "return_for_changes", {"reason": "请补正"})
    assert len(q) <= MAX_QUERIES_TOKEN, "\n".join(q)
    assert sum(1 for s in q if '"core_apitoken"' in s) == 1  # read once, its last use not written
    # the case read once (its scope in the same query), not read again under the lock
    case_reads = [s for s in q if s.startswith("SELECT") and 'FROM "sample_sampleapplication"' in s]
    assert len(case_reads) == 1
    assert not any("SELECT 1 AS" in s and "sampleapplication" in s for s in q)


def _route_in_one_transaction(people, *, together: bool):
    """Create, submit, return and resubmit a case in one transaction, each step on the row
    the transaction wrote (as the 96128 intake does); its inbox rows and their INSERTs."""
    from contextlib import nullcontext

    from django.db import transaction
    from procedures.helpers import PDF, attach
    from procedures.sample.models import SampleApplication

    from kmgov.procedures.models import InboxItem
    from kmgov.procedures.services import case_create, inbox_together

    with CaptureQueriesContext(connection) as ctx, transaction.atomic(), \
            (inbox_together() if together else nullcontext()):
        case = case_create(SampleApplication, actor=people.applicant, org=people.enterprise_org,
                           amount="100.00", now=MARCH, savepoint=False)
        attach(case, people.applicant, "licence", "licence.pdf", PDF)
        for name, actor in (("submit", people.applicant), ("return_for_changes", people.office),
                            ("submit", people.applicant)):
            case = case_transition(case, name, actor=actor, reason="补正", now=MARCH,
                                   savepoint=False, held=True)
    rows = list(InboxItem.objects.filter(object_id=case.pk, case_reference=case.reference)
                .order_by("id").values_list("what", "case_state", "role", "role_org_id",
                                            "user_id", "done_at", "done_by_id"))
    # (on PostgreSQL a step's items are inserted by its one statement of writes)
    inserts = [q["sql"] for q in ctx.captured_queries
               if q["sql"].startswith('INSERT INTO "procedures_inboxitem"')
               or (q["sql"].startswith("WITH ") and 'INSERT INTO "procedures_inboxitem"' in q["sql"])]
    return rows, inserts


def test_steps_inside_inbox_together_write_the_same_items_in_one_insert(people):
    one_by_one, inserts_apart = _route_in_one_transaction(people, together=False)
    together, inserts_together = _route_in_one_transaction(people, together=True)
    # created → the applicant (closed by the submission), submit → the county office (closed
    # by the return), return → the applicant (closed by the resubmission), resubmit → the
    # county office again, open
    assert [(w, s, d is not None, by) for w, s, _r, _o, _u, d, by in together] == [
        ("填写并提交申报", "draft", True, people.applicant.pk),
        ("审核申报", "submitted", True, people.office.pk),
        ("按审核意见修改后重新提交", "returned", True, people.applicant.pk),
        ("审核申报", "submitted", False, None),
    ]
    assert [r[:5] + (r[5] is not None, r[6]) for r in together] == \
        [r[:5] + (r[5] is not None, r[6]) for r in one_by_one]
    assert len(inserts_apart) == 4 and len(inserts_together) == 1
