"""Pages a policy mounts for its procedure: a list of the cases the user may read, and the
case page (the kernel's `procedures/case.html`, whose step and upload forms post to the
kernel's views and come back here), optionally with the policy's own template extending it
(block `case_extra`) and extra context:

    path("projects/", caseviews.case_list, {"model": ForestProject}, name="list"),
    path("projects/<str:reference>/", caseviews.case_detail, {"model": ForestProject}),

A case out of the user's reach is a 404 (not revealed).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .errors import CaseNotFound
from .paging import paginate
from .views import case_context

_SKIP = {"id", "state", "version", "reference", "title", "org", "applicant", "created_at",
         "updated_at", "state_changed_at", "due_at"}


def case_fields(case) -> list[tuple[str, object]]:
    """The procedure's own fields, labelled, for the case page."""
    out = []
    hidden = set(getattr(type(case), "PAGE_HIDDEN_FIELDS", ()))
    for f in case._meta.concrete_fields:
        if f.name in _SKIP or f.name in hidden or f.get_internal_type() == "JSONField" or f.is_relation:
            continue
        value = getattr(case, f"get_{f.name}_display", lambda f=f: getattr(case, f.name))()
        if isinstance(value, bool):  # never "True" on a page
            value = "是" if value else "否"
        if value not in (None, ""):
            out.append((str(f.verbose_name), value))
    return out


@login_required
def case_list(request, model, template="procedures/case_list.html"):
    cases = selectors.cases_visible(model, request.user)
    state = request.GET.get("state")
    if state:
        cases = cases.filter(state=state)
    page = paginate(cases, request)
    return render(request, template, {
        "procedure": model.procedure, "cases": page, "page": page,
        "states": model._meta.get_field("state").choices, "state": state})


@login_required
def case_detail(request, model, reference, template="procedures/case.html", extra=None):
    try:
        case = selectors.case_get(procedure=model.procedure.code, reference=reference,
                                  user=request.user)
    except CaseNotFound:
        raise Http404("没有找到该事项，或您无权查看") from None
    ctx = case_context(request, case)
    ctx["fields"] = case_fields(case)
    if extra:
        ctx.update(extra(request, case))
    return render(request, template, ctx)
