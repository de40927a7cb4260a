"""The procedures kernel's JSON API: the inbox, and a view of any registered procedure's
cases (read, take a step, attach a document). Policy modules may add their own endpoints for
creating cases with their own fields; these work for all of them.

Each step of each registered procedure is its own operation,
`POST /cases/{procedure}/{reference}/steps/{step}`, generated from the declaration: its
request body is `{"reason", "expected_state", "data"}` with `data` the step's declared input
(`additionalProperties: false`), published in the OpenAPI document and validated by the
kernel (422 with a Chinese message per field, nothing written) — the same validation the
page forms and the CLI go through.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.db import transaction
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from kmgov.core.api_auth import LOGIN_REQUIRED

from . import selectors, services
from .decisions import decision_summary_out
from .declare import StepSpec, registered, steps_of
from .errors import StepInputInvalid
from .inputs import json_schema
from .paging import offset_param

router = Router(tags=["办事程序 procedures"])


class InboxItemOut(Schema):
    id: int
    kind: str
    procedure: str
    case_reference: str
    case_title: str
    case_state: str
    org: str
    what: str
    assignee: str
    due_at: str | None
    created_at: str
    done_at: str | None


class StepOut(Schema):
    name: str
    label: str


class HistoryOut(Schema):
    at: str
    actor: str | None
    action: str
    from_state: str
    to_state: str
    reason: str


class CiteOut(Schema):
    text: str
    quote: str = ""
    url: str


class PointOut(Schema):
    text: str
    citation: CiteOut | None = None


class AmountOut(Schema):
    label: str
    yuan: str


class DecisionSummaryOut(Schema):
    """The latest decision kept for the case, in plain Chinese (procedures.decisions)."""

    rule: str
    rule_title: str
    subject: str
    step: str
    decided_at: str
    as_of: str
    outcome: str
    outcome_code: str | None
    refused: bool
    amounts: list[AmountOut]
    amounts_yuan: dict[str, str]
    met: list[PointOut]
    unmet: list[PointOut]
    basis: list[PointOut]
    next: list[PointOut]
    citations: list[CiteOut | None]


class DecisionRecordOut(Schema):
    step: str
    step_label: str
    subject: str
    rule: str
    rule_title: str
    inputs: dict[str, Any]
    as_of: str
    outcome: str
    outcome_label: str
    amounts: dict[str, str]
    trace: list[dict[str, Any]]
    parameters: list[dict[str, Any]]
    interpretations: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    decided_by: str | None
    decided_at: str


class CaseOut(Schema):
    procedure: str
    reference: str
    title: str
    state: str
    state_label: str
    version: int
    org: str
    applicant: str | None
    due_at: str | None
    steps: list[StepOut]
    attachments: list[dict[str, Any]]
    history: list[HistoryOut]
    decision: DecisionSummaryOut | None = None


class ErrorOut(Schema):
    detail: Any
    field: str | None = None
    code: str | None = None
    errors: list[dict[str, Any]] | None = None


def _iso(v):
    return v.isoformat() if v else None


def _item_out(i) -> dict:
    return dict(
        id=i.id, kind=i.kind, procedure=i.procedure, case_reference=i.case_reference,
        case_title=i.case_title, case_state=i.case_state, org=i.org.code, what=i.what,
        assignee=i.assignee_label(), due_at=_iso(i.due_at), created_at=i.created_at.isoformat(),
        done_at=_iso(i.done_at))


def case_out(case, user) -> dict:
    return dict(
        procedure=case.procedure.code, reference=case.reference, title=case.title,
        state=case.state, state_label=case.state_label(), version=case.version,
        org=case.org.code, applicant=case.applicant.username if case.applicant_id else None,
        due_at=_iso(case.due_at),
        steps=[dict(name=s.name, label=s.label) for s in selectors.steps_available(case, user)],
        attachments=[
            dict(key=a.key, name=a.original_name, type=a.mime_type, size=a.size,
                 sha256=a.sha256, uploaded_at=a.uploaded_at.isoformat())
            for a in selectors.attachments_visible(case, user)
        ],
        history=[
            dict(at=e.at.isoformat(), actor=e.actor.username if e.actor else None,
                 action=e.action, from_state=e.from_state, to_state=e.to_state, reason=e.reason)
            for e in selectors.case_history(case)
        ],
        decision=decision_summary_out(selectors.decision_latest(case, user), case),
    )


def decision_record_out(r) -> dict:
    return dict(step=r.step, step_label=r.step_label, subject=r.subject, rule=r.rule,
                rule_title=r.rule_title, inputs=r.inputs, as_of=r.as_of.isoformat(),
                outcome=r.outcome, outcome_label=r.outcome_label, amounts=r.amounts,
                trace=r.trace, parameters=r.parameters, interpretations=r.interpretations,
                citations=r.citations,
                decided_by=r.decided_by.username if r.decided_by_id else None,
                decided_at=r.decided_at.isoformat())


@router.get("/inbox", response=list[InboxItemOut], auth=LOGIN_REQUIRED,
            summary="我的待办（按角色与权限范围）")
def inbox(request, include_done: bool = False,
          limit: int = Query(200, ge=1, le=1000, description="最多返回条数"),
          offset: int = offset_param()):
    """At most `limit` items, soonest due first, from `offset` on (to page)."""
    items = selectors.inbox_for(request.user, include_done=include_done)[offset:offset + limit]
    return [_item_out(i) for i in items]


@router.get("/cases/{procedure}/{reference}", response={200: CaseOut, 404: ErrorOut},
            auth=LOGIN_REQUIRED, summary="一件事项：状态、可办理的操作、材料与办理记录")
def case_detail(request, procedure: str, reference: str):
    case = selectors.case_get(procedure=procedure, reference=reference, user=request.user)
    return case_out(case, request.user)


@router.get("/cases/{procedure}/{reference}/decisions",
            response={200: list[DecisionRecordOut], 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="一件事项的全部规则判定记录（含计算过程、所用参数与依据）")
def case_decisions(request, procedure: str, reference: str):
    case = selectors.case_get(procedure=procedure, reference=reference, user=request.user)
    return [decision_record_out(r) for r in
            selectors.decisions_of(case, request.user).select_related("decided_by")]


@router.post("/cases/{procedure}/{reference}/attachments",
             response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut},
             auth=LOGIN_REQUIRED, summary="上传材料清单中的一份材料（按内容检查类型与大小）")
def case_attach(request, procedure: str, reference: str, key: Form[str],
                file: File[UploadedFile]):
    case = selectors.case_get(procedure=procedure, reference=reference, user=request.user)
    services.attachment_add(case, key=key, file=file, name=file.name or "", actor=request.user)
    return case_out(case, request.user)


class PaymentOut(Schema):
    case_reference: str
    tranche: str
    label: str
    amount: str
    payer: str
    payee: str
    paid_at: str
    paid_by: str | None
    citation: str
    note: str


def payment_out(p) -> dict:
    return dict(case_reference=p.case_reference, tranche=p.tranche, label=p.label,
                amount=str(p.amount), payer=p.payer.code, payee=p.payee.code,
                paid_at=p.paid_at.isoformat(),
                paid_by=p.paid_by.username if p.paid_by_id else None, citation=p.citation,
                note=p.note)


@router.get("/ledger/{procedure}", response={200: list[PaymentOut], 404: ErrorOut},
            auth=LOGIN_REQUIRED, summary="一项办事程序的支付台账（按权限范围）")
def ledger(request, procedure: str):
    return [payment_out(p) for p in selectors.payments_visible(procedure, request.user)]


# ---------------------------------------------------------------- one operation per step

#: The envelope every step body shares; `data` is the step's own input.
ENVELOPE = ("reason", "expected_state", "data")
REASON_MAX = 2000


def _inline_defs(schema: dict) -> dict:
    """A pydantic schema with its `$defs` inlined (the OpenAPI document keeps each request
    body self-contained; step inputs are not recursive)."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.rsplit("/", 1)[-1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(x) for x in node]
        return node

    return walk(schema)


