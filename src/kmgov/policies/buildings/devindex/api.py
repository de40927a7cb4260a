"""JSON API of the development index under /api/v1/buildings-index/: indicators, values
(scoped to the caller), specification versions, runs (computed, with their sensitivity
analysis and the annex's discrepancies)."""

from __future__ import annotations

from ninja import Router, Schema, Status

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.procedures.api import ErrorOut

from . import selectors, services

router = Router(tags=["楼宇经济发展指数 buildings-index"])


class IndicatorOut(Schema):
    number: int
    subsystem: str
    domain: str
    name: str
    unit: str
    unit_printed: str
    direction: int
    source: str
    citation: str


class ValuesIn(Schema):
    org: str
    year: int
    values: dict[str, float | None]
    note: str = ""


class ValueOut(Schema):
    org: str
    year: int
    number: int
    value: float


class SpecIn(Schema):
    spec: dict
    reason: str


class SpecOut(Schema):
    version: int
    spec: dict
    reason: str


class RunIn(Schema):
    year: int
    sensitivity: bool = True


def run_out(run, user, full=True) -> dict:
    out = {"id": run.pk, "year": run.year, "spec_version": run.spec.version, "fingerprint": run.fingerprint,
           "created_at": run.created_at.isoformat(), "units": run.result["units"],
           "unit_names": run.inputs.get("unit_names", []), "index": run.result["index"],
           "rank": run.result["rank"]}
    if full:
        out.update(levels=run.result["levels"], spec=run.spec_data, discrepancies=run.discrepancies,
                   sensitivity=run.sensitivity)
        if selectors.sees_inputs(user):
            out["inputs"] = run.inputs
    return out


@router.get("/indicators", response=list[IndicatorOut], auth=LOGIN_REQUIRED,
            summary="附件2的47项指标（单位、方向、数据来源、出处）")
def indicator_list(request):
    selectors.specs(request.user)  # officials only
    return services.indicators()


@router.get("/values", response=list[ValueOut], auth=LOGIN_REQUIRED, summary="指标数值（按权限范围）")
def value_list(request, year: int | None = None):
    return [{"org": v.org.code, "year": v.year, "number": v.indicator.number, "value": v.value}
            for v in selectors.values(request.user, year)]


@router.put("/values", response={200: dict, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="填报一个县（市）区一个年度的指标数值：{序号: 数值}，空值删除")
def value_set(request, payload: ValuesIn):
    n = services.values_set(actor=request.user, org_code=payload.org, year=payload.year,
                            values=payload.values, note=payload.note)
    return {"changed": n}


@router.get("/specs", response=list[SpecOut], auth=LOGIN_REQUIRED, summary="计算规格与权重的各版本")
def spec_list(request):
    return list(selectors.specs(request.user))


@router.post("/specs", response={201: SpecOut, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="保存新版本的计算规格与权重")
def spec_create(request, payload: SpecIn):
    return Status(201, services.spec_save(actor=request.user, data=payload.spec, reason=payload.reason))


@router.get("/runs", response=list[dict], auth=LOGIN_REQUIRED, summary="历次指数计算")
def run_list(request, year: int | None = None):
    return [run_out(r, request.user, full=False) for r in selectors.runs(request.user, year)[:100]]


@router.get("/runs/{run_id}", response={200: dict, 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="一次指数计算：指数、排名、各层得分、敏感性分析、公报中的不一致")
def run_get(request, run_id: int):
    return run_out(selectors.run_get(request.user, run_id), request.user)


@router.post("/runs", response={201: dict, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="按现行规格计算某年度的指数")
def run_create(request, payload: RunIn):
    run = services.index_compute(actor=request.user, year=payload.year, sensitivity=payload.sensitivity)
    return Status(201, run_out(run, request.user))
