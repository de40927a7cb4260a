"""JSON API of the rules kernel: GET /rules, GET /rules/{id}, POST /rules/{id}/decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Body, Router, Schema

from .errors import RuleError
from .parameters import PARAMETERS
from .plain import summary_text
from .registry import RULES, get_rule
from .single import decide

router = Router(tags=["规则 rules"])


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem]


class CitationOut(Schema):
    docno: str
    path: str
    quote: str
    reference: str
    url: str


class RuleSummary(Schema):
    id: str
    title: str
    outputs: list[str]
    outcomes: list[str]
    citations: list[CitationOut]
    url: str


class RuleDetail(RuleSummary):
    doc: str
    vectorised: bool
    inputs_schema: dict
    parameters: list[dict]


def _error(exc: RuleError):
    return exc.status, {"detail": str(exc), "errors": exc.errors()}


def _summary(r) -> dict:
    return {"id": r.id, "title": r.title, "outputs": list(r.outputs), "outcomes": list(r.outcomes),
            "citations": [c.to_dict() for c in r.citations], "url": f"/api/v1/rules/{r.id}"}


@router.get("", response=list[RuleSummary], summary="全部规则")
def rules_list(request):
    return [_summary(r) for r in sorted(RULES.values(), key=lambda r: r.id)]


@router.get("/{rule_id}", response={200: RuleDetail, 404: ErrorOut, 422: ErrorOut}, summary="规则的输入结构、输出与带引用的参数")
def rules_show(request, rule_id: str, at: dt.date | None = None):
    try:
        rule = get_rule(rule_id)
    except RuleError as exc:
        return _error(exc)
    out = _summary(rule)
    out.update(doc=rule.doc, vectorised=rule.vectorised, inputs_schema=rule.schema(),
               parameters=[PARAMETERS[n].describe(at) for n in rule.parameter_names()])
    return 200, out


@router.post("/{rule_id}/decide", response={200: dict, 404: ErrorOut, 422: ErrorOut},
             summary="对一个案例作出决定（请求体为规则的输入；what-if 用 {\"inputs\": {...}, \"set\": {参数: 值}}）")
def rules_decide(request, rule_id: str, payload: dict[str, Any] = Body(...)):
    try:
        rule = get_rule(rule_id)
        inputs, overrides = payload, None
        if set(payload) <= {"inputs", "set"} and isinstance(payload.get("inputs"), dict):
            inputs = payload["inputs"]
            overrides = payload.get("set") or None
            if overrides is not None and not isinstance(overrides, dict):
                return 422, {"detail": "set: expected an object", "errors": [{"field": "set", "message": "expected an object"}]}
        out = decide(rule.id, inputs, overrides=overrides).to_dict()
        out["summary"] = summary_text(out)  # the decision said plainly (rules.plain)
        return 200, out
    except RuleError as exc:
        return _error(exc)
