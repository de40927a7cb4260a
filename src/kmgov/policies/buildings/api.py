"""商务楼宇奖励扶持认定 JSON API under /api/v1/buildings/ (steps: /api/v1/cases/building/…)."""

from django.core.exceptions import ValidationError
from ninja import File, UploadedFile

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.core.models import OrgUnit
from kmgov.policies._recognition_api import _body, make_router
from kmgov.procedures.api import ErrorOut
from kmgov.procedures.errors import CaseNotFound, StepInputInvalid

from . import register
from .models import BuildingApplication
from .register_inputs import RegisterReportInput
from .rules import GRADE_LABELS
from .services import building_application_create


def _create(user, org, data):
    return building_application_create(actor=user, org=org, data=data)


router = make_router(BuildingApplication, tags=["商务楼宇认定 buildings"], create=_create)


# ---------------------------------------------------------------- the register (BE-3/4/5)



def _invalid(exc: ValidationError) -> StepInputInvalid:
    """A service's ValidationError as the API's 422, each field named."""
    errors = [{"field": k, "message": "；".join(v)} for k, v in exc.message_dict.items()]
    return StepInputInvalid("；".join(e["message"] for e in errors), errors=errors)


def record_out(record) -> dict:
    return {
        "building": record.building.property_certificate_no, "year": record.year,
        "total_floor_area_m2": str(record.total_floor_area_m2),
        "office_floor_area_m2": str(record.office_floor_area_m2),
        "vacant_floor_area_m2": str(record.vacant_floor_area_m2),
        "occupancy_rate": str(record.occupancy_rate) if record.occupancy_rate is not None else None,
        "management_level": record.management_level, "facilities": record.facilities,
        "tax_yuan": str(record.tax_yuan), "grade": record.grade,
        "grade_label": GRADE_LABELS.get(record.grade, ""), "source": record.source,
        "tenants": [{"name": t.name, "industry": t.industry,
                     "registered_locally": t.registered_locally,
                     "headquarters": t.headquarters, "tax_yuan": str(t.tax_yuan),
                     "credit_code": t.credit_code} for t in record.tenants.all()],
    }


def building_out(b) -> dict:
    return {"id": b.pk, "name": b.name, "property_certificate_no": b.property_certificate_no,
            "address": b.address, "county": b.county.code,
            "subdistrict": b.subdistrict.code if b.subdistrict else None,
            "liaison_name": b.liaison_name, "liaison_phone": b.liaison_phone}


@router.get("/register", response=dict, auth=LOGIN_REQUIRED,
            summary="楼宇经济信息管理系统：某年度的楼宇（按县（市）区、等级）",
            operation_id="buildings_register_list")
def register_list(request, year: int, county: str | None = None, grade: str | None = None):
    if not 2009 <= year <= 2099:
        raise StepInputInvalid("年度须为2009—2099之间的年份", errors=[
            {"field": "year", "message": "年度须为2009—2099之间的年份"}])
    rows = register.register_rows(request.user, year=year, county=county, grade=grade)
    return {"year": year, "buildings": [
        {**building_out(r["building"]), "record": record_out(r["record"]) if r["record"] else None}
        for r in rows]}


@router.get("/register/{building_id}", response={200: dict, 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="一幢楼宇的历年信息（入驻率、税收、等级）", operation_id="buildings_register_get")
def register_get(request, building_id: int):
    b = register.building_get(building_id, request.user)
    return {**building_out(b), "years": [record_out(r) for r in b.years.order_by("year")]}


@router.put("/register/{building_id}/{year}",
            response={200: dict, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            auth=LOGIN_REQUIRED, summary="登记或修改一幢楼宇某年度的信息（街道联络员、县级楼宇办）",
            openapi_extra={"requestBody": {"content": {"application/json": {
                "schema": RegisterReportInput.model_json_schema()}}}},
            operation_id="buildings_register_put")
def register_put(request, building_id: int, year: int):
    b = register.building_get(building_id, request.user)
    try:
        record = register.record_save(b, year, _body(request), actor=request.user)
    except ValidationError as exc:
        raise _invalid(exc) from None
    grade = register.grade_record(record, request.user)
    return {**record_out(record), "decision": grade.as_decision() if grade else None}


@router.post("/register/import", response={200: dict, 403: ErrorOut, 422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="导入xlsx（任何一行有误则整份不导入，指出行号）",
             operation_id="buildings_register_import")
def register_import_api(request, file: UploadedFile = File(...)):
    try:
        return register.register_import(file.read(), actor=request.user)
    except ValidationError as exc:
        raise _invalid(exc) from None


@router.put("/county-year/{county}/{year}", response={200: dict, 403: ErrorOut, 404: ErrorOut,
                                                     422: ErrorOut},
            auth=LOGIN_REQUIRED, summary="县（市）区年度税收总额与特色楼宇经济聚集区个数",
            operation_id="buildings_county_year_put")
def county_year_put(request, county: str, year: int):
    unit = OrgUnit.objects.filter(code=county).first()
    if unit is None:
        raise CaseNotFound("没有这个县（市）区", field="county")
    body = _body(request)
    try:
        row = register.county_year_save(unit, year, total_tax_yuan=body.get("total_tax_yuan"),
                                        clusters=body.get("clusters", 0), actor=request.user)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return {"county": unit.code, "year": row.year, "total_tax_yuan": str(row.total_tax_yuan),
            "clusters": row.clusters}


@router.get("/targets", response={200: dict, 422: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="发展目标（二(三)）：由楼宇登记计算，对照2012年和2015年目标，附计算过程",
            operation_id="buildings_targets")
def targets_api(request, year: int):
    try:
        t = register.targets(request.user, year=year)
    except ValidationError as exc:
        raise _invalid(exc) from None

    def dec(ds):
        return {p: d.to_dict() for p, d in ds.items()}

    return {"year": t["year"],
            "city": {"buildings": t["city"]["buildings"], "decisions": dec(t["city"]["decisions"])}
            if t["city"] else None,
            "counties": [{"county": r["county"].code, "name": r["county"].name,
                          "buildings": r["buildings"], "decisions": dec(r["decisions"])}
                         for r in t["counties"]]}


@router.put("/liaisons/{building_id}",
            response={200: dict, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            auth=LOGIN_REQUIRED, summary="指定楼宇所在街道和楼宇经济联络员（县级楼宇办，62号 七(三)）",
            operation_id="buildings_register_liaison")
def register_liaison(request, building_id: int):
    b = register.building_get(building_id, request.user)
    body = _body(request)
    try:
        b = register.building_liaison_set(
            b, subdistrict=body.get("subdistrict", ""), liaison_name=body.get("liaison_name", ""),
            liaison_phone=body.get("liaison_phone", ""), actor=request.user)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return building_out(b)
