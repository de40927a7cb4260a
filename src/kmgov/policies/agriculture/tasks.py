"""Long xlsx imports as background tasks (django-tasks: the database backend by default, RQ
with KMGOV_TASKS_BACKEND=rq; settings.TASKS). The request stores the file and a `ClaimImport`
row and enqueues `run_claim_import`; the worker checks the rows (progress written every
`imports.PROGRESS_EVERY` rows), then writes the claim in one short transaction."""

from __future__ import annotations

from django_tasks import task


@task()
def run_claim_import(import_id: int) -> dict:
    from .imports import import_run

    job = import_run(import_id)
    return {"status": job.status, "claim": job.claim.reference if job.claim_id else None,
            "errors": len(job.errors)}
