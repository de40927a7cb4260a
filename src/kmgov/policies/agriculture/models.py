"""昆政发〔2010〕59号: the Dianchi agricultural reimbursement claim (报账制, AG-8).

A county's agriculture bureau claims completed work as claim lines (conversions, off-basin
rent, training, land-transfer rewards); each line is checked by its rule (amount recomputed,
refusal reasons kept); the city pays its share by 四(七) (rule agriculture.cost_share); the
adjusted area never exceeds the county's Annex 1 plan for the year without a recorded override.
Route: county agriculture bureau → county government → city agriculture bureau (the leading
group office, 五(二)) → city finance pays.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_noop

from kmgov.core.calendar import local
from kmgov.core.models import OrgUnit, Role
from kmgov.procedures.decisions import decision_keep
from kmgov.procedures.declare import (
    AT_COUNTY,
    Await,
    Duty,
    Participants,
    Procedure,
    condition,
    register,
    state_field,
    step,
)
from kmgov.procedures.ledger import Budget, budget_ensure, payment_record
from kmgov.procedures.models import Case
from kmgov.rules import PARAMETERS, parameter_value, today

DOC = "昆政发〔2010〕59号"
CITY_AGRICULTURE = "city-agriculture"  # 领导小组办公室设在市农业局 (五(二))
CITY_FINANCE = "city-finance"

# Org code of a county → its row (parameter file) of Annex 1.
ANNEX1_ROW = {"wuhua": "wuhua", "panlong": "panlong", "guandu": "guandu", "xishan": "xishan",
              "chenggong": "chenggong", "jinning": "jinning", "dujia": "dujiaqu",
              "jingkai": "jingkaiqu", "gaoxin": "gaoxinqu"}


class LineKind(models.TextChoices):
    CONVERSION = "conversion", gettext_noop("种植业结构调整补助")
    OFFSITE_RENT = "offsite_rent", gettext_noop("到流域外租地种植补助")
    TRAINING = "training", gettext_noop("培训转移劳动力补助")
    LAND_TRANSFER = "land_transfer", gettext_noop("土地流转一次性奖励")


RULE_OF = {
    LineKind.CONVERSION: "agriculture.conversion_subsidy",
    LineKind.OFFSITE_RENT: "agriculture.offsite_rent_subsidy",
    LineKind.TRAINING: "agriculture.training_subsidy",
    LineKind.LAND_TRANSFER: "agriculture.land_transfer_reward",
}


def plan_mu(county: OrgUnit, year: int, when: dt.date) -> Decimal | None:
    """The county's adjusted area planned for `year` (Annex 1), None if not in the table."""
    row = ANNEX1_ROW.get(county.code)
    name = f"agriculture.annex1.{row}.adjust_{year}_mu"
    if row is None or name not in PARAMETERS:
        return None
    # a claim dated before the annex took effect is checked against its first plan
    return Decimal(str(parameter_value(name, max(when, PARAMETERS[name].first_date))))


