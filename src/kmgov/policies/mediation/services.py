"""Writes of the mediation module. Each is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kmgov.core.audit import audit_record
from kmgov.core.models import OrgUnit, Role
from kmgov.core.scope import can_change_org, has_role
from kmgov.procedures.errors import ProcedureError, TransitionDenied
from kmgov.procedures.ledger import (
    budget_release,
    money,
    payment_clawback,
    payments_of,
)
from kmgov.procedures.services import case_create

from .models import (
    BUDGET_CITY,
    BUDGET_TOTAL,
    CITY_JUSTICE,
    ClaimState,
    CountyRewardRates,
    MediationClaim,
    MediationRecord,
    MediationReport,
)
from .selectors import record_visible


def _unit(code: str, field: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ProcedureError(f"没有代码为“{code}”的单位", field=field)
    return unit


@transaction.atomic
def record_create(*, actor, committee: str | OrgUnit, agreement_no: str,
                  agreement_signed_on: dt.date | str, grade: str, summary: str = "") -> MediationRecord:
    """A committee records a successful mediation (signed agreement, grade, date)."""
    unit = committee if isinstance(committee, OrgUnit) else _unit(committee, "committee")
    if not can_change_org(actor, unit):
        raise TransitionDenied(f"您无权以“{unit}”的名义录入调解案件", field="committee")
    county = unit.county_level()
    rec = MediationRecord(committee=unit, county=county, agreement_no=agreement_no.strip(),
                          agreement_signed_on=agreement_signed_on, grade=grade, summary=summary,
                          recorded_by=actor)
    rec.full_clean(exclude=["county", "recorded_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            rec.save()
    except IntegrityError:
        raise ValidationError({"agreement_no": f"调解协议书“{agreement_no}”已录入，不能重复计件"}) from None
    audit_record(actor=actor, action="mediation.record", obj=rec, org=unit,
                 extra={"grade": grade, "agreement_no": agreement_no,
                        "signed_on": str(agreement_signed_on)})
    return rec


RATE_CAP = Decimal("1000000")


@transaction.atomic
def county_rates_set(*, actor, county: str, ordinary, difficult, major) -> CountyRewardRates:
    """A county sets its own rates (三(二)3); the county government or its justice bureau."""
    unit = _unit(county, "county")
    if unit.county_level() != unit:
        raise ValidationError({"county": "须为县（市）区或开发（度假）区"})
    justice = OrgUnit.objects.filter(code=f"{unit.code}-justice").first()
    if not (has_role(actor, Role.COUNTY_GOVERNMENT, within=unit)
            or (justice and has_role(actor, Role.COUNTY_DEPARTMENT, within=justice))):
        raise TransitionDenied("县区奖励标准由该县（市）区人民政府或其司法局制定", field="county")
    values = {}
    for name, v in (("ordinary", ordinary), ("difficult", difficult), ("major", major)):
        try:
            values[name] = money(v)
        except Exception:
            raise ValidationError({name: "须为金额（元）"}) from None
        if not values[name].is_finite():
            raise ValidationError({name: "须为金额（元）"})
        if values[name] < 0:
            raise ValidationError({name: "不能为负数"})
        if values[name] >= RATE_CAP:
            # the column holds up to 999,999.99 元 per case: the reference rates are 50–1,500 元
            raise ValidationError({name: "每件奖励标准须低于100万元"})
    row, _ = CountyRewardRates.objects.update_or_create(
        county=unit, defaults=dict(set_by=actor, **values))
    audit_record(actor=actor, action="mediation.county_rates", obj=row, org=unit,
                 extra={k: str(v) for k, v in values.items()})
    return row


@transaction.atomic
def claim_create(*, actor, county: str, now=None) -> MediationClaim:
    unit = _unit(county, "county")
    justice = _unit(f"{unit.code}-justice", "county")
    return case_create(MediationClaim, actor=actor, org=justice, now=now,
                       title=f"{unit.name}人民调解“以奖代补”奖励申领")


@transaction.atomic
def report_create(*, actor, county: str, year: int = 2010, now=None) -> MediationReport:
    unit = _unit(county, "county")
    justice = _unit(f"{unit.code}-justice", "county")
    return case_create(MediationReport, actor=actor, org=justice, now=now, year=year,
                       title=f"{unit.name}“以奖代补”试行工作总结报告（{year}年）")


def record_flag_false(record_id: int, *, actor, reason: str, now=None) -> MediationRecord:
    """A spot check (四(二): 采取抽查和定期考核等方式，严格审查) finds the record false: it is
    excluded from its claim (amounts and budget released) or, if already paid, the city's share
    is clawed back. Only the city justice bureau (the leading group office)."""
    if not reason.strip():
        raise ValidationError({"reason": "须填写认定虚报的理由"})
    now = now or timezone.now()
    with transaction.atomic():
        rec = MediationRecord.objects.select_for_update().select_related("committee", "county") \
            .filter(pk=record_id).first()
        if rec is None or not record_visible(rec, actor):
            raise ProcedureError("没有找到该调解案件，或您无权查看", field="record")
        if not has_role(actor, Role.CITY_OFFICE, within=OrgUnit.objects.get(code=CITY_JUSTICE)):
            raise TransitionDenied("抽查认定虚报须由市司法局（领导小组办公室）办理", field="role")
        if rec.flagged_false:
            raise ProcedureError("该案件已被认定为虚报", field="record")
        claim = (MediationClaim.objects.select_for_update().get(pk=rec.claim_id)
                 if rec.claim_id else None)
        effect = "excluded"
        if claim is not None and claim.state in (ClaimState.SUBMITTED, ClaimState.APPROVED):
            budget_release(BUDGET_TOTAL, rec.reward_yuan, actor=actor, reason=f"虚报剔除 {claim.reference}")
            budget_release(BUDGET_CITY, rec.city_yuan, actor=actor, reason=f"虚报剔除 {claim.reference}")
            claim.total_yuan -= rec.reward_yuan
            claim.city_yuan -= rec.city_yuan
            claim.county_yuan = claim.total_yuan - claim.city_yuan
            claim.case_count -= 1
            claim.save(update_fields=["total_yuan", "city_yuan", "county_yuan", "case_count"])
        elif claim is not None and claim.state == ClaimState.PAID:
            paid = payments_of(claim).get(tranche="city_share")
            payment_clawback(paid, tranche=f"clawback:record:{rec.pk}", amount=rec.city_yuan,
                             actor=actor, reason=reason, case=claim, now=now)
            budget_release(BUDGET_TOTAL, rec.reward_yuan, actor=actor, reason=f"虚报追回 {claim.reference}")
            budget_release(BUDGET_CITY, rec.city_yuan, actor=actor, reason=f"虚报追回 {claim.reference}")
            effect = "clawed_back"
        rec.flagged_false = True
        rec.flag_reason = reason
        rec.flagged_by = actor
        rec.flagged_at = now
        rec.save(update_fields=["flagged_false", "flag_reason", "flagged_by", "flagged_at"])
        audit_record(actor=actor, action="mediation.flag_false", obj=rec, org=rec.committee,
                     reason=reason, extra={"effect": effect,
                                           "claim": claim.reference if claim else None,
                                           "reward_yuan": str(rec.reward_yuan or Decimal(0))})
    return rec
