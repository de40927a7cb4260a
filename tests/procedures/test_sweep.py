"""The sweep: due reminders and escalations fire exactly once; command and task."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from procedures.helpers import at

from kmgov.core.models import AuditEntry
from kmgov.procedures.models import Deadline, InboxItem
from kmgov.procedures.selectors import inbox_for
from kmgov.procedures.services import case_transition, deadline_fired, deadlines_sweep

pytestmark = pytest.mark.django_db

SUBMITTED = at(2026, 3, 25, 15)  # due end of 16 Apr 2026; reminder 13 Apr 09:00


@pytest.fixture(autouse=True)
def no_policy_obligations(monkeypatch):
    """The kernel's deadlines alone: policies' scheduled filings owed by fixed units every
    period (111号's monthly report) would otherwise be opened and escalated by the same sweep."""
    from kmgov.procedures import filings

    monkeypatch.setattr(filings, "_OBLIGATIONS", {})


@pytest.fixture
def submitted(people, new_case):
    return case_transition(new_case(when=SUBMITTED), "submit", actor=people.applicant,
                           now=SUBMITTED)


def test_nothing_due_before_time(submitted):
    assert deadlines_sweep(now=at(2026, 4, 13, 8, 59))["due"] == 0


def test_reminder_then_escalation_each_once(people, submitted,
                                            django_capture_on_commit_callbacks):
    fired = []
    deadline_fired.connect(lambda sender, deadline, item, **kw: fired.append(item.kind),
                           weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = deadlines_sweep(now=at(2026, 4, 13, 10))
        assert (first["reminders"], first["escalations"]) == (1, 0)
        again = deadlines_sweep(now=at(2026, 4, 13, 10, 5))
        assert (again["due"], again["reminders"], again["escalations"]) == (0, 0, 0)
        reminder = inbox_for(people.office).get(kind="reminder")
        assert "将于2026年4月16日届满" in reminder.what
        # Not yet overdue on the last day itself (16 Apr, 23:59 Beijing time).
        assert deadlines_sweep(now=at(2026, 4, 16, 23, 59))["escalations"] == 0
        with django_capture_on_commit_callbacks(execute=True):
            late = deadlines_sweep(now=at(2026, 4, 17, 0, 0))
        assert late["escalations"] == 1
        assert deadlines_sweep(now=at(2026, 5, 1))["due"] == 0
    finally:
        deadline_fired.disconnect(dispatch_uid="t")
    escalation = inbox_for(people.government).get()
    assert escalation.kind == "escalation" and "已于2026年4月16日届满" in escalation.what
    assert not inbox_for(people.wuhua_office).exists()
    audit = AuditEntry.objects.filter(action__startswith="deadline.").order_by("id")
    assert [e.action for e in audit] == ["deadline.reminder", "deadline.escalation"]
    assert audit[1].extra["target"] == "county_government"
    assert fired == ["reminder", "escalation"]


def test_deadlines_of_a_state_left_are_cancelled(people, submitted):
    case_transition(submitted, "approve", actor=people.office, now=at(2026, 3, 26, 10))
    assert deadlines_sweep(now=at(2026, 6, 1))["due"] == 0
    assert Deadline.objects.filter(cancelled_at__isnull=False).count() == 2
    assert not AuditEntry.objects.filter(action__startswith="deadline.").exists()


def test_return_deadline_in_calendar_days_escalates_to_the_applicant(people, submitted):
    when = at(2026, 3, 26, 10)
    case_transition(submitted, "return_for_changes", actor=people.office, reason="补正",
                    now=when)
    row = Deadline.objects.get(kind="escalation", cancelled_at__isnull=True)
    # 10 calendar days from 26 Mar: 5 Apr is a holiday (清明), so the period ends 7 Apr.
    assert row.period_ends_at == at(2026, 4, 8) and row.target_user == people.applicant
    deadlines_sweep(now=at(2026, 4, 8, 1))
    kinds = sorted(i.kind for i in inbox_for(people.applicant))
    assert kinds == ["action", "escalation", "reminder"]


def test_command_json_and_progress(people, submitted):
    out = io.StringIO()
    call_command("procedures", "sweep", "--json", "--now", "2026-04-13T10:00", stdout=out)
    result = json.loads(out.getvalue())
    assert result["reminders"] == 1 and result["now"].startswith("2026-04-13T10:00:00+08:00")
    out = io.StringIO()
    call_command("procedures", "sweep", "--now", "2026-04-20T10:00+08:00", stdout=out)
    text = out.getvalue()
    assert "[督办]" in text and "督办 1" in text
    out = io.StringIO()
    call_command("procedures", "sweep", "--now", "2026-04-20T10:00+08:00", "--json", stdout=out)
    assert json.loads(out.getvalue())["due"] == 0


def test_command_refuses_bad_time(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="无法识别的时间"):
        call_command("procedures", "sweep", "--now", "next tuesday")


@pytest.mark.django_db(transaction=True)
def test_sweep_as_task_on_the_database_backend(people, new_case):
    case = case_transition(new_case(when=SUBMITTED), "submit", actor=people.applicant,
                           now=SUBMITTED)
    out = io.StringIO()
    call_command("procedures", "sweep", "--enqueue", "--json", "--now", "2026-04-20T10:00",
                 stdout=out)
    queued = json.loads(out.getvalue())
    assert queued["enqueued"] is True and queued["backend"] == "default"
    assert InboxItem.objects.filter(kind="escalation").count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(),
                 stderr=io.StringIO())
    from kmgov.procedures.tasks import sweep_deadlines

    result = sweep_deadlines.get_result(queued["task_id"])
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value["escalations"] == 1 and result.return_value["reminders"] == 1
    assert InboxItem.objects.filter(case_reference=case.reference, kind="escalation").count() == 1
    # The task and the cron command are the same function: run again, nothing more fires.
    assert deadlines_sweep(now=dt.datetime(2026, 4, 21, tzinfo=dt.UTC))["due"] == 0


@pytest.mark.parametrize("batch_size", [1, 2, 2000])
def test_any_batch_size_fires_each_deadline_once(people, submitted, new_case, batch_size):
    other = case_transition(new_case(when=SUBMITTED), "submit", actor=people.applicant,
                            now=SUBMITTED)
    late = at(2026, 4, 17, 0, 0)
    first = deadlines_sweep(now=late, batch_size=batch_size)
    assert (first["due"], first["reminders"], first["escalations"]) == (4, 2, 2)
    assert deadlines_sweep(now=late, batch_size=batch_size)["due"] == 0
    assert Deadline.objects.filter(fired_at__isnull=False).count() == 4
    fired = InboxItem.objects.exclude(kind="action")
    assert sorted(fired.values_list("case_reference", "kind")) == sorted(
        (c.reference, k) for c in (submitted, other) for k in ("escalation", "reminder"))
    entries = AuditEntry.objects.filter(action__startswith="deadline.")
    assert entries.count() == 4 and all(e.actor_id is None and e.extra["deadline"]
                                        for e in entries)


def _fired_rows(case):
    items = sorted(
        InboxItem.objects.filter(case_reference=case.reference).exclude(kind="action").values(
            "kind", "procedure", "case_title", "case_state", "org_id", "what", "due_at",
            "user_id", "role", "role_org_id"), key=lambda r: r["kind"])
    entries = sorted(
        AuditEntry.objects.filter(action__startswith="deadline.", object_id=str(case.pk))
        .values("action", "actor_id", "object_type", "org_id", "from_state", "to_state",
                "reason", "extra"), key=lambda r: r["action"])
    for e in entries:
        e["extra"] = {k: v for k, v in e["extra"].items() if k != "deadline"}
        e["reason"] = e["reason"].replace(case.reference, "REF")
    for i in items:
        i["what"] = i["what"].replace(case.reference, "REF")
    return items, entries


def test_set_based_sweep_writes_what_the_row_by_row_sweep_writes(people, new_case):
    """On PostgreSQL a sweep nobody listens to is one INSERT … SELECT statement per batch;
    a listener (`on_fire`) takes the row-by-row path. Both write the same inbox items and audit
    entries (due_at and period_ends_at in the same ISO form, the same target and unit code)."""
    late = at(2026, 4, 17, 0, 0)
    row_case = case_transition(new_case(when=SUBMITTED), "submit", actor=people.applicant,
                               now=SUBMITTED)
    seen = []
    by_row = deadlines_sweep(now=late, on_fire=lambda d, outcome: seen.append(outcome))
    assert seen == ["reminders", "escalations"]
    set_case = case_transition(new_case(when=SUBMITTED), "submit", actor=people.applicant,
                               now=SUBMITTED)
    by_set = deadlines_sweep(now=late)
    assert (by_row["reminders"], by_row["escalations"]) == (by_set["reminders"],
                                                             by_set["escalations"]) == (1, 1)
    row_items, row_entries = _fired_rows(row_case)
    set_items, set_entries = _fired_rows(set_case)
    assert len(row_items) == 2 and set_items == row_items
    assert len(row_entries) == 2 and set_entries == row_entries
    # The reminder at 09:00 Beijing time on 13 Apr; the period ends at 24:00 on 16 Apr.
    assert row_entries[1]["extra"]["due_at"] == "2026-04-13T01:00:00+00:00"
    assert row_entries[0]["extra"]["period_ends_at"] == "2026-04-16T16:00:00+00:00"
    assert row_entries[0]["extra"]["target"] == "county_government"
    if connection.vendor == "postgresql":  # microseconds, when there are some, as Python has them
        from kmgov.procedures.services import _iso_utc

        moment = dt.datetime(2026, 4, 13, 1, 0, 0, 250, tzinfo=dt.UTC)
        with connection.cursor() as cur:
            cur.execute(f"SELECT {_iso_utc('%(t)s::timestamptz')}", {"t": moment})
            assert cur.fetchone()[0] == moment.isoformat() == "2026-04-13T01:00:00.000250+00:00"


def test_sweep_cancels_what_no_longer_applies_and_fires_the_rest_once(people, new_case):
    """Three submitted cases, each with a reminder and an escalation due: one has left
    `submitted` behind the kernel's back (no transition cancelled its deadlines), one was
    deleted; the sweep cancels those four deadlines and fires only the third case's two (on
    PostgreSQL the set-based statement: cases locked, deadlines settled by one UPDATE)."""
    kept, moved, deleted = (case_transition(new_case(when=SUBMITTED), "submit",
                                            actor=people.applicant, now=SUBMITTED)
                            for _ in range(3))
    type(moved).objects.filter(pk=moved.pk).update(state="approved")
    type(deleted).objects.filter(pk=deleted.pk).delete()
    result = deadlines_sweep(now=at(2026, 6, 1), filings=False)
    assert (result["due"], result["reminders"], result["escalations"], result["cancelled"],
            result["skipped"]) == (6, 1, 1, 4, 0)
    fired = Deadline.objects.filter(fired_at__isnull=False)
    assert set(fired.values_list("case_reference", flat=True)) == {kept.reference}
    assert Deadline.objects.filter(cancelled_at__isnull=False).count() == 4
    assert sorted(InboxItem.objects.exclude(kind="action").values_list("case_reference", "kind")) \
        == [(kept.reference, "escalation"), (kept.reference, "reminder")]
    assert AuditEntry.objects.filter(action__startswith="deadline.").count() == 2
    assert deadlines_sweep(now=at(2026, 6, 2), filings=False)["due"] == 0
