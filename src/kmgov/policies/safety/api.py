"""JSON API of the safety module under /api/v1/safety/ (a form's filing and a warning's steps
go through /api/v1/cases/zero-report-N/… and /api/v1/cases/safety-warning/…)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.core.models import OrgUnit
from kmgov.core.replica import reads_from_replica
from kmgov.procedures.api import CaseOut, ErrorOut, case_out
from kmgov.procedures.errors import CaseNotFound, ConditionUnmet
from kmgov.procedures.filings import Period, PeriodKeyInvalid, PeriodKind

from . import selectors, services
from .ledger import ledger_xlsx

router = Router(tags=["安全生产零申报与警示 safety"])


def _period(period: str) -> str:
    try:
        return Period.parse(period, PeriodKind.HALF).key
    except PeriodKeyInvalid as exc:
        raise ConditionUnmet(str(exc), field="period") from None


class StartIn(Schema):
    org: str
    form: int


@router.post("/zero-reports/{period}/start", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut,
                                                       404: ErrorOut, 409: ErrorOut},
             auth=LOGIN_REQUIRED, summary="开始填报一张零申报表（表一至表九）")
def zero_report_start(request, period: str, payload: StartIn):
    org = OrgUnit.objects.filter(code=payload.org).first()
    if org is None:
        raise CaseNotFound(f"没有代码为“{payload.org}”的单位", field="org")
    case = services.zr_start(payload.form, _period(period), org=org, actor=request.user)
    return Status(201, case_out(case, request.user))


def _cell_out(c):
    return None if c is None else {k: c[k] for k in ("status", "label", "reference",
                                                      "not_implemented", "contradictions")}


@router.get("/consolidated", response={200: dict[str, Any], 400: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="零申报汇总：所辖单位 × 表一至表九（已报、未报、不落实项数）")
@reads_from_replica
def consolidated(request, period: str, under: str = ""):
    unit = OrgUnit.objects.filter(code=under).first() if under else None
    view = selectors.consolidated(request.user, _period(period), under=unit)
    return {"period": view["period"], "period_label": view["period_label"], "forms": view["forms"],
            "rows": [{"org": r["org"].code, "org_name": r["org"].name, "level": r["level"],
                      "cells": [_cell_out(c) for c in r["cells_list"]]} for r in view["rows"]],
            "not_filed": [r["org"].code for r in view["not_filed"]]}


@router.get("/counties", response={200: list[dict[str, Any]], 400: ErrorOut, 403: ErrorOut},
            auth=LOGIN_REQUIRED, summary="市安委办：各县（市）区零申报汇总")
def counties(request, period: str):
    rows = selectors.counties_view(request.user, _period(period))
    if rows is None:
        from kmgov.procedures.errors import TransitionDenied

        raise TransitionDenied("只有市安全生产委员会办公室可以查看各县（市）区汇总", field="role")
    return [{"county": r["county"].code, "county_name": r["county"].name, "owing": r["owing"],
             "filed": r["filed"], "missing": r["missing"], "not_implemented": r["not_implemented"],
             "own": r["own_list"]} for r in rows]


class AccidentIn(Schema):
    org: str
    occurred_on: dt.date
    grade: str
    deaths: int = 0
    summary: str


@router.post("/accidents", response={201: dict[str, Any], 400: ErrorOut, 403: ErrorOut,
                                     422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="登记安全生产事故（一般、较大、重大、特别重大）")
def accident_create(request, payload: AccidentIn):
    a = services.accident_record(actor=request.user, data={
        **payload.dict(), "occurred_on": payload.occurred_on.isoformat()})
    return Status(201, {"id": a.pk, "org": a.org.code, "occurred_on": a.occurred_on.isoformat(),
                        "grade": a.grade, "deaths": a.deaths})


class WarningIn(Schema):
    recipient: str
    level: str
    grounds: list[str] = []
    notice_text: str = ""


@router.post("/warnings", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="拟发警示（发出见 /api/v1/cases/safety-warning/{ref}/steps/issue|admonish）")
def warning_create(request, payload: WarningIn):
    w = services.warning_draft(actor=request.user, data=payload.dict())
    return Status(201, case_out(w, request.user))


@router.get("/warnings", response={200: list[dict[str, Any]], 400: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="警示台账（按县区、措施、期间筛选；format=xlsx 导出）")
def warnings(request, county: str = "", level: str = "", period: str = "", format: str = ""):
    rows = selectors.ledger(request.user, county=county, level=level, period=period)
    if format == "xlsx":
        resp = HttpResponse(ledger_xlsx(rows), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        resp["Content-Disposition"] = 'attachment; filename="safety-warnings.xlsx"'
        return resp
    return [{"reference": r["reference"], "level": r["warning"].level, "level_label": r["level"],
             "grounds": r["warning"].grounds, "issuer": r["warning"].issuer_org.code,
             "recipient": r["warning"].org.code, "recipient_name": r["recipient"],
             "issued_on": r["issued_on"], "answer_due_on": r["due_on"],
             "answered_on": r["answered_on"], "answer_late": r["answer_late"],
             "escalations": r["escalations"], "state": r["warning"].state,
             "outcome": r["outcome"], "from_zero_report": bool(r["source"])} for r in rows]
