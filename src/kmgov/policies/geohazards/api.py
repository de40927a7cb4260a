"""JSON API of the 109号 module: the hazard-point register (read, write, import, export as
GeoJSON), its decision, weather warnings, the duty roster. The quick report's steps are the
kernel's generated operations (`/api/v1/cases/gd-quick-report/{reference}/steps/{step}`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.core.errors import InvalidInput
from kmgov.core.replica import reads_from_replica
from kmgov.procedures import notify
from kmgov.procedures.api import CaseOut, ErrorOut, case_out

from . import selectors, services
from .inputs import PointData, ShiftInput, WarningInput
from .models import QuickReport

router = Router(tags=["地质灾害防治 geohazards"])


class PointOut(Schema):
    code: str
    name: str
    hazard_type: str
    scale: str
    org: str
    org_name: str
    county: str | None
    location: str
    longitude: float
    latitude: float
    threatened_households: int
    threatened_people: int
    threatened_property: str
    threatened_objects: str
    monitors: list[dict]
    county_leader: str
    township_leader: str
    village_cadre: str
    evacuation_route: str
    evacuation_place: str
    alarm_person: str
    alarm_signal: str
    refuge: str
    cards_issued_on: dt.date | None
    emergency_plans: int


def point_out(p) -> dict:
    county = p.county()
    return dict(
        code=p.code, name=p.name, hazard_type=p.hazard_type, scale=p.scale, org=p.org.code,
        org_name=p.org.name, county=county.code if county else None, location=p.location,
        longitude=float(p.longitude), latitude=float(p.latitude),
        threatened_households=p.threatened_households, threatened_people=p.threatened_people,
        threatened_property=str(p.threatened_property), threatened_objects=p.threatened_objects,
        monitors=p.monitors, county_leader=p.county_leader, township_leader=p.township_leader,
        village_cadre=p.village_cadre, evacuation_route=p.evacuation_route,
        evacuation_place=p.evacuation_place, alarm_person=p.alarm_person,
        alarm_signal=p.alarm_signal, refuge=p.refuge, cards_issued_on=p.cards_issued_on,
        emergency_plans=p.plans.count())


@router.get("/points", response=list[PointOut], auth=LOGIN_REQUIRED,
            summary="地质灾害隐患点（按权限范围；可按县区、类型、规模筛选）")
def points(request, county: str = "", hazard_type: str = "", scale: str = ""):
    return [point_out(p) for p in selectors.points_visible(
        request.user, county=county, hazard_type=hazard_type, scale=scale).prefetch_related("plans")]


@router.get("/points.geojson", auth=LOGIN_REQUIRED, summary="导出隐患点（GeoJSON，可重新导入）")
@reads_from_replica
def points_geojson(request, county: str = "", hazard_type: str = "", scale: str = ""):
    doc = services.points_geojson(selectors.points_visible(
        request.user, county=county, hazard_type=hazard_type, scale=scale))
    return doc


@router.get("/points.xlsx", auth=LOGIN_REQUIRED, summary="导出隐患点（xlsx，可重新导入）")
@reads_from_replica
def points_xlsx(request, county: str = "", hazard_type: str = "", scale: str = ""):
    data = services.points_xlsx(selectors.points_visible(
        request.user, county=county, hazard_type=hazard_type, scale=scale))
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = 'attachment; filename="hazard-points.xlsx"'
    return resp


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


@router.post("/points/import", response={200: ImportOut, 403: ErrorOut, 422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="导入隐患点（xlsx 或 GeoJSON）：有一行错误则全部不写入，并指出行号")
def points_import(request, file: UploadedFile = File(...)):
    content = file.read()
    if (file.name or "").lower().endswith((".geojson", ".json")):
        rows, source = services.geojson_rows(content), "geojson"
    else:
        rows, source = services.xlsx_rows(content), "xlsx"
    return services.points_import(rows, actor=request.user, source=source)


@router.get("/points/{code}", response={200: PointOut, 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="一个隐患点")
def point(request, code: str):
    return point_out(selectors.point_get(request.user, code))


@router.post("/points", response={200: PointOut, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="登记或修改一个隐患点（按编号；每项修改记入历史）",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": PointData.model_json_schema()}}}})
def point_save(request):
    import json

    try:
        body = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise InvalidInput("请求体不是有效的 JSON", field="body") from exc
    return point_out(services.point_save(body, actor=request.user))


@router.get("/points/{code}/decision", response={200: dict, 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="隐患点是否落实 109号 的要求（依登记数据判定，含依据）")
def point_decision(request, code: str):
    p = selectors.point_get(request.user, code)
    return selectors.point_decision(p).to_dict()


class WarningOut(Schema):
    id: int
    grade: str
    areas: list[str]
    valid_from: dt.datetime
    valid_until: dt.datetime
    text: str
    deliveries: dict[str, Any]


def warning_out(w) -> dict:
    return dict(id=w.pk, grade=w.grade, areas=[a.code for a in w.areas.all()], valid_from=w.valid_from,
                valid_until=w.valid_until, text=w.text,
                deliveries=notify.summary(w.notification) if w.notification_id else {})


@router.post("/warnings", response={201: WarningOut, 403: ErrorOut, 422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="录入气象预警并推送至区域内隐患点的监测人和包保责任人")
def warning_issue(request, payload: WarningInput):
    return Status(201, warning_out(services.warning_issue(payload.model_dump(), actor=request.user)))


@router.get("/warnings", response=list[WarningOut], auth=LOGIN_REQUIRED, summary="气象预警（按权限范围）")
def warnings(request):
    return [warning_out(w) for w in selectors.warnings_visible(request.user)]


class ShiftOut(Schema):
    org: str
    day: dt.date
    leader: str
    leader_phone: str
    officer: str
    officer_phone: str
    deputy: str
    deputy_phone: str


class RosterOut(Schema):
    county: str
    season: list[dt.date]
    shifts: list[ShiftOut]
    gaps: list[dt.date]
    reported_at: dt.datetime | None


@router.post("/duty/shifts", response={200: ShiftOut, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="填报一天的汛期值班（带班领导、值班人员及手机）")
def shift_set(request, payload: ShiftInput):
    s = services.shift_set(payload.model_dump(), actor=request.user)
    return dict(org=s.org.code, **{f: getattr(s, f) for f in ShiftOut.model_fields if f != "org"})


@router.get("/duty/{county}", response={200: RosterOut, 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="一个县（市）区的汛期值班表与缺班日期")
def roster(request, county: str, year: int = Query(..., ge=2010, le=2100, description="年度")):
    from kmgov.procedures.errors import CaseNotFound

    unit = selectors.counties_visible(request.user).filter(code=county).first()
    if unit is None:
        raise CaseNotFound("没有这个县（市）区，或您无权查看", field="county")
    rep = selectors.roster_report_of(unit, year)
    return dict(county=unit.code, season=list(selectors.season(year)),
                shifts=[dict(org=unit.code, **{f: getattr(s, f) for f in ShiftOut.model_fields if f != "org"})
                        for s in selectors.roster(unit, year)],
                gaps=selectors.roster_gaps(unit, year), reported_at=rep.reported_at if rep else None)


class ReportIn(Schema):
    org: str
    point: str = ""


@router.post("/reports", response={201: CaseOut, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="新建地质灾害速报（随后以“报县级”步骤填写灾情）")
def report_create(request, payload: ReportIn):
    case = services.report_create(org=payload.org, point=payload.point, actor=request.user)
    return Status(201, case_out(case, request.user))


__all__ = ["router", "QuickReport"]
