"""Writes of the agriculture reimbursement claim. Each is one transaction with its audit entry;
a bad line or a bad sheet writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kmgov.core.audit import audit_record
from kmgov.core.calendar import local
from kmgov.core.models import OrgUnit, Role
from kmgov.core.scope import can_change_org, has_role
from kmgov.procedures.errors import ProcedureError, TransitionDenied, TransitionNotAvailable
from kmgov.procedures.ledger import money
from kmgov.procedures.selectors import case_visible
from kmgov.procedures.services import case_create
from kmgov.rules import RuleInputError, decide

from .models import CITY_AGRICULTURE, RULE_OF, AgricultureClaim, ClaimLine, LineKind, State

QUANTITY_FIELD = {LineKind.CONVERSION: "area_mu", LineKind.OFFSITE_RENT: "contiguous_area_mu",
                  LineKind.TRAINING: "people", LineKind.LAND_TRANSFER: "area_mu"}


def _unit(code: str, field: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ProcedureError(f"没有代码为“{code}”的单位", field=field)
    return unit


def claim_create(*, actor, county: str, year: int, now=None) -> AgricultureClaim:
    unit = _unit(county, "county")
    bureau = _unit(f"{unit.code}-agriculture", "county")
    return case_create(AgricultureClaim, actor=actor, org=bureau, year=year, now=now,
                       title=f"{unit.name}{year}年滇池流域农业结构调整报账")


def township_find(county: OrgUnit, name: str | None) -> OrgUnit | None:
    """A township of the county by name, short name or alias; None for an empty name."""
    name = (name or "").strip()
    if not name:
        return None
    for t in OrgUnit.objects.filter(parent=county, kind__in=("township", "subdistrict")):
        if name in (t.name, t.short_name, t.code, *t.aliases):
            return t
    raise ValidationError({"township": f"“{name}”不是{county.name}的乡镇（街道）"})


HINTS = {"from_use": "粮食、蔬菜、花卉", "crop": "蔬菜、花卉",
         "to_use": "园林园艺、苗木、经济林木（果）、滇池湿地生态园区、农业休闲观光园区"}


def _chinese(err: dict) -> str:
    """A rule's input error in Chinese (the pydantic text kept in brackets)."""
    kind, field = err.get("type", ""), err.get("field", "")
    if kind == "enum":
        return f"取值无法识别（可填：{HINTS.get(field, '见说明')}）"
    if kind.startswith("greater_than") or kind.startswith("less_than"):
        return f"数值超出允许范围（{err['message']}）"
    if kind.startswith(("int_", "float_", "decimal_")):
        return f"须为数字（{err['message']}）"
    if kind == "extra_forbidden":
        return "该项目类型没有此项"
    if kind == "missing":
        return "须填写"
    return err["message"]


def line_evaluate(claim: AgricultureClaim, *, kind: str, township: OrgUnit | None, claimed_yuan,
                  inputs: dict, when: dt.date, row_no: int = 0) -> ClaimLine:
    """Check one line by its rule: amount recomputed, refusal reasons, city's share."""
    if kind not in LineKind.values:
        raise ValidationError({"kind": f"项目类型须为：{'、'.join(LineKind.labels)}"})
    try:
        claimed = money(claimed_yuan)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"claimed_yuan": "申报金额须为数字（元）"}) from None
    if claimed < 0:
        raise ValidationError({"claimed_yuan": "申报金额不能为负数"})
    try:
        d = decide(RULE_OF[kind], {**inputs, "as_of": when.isoformat()})
    except RuleInputError as exc:
        raise ValidationError({e["field"]: _chinese(e) for e in exc.errors()}) from None
    computed = money(d.outputs["amount_yuan"])
    accepted = d.outcome == "eligible" and computed > 0
    reasons = d.reasons() if not accepted else []
    if not accepted and not reasons:
        reasons = ["核定金额为0"]
    if accepted and claimed != computed:
        reasons.append(f"申报金额{claimed}元与按规则核定的{computed}元不符，按核定金额报账")
    county = claim.county
    share = decide("agriculture.cost_share", {
        "district": county.short_name or county.name, "township": township.name if township else None,
        "amount_yuan": float(computed) if accepted else 0.0, "as_of": when.isoformat()})
    if share.outcome == "not_covered":
        reasons.extend(share.reasons())
        accepted = False
    city = money(share.outputs["city_yuan"]) if accepted else Decimal("0")
    county_part = money(share.outputs["county_yuan"]) if accepted else Decimal("0")
    return ClaimLine(
        claim=claim, row_no=row_no, kind=kind, township=township, inputs=inputs,
        quantity=money(inputs.get(QUANTITY_FIELD[kind]) or 0), claimed_yuan=claimed,
        computed_yuan=computed if accepted else Decimal("0"), accepted=accepted, reasons=reasons,
        city_share=Decimal(str(share.outputs["city_share"])), city_yuan=city,
        county_yuan=county_part,
        # each with the inputs it ran on, so that a step can keep it (procedures.decisions)
        decision={"line": {**d.to_dict(), "inputs": _plain(d.inputs)},
                  "cost_share": {**share.to_dict(), "inputs": _plain(share.inputs)}})


