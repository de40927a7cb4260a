"""Kept for tasks queued before background imports moved to the kernel
(kmgov.procedures.imports; the task is now `procedures.tasks.run_import_job`): a queued
`run_claim_import(id)` runs the kernel's job of the same id (the migration kept the ids)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_claim_import(import_id: int) -> dict:
    from kmgov.procedures.imports import import_run

    job = import_run(import_id)
    return {"status": job.state, "claim": job.result.get("claim"), "errors": len(job.errors)}