class State(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    COUNTY_REVIEW = "county_review", gettext_noop("待县级人民政府审核")
    CITY_REVIEW = "city_review", gettext_noop("待市领导小组办公室（市农业局）审核")
    RETURNED = "returned", gettext_noop("退回补正")
    APPROVED = "approved", gettext_noop("审核通过，待市财政拨付")
    PAID = "paid", gettext_noop("市级资金已拨付")
    REJECTED = "rejected", gettext_noop("不予报账")
    WITHDRAWN = "withdrawn", gettext_noop("已撤回")


def _has_lines(case) -> bool:
    return case.lines.exists()


@register
class AgricultureClaim(Case):
    """One county's reimbursement claim for a year; `org` is the county agriculture bureau."""

    state = state_field(State.choices, default=State.DRAFT)
    year = models.PositiveSmallIntegerField("计划年度")
    claimed_yuan = models.DecimalField("申报合计（元）", max_digits=14, decimal_places=2, default=0)
    accepted_yuan = models.DecimalField("核定合计（元）", max_digits=14, decimal_places=2, default=0)
    city_yuan = models.DecimalField("市级承担（元）", max_digits=14, decimal_places=2, default=0)
    county_yuan = models.DecimalField("县级承担（元）", max_digits=14, decimal_places=2, default=0)
    plan_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+",
                                         verbose_name="超计划确认人")
    plan_override_reason = models.CharField("超计划理由", max_length=300, blank=True)
    plan_override_at = models.DateTimeField("超计划确认时间", null=True, blank=True)

    procedure = Procedure(code="ag-claim", name=gettext_noop("滇池流域农业结构调整报账"), reference_prefix="NYBZ",
                          checklist={"acceptance": "县级验收材料"},
                          editable_states=(State.DRAFT, State.RETURNED),
                          citation=f"{DOC} 四(七)",
                          action_labels={"line_add": gettext_noop("添加报账明细"),
                                         "line_remove": gettext_noop("删除报账明细"),
                                         "plan_override": gettext_noop("确认超计划报账")})

    class Meta:
        verbose_name = "农业结构调整报账"
        verbose_name_plural = "农业结构调整报账"

    @property
    def county(self) -> OrgUnit:
        return self.org.county_level()

    participants = Participants(units=(CITY_AGRICULTURE, CITY_FINANCE))

    def clean(self):
        # the plan years in force on the claim's own date (created, or today while being created)
        on = local(self.created_at).date() if self.created_at else today()
        years = parameter_value("agriculture.plan_years", on) \
            if "agriculture.plan_years" in PARAMETERS else None
        if years and self.year not in [int(y) for y in years]:
            raise ValidationError({"year": f"计划年度须为{'、'.join(str(y) for y in years)}年之一（附件1）"})

    def recompute(self, lines=None) -> None:
        """The totals from the claim's lines (read from the database, or those given: an
        import that has just inserted them passes its own, not to read them back)."""
        if lines is None:
            lines = list(self.lines.only("claimed_yuan", "computed_yuan", "accepted", "city_yuan",
                                         "county_yuan"))
        self.claimed_yuan = sum((ln.claimed_yuan for ln in lines), Decimal("0"))
        ok = [ln for ln in lines if ln.accepted]
        self.accepted_yuan = sum((ln.computed_yuan for ln in ok), Decimal("0"))
        self.city_yuan = sum((ln.city_yuan for ln in ok), Decimal("0"))
        self.county_yuan = sum((ln.county_yuan for ln in ok), Decimal("0"))

    def plan_status(self, when: dt.date | None = None) -> dict:
        """Adjusted area of this claim and of the county's other live claims of the year,
        against Annex 1."""
        when = when or today()
        live = [State.COUNTY_REVIEW, State.CITY_REVIEW, State.APPROVED, State.PAID]
        mine = ClaimLine.objects.filter(claim=self, kind=LineKind.CONVERSION, accepted=True) \
            .aggregate(s=models.Sum("quantity"))["s"] or Decimal("0")
        others = ClaimLine.objects.filter(
            claim__org=self.org, claim__year=self.year, claim__state__in=live,
            kind=LineKind.CONVERSION, accepted=True).exclude(claim=self) \
            .aggregate(s=models.Sum("quantity"))["s"] or Decimal("0")
        plan = plan_mu(self.county, self.year, when)
        over = plan is not None and mine + others > plan
        return {"plan_mu": plan, "this_claim_mu": mine, "other_claims_mu": others,
                "over": over, "overridden": bool(self.plan_override_reason)}

    def _check_plan(self, now) -> None:
        # One county-year at a time: claims submitted at the same moment queue on this row
        # (each step already holds its own case row, so the order case → plan row is the same
        # for all and cannot deadlock); the second then counts the first.
        key = f"agriculture.plan.{self.county.code}.{self.year}"
        budget_ensure(key, label=f"{self.county}{self.year}年调整面积计划（亩）",
                      cap=plan_mu(self.county, self.year, now.date()) or 0,
                      citation=f"{DOC} 附件1")
        Budget.objects.select_for_update().get(key=key)
        st = self.plan_status(now.date())
        if st["plan_mu"] is None and st["this_claim_mu"] and not self.plan_override_reason:
            raise ValidationError({"plan": f"{self.county}不在附件1调整计划表中，报账须经市领导小组办公室确认"})
        if st["over"] and not self.plan_override_reason:
            raise ValidationError({"plan": (
                f"{self.county}{self.year}年调整面积计划{st['plan_mu']}亩（{DOC} 附件1），"
                f"已报账{st['other_claims_mu']}亩，本次{st['this_claim_mu']}亩，超出计划；"
                "须由市领导小组办公室记录超计划确认（确认人、理由）")})

    @step(source=[State.DRAFT, State.RETURNED], target=State.COUNTY_REVIEW, label=gettext_noop("报县级人民政府审核"),
          applicant=True, roles=[Role.COUNTY_DEPARTMENT],
          conditions=[condition("报账单没有明细（调整、租地、培训、流转）", field="lines")(_has_lines)],
          awaits=Await(what="审核本县区报账单", role=Role.COUNTY_GOVERNMENT, at=AT_COUNTY))
    def submit(self, *, actor, reason, now, data=None):
        self.recompute()
        self._check_plan(now)
        self.submitted_at = now
        # every line's decision (amount recomputed by its rule, or why it is refused)
        for line in self.lines.all():
            if line.decision.get("line"):
                decision_keep(self, line.decision["line"], actor=actor, now=now,
                              subject=line.subject())

    @step(source=State.COUNTY_REVIEW, target=State.CITY_REVIEW, label=gettext_noop("县政府审核同意，报市"),
          roles=[Role.COUNTY_GOVERNMENT],
          awaits=Await(what="审核县区报账（规则核算、计划控制）", role=Role.CITY_OFFICE,
                       at=CITY_AGRICULTURE), duty=Duty.APPROVE)
    def county_approve(self, *, actor, reason, now, data=None):
        pass

    @step(source=State.COUNTY_REVIEW, target=State.RETURNED, label=gettext_noop("县政府退回补正"),
          roles=[Role.COUNTY_GOVERNMENT], reason_required=True,
          awaits=Await(what="按审核意见补正报账单后重新报送", applicant=True), duty=Duty.APPROVE)
    def county_return(self, *, actor, reason, now, data=None):
        pass

    @step(source=State.CITY_REVIEW, target=State.APPROVED, label=gettext_noop("市领导小组办公室审核通过"),
          roles=[Role.CITY_OFFICE], at=CITY_AGRICULTURE,
          awaits=Await(what="按分担比例拨付市级资金", role=Role.CITY_DEPARTMENT, at=CITY_FINANCE), duty=Duty.REVIEW)
    def city_approve(self, *, actor, reason, now, data=None):
        self.recompute()
        self._check_plan(now)

    @step(source=State.CITY_REVIEW, target=State.RETURNED, label=gettext_noop("市领导小组办公室退回补正"),
          roles=[Role.CITY_OFFICE], at=CITY_AGRICULTURE, reason_required=True,
          awaits=Await(what="按审核意见补正报账单后重新报送", applicant=True), duty=Duty.REVIEW)
    def city_return(self, *, actor, reason, now, data=None):
        pass

    @step(source=State.CITY_REVIEW, target=State.REJECTED, label=gettext_noop("不予报账"),
          roles=[Role.CITY_OFFICE], at=CITY_AGRICULTURE, reason_required=True, duty=Duty.REVIEW)
    def reject(self, *, actor, reason, now, data=None):
        pass

    @step(source=[State.DRAFT, State.COUNTY_REVIEW, State.RETURNED], target=State.WITHDRAWN,
          label=gettext_noop("撤回报账"), applicant=True)
    def withdraw(self, *, actor, reason, now, data=None):
        pass

    @step(source=State.APPROVED, target=State.PAID, label=gettext_noop("拨付市级资金"),
          roles=[Role.CITY_DEPARTMENT], at=CITY_FINANCE, duty=Duty.PAY)
    def pay(self, *, actor, reason, now, data=None):
        # the city's share of every accepted line (四(七)), each with its trace
        for line in self.lines.filter(accepted=True):
            if line.decision.get("cost_share"):
                decision_keep(self, line.decision["cost_share"], actor=actor, now=now,
                              subject=line.subject(),
                              amounts={"city_yuan": line.city_yuan, "county_yuan": line.county_yuan})
        payment_record(self, tranche="city_share", label=gettext_noop("市级承担资金（报账制）"),
                       amount=self.city_yuan, payer=OrgUnit.objects.get(code=CITY_FINANCE),
                       payee=self.org, actor=actor, now=now, citation=f"{DOC} 四(七)",
                       note=f"{self.year}年度，核定{self.accepted_yuan}元")


