"""JSON API of the carbon-sink module (/api/v1/carbon/…): the public list, certificate
verification, fund progress and greening indicators (public); accounts and donations (scoped).
A donation's steps are the kernel's: POST /api/v1/cases/carbon-donation/{reference}/steps/credit.
Write bodies are validated by the services' input models: 422 naming each field."""

from __future__ import annotations

import json

from ninja import Router, Status

from kmgov.core.api_auth import LOGIN_REQUIRED
from kmgov.procedures.api import CaseOut, ErrorOut, case_out
from kmgov.procedures.errors import StepInputInvalid
from kmgov.procedures.inputs import json_schema

from . import selectors, services
from .models import Donation, DonorAccount

router = Router(tags=["碳汇造林 carbon"])


def _body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise StepInputInvalid("请求体须为JSON对象", errors=[{"field": "body", "message": "请求体须为JSON对象"}])
    return body


def _schema(model) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": json_schema(model)}}}}


def _n(v):
    return None if v is None else str(v)


def donation_out(d: Donation) -> dict:
    return {"reference": d.reference, "state": d.state, "state_label": d.state_label(),
            "amount_yuan": str(d.amount_yuan), "donated_on": d.donated_on.isoformat(),
            "receipt_no": d.receipt_no, "co2_tonnes": _n(d.co2_tonnes), "area_mu": _n(d.area_mu),
            "credited_on": d.credited_on.isoformat() if d.credited_on else None,
            "certificate_code": d.certificate_code or None,
            "receipt_pdf": f"/carbon/donations/{d.reference}/receipt.pdf",
            "certificate_pdf": (f"/carbon/donations/{d.reference}/certificate.pdf"
                                if d.state == "credited" else None)}


def account_out(a: DonorAccount, *, full: bool = False) -> dict:
    t = a.totals()
    out = {"number": a.number, "kind": a.kind, "account_label": a.account_label(), "name": a.name,
           "org": a.org.code if a.org_id else None, "anonymous": a.anonymous,
           "total_yuan": str(t["yuan"]), "co2_tonnes": str(t["co2_tonnes"]),
           "area_mu": str(t["area_mu"]), "donations_credited": t["count"],
           "sign_eligible": a.sign_eligible}
    if full:
        out["donations"] = [donation_out(d) for d in a.donations.order_by("-donated_on", "-id")]
        out["sign_decision"] = a.sign_decision.as_decision() if a.sign_decision_id else None
    return out


@router.get("/public", response=list[dict], summary="捐资公示（三(一)）：捐资者、累计捐资、二氧化碳、碳汇林面积、标牌")
def public(request):
    return [{**r, "yuan": str(r["yuan"]), "co2_tonnes": str(r["co2_tonnes"]), "area_mu": str(r["area_mu"])}
            for r in selectors.public_list()]


@router.get("/verify", response={200: dict, 404: ErrorOut}, summary="验证荣誉证书的验证码")
def verify(request, code: str):
    r = selectors.certificate_verify(code)
    if r is None:
        return Status(404, {"detail": "验证码无效：没有与之相符的荣誉证书", "field": "code", "code": "not_found"})
    return {**r, "amount_yuan": str(r["amount_yuan"]), "co2_tonnes": str(r["co2_tonnes"]),
            "area_mu": str(r["area_mu"]), "credited_on": r["credited_on"].isoformat(), "valid": True}


@router.get("/accounts", response=list[dict], auth=LOGIN_REQUIRED, summary="捐资账户（本人或本企业的；办公室、财政、审计为全部）")
def accounts(request):
    return [account_out(a) for a in selectors.accounts_visible(request.user)]


@router.get("/accounts/{number}", response={200: dict, 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="一个捐资账户：累计、每笔捐资、标牌判定及其计算过程")
def account(request, number: str):
    a = selectors.account_get(number, request.user)
    if a is None:
        return Status(404, {"detail": "没有找到该账户，或您无权查看", "field": "number", "code": "not_found"})
    return account_out(a, full=True)


@router.post("/accounts", response={201: dict, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="开立社会责任账户（企业）或碳补偿账户（个人）", openapi_extra=_schema(services.AccountIn))
def account_open(request):
    return Status(201, account_out(services.account_open(_body(request), actor=request.user)))


@router.post("/donations", response={201: CaseOut, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="登记一笔到账的捐资（金额、日期、公益收据号）", openapi_extra=_schema(services.DonationIn))
def donation_record(request):
    d = services.donation_record(_body(request), actor=request.user)
    return Status(201, case_out(d, request.user))


@router.get("/fund", response=list[dict], summary="碳汇造林资金按年度的进度及判定过程（三(一)1、2）")
def fund(request):
    return [{**r, **{k: str(r[k]) for k in ("city_yuan", "enterprise_yuan", "individual_yuan", "startup_yuan")}}
            for r in selectors.fund_progress()]


@router.post("/appropriations", response={201: dict, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="登记市级财政安排的碳汇造林资金", openapi_extra=_schema(services.AppropriationIn))
def appropriation(request):
    row = services.appropriation_record(_body(request), actor=request.user)
    return Status(201, {"year": row.year, "amount_yuan": str(row.amount_yuan),
                        "allocated_on": row.allocated_on.isoformat(), "document_no": row.document_no})


@router.get("/greening", response=list[dict], summary="各县（市）区及全市的绿化指标（按年度）与2015年目标")
def greening(request):
    return [{"unit": u["unit"].code, "name": u["unit"].name,
             "years": [{"year": y["year"], "values": y["values"], "outcome": y["decision"]["outcome"],
                        "met": y["decision"]["met"], "not_met": y["decision"]["not_met"],
                        "trace": y["decision"]["trace"]} for y in u["years"]]}
            for u in selectors.greening_series()]


@router.post("/greening", response={201: dict, 403: ErrorOut, 422: ErrorOut}, auth=LOGIN_REQUIRED,
             summary="填报一个县（市）区或全市某年度的绿化指标", openapi_extra=_schema(services.GreeningIn))
def greening_record(request):
    row = services.greening_record(_body(request), actor=request.user)
    return Status(201, {"county": row.county.code, "year": row.year, "values": row.values()})
