"""Web pages of a recognition procedure, for every role: list, apply/edit (the rule's form),
detail with the decision trace, attachments and the steps the viewer may take.

A county official sees only their county's cases, the city office and the auditor all; a case
out of reach is a 404 (never another county's data); a step not allowed is a 403. The pages
call the same services as the API; no permission `if` lives here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kmgov.core.errors import form_status
from kmgov.procedures import selectors as psel
from kmgov.procedures.decisions import latest_decision_context
from kmgov.procedures.errors import CaseNotFound, ProcedureError
from kmgov.procedures.paging import paginate
from kmgov.procedures.services import attachment_add
from kmgov.procedures.views import history_rows, step_forms, take_step_from_form
from kmgov.rules import get_rule
from kmgov.rules.forms import FormField, fields_from_schema, fill_value, parse_form

from ._recognition import MEETING_OUTCOMES, State
from ._recognition_services import application_update, cases_for, enterprise_of


@dataclass
class PageSpec:
    model: Any
    app: str  # URL namespace, e.g. "headquarters"
    title: str
    # Form fields of the application besides the rule's inputs: (name, label, widget, choices)
    extra_fields: list[tuple] = field(default_factory=list)
    # Build the service's data dict from parsed extras and the rule inputs.
    to_data: Callable[[dict, dict], dict] = lambda extras, inputs: {"inputs": inputs}
    create: Callable[..., Any] = None  # create(user, data) -> case
    from_case: Callable[[Any], dict] = lambda case: {}
    templates: dict = field(default_factory=dict)
    # what the applicant reads before the form: {"window": …, "conditions": [(heading, [line…])]}
    intro: Callable[[], dict] | None = None


def _rule_fields(spec: PageSpec) -> list[FormField]:
    rule = get_rule(spec.model.RULE_ID)
    return [f for f in fields_from_schema(rule.schema(), getattr(rule.inputs, "ALIASES", None))
            if f.name != "as_of"]


def _extra_fields(spec: PageSpec) -> list[FormField]:
    out = []
    for name, label, widget, *rest in spec.extra_fields:
        out.append(FormField(name=name, label=gettext(label), widget=widget, required=False,
                             choices=rest[0] if rest else []))
    return out


def _fill(fields: list[FormField], values: dict) -> None:
    for f in fields:
        if f.name in values:
            fill_value(f, values[f.name])


def _parse_extras(fields: list[FormField], data) -> dict:
    out = {}
    for f in fields:
        if f.widget == "checkbox":
            f.value = data.get(f.name) in ("on", "true", "1")
            out[f.name] = f.value
            continue
        raw = (data.get(f.name) or "").strip()
        f.value = raw
        if f.widget == "json" and raw:
            try:
                out[f.name] = json.loads(raw)
            except ValueError:
                raise ValidationError({f.name: f"{f.label}：不是有效的JSON"}) from None
        elif raw != "":
            out[f.name] = raw
    return out


def _errors_of(exc: Exception) -> tuple[list[str], dict]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        errs = {k: "；".join(v) for k, v in exc.message_dict.items()}
        return [f"{k}：{v}" for k, v in errs.items()], errs
    if isinstance(exc, ProcedureError):
        return [exc.message], {exc.field or "__all__": exc.message}
    return ["；".join(getattr(exc, "messages", [str(exc)]))], {}


def _named(error: str, labels: dict) -> str:
    code, sep, message = error.partition("：")
    key = code.removeprefix("inputs.").split(".")[0]
    if sep and key in labels:
        return f"{labels[key]}：{message}" if not message.startswith(labels[key]) else message
    if sep and re.fullmatch(r"[a-z_.]+", code):
        return message
    return error


def make_pages(spec: PageSpec):
    model = spec.model
    code = model.procedure.code
    ns = spec.app

    def _get(request, reference):
        try:
            return psel.case_get(procedure=code, reference=reference, user=request.user)
        except CaseNotFound:
            raise Http404("没有找到该事项，或您无权查看") from None

    @login_required
    def list_view(request):
        state = request.GET.get("state") or None
        year = request.GET.get("year")
        cases = cases_for(model, request.user, state=state,
                          year=int(year) if year and year.isdigit() else None,
                          county=request.GET.get("county") or None)
        page = paginate(cases, request)
        return render(request, "recognition/list.html", {
            "spec": spec, "ns": ns, "cases": page, "page": page, "states": State.choices, "state": state,
            "can_apply": enterprise_of(request.user) is not None})

    def _form(request, case=None):
        rule_fields = _rule_fields(spec)
        extras = _extra_fields(spec)
        errors: list[str] = []
        status = 200
        if request.method == "POST":
            inputs, ferrs = parse_form(rule_fields, request.POST)
            try:
                # the extras (the type chosen) are read first, so that they are kept on an error
                extra_values = _parse_extras(extras, request.POST)
                if ferrs:
                    raise ValidationError({k: v for k, v in ferrs.items()})
                data = spec.to_data(extra_values, inputs)
                if case is None:
                    case = spec.create(request.user, data)
                else:
                    case = application_update(case, actor=request.user, data=data)
                return redirect(f"{ns}:detail", reference=case.reference)
            except (ValidationError, ProcedureError) as exc:
                errors, by_field = _errors_of(exc)
                labels = {f.name: f.label for f in rule_fields + extras}
                for f in rule_fields + extras:
                    f.error = _named(by_field.get(f.name) or by_field.get(f"inputs.{f.name}", ""),
                                     labels)
                # the summary above the form names each field by its label, never its code
                errors = [_named(e, labels) for e in errors]
                status = form_status(exc)
        elif case is not None:
            _fill(rule_fields, case.inputs)
            _fill(extras, spec.from_case(case))
        intro = spec.intro() if spec.intro else None
        return render(request, "recognition/form.html", {
            "spec": spec, "ns": ns, "case": case, "rule_fields": rule_fields,
            "extra_fields": extras, "errors": errors, "intro": intro}, status=status)

    @login_required
    def new_view(request):
        return _form(request)

    @login_required
    def edit_view(request, reference):
        case = _get(request, reference)
        return _form(request, case)

    def _detail(request, case, *, errors=(), status=200):
        forms = step_forms(request, case)
        editable = (case.state in model.procedure.editable_states
                    and case.applicant_id == request.user.pk)
        return render(request, spec.templates.get("detail", "recognition/detail.html"), {
            "spec": spec, "ns": ns, "case": case, "decision": case.decision,
            "steps": forms, "editable": editable,
            "checklist": [(k, v, k in model.procedure.required_documents,
                           [a for a in case.attachments() if a.key == k])
                          for k, v in model.procedure.checklist.items()],
            "history": history_rows(case), "errors": errors,
            "meeting_outcomes": MEETING_OUTCOMES, "extra": case.extra_out(),
            "has_reward": hasattr(case, "reward_amount_yuan"),
            # the latest decision kept for the case (procedures/_decision.html)
            "latest_decision": latest_decision_context(case, request.user),
            "qualifies_labels": [getattr(model, "TYPE_LABELS", {}).get(t, t)
                                 for t in (case.decision or {}).get("qualifies_for") or []],
        }, status=status)

    @login_required
    def detail_view(request, reference):
        return _detail(request, _get(request, reference))

    @login_required
    @require_POST
    def step_view(request, reference, name):
        case = _get(request, reference)
        case, refused = take_step_from_form(request, case, name)
        if refused:
            case.refresh_from_db()
            return _detail(request, case, errors=[refused.message], status=form_status(refused))
        return redirect(f"{ns}:detail", reference=case.reference)

    @login_required
    @require_POST
    def attach_view(request, reference):
        case = _get(request, reference)
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError({"file": "请选择要上传的文件"})
            attachment_add(case, key=request.POST.get("key", ""), file=upload,
                           name=upload.name or "", actor=request.user)
        except (ValidationError, ProcedureError) as exc:
            return _detail(request, case, errors=_errors_of(exc)[0],
                           status=form_status(exc))
        return redirect(f"{ns}:detail", reference=case.reference)

    urlpatterns = [
        path("", list_view, name="list"),
        path("new/", new_view, name="new"),
        path("<str:reference>/", detail_view, name="detail"),
        path("<str:reference>/edit/", edit_view, name="edit"),
        path("<str:reference>/attach/", attach_view, name="attach"),
        path("<str:reference>/step/<str:name>/", step_view, name="step"),
    ]
    return urlpatterns, _get
