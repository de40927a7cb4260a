"""Two people acting on the same case at once (SPEC X-6, issue 4): on PostgreSQL with real
threads and row locks; on SQLite the same refusal in sequence (its writers are serialised)."""

import threading
import time

import pytest
from django.db import connection
from django_fsm.signals import pre_transition
from procedures.helpers import at

from kmgov.core.models import AuditEntry
from kmgov.procedures.errors import StateChanged
from kmgov.procedures.models import Deadline
from kmgov.procedures.services import case_transition, deadlines_sweep

pytestmark = pytest.mark.django_db(transaction=True)

MARCH = at(2026, 3, 10, 10)
ON_POSTGRES = connection.vendor == "postgresql"


def run_together(*jobs):
    """Run the jobs in threads released at the same moment; each closes its connection."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def runner(i, job):
        try:
            barrier.wait(timeout=10)
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 — the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_approvals_at_once_one_wins_the_other_is_told(people, new_case):
    from procedures.sample.models import SampleApplication

    case = case_transition(new_case(), "submit", actor=people.applicant, now=MARCH)
    # Both officials opened the case while it was awaiting review.
    seen_by_1 = SampleApplication.objects.get(pk=case.pk)
    seen_by_2 = SampleApplication.objects.get(pk=case.pk)

    def slow_step(sender, **kwargs):
        time.sleep(0.3)  # hold the row lock long enough for the other to queue behind it

    pre_transition.connect(slow_step, sender=SampleApplication, dispatch_uid="slow")
    try:
        jobs = (
            lambda: case_transition(seen_by_1, "approve", actor=people.office, now=MARCH),
            lambda: case_transition(seen_by_2, "approve", actor=people.office2, now=MARCH),
        )
        if ON_POSTGRES:
            started = time.monotonic()
            results = run_together(*jobs)
            # The loser waited for the winner's lock rather than failing early.
            assert time.monotonic() - started >= 0.3
        else:
            results = []
            for job in jobs:
                try:
                    results.append(job())
                except StateChanged as exc:
                    results.append(exc)
    finally:
        pre_transition.disconnect(dispatch_uid="slow", sender=SampleApplication)

    wins = [r for r in results if isinstance(r, SampleApplication)]
    refusals = [r for r in results if isinstance(r, StateChanged)]
    assert len(wins) == 1 and len(refusals) == 1, results
    assert "状态已变更为“已批准”" in str(refusals[0]) and refusals[0].status == 409
    case.refresh_from_db()
    assert case.state == "approved" and case.version == 2
    assert AuditEntry.objects.filter(object_id=str(case.pk), action="sample.approve").count() == 1


def test_two_sweeps_at_once_fire_each_deadline_once(people, new_case):
    for _ in range(4):
        case = new_case(when=at(2026, 3, 25, 15))
        case_transition(case, "submit", actor=people.applicant, now=at(2026, 3, 25, 15))
    total = Deadline.objects.count()
    assert total == 8  # a reminder and an escalation each
    later = at(2026, 5, 1)
    if ON_POSTGRES:
        results = run_together(lambda: deadlines_sweep(now=later),
                               lambda: deadlines_sweep(now=later))
    else:
        results = [deadlines_sweep(now=later), deadlines_sweep(now=later)]
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["reminders"] + r["escalations"] for r in results) == total
    assert AuditEntry.objects.filter(action__startswith="deadline.").count() == total
    assert Deadline.objects.filter(fired_at__isnull=True).count() == 0
    assert deadlines_sweep(now=later)["due"] == 0


def test_two_set_based_sweeps_in_small_batches_fire_each_deadline_once(people, new_case):
    """The set-based sweep (PostgreSQL, nobody listening) in batches of 3: the two sweepers
    interleave batch by batch over the same 24 due deadlines, each batch one statement that
    locks its cases with SKIP LOCKED and settles their deadlines with one UPDATE; every
    deadline fires once, with one inbox item and one audit entry (on SQLite, the same two
    sweeps in sequence)."""
    from kmgov.procedures.models import InboxItem

    cases = []
    for _ in range(12):
        case = new_case(when=at(2026, 3, 25, 15))
        cases.append(case_transition(case, "submit", actor=people.applicant,
                                     now=at(2026, 3, 25, 15)))
    assert Deadline.objects.count() == 24
    later = at(2026, 5, 1)
    jobs = (lambda: deadlines_sweep(now=later, batch_size=3, filings=False),
            lambda: deadlines_sweep(now=later, batch_size=3, filings=False))
    results = run_together(*jobs) if ON_POSTGRES else [job() for job in jobs]
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["reminders"] + r["escalations"] for r in results) == 24
    assert sum(r["cancelled"] for r in results) == 0
    assert Deadline.objects.filter(fired_at__isnull=True).count() == 0
    assert InboxItem.objects.exclude(kind="action").count() == 24
    assert AuditEntry.objects.filter(action__startswith="deadline.").count() == 24
    for case in cases:  # one reminder and one escalation each, never two
        assert sorted(InboxItem.objects.filter(case_reference=case.reference).exclude(
            kind="action").values_list("kind", flat=True)) == ["escalation", "reminder"]


def test_sweep_leaves_a_case_being_changed_to_whoever_holds_it(people, new_case):
    """A sweep never fires a deadline of a case a transition is changing: on PostgreSQL it
    skips the locked case (the next sweep settles it); in sequence, the deadline of a state
    the case has left is cancelled."""
    from django.db import transaction
    from procedures.sample.models import SampleApplication

    case = case_transition(new_case(when=at(2026, 3, 25, 15)), "submit",
                           actor=people.applicant, now=at(2026, 3, 25, 15))
    later = at(2026, 5, 1)
    if ON_POSTGRES:
        locked, release = threading.Event(), threading.Event()

        def hold():
            with transaction.atomic():
                SampleApplication.objects.select_for_update().get(pk=case.pk)
                locked.set()
                release.wait(timeout=10)
            connection.close()

        holder = threading.Thread(target=hold)
        holder.start()
        assert locked.wait(timeout=10)
        try:
            busy = deadlines_sweep(now=later)
        finally:
            release.set()
            holder.join(timeout=10)
        assert (busy["due"], busy["skipped"], busy["reminders"] + busy["escalations"]) == (2, 2, 0)
        settled = deadlines_sweep(now=later)
        assert settled["reminders"] + settled["escalations"] == 2
    else:
        case_transition(case, "approve", actor=people.office, now=at(2026, 4, 30))
        assert deadlines_sweep(now=later)["cancelled"] == 0  # cancelled by the transition
        assert not AuditEntry.objects.filter(action__startswith="deadline.").exists()


def test_a_sweep_in_two_lanes_fires_each_deadline_once(people, new_case):
    """A set-based sweep of several batches outside a transaction runs in lanes (PostgreSQL:
    threads with their own connections, the rows dealt by case); every deadline still fires
    once, with one inbox item and one audit entry, and the progress reaches the total. On
    SQLite the same call is the row-by-row sweep."""
    from kmgov.procedures.models import InboxItem

    cases = [case_transition(new_case(when=at(2026, 3, 25, 15)), "submit",
                             actor=people.applicant, now=at(2026, 3, 25, 15))
             for _ in range(9)]
    seen = []

    def progress(done, total):
        seen.append((done, total, threading.current_thread().name))

    result = deadlines_sweep(now=at(2026, 5, 1), batch_size=2, filings=False, lanes=2,
                             on_progress=progress)
    assert (result["due"], result["reminders"], result["escalations"], result["cancelled"],
            result["skipped"]) == (18, 9, 9, 0, 0)
    assert seen[-1][:2] == (18, 18)
    if ON_POSTGRES:  # the batches were run by the lanes' threads, not by this one
        assert {name.startswith("sweep-lane") for _, _, name in seen} == {True}
    assert Deadline.objects.filter(fired_at__isnull=True).count() == 0
    assert InboxItem.objects.exclude(kind="action").count() == 18
    assert AuditEntry.objects.filter(action__startswith="deadline.").count() == 18
    for case in cases:
        assert sorted(InboxItem.objects.filter(case_reference=case.reference).exclude(
            kind="action").values_list("kind", flat=True)) == ["escalation", "reminder"]
    assert deadlines_sweep(now=at(2026, 5, 2), filings=False)["due"] == 0
