"""Intakes at once (issue 14): many operators' `POST /api/v1/hotline/tickets` in parallel all
complete, each with its own number, and answers interleaved with them neither wait for them
nor deadlock. Real threads, each with its own database connection (on PostgreSQL the row
locks are real; the test database of SQLite is an in-memory shared cache whose table locks
do not wait, so there — as in test_limits — the same requests run one after another and are
only shown to finish)."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRES = connection.vendor == "postgresql"
QUESTIONS = ["种花的地改种苗木有补助吗", "土地流转有什么奖励", "总部企业认定需要什么条件",
             "低产林改造每亩补多少钱", "自来水停水了找谁"]
TYPES = ["query", "complaint", "suggestion", "consultation"]


def _run_all(jobs, *, bound_s: float):
    """Start every job at the same moment in its own thread; return (results, seconds).
    A job still running after `bound_s` is a hang: the test fails on it. (SQLite: in turn.)"""
    if not ON_POSTGRES:
        started = time.monotonic()
        results = [job() for job in jobs]
        assert time.monotonic() - started < bound_s
        return results, time.monotonic() - started
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def runner(i, job):
        try:
            barrier.wait(timeout=30)
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 — a deadlock error is a result to assert on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, j), daemon=True)
               for i, j in enumerate(jobs)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.1, bound_s - (time.monotonic() - started)))
    hung = [i for i, t in enumerate(threads) if t.is_alive()]
    assert not hung, f"{len(hung)} of {len(jobs)} requests still running after {bound_s} s"
    return results, time.monotonic() - started


@pytest.fixture
def token(operator):
    from kmgov.core.services import api_token_create

    return api_token_create(user=operator).key


def _intake(token, i):
    def job():
        r = Client().post("/api/v1/hotline/tickets", data={
            "channel": "window", "request_type": TYPES[i % len(TYPES)],
            "text": f"{QUESTIONS[i % len(QUESTIONS)]}（来电{i}）", "caller_phone": "13800000000"},
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        return r.status_code, r.json()
    return job


def _answer(i):
    def job():
        r = Client().get("/api/v1/hotline/answers", {"q": QUESTIONS[i % len(QUESTIONS)]})
        return r.status_code, r.json()
    return job


def test_sixteen_intakes_at_once_all_complete_each_with_its_own_number(token):
    from kmgov.hotline.models import Ticket

    n = 16  # as many as `kmgov serve`'s 4 workers × 4 threads take at once
    results, _ = _run_all([_intake(token, i) for i in range(n)], bound_s=120)
    errors = [r for r in results if not (isinstance(r, tuple) and r[0] == 201)]
    assert not errors, errors
    numbers = {r[1]["number"] for r in results}
    assert len(numbers) == n
    assert Ticket.objects.filter(number__in=numbers).count() == n
    # every one was taken up and routed (window channel, an operator: 116号 三(二)), none
    # left half-written in the queue
    assert not Ticket.objects.filter(number__in=numbers, state="queued").exists()
    refs = list(Ticket.objects.filter(number__in=numbers).values_list("reference", flat=True))
    assert len(set(refs)) == n


def test_answers_and_intakes_interleaved_neither_hang_nor_deadlock(token):
    from kmgov.hotline.models import Ticket

    jobs = []
    for i in range(24):  # the benchmark's mix: three answers to one intake
        jobs.append(_intake(token, i) if i % 4 == 3 else _answer(i))
    results, _ = _run_all(jobs, bound_s=120)
    bad = [r for r in results if not (isinstance(r, tuple) and r[0] in (200, 201))]
    assert not bad, bad  # a PostgreSQL deadlock would be an exception (500) here
    answers = [r[1] for r, j in zip(results, range(24), strict=True) if j % 4 != 3]
    assert all(a["count"] >= 1 and a["answers"] for a in answers)  # each found its entries
    assert Ticket.objects.count() == 6


def test_a_ticket_held_open_does_not_hold_up_other_intakes(token, operator):
    """An intake's transaction holds no row another intake needs: on PostgreSQL, while one
    ticket's transaction stays open (its case row written, its reference taken), four more
    intakes finish. (SQLite has one writer at a time: there they finish once it commits.)"""
    from django.db import transaction

    from kmgov.hotline import services
    from kmgov.hotline.models import Ticket

    holding = threading.Event()
    release = threading.Event()

    def hold():
        try:
            with transaction.atomic():
                services.ticket_create(channel="window", request_type="complaint",
                                       text="占着不放的工单", actor=operator)
                holding.set()
                release.wait(30)
        finally:
            if ON_POSTGRES:  # its own thread's connection
                connection.close()

    if not ON_POSTGRES:
        release.set()
        hold()  # one writer at a time: it commits, then the others
    else:
        holder = threading.Thread(target=hold, daemon=True)
        holder.start()
        assert holding.wait(30)
    try:
        results, _ = _run_all([_intake(token, i) for i in range(4)], bound_s=60)
        finished_while_held = not release.is_set()
    finally:
        release.set()
        if ON_POSTGRES:
            holder.join(30)
    assert [r[0] for r in results] == [201] * 4, results
    assert finished_while_held == ON_POSTGRES
    assert Ticket.objects.count() == 5
