"""Pages of the agriculture claim beyond the generated case pages: a background import's
progress (refreshed by the browser every 5 s through the `Refresh` header, no script)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .imports import import_get
from .models import ClaimImport


@login_required
def import_progress(request, import_id: int):
    job = import_get(import_id, request.user)
    finished = job.status in (ClaimImport.Status.DONE, ClaimImport.Status.FAILED)
    response = render(request, "agriculture/import_progress.html", {"job": job, "finished": finished})
    if not finished:
        response["Refresh"] = "5"
    return response
