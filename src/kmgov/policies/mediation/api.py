"""JSON API of the mediation module: committees' records, counties' rates, claims and reports
(their steps go through /api/v1/cases/mediation-claim/… and /api/v1/cases/mediation-report/…),
spot checks, and the budget."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.procedures.api import CaseOut, ErrorOut, case_out
from kmgov.procedures.ledger import Budget

from . import selectors, services

router = Router(tags=["人民调解以奖代补 mediation"])


class RecordIn(Schema):
    committee: str
    agreement_no: str
    agreement_signed_on: dt.date
    grade: str
    summary: str = ""


class RecordOut(Schema):
    id: int
    committee: str
    county: str
    agreement_no: str
    agreement_signed_on: dt.date
    grade: str
    claim: str | None
    reward_yuan: str | None
    flagged_false: bool
    flag_reason: str


def record_out(r) -> dict:
    return dict(id=r.id, committee=r.committee.code, county=r.county.code,
                agreement_no=r.agreement_no, agreement_signed_on=r.agreement_signed_on,
                grade=r.grade, claim=r.claim.reference if r.claim_id else None,
                reward_yuan=str(r.reward_yuan) if r.reward_yuan is not None else None,
                flagged_false=r.flagged_false, flag_reason=r.flag_reason)


@router.post("/records", response={201: RecordOut, 400: ErrorOut, 403: ErrorOut},
             auth=LOGIN_REQUIRED, summary="人民调解委员会录入一件成功调解的纠纷")
def record_create(request, payload: RecordIn):
    rec = services.record_create(actor=request.user, **payload.dict())
    return Status(201, record_out(rec))


@router.get("/records", response=list[RecordOut], auth=LOGIN_REQUIRED,
            summary="成功调解案件（按权限范围）")
def records(request):
    return [record_out(r) for r in selectors.records_visible(request.user)]


class FlagIn(Schema):
    reason: str


@router.post("/records/{record_id}/flag-false",
             response={200: RecordOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             auth=LOGIN_REQUIRED, summary="抽查认定虚报：剔除或追回")
def record_flag(request, record_id: int, payload: FlagIn):
    return record_out(services.record_flag_false(record_id, actor=request.user,
                                                 reason=payload.reason))


class RatesIn(Schema):
    county: str
    ordinary: float
    difficult: float
    major: float


@router.post("/rates", response={200: dict, 400: ErrorOut, 403: ErrorOut},
             auth=LOGIN_REQUIRED, summary="县区自定奖励标准（元/件）")
def rates_set(request, payload: RatesIn):
    row = services.county_rates_set(actor=request.user, **payload.dict())
    return {"county": row.county.code, "ordinary": str(row.ordinary),
            "difficult": str(row.difficult), "major": str(row.major)}


class CountyIn(Schema):
    county: str


@router.post("/claims", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut},
             auth=LOGIN_REQUIRED, summary="新建县区奖励申领（草稿）")
def claim_create(request, payload: CountyIn):
    case = services.claim_create(actor=request.user, county=payload.county)
    return Status(201, case_out(case, request.user))


class ReportIn(Schema):
    county: str
    year: int = 2010


@router.post("/reports", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut},
             auth=LOGIN_REQUIRED, summary="新建县区试行工作总结报告（草稿）")
def report_create(request, payload: ReportIn):
    case = services.report_create(actor=request.user, county=payload.county, year=payload.year)
    return Status(201, case_out(case, request.user))


@router.get("/budget", response=list[dict], auth=LOGIN_REQUIRED, summary="经费额度与占用")
def budget(request):
    return [{"key": b.key, "label": b.label, "cap": str(b.cap), "committed": str(b.committed),
             "remaining": str(b.remaining), "citation": b.citation}
            for b in Budget.objects.filter(key__startswith="mediation.")]
