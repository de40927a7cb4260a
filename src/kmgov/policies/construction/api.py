"""JSON API of 建设工程质检全覆盖 (111号): the project register, the supervision bodies and their
check, the scheduling of quarterly inspections and the city monthly report. The monthly
filings, inspections and rectifications are cases: their steps are
/api/v1/cases/cq-monthly|cq-city-monthly|cq-inspection|cq-rectification/…, who has not filed
is /api/v1/filings/cq-monthly?period=…"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from ninja import Router, Schema, Status

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.core.errors import InvalidInput, NotFound
from kmgov.core.replica import reads_from_replica
from kmgov.procedures.api import CaseOut, ErrorOut, case_out
from kmgov.procedures.filings import FIRST_YEAR, LAST_YEAR, PeriodKeyInvalid

from . import reports, selectors, services

router = Router(tags=["建设工程质检全覆盖 construction"])


@contextmanager
def _as_refusal():
    """A service's ValidationError as the 422 naming its field; a hidden object as 404."""
    try:
        yield
    except ValidationError as exc:
        field, msgs = next(iter(exc.message_dict.items())) if hasattr(exc, "error_dict") else (
            None, exc.messages)
        raise InvalidInput("；".join(msgs), field=None if field == "__all__" else field) from None
    except PeriodKeyInvalid as exc:
        raise InvalidInput(str(exc), field="period") from None
    except Http404 as exc:
        raise NotFound(str(exc) or "没有该对象") from None


class PartyIn(Schema):
    role: str
    unit_name: str
    legal_rep: str = ""
    person: str = ""
    phone: str = ""
    qualification: str = ""


class ProjectIn(Schema):
    org: str
    code: str
    name: str
    kind: str
    address: str = ""
    permit_no: str = ""
    started_on: dt.date | None = None
    status: str = "underway"
    parties: list[PartyIn] = []


class PartyOut(Schema):
    role: str
    role_label: str
    unit_name: str
    legal_rep: str
    person: str
    phone: str
    qualification: str


class ProjectOut(Schema):
    code: str
    org: str
    org_name: str
    name: str
    kind: str
    kind_label: str
    address: str
    permit_no: str
    started_on: dt.date | None
    status: str
    status_label: str
    parties: list[PartyOut]


def project_out(p) -> dict:
    return dict(code=p.code, org=p.org.code, org_name=p.org.name, name=p.name, kind=p.kind,
                kind_label=p.get_kind_display(), address=p.address, permit_no=p.permit_no,
                started_on=p.started_on, status=p.status, status_label=p.get_status_display(),
                parties=[dict(role=x.role, role_label=x.get_role_display(), unit_name=x.unit_name,
                              legal_rep=x.legal_rep, person=x.person, phone=x.phone,
                              qualification=x.qualification) for x in p.parties.all()])


@router.get("/projects", response=list[ProjectOut], auth=LOGIN_REQUIRED,
            summary="工程项目登记（按权限范围）")
def projects(request, org: str = "", q: str = ""):
    return [project_out(p) for p in selectors.projects_visible(request.user, org=org, q=q)[:1000]]


@router.post("/projects", response={201: ProjectOut, 403: ErrorOut, 422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="登记工程项目及其责任主体")
def project_create(request, payload: ProjectIn):
    with _as_refusal():
        p = services.project_create(actor=request.user, **payload.dict())
    return Status(201, project_out(p))


@router.get("/projects/{code}", response={200: ProjectOut, 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="一个工程项目")
def project(request, code: str):
    with _as_refusal():
        return project_out(selectors.project_get(request.user, code))


class BodyIn(Schema):
    org: str
    name: str
    full_time_staff: int
    head: str = ""
    phone: str = ""


class BodyOut(Schema):
    org: str
    name: str
    full_time_staff: int
    head: str
    phone: str
    outcome: str
    unmet: list


def body_out(body, on: dt.date) -> dict:
    d = selectors.body_check(body, year=on.year, on=on).to_dict()
    return dict(org=body.org.code, name=body.name, full_time_staff=body.full_time_staff,
                head=body.head, phone=body.phone, outcome=d["outcome"], unmet=d.get("unmet") or [])


@router.get("/bodies", response={200: list[BodyOut], 422: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="县（市、区）工程质量安全监督机构及其检查结果（四(三)、五(一)、五(二)）")
def bodies(request, on: dt.date | None = None):
    from kmgov.rules import today

    day = on or today()
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(f"检查日期的年度须在{FIRST_YEAR}年至{LAST_YEAR}年之间", field="on")
    return [body_out(b, day) for b in selectors.bodies_visible(request.user)]


@router.post("/bodies", response={200: BodyOut, 403: ErrorOut, 422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="登记监督机构及专职人员数")
def body_set(request, payload: BodyIn):
    from kmgov.rules import today

    with _as_refusal():
        body = services.body_set(actor=request.user, **payload.dict())
    return body_out(body, today())


class InspectionIn(Schema):
    org: str
    quarter: str
    planned_on: dt.date


@router.post("/inspections", response={201: CaseOut, 403: ErrorOut, 422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="督查组安排一个县（市、区）的季度督查（五(一)）")
def inspection_schedule(request, payload: InspectionIn):
    with _as_refusal():
        case = services.inspection_schedule(actor=request.user, **payload.dict())
    return Status(201, case_out(case, request.user))


@router.get("/city-report/{period}", response={200: dict, 422: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="全市工程质量安全月报（按已申报的月报汇总；format=xlsx|pdf 下载）")
@reads_from_replica
def city_report(request, period: str, format: str = "json"):
    with _as_refusal():
        report = reports.city_report(request.user, period)
    if format == "xlsx":
        return _download(reports.report_xlsx(report), f"cq-city-{report['period']}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if format == "pdf":
        return _download(reports.report_pdf(report), f"cq-city-{report['period']}.pdf",
                         "application/pdf")
    return report


def _download(content: bytes, name: str, mime: str) -> HttpResponse:
    resp = HttpResponse(content, content_type=mime)
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
