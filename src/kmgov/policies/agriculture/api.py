"""JSON API of the agriculture reimbursement claim: open a claim, add/remove lines (each
checked by its rule), record a plan override, import lines from xlsx. Steps go through
/api/v1/cases/ag-claim/…; payments through /api/v1/ledger/ag-claim."""

from __future__ import annotations

import tempfile
from typing import Any

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.core.sheets import check_size_value
from kmgov.procedures.api import ErrorOut, case_out

from . import imports, selectors, services

router = Router(tags=["滇池流域农业结构调整 agriculture"])


class ClaimIn(Schema):
    county: str
    year: int


class LineIn(Schema):
    kind: str
    claimed_yuan: float
    township: str | None = None
    inputs: dict[str, Any] = {}


class ReasonIn(Schema):
    reason: str


def line_out(ln) -> dict:
    return dict(id=ln.id, row_no=ln.row_no, kind=ln.kind,
                township=ln.township.code if ln.township_id else None, inputs=ln.inputs,
                quantity=str(ln.quantity), claimed_yuan=str(ln.claimed_yuan),
                computed_yuan=str(ln.computed_yuan), accepted=ln.accepted, reasons=ln.reasons,
                city_share=str(ln.city_share), city_yuan=str(ln.city_yuan),
                county_yuan=str(ln.county_yuan))


def claim_out(claim, user) -> dict:
    out = case_out(claim, user)
    plan = claim.plan_status()
    out.update(
        year=claim.year, claimed_yuan=str(claim.claimed_yuan),
        accepted_yuan=str(claim.accepted_yuan), city_yuan=str(claim.city_yuan),
        county_yuan=str(claim.county_yuan),
        lines=[line_out(ln) for ln in claim.lines.select_related("township")],
        plan={k: (str(v) if v is not None and not isinstance(v, bool) else v) for k, v in plan.items()},
        plan_override=(dict(by=claim.plan_override_by.username, reason=claim.plan_override_reason,
                            at=claim.plan_override_at.isoformat())
                       if claim.plan_override_by_id else None))
    return out


@router.post("/claims", response={201: dict, 400: ErrorOut, 403: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="新建县区报账单（草稿）")
def claim_create(request, payload: ClaimIn):
    claim = services.claim_create(actor=request.user, county=payload.county, year=payload.year)
    return Status(201, claim_out(claim, request.user))


@router.post("/claims/import", response={201: dict, 202: dict, 400: ErrorOut, 403: ErrorOut,
                                         422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="从xlsx导入报账明细（有错误则不导入任何一行）",
             description="background=true：在后台导入，返回202和导入任务（GET /claims/imports/{id} 查看进度）。"
                         "文件大小和行数有上限（KMGOV_IMPORT_MAX_BYTES、KMGOV_IMPORT_MAX_ROWS）。")
def claim_import(request, county: Form[str], year: Form[int], file: File[UploadedFile],
                 background: Form[bool] = False):
    if background:
        job = imports.import_start(actor=request.user, county=county, year=year, upload=file)
        return Status(202, imports.import_out(job))
    if file.size is not None:
        check_size_value(file.size)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        for chunk in file.chunks():
            tmp.write(chunk)
        tmp.flush()
        claim = imports.claim_import(actor=request.user, county=county, year=year, path=tmp.name)
    return Status(201, claim_out(claim, request.user))


@router.get("/claims/imports/{import_id}", response={200: dict, 404: ErrorOut},
            auth=LOGIN_REQUIRED, summary="后台导入任务的进度和结果（仅提交人可见）")
def claim_import_progress(request, import_id: int):
    return imports.import_out(imports.import_get(import_id, request.user))


@router.get("/claims/{reference}", response={200: dict, 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="报账单：明细、规则核算、分担、计划控制")
def claim_detail(request, reference: str):
    return claim_out(selectors.claim_get(reference, request.user), request.user)


@router.post("/claims/{reference}/lines", response={201: dict, 400: ErrorOut, 403: ErrorOut,
                                                    404: ErrorOut, 409: ErrorOut},
             auth=LOGIN_REQUIRED, summary="增加一条报账明细（按规则核算）")
def line_add(request, reference: str, payload: LineIn):
    claim = selectors.claim_get(reference, request.user)
    services.line_add(claim, actor=request.user, **payload.dict())
    claim.refresh_from_db()
    return Status(201, claim_out(claim, request.user))


@router.delete("/claims/{reference}/lines/{line_id}",
               response={200: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
               auth=LOGIN_REQUIRED, summary="删除一条报账明细")
def line_remove(request, reference: str, line_id: int):
    claim = selectors.claim_get(reference, request.user)
    services.line_remove(claim, actor=request.user, line_id=line_id)
    claim.refresh_from_db()
    return claim_out(claim, request.user)


@router.post("/claims/{reference}/plan-override",
             response={200: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
             auth=LOGIN_REQUIRED, summary="市领导小组办公室确认超计划报账（记录确认人、理由）")
def plan_override(request, reference: str, payload: ReasonIn):
    claim = selectors.claim_get(reference, request.user)
    claim = services.plan_override(claim, actor=request.user, reason=payload.reason)
    return claim_out(claim, request.user)
