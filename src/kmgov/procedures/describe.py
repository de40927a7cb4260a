"""A procedure's declaration as data: its states, steps, who takes them, what each step
takes (the JSON schema of its input) and the deadlines it starts. Read by
`kmgov procedures describe`, the generated pages and the documentation; nothing here
is written by hand per procedure."""

from __future__ import annotations

from typing import Any

from kmgov.core.models import Role

from .declare import (
    AT_CITY,
    AT_COUNTY,
    AT_ORG,
    SCOPE_ANY,
    Await,
    DeadlineRule,
    StepSpec,
    registered,
    step_sources,
    step_target,
    steps_of,
)
from .filings import obligations_of_form
from .inputs import json_schema


def _en(text: str) -> str:
    """The English of a declared Chinese label (from the translation catalogue)."""
    from django.utils import translation

    with translation.override("en"):
        return translation.gettext(text)


_AT_LABELS = {AT_ORG: "事项所属单位", AT_COUNTY: "所属县（市）区", AT_CITY: "市级"}


def _at(at) -> str:
    if at is None:
        return ""
    if callable(at):
        return getattr(at, "__doc__", None) and at.__doc__.strip().splitlines()[0] or at.__name__
    return _AT_LABELS.get(at, at)


def _role(code: str) -> dict:
    try:
        label = str(Role(code).label)
    except ValueError:
        label = code
    return {"code": code, "label": label}


def _await(aw: Await) -> dict:
    return {"what": aw.what, "applicant": aw.applicant,
            "role": _role(aw.role) if aw.role else None, "at": _at(aw.at) if aw.role else ""}


def _period(value) -> dict:
    """A period's length as declared: a number, a parameter (with today's value) or a
    function of the case (its first doc line)."""
    if value is None or isinstance(value, int):
        return {"value": value}
    if isinstance(value, str):
        from kmgov.rules import parameter_value, today

        return {"value": int(parameter_value(value, today())), "parameter": value}
    doc = (getattr(value, "__doc__", None) or "").strip().splitlines()
    return {"value": None, "depends_on_case": doc[0] if doc else "视事项而定"}


def _deadline(rule: DeadlineRule) -> dict:
    count = str(rule.count)
    days, remind = _period(rule.days), _period(rule.remind_before)
    return {"days": days["value"], "days_declared": days, "count": count,
            "count_label": "工作日" if count == "working" else "自然日",
            "remind_before": remind["value"], "remind_before_declared": remind,
            "what": rule.what,
            "escalate_to": ({"role": _role(rule.escalate_to.role), "at": _at(rule.escalate_to.at)}
                            if rule.escalate_to else None),
            "citation": rule.citation}


def state_labels(model) -> dict[str, str]:
    return {str(k): str(v) for k, v in model._meta.get_field("state").flatchoices}


def describe_step(model, spec: StepSpec) -> dict[str, Any]:
    labels = state_labels(model)
    sources = step_sources(model, spec.name)
    targets = sorted({str(step_target(model, spec.name, s)) for s in sources})
    return {
        "name": spec.name, "label": spec.label, "label_en": _en(spec.label),
        "from": [{"name": s, "label": labels.get(s, s), "label_en": _en(labels.get(s, s))}
                 for s in sources],
        "to": [{"name": t, "label": labels.get(t, t), "label_en": _en(labels.get(t, t))}
               for t in targets],
        "who": spec.describe_actors(),
        "applicant": spec.applicant,
        "roles": [_role(r) for r in sorted(spec.roles)],
        "roles_at": _at(spec.at) if spec.at else ("任意单位" if spec.scope == SCOPE_ANY
                                                 else "事项所属单位或其上级"),
        "window": spec.window, "reason_required": spec.reason_required,
        "conditions": [c.message if isinstance(c.message, str) else "（视事项而定）"
                       for c in spec.conditions],
        "awaits": [_await(a) for a in spec.awaits],
        "deadlines": [_deadline(d) for d in spec.deadlines],
        "input": json_schema(spec.input),
        "help": spec.help, "citation": spec.citation,
        # separation of duties (declare.Duty): who may not take this step
        "duty": ({"name": spec.duty.value, "label": spec.duty.label, "stage": spec.stage,
                  "not_by": _not_by(model, spec),
                  "from": [{"name": s, "label": labels.get(s, s)} for s in sorted(spec.duty_from)]}
                 if spec.duty is not None else None),
        # why an official's step decides nothing ("" for a deciding or an applicant's step)
        "routine": spec.routine,
    }


def _not_by(model, spec: StepSpec) -> str:
    """Who may not take a deciding step, in words (declare.Duty, `apart_from`)."""
    if spec.apart_from is None:
        return "申请人、事项创建人、已在本事项其他环节审核、审批或拨付的人员"
    steps = steps_of(model)
    labels = model.procedure.action_labels or {}
    named = [f"办理“{steps[a].label}”的人员" if a in steps
             else "事项创建人" if a == "create" else f"办理“{labels.get(a, a)}”的人员"
             for a in spec.apart_from]
    return "、".join(["申请人", *named])


def describe_procedure(model) -> dict[str, Any]:
    proc = model.procedure
    return {
        "code": proc.code, "name": proc.name, "name_en": _en(proc.name), "reference_prefix": proc.prefix(),
        "citation": proc.citation, "model": model._meta.label,
        "window": proc.window.describe() if proc.window is not None else None,
        "checklist": [{"key": k, "label": v, "required": k in proc.required_documents}
                      for k, v in proc.checklist.items()],
        "states": [{"name": k, "label": v, "label_en": _en(v)}
                   for k, v in state_labels(model).items()],
        "initial_state": str(model._meta.get_field("state").default),
        "steps": [describe_step(model, spec) for _, spec in sorted(steps_of(model).items())],
        "obligations": [_obligation(ob) for ob in obligations_of_form(proc.code)],
    }


def _obligation(ob) -> dict[str, Any]:
    """A scheduled filing this procedure is the form of: who owes it, when, to whom."""
    return {"code": ob.code, "name": ob.name, "name_en": _en(ob.name),
            "period": str(ob.period.value), "filed_by_step": ob.filed_by_step,
            "filers": ob.filers.describe(), "receiver": _role(ob.receiver.role),
            "window": {"open": list(ob.window.open), "close": list(ob.window.close),
                       "parameter": ob.window.parameter or None},
            "remind_before": ob.remind_before, "escalate": ob.escalate,
            "rollup_of": ob.rollup_of or None, "citation": ob.citation}


def describe_all() -> list[dict[str, Any]]:
    return [describe_procedure(m) for _, m in sorted(registered().items())]
