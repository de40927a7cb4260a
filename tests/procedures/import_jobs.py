"""Helpers of the background-import tests (importable as procedures.import_jobs): start a job
through the API as a person would, then run the queued task as the worker would (the database
task backend queues it; the test calls it, as the agriculture tests always did)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from kmgov.procedures.tasks import run_import_job


def start(client, kind: str, filename: str, content: bytes, capture, **params):
    """POST /api/v1/imports/{kind}: the response (202 with the job, or the refusal)."""
    with capture(execute=True):
        return client.post(f"/api/v1/imports/{kind}",
                           {"file": SimpleUploadedFile(filename, content), **params})


def run_queued(job_id: int) -> dict:
    """Run the queued task of `job_id` as the worker would; its return value."""
    queued = [t for t in DBTaskResult.objects.filter(task_path=run_import_job.module_path)
              if t.args_kwargs["args"] == [job_id]]
    assert len(queued) == 1, "the job was queued once, on commit"
    return run_import_job.call(*queued[0].args_kwargs["args"])
