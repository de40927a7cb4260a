"""The sweep task on the Redis/RQ backend (KMGOV_TASKS_BACKEND=rq), run by an RQ worker.

Skipped when no Redis listens on 127.0.0.1:6379, except under KMGOV_REQUIRE_REDIS=1 (set by
.ci/run, which finds or starts Redis): there a missing Redis fails the test."""

import os
import uuid

import django_rq  # noqa: E402
import pytest
import redis  # noqa: E402
from procedures.helpers import at

from kmgov.procedures.models import InboxItem
from kmgov.procedures.services import case_transition

REDIS_URL = os.environ.get("KMGOV_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def rq_backend(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("KMGOV_REQUIRE_REDIS") == "1":
            pytest.fail(f"KMGOV_REQUIRE_REDIS=1 but no Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    queue = f"kmgov-test-{uuid.uuid4().hex[:8]}"
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}, queue: {"URL": REDIS_URL}}
    import django_rq.settings as rq_settings

    old = rq_settings.QUEUES
    rq_settings.QUEUES = settings.RQ_QUEUES
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]},
    }
    yield queue
    django_rq.get_queue(queue).delete(delete_jobs=True)
    rq_settings.QUEUES = old


@pytest.mark.django_db(transaction=True)
def test_sweep_task_through_redis(people, new_case, rq_backend):
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from kmgov.procedures.tasks import sweep_deadlines

    when = at(2026, 3, 25, 15)
    case = case_transition(new_case(when=when), "submit", actor=people.applicant, now=when)
    task = sweep_deadlines.using(backend="rq", queue_name=rq_backend)
    result = task.enqueue(now="2026-04-20T10:00:00+08:00")
    assert django_rq.get_queue(rq_backend).count == 1
    worker = SimpleWorker([django_rq.get_queue(rq_backend)],
                          connection=django_rq.get_connection(rq_backend), job_class=Job)
    worker.work(burst=True)
    result.refresh()
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value["escalations"] == 1
    assert InboxItem.objects.filter(case_reference=case.reference, kind="escalation").count() == 1
