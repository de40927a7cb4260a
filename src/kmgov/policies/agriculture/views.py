"""Pages of the agriculture claim beyond the generated case pages: a background import's
progress moved to the kernel's page (`/imports/<id>/`); the old address leads there."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from kmgov.core.errors import Refusal

from .imports import import_get


@login_required
def import_progress(request, import_id: int):
    try:
        job = import_get(import_id, request.user)
    except Refusal as exc:
        raise Http404(exc.message) from exc
    return redirect(f"/imports/{job.pk}/")