class TextJSONEncoder(json.JSONEncoder):
    """JSON with Chinese text as itself, not as \\uXXXX escapes: smaller, and on PostgreSQL
    (client-side parameter binding) not a backslash to quote per character — which made the
    bulk insert of an import's lines spend most of its time in the driver's escaping."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class ClaimLine(models.Model):
    """One line of a claim, with the rule's decision: recomputed amount, refusal reasons and
    the city's share (8:2 for 滇源镇/阿子营镇 lines, else the county's ratio)."""

    claim = models.ForeignKey(AgricultureClaim, on_delete=models.CASCADE, related_name="lines")
    row_no = models.PositiveIntegerField("行号", default=0)
    kind = models.CharField("项目类型", max_length=16, choices=LineKind.choices)
    township = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="乡镇")
    inputs = models.JSONField("核算依据", default=dict)
    quantity = models.DecimalField("面积（亩）/人数", max_digits=14, decimal_places=2, default=0)
    claimed_yuan = models.DecimalField("申报金额（元）", max_digits=14, decimal_places=2)
    computed_yuan = models.DecimalField("核定金额（元）", max_digits=14, decimal_places=2, default=0)
    accepted = models.BooleanField("符合条件", default=False)
    reasons = models.JSONField("不予核定理由", default=list, blank=True, encoder=TextJSONEncoder)
    city_share = models.DecimalField("市级比例", max_digits=5, decimal_places=4, default=0)
    city_yuan = models.DecimalField("市级承担（元）", max_digits=14, decimal_places=2, default=0)
    county_yuan = models.DecimalField("县级承担（元）", max_digits=14, decimal_places=2, default=0)
    decision = models.JSONField("核算过程", default=dict, blank=True, encoder=TextJSONEncoder)

    class Meta:
        ordering = ["claim", "row_no", "id"]
        verbose_name = "报账明细"
        verbose_name_plural = "报账明细"

    def subject(self) -> str:
        town = f" {self.township.name}" if self.township_id else ""
        return f"第{self.row_no}行 {self.get_kind_display()}{town}"
