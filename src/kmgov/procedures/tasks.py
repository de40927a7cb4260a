"""The sweep as a task on Django's task queue (django-tasks backport).

The same function runs from cron (`kmgov procedures sweep`) and from a worker
(`kmgov procedures sweep --enqueue`, then `kmgov db_worker` for the database backend, or an RQ
worker for the Redis backend; see settings.TASKS). Correctness does not depend on the queue:
deadlines are rows and the sweep is idempotent, so a lost or doubled task changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .services import deadlines_sweep


@task()
def sweep_deadlines(now: str | None = None) -> dict:
    from kmgov.core.audit_chain import audit_seal

    moment = dt.datetime.fromisoformat(now) if now else None
    result = deadlines_sweep(now=moment)
    result["audit_sealed"] = audit_seal()  # the audit trail's hash chain, caught up
    return result


@task()
def run_import_job(job_id: int) -> dict:
    """A background import (kmgov.procedures.imports): check every row, then write or keep the
    errors."""
    from .imports import import_run

    job = import_run(job_id)
    return {"state": job.state, "errors": len(job.errors), "result": job.result}