def step_body_schema(spec: StepSpec) -> dict:
    """The JSON schema of a step's request body."""
    return {
        "type": "object", "additionalProperties": False,
        "properties": {
            "reason": {"type": "string", "maxLength": REASON_MAX, "title": "意见或理由",
                       "default": ""},
            "expected_state": {"anyOf": [{"type": "string"}, {"type": "null"}],
                               "title": "办理人看到的状态（并发保护）", "default": None},
            "data": _inline_defs(json_schema(spec.input)),
        },
        "required": ["data"] if spec.input is not None and spec.input.model_fields and any(
            f.is_required() for f in spec.input.model_fields.values()) else [],
    }


def parse_step_body(request) -> tuple[str, str | None, dict]:
    """(reason, expected_state, data) of a step request, or `StepInputInvalid`."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise StepInputInvalid("请求体须为JSON对象", errors=[
            {"field": "body", "message": "请求体须为JSON对象"}]) from None
    if not isinstance(body, dict):
        raise StepInputInvalid("请求体须为JSON对象", errors=[
            {"field": "body", "message": "请求体须为JSON对象"}])
    unknown = [k for k in body if k not in ENVELOPE]
    if unknown:
        errors = [{"field": k, "message": f"不接受“{k}”（可填：reason、expected_state、data）"}
                  for k in unknown]
        raise StepInputInvalid(errors[0]["message"], errors=errors)
    reason = body.get("reason", "")
    if not isinstance(reason, str) or len(reason) > REASON_MAX:
        raise StepInputInvalid(f"意见或理由须为不超过{REASON_MAX}字的文字", errors=[
            {"field": "reason", "message": f"意见或理由须为不超过{REASON_MAX}字的文字"}])
    expected = body.get("expected_state")
    if expected is not None and not isinstance(expected, str):
        raise StepInputInvalid("expected_state须为状态名称", errors=[
            {"field": "expected_state", "message": "须为状态名称"}])
    return reason, expected, body.get("data") or {}


def _step_operation(model, spec: StepSpec):
    code = model.procedure.code

    def take_step(request, reference: str):
        reason, expected, data = parse_step_body(request)
        # The case is read once, locked, within the reader's scope, and the step taken on
        # that row (`held`): not read again under the lock. Any refusal rolls back the whole.
        with transaction.atomic():
            case = selectors.case_get(procedure=code, reference=reference, user=request.user,
                                      lock=True)
            services.case_read_locked(case)
            case = services.case_step(case, spec.name, actor=request.user, reason=reason,
                                      expected_state=expected or case.state, data=data,
                                      held=True)
        return case_out(case, request.user)

    take_step.__name__ = f"step_{code}_{spec.name}".replace("-", "_")
    return take_step


def _add_step_operations(target: Router) -> None:
    apps.check_models_ready()
    for code, model in sorted(registered().items()):
        for name, spec in sorted(steps_of(model).items()):
            view = _step_operation(model, spec)
            target.add_api_operation(
                f"/cases/{code}/{{reference}}/steps/{name}", ["POST"], view,
                auth=LOGIN_REQUIRED, operation_id=view.__name__,
                response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                          400: ErrorOut, 422: ErrorOut},
                summary=f"{model.procedure.name}：{spec.label}",
                description=(f"由{spec.describe_actors()}办理。" + (spec.help or "")
                             + (f"（{spec.citation}）" if spec.citation else "")),
                tags=[f"办事程序：{model.procedure.name}"],
                openapi_extra={"requestBody": {"required": True, "content": {
                    "application/json": {"schema": step_body_schema(spec)}}}})


_add_step_operations(router)

# Scheduled filings' endpoints (`/filings…`) and the notification outbox's
# (`/notifications…`) live beside, on this router.
from . import filing_api, imports_api, notify_api  # noqa: E402,F401