def _plain(inputs: dict | None) -> dict:
    """A decision's inputs as JSON (dates as ISO strings; internal notes left out)."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else
                v if isinstance(v, (str, int, float, bool, type(None))) else str(v))
            for k, v in (inputs or {}).items() if not k.startswith("_")}


def _editable(claim: AgricultureClaim, actor) -> AgricultureClaim:
    locked = AgricultureClaim.objects.select_for_update().select_related("org").get(pk=claim.pk)
    if not case_visible(locked, actor):
        raise ProcedureError(f"没有找到编号为“{claim.reference}”的事项，或您无权查看", field="reference")
    if not (locked.applicant_id == getattr(actor, "pk", None) or can_change_org(actor, locked.org)):
        raise TransitionDenied("只有申报的县区农业局可以填写报账明细", field="org")
    if locked.state not in (State.DRAFT, State.RETURNED):
        raise TransitionNotAvailable(f"报账单当前状态为“{locked.state_label()}”，不能再修改明细",
                                     field="lines")
    return locked


@transaction.atomic
def line_add(claim: AgricultureClaim, *, actor, kind: str, claimed_yuan, township: str | None = None,
             inputs: dict | None = None, now=None) -> ClaimLine:
    locked = _editable(claim, actor)
    when = local(now or timezone.now()).date()
    town = township_find(locked.county, township)
    line = line_evaluate(locked, kind=kind, township=town, claimed_yuan=claimed_yuan,
                         inputs=dict(inputs or {}), when=when,
                         row_no=locked.lines.count() + 1)
    line.save()
    locked.recompute()
    locked.save(update_fields=["claimed_yuan", "accepted_yuan", "city_yuan", "county_yuan"])
    audit_record(actor=actor, action="ag-claim.line_add", obj=locked, org=locked.org,
                 from_state=locked.state, to_state=locked.state,
                 extra={"kind": kind, "claimed": str(line.claimed_yuan),
                        "computed": str(line.computed_yuan), "accepted": line.accepted})
    return line


@transaction.atomic
def line_remove(claim: AgricultureClaim, *, actor, line_id: int) -> None:
    locked = _editable(claim, actor)
    deleted, _ = locked.lines.filter(pk=line_id).delete()
    if not deleted:
        raise ValidationError({"line": f"报账单中没有第{line_id}号明细"})
    locked.recompute()
    locked.save(update_fields=["claimed_yuan", "accepted_yuan", "city_yuan", "county_yuan"])
    audit_record(actor=actor, action="ag-claim.line_remove", obj=locked, org=locked.org,
                 from_state=locked.state, to_state=locked.state, extra={"line": line_id})


@transaction.atomic
def plan_override(claim: AgricultureClaim, *, actor, reason: str, now=None) -> AgricultureClaim:
    """The city leading group office (市农业局) records that this claim may exceed the county's
    Annex 1 plan: who, why, when."""
    locked = AgricultureClaim.objects.select_for_update().select_related("org").get(pk=claim.pk)
    if not case_visible(locked, actor):
        raise ProcedureError(f"没有找到编号为“{claim.reference}”的事项，或您无权查看", field="reference")
    if not has_role(actor, Role.CITY_OFFICE, within=OrgUnit.objects.get(code=CITY_AGRICULTURE)):
        raise TransitionDenied("超计划报账须由市滇池流域农业结构调整工作领导小组办公室（市农业局）确认",
                               field="role")
    if not reason.strip():
        raise ValidationError({"reason": "须填写超计划的理由"})
    if locked.state not in (State.DRAFT, State.RETURNED, State.COUNTY_REVIEW, State.CITY_REVIEW):
        raise TransitionNotAvailable(f"报账单当前状态为“{locked.state_label()}”，无需确认", field="state")
    locked.plan_override_by = actor
    locked.plan_override_reason = reason.strip()[:300]
    locked.plan_override_at = now or timezone.now()
    locked.save(update_fields=["plan_override_by", "plan_override_reason", "plan_override_at"])
    audit_record(actor=actor, action="ag-claim.plan_override", obj=locked, org=locked.org,
                 from_state=locked.state, to_state=locked.state, reason=reason,
                 extra={"plan": {k: str(v) for k, v in locked.plan_status().items()}})
    return locked
