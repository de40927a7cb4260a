"""Generic web pages for a procedure's cases: a list (what the user may read), a detail page
(state, fields, documents, payments, history) and a form per step the user may take now.
A policy's urls.py mounts them with its model:

    path("projects/", caseviews.case_list, {"model": ForestProject}, name="list"),
    path("projects/<str:reference>/", caseviews.case_detail, {"model": ForestProject}, name="detail"),
    path("projects/<str:reference>/steps/<str:name>/", caseviews.case_step, {"model": ...}),

A case out of the user's reach is a 404 (not revealed); refusals are shown as messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .errors import CaseNotFound, ProcedureError
from .ledger import payments_of


def _fields(case) -> list[tuple[str, object]]:
    skip = {"id", "state", "version", "reference", "title", "org", "applicant", "created_at",
            "updated_at", "state_changed_at", "due_at"}
    out = []
    for f in case._meta.concrete_fields:
        if f.name in skip or f.get_internal_type() == "JSONField":
            continue
        value = getattr(case, f"get_{f.name}_display", lambda f=f: getattr(case, f.name))()
        if value not in (None, ""):
            out.append((str(f.verbose_name), value))
    return out


@login_required
def case_list(request, model, template="procedures/case_list.html", extra=None):
    cases = selectors.cases_visible(model, request.user)
    state = request.GET.get("state")
    if state:
        cases = [c for c in cases if c.state == state]
    return render(request, template, {
        "procedure": model.procedure, "cases": cases, "states": model._meta.get_field("state").choices,
        "state": state, **(extra(request) if extra else {})})


def _get(model, reference, user):
    try:
        return selectors.case_get(procedure=model.procedure.code, reference=reference, user=user)
    except CaseNotFound:
        raise Http404("没有找到该事项，或您无权查看") from None


@login_required
def case_detail(request, model, reference, template="procedures/case_detail.html", extra=None):
    case = _get(model, reference, request.user)
    return render(request, template, {
        "procedure": model.procedure, "case": case, "fields": _fields(case),
        "steps": selectors.steps_available(case, request.user),
        "history": selectors.case_history(case), "payments": payments_of(case),
        "attachments": case.attachments(), **(extra(request, case) if extra else {})})


@login_required
@require_POST
def case_step(request, model, reference, name):
    case = _get(model, reference, request.user)
    try:
        services.case_transition(case, name, actor=request.user,
                                 reason=request.POST.get("reason", ""),
                                 expected_state=request.POST.get("expected_state") or case.state)
        messages.success(request, "已办理")
    except CaseNotFound:
        raise Http404("没有找到该事项，或您无权查看") from None
    except ProcedureError as exc:
        messages.error(request, exc.message)
    except Exception as exc:  # ValidationError from the step: show it, nothing was written
        from django.core.exceptions import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        text = "；".join(f"{k}：{'、'.join(v)}" for k, v in exc.message_dict.items()) \
            if hasattr(exc, "error_dict") else "；".join(exc.messages)
        messages.error(request, text)
    return redirect(request.path.rsplit("/steps/", 1)[0] + "/")
