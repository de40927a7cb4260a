"""The procedures kernel's JSON API: the inbox, and a generic view of any registered
procedure's cases (read, take a step, attach a document). Policy modules may add their own
endpoints for creating cases with their own fields; these work for all of them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from kmgov.core.api_auth import LOGIN_REQUIRED

from . import selectors, services
from .errors import ProcedureError

router = Router(tags=["办事程序 procedures"])


def render_error(api, request: HttpRequest, exc: ProcedureError):
    """Exception handler: a refusal as {"detail", "field", "code"} with its HTTP status."""
    return api.create_response(request, exc.as_dict(), status=exc.status)


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


class TransitionIn(Schema):
    reason: str = ""
    expected_state: str | None = None
    data: dict[str, Any] = {}


class ErrorOut(Schema):
    detail: Any
    field: str | None = None
    code: str | None = None


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
            for a in case.attachments()
        ],
        history=[
            dict(at=e.at.isoformat(), actor=e.actor.username if e.actor else None,
                 action=e.action, from_state=e.from_state, to_state=e.to_state, reason=e.reason)
            for e in selectors.case_history(case)
        ],
    )


@router.get("/inbox", response=list[InboxItemOut], auth=LOGIN_REQUIRED,
            summary="我的待办（按角色与权限范围）")
def inbox(request, include_done: bool = False,
          limit: int = Query(200, ge=1, le=1000, description="最多返回条数"),
          offset: int = Query(0, ge=0, description="从第几条起（分页）")):
    """At most `limit` items, soonest due first, from `offset` on (to page)."""
    items = selectors.inbox_for(request.user, include_done=include_done)[offset:offset + limit]
    return [_item_out(i) for i in items]


@router.get("/cases/{procedure}/{reference}", response={200: CaseOut, 404: ErrorOut},
            auth=LOGIN_REQUIRED, summary="一件事项：状态、可办理的操作、材料与办理记录")
def case_detail(request, procedure: str, reference: str):
    case = selectors.case_get(procedure=procedure, reference=reference, user=request.user)
    return case_out(case, request.user)


@router.post("/cases/{procedure}/{reference}/steps/{name}",
             response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut},
             auth=LOGIN_REQUIRED, summary="办理一个环节（提交、审核通过、退回、不予批准、撤回…）")
def case_step(request, procedure: str, reference: str, name: str, payload: TransitionIn):
    case = selectors.case_get(procedure=procedure, reference=reference, user=request.user)
    case = services.case_transition(
        case, name, actor=request.user, reason=payload.reason,
        expected_state=payload.expected_state or case.state, **payload.data)
    return case_out(case, request.user)


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
