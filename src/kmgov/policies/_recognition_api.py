"""JSON API of a recognition procedure: list, create, read, edit the draft, and the HQ card.

Steps and attachments use the kernel's generic endpoints
(`POST /api/v1/cases/{code}/{reference}/steps/{name}`, `…/attachments`); these endpoints add
what the kernel cannot know: the procedure's own fields and the rule's decision with its trace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.core.models import OrgUnit
from kmgov.procedures.api import ErrorOut, case_out
from kmgov.procedures.errors import CaseNotFound
from kmgov.procedures.selectors import case_get
from kmgov.rules.plain import summary_text

from ._recognition_services import application_create, application_update, cases_for


class ListItemOut(Schema):
    reference: str
    title: str
    state: str
    state_label: str
    year: int
    org: str
    org_name: str
    county: str | None
    decision_outcome: str
    summary: str


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError({"__all__": "请求体须为JSON对象"}) from None
    if not isinstance(data, dict):
        raise ValidationError({"__all__": "请求体须为JSON对象"})
    return data


def detail_out(case, user) -> dict:
    out = case_out(case, user)
    out.update(
        year=case.year, inputs=case.inputs, decision=case.decision,
        # the decision said plainly for the type applied for (rules.plain), one paragraph
        decision_summary=(summary_text(case.decision, focus=getattr(case, "hq_type", None))
                          if case.decision else None),
        decision_outcome=case.decision_outcome, review_note=case.review_note,
        meeting={"date": case.meeting_date.isoformat() if case.meeting_date else None,
                 "members": case.meeting_members, "outcome": case.meeting_outcome,
                 "minutes": case.meeting_minutes},
        approved_at=case.approved_at.isoformat() if case.approved_at else None,
        filed_at=case.filed_at.isoformat() if case.filed_at else None,
        filing_number=case.filing_number, closed_reason=case.closed_reason,
        checklist=case.procedure.checklist,
        required_documents=list(case.procedure.required_documents),
    )
    out.update(case.extra_out())
    return out


def make_router(model, *, tags: list[str], create: Callable[..., Any]) -> Router:
    """`create(request, data)` makes the draft from the request body (procedure-specific)."""
    router = Router(tags=tags)
    code = model.procedure.code

    @router.get("/applications", response=list[ListItemOut], auth=LOGIN_REQUIRED,
                summary="申报列表（按角色与权限范围）", operation_id=f"{code}_list_applications")
    def list_applications(request, state: str | None = None, year: int | None = None,
                          county: str | None = None,
                          limit: int = Query(200, ge=1, le=1000, description="最多返回条数")):
        qs = cases_for(model, request.user, state=state, year=year, county=county)
        out = []
        for c in qs[:limit]:
            county_unit = c.org.county_level()
            out.append(dict(reference=c.reference, title=c.title, state=c.state,
                            state_label=c.state_label(), year=c.year, org=c.org.code,
                            org_name=c.org.name, county=county_unit.code if county_unit else None,
                            decision_outcome=c.decision_outcome, summary=c.summary()))
        return out

    @router.post("/applications", response={201: dict, 400: ErrorOut, 403: ErrorOut,
                                            409: ErrorOut},
                 auth=LOGIN_REQUIRED, summary="新建申报草稿（即时给出规则判定与计算过程）",
                 operation_id=f"{code}_create_application")
    def create_application(request):
        data = _body(request)
        org = None
        if "org" in data:
            org = OrgUnit.objects.filter(code=str(data.pop("org"))).first()
            if org is None:
                raise ValidationError({"org": "没有这个申报单位（org）"})
        case = create(request.user, org, data)
        return 201, detail_out(case, request.user)

    @router.get("/applications/{reference}", response={200: dict, 404: ErrorOut},
                auth=LOGIN_REQUIRED, summary="一件申报：状态、判定与计算过程、材料、记录",
                operation_id=f"{code}_get_application")
    def get_application(request, reference: str):
        case = case_get(procedure=code, reference=reference, user=request.user)
        return detail_out(case, request.user)

    @router.patch("/applications/{reference}",
                  response={200: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                            409: ErrorOut},
                  auth=LOGIN_REQUIRED, summary="修改申报草稿（或退回补正中的申报）",
                  operation_id=f"{code}_update_application")
    def update_application(request, reference: str):
        case = case_get(procedure=code, reference=reference, user=request.user)
        case = application_update(case, actor=request.user, data=_body(request))
        return detail_out(case, request.user)

    return router


__all__ = ["make_router", "detail_out", "application_create", "CaseNotFound"]
