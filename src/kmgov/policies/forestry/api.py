"""JSON API of the forestry procedures: open a project (steps, attachments and the payments
ledger go through the kernel's generic endpoints /api/v1/cases/forest/…, /api/v1/ledger/forest)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.procedures.api import CaseOut, ErrorOut, case_out

from . import services

router = Router(tags=["中低产林改造 forestry"])


class ProjectIn(Schema):
    org: str
    ownership: str
    holder_name: str
    area_mu: float
    pilot: bool = False
    method: str
    subcompartment: str = ""
    site_flags: dict[str, bool] = {}
    decision_date: dt.date | None = None
    decision_attendance: int | None = None
    decision_votes_for: int | None = None


@router.post("/projects", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut},
             auth=LOGIN_REQUIRED, summary="新建中低产林改造项目申请（草稿）")
def project_create(request, payload: ProjectIn):
    data = payload.dict()
    org = data.pop("org")
    case = services.project_create(actor=request.user, org=org, **data)
    return Status(201, case_out(case, request.user))
