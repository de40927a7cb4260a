"""昆政办〔2010〕108号 人民调解“以奖代补”: mediated cases recorded by committees, the county's
reward claim (MR-1, MR-3), spot checks of false reports and the county's report (MR-4)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_noop

from kmgov.core.calendar import local
from kmgov.core.models import OrgUnit, Role
from kmgov.procedures.decisions import decision_keep
from kmgov.procedures.declare import (
    Await,
    Duty,
    Participants,
    Procedure,
    condition,
    documents_attached,
    register,
    state_field,
    step,
)
from kmgov.procedures.ledger import (
    budget_draw,
    budget_ensure,
    budget_release,
    money,
    payment_record,
)
from kmgov.procedures.models import Case
from kmgov.rules import decide, parameter_value

DOC = "昆政办〔2010〕108号"
CITY_JUSTICE = "city-justice"  # 领导小组办公室设在市司法局 (附件 二)
CITY_FINANCE = "city-finance"
BUDGET_TOTAL = "mediation.total"
BUDGET_CITY = "mediation.city"
COMMITTEE_KINDS = ("township", "subdistrict", "village", "community")


class Grade(models.TextChoices):
    ORDINARY = "ordinary", gettext_noop("普通矛盾纠纷")
    DIFFICULT = "difficult", gettext_noop("疑难矛盾纠纷")
    MAJOR = "major", gettext_noop("重大矛盾纠纷")


def ensure_budgets(when) -> None:
    """The two budget rows of 三(二)4: 600万元 in total, of which the city 300万元."""
    budget_ensure(BUDGET_TOTAL, label=gettext_noop("人民调解“以奖代补”奖励经费总额"), cap=parameter_value("mediation.budget_total", when),
                  citation=f"{DOC} 附件 三(二)4")
    budget_ensure(BUDGET_CITY, label=gettext_noop("市级财政“以奖代补”试行经费"), cap=parameter_value("mediation.budget_city", when),
                  citation=f"{DOC} 附件 三(二)4")


class CountyRewardRates(models.Model):
    """A county's own rates (三(二)3: 由各县（市）区人民政府……自行制定); none → reference rates."""

    county = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="县（市）区")
    ordinary = models.DecimalField("普通（元/件）", max_digits=8, decimal_places=2)
    difficult = models.DecimalField("疑难（元/件）", max_digits=8, decimal_places=2)
    major = models.DecimalField("重大（元/件）", max_digits=8, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "县区奖励标准"
        verbose_name_plural = "县区奖励标准"


def reward_for(grade: str, county: OrgUnit, when):
    """The reward of one case by the rule mediation.reward, with the county's own rates when
    it has set them (passed to the rule as its county_rates parameter)."""
    return reward_for_counts({grade: 1}, county, when)


def reward_for_counts(counts: dict, county: OrgUnit, when):
    """The reward of so many cases of each grade (mediation.reward), at the county's rates."""
    inputs = {**counts, "county": county.name, "as_of": when.isoformat()}
    rates = CountyRewardRates.objects.filter(county=county).first()
    overrides = None
    if rates is not None:
        overrides = {"mediation.county_rates": [[county.name, float(rates.ordinary),
                                                 float(rates.difficult), float(rates.major)]]}
    return decide("mediation.reward", inputs, overrides=overrides)


class MediationRecord(models.Model):
    """One dispute successfully mediated by a township or village committee (三(二)2: 以签订
    人民调解协议书为依据)."""

    committee = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="人民调解委员会")
    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                               verbose_name="县（市）区")
    agreement_no = models.CharField("调解协议书编号", max_length=64)
    agreement_signed_on = models.DateField("协议签订日期")
    grade = models.CharField("纠纷等级", max_length=16, choices=Grade.choices)
    summary = models.CharField("纠纷概要", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    claim = models.ForeignKey("MediationClaim", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="records")
    reward_yuan = models.DecimalField("奖励（元）", max_digits=10, decimal_places=2, null=True,
                                      blank=True)
    city_yuan = models.DecimalField("其中市级（元）", max_digits=10, decimal_places=2, null=True,
                                    blank=True)
    flagged_false = models.BooleanField("抽查认定虚报", default=False)
    flag_reason = models.CharField("认定理由", max_length=300, blank=True)
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-agreement_signed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["committee", "agreement_no"],
                                               name="mediation_agreement_once")]
        verbose_name = "成功调解案件"
        verbose_name_plural = "成功调解案件"

    def clean(self):
        if self.committee_id and self.committee.kind not in COMMITTEE_KINDS:
            raise ValidationError({"committee": "须为乡镇（街道）或村（居、社区）人民调解委员会"})
        if self.agreement_signed_on:
            d = decide("mediation.phase", {"on": self.agreement_signed_on.isoformat()})
            if d.outputs.get("phase") != "implementation":
                raise ValidationError({"agreement_signed_on": (
                    f"协议签订日期{self.agreement_signed_on}不在组织实施阶段（6月1日—11月30日）内"
                    f"〔{DOC} 附件 三(二)〕")})


class ClaimState(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    SUBMITTED = "submitted", gettext_noop("待市司法局审核")
    RETURNED = "returned", gettext_noop("退回补正")
    APPROVED = "approved", gettext_noop("审核通过，待市财政拨付")
    PAID = "paid", gettext_noop("市级资金已拨付")
    REJECTED = "rejected", gettext_noop("不予核拨")
    WITHDRAWN = "withdrawn", gettext_noop("已撤回")


def _has_records(case) -> bool:
    return case.claimable_records().exists()


@register
class MediationClaim(Case):
    """A county's claim of piece rewards; `org` is the county justice bureau (三(二)4: 拨付本级司法局)."""

    state = state_field(ClaimState.choices, default=ClaimState.DRAFT)
    total_yuan = models.DecimalField("奖励合计（元）", max_digits=14, decimal_places=2, default=0)
    city_yuan = models.DecimalField("市级承担（元）", max_digits=14, decimal_places=2, default=0)
    county_yuan = models.DecimalField("县级承担（元）", max_digits=14, decimal_places=2, default=0)
    case_count = models.PositiveIntegerField("案件数", default=0)
    reserved = models.BooleanField("已占用经费额度", default=False)

    procedure = Procedure(code="mediation-claim", name=gettext_noop("人民调解“以奖代补”奖励申领"),
                          reference_prefix="TJJ", citation=f"{DOC} 附件 三(二)")

    class Meta:
        verbose_name = "“以奖代补”奖励申领"
        verbose_name_plural = "“以奖代补”奖励申领"

    @property
    def county(self) -> OrgUnit:
        return self.org.county_level()

    participants = Participants(units=(CITY_JUSTICE, CITY_FINANCE))

    def claimable_records(self):
        return MediationRecord.objects.filter(county=self.county, claim__isnull=True,
                                              flagged_false=False)

    # -- reservations of the budget, all inside the step's transaction
    def _reserve(self, actor, now):
        from kmgov.core.calendar import local

        when = local(now).date()
        records = list(self.claimable_records().select_for_update())
        total = city = Decimal("0")
        for r in records:
            d = reward_for(r.grade, self.county, when)
            r.reward_yuan = money(d.outputs["amount_yuan"])
            split = decide("mediation.reward_split", {"amount_yuan": float(r.reward_yuan),
                                                      "as_of": when.isoformat()})
            r.city_yuan = money(split.outputs["city_yuan"])
            r.claim = self
            r.save(update_fields=["reward_yuan", "city_yuan", "claim"])
            total += r.reward_yuan
            city += r.city_yuan
        self.total_yuan, self.city_yuan = total, city
        self.county_yuan = total - city
        self.case_count = len(records)
        ensure_budgets(when)
        why = f"{self.reference} 申领"
        budget_draw(BUDGET_TOTAL, total, actor=actor, reason=why)
        budget_draw(BUDGET_CITY, city, actor=actor, reason=why)
        self.reserved = True

    def keep_decisions(self, actor, now, when) -> None:
        """Keep the claim's decisions with the step: the piece reward of its cases by grade
        (三(二)3, at the county's rates if it set its own) and the city's share of it (三(二)4),
        as of `when` (the submission date: the amounts reserved then)."""
        counts = {g: 0 for g in Grade.values}
        for grade, n in (self.records.filter(flagged_false=False).values_list("grade")
                         .annotate(n=models.Count("id"))):
            counts[grade] = n
        reward = reward_for_counts(counts, self.county, when)
        split = decide("mediation.reward_split", {"amount_yuan": reward.outputs["amount_yuan"],
                                                  "as_of": when.isoformat()})
        subject = f"{self.case_count}件（普通{counts['ordinary']}、疑难{counts['difficult']}、重大{counts['major']}）"
        decision_keep(self, reward, actor=actor, now=now, subject=subject)
        decision_keep(self, split, actor=actor, now=now, subject=subject)

    def _release(self, actor, reason):
        if self.reserved:
            budget_release(BUDGET_TOTAL, self.total_yuan, actor=actor, reason=reason)
            budget_release(BUDGET_CITY, self.city_yuan, actor=actor, reason=reason)
            self.reserved = False
        self.records.update(claim=None, reward_yuan=None, city_yuan=None)
        self.total_yuan = self.city_yuan = self.county_yuan = Decimal("0")
        self.case_count = 0

    @step(source=[ClaimState.DRAFT, ClaimState.RETURNED], target=ClaimState.SUBMITTED,
          label=gettext_noop("提交申领"), applicant=True, roles=[Role.COUNTY_DEPARTMENT],
          conditions=[condition("本县区没有可申领的成功调解案件（已申领或认定虚报的除外）",
                                field="records")(_has_records)],
          awaits=Await(what="审核调解案件等级、件数与奖励金额", role=Role.CITY_OFFICE,
                       at=CITY_JUSTICE))
    def submit(self, *, actor, reason, now, data=None):
        self._reserve(actor, now)
        self.submitted_at = now
        self.keep_decisions(actor, now, local(now).date())

    @step(source=ClaimState.SUBMITTED, target=ClaimState.APPROVED, label=gettext_noop("审核通过"),
          roles=[Role.CITY_OFFICE], at=CITY_JUSTICE,
          awaits=Await(what="拨付市级“以奖代补”资金", role=Role.CITY_DEPARTMENT, at=CITY_FINANCE), duty=Duty.REVIEW)
    def approve(self, *, actor, reason, now, data=None):
        pass

    @step(source=ClaimState.SUBMITTED, target=ClaimState.RETURNED, label=gettext_noop("退回补正"),
          roles=[Role.CITY_OFFICE], at=CITY_JUSTICE, reason_required=True,
          awaits=Await(what="按审核意见补正后重新提交", applicant=True), duty=Duty.REVIEW)
    def return_for_changes(self, *, actor, reason, now, data=None):
        self._release(actor, f"{self.reference} 退回")

    @step(source=ClaimState.SUBMITTED, target=ClaimState.REJECTED, label=gettext_noop("不予核拨"),
          roles=[Role.CITY_OFFICE], at=CITY_JUSTICE, reason_required=True, duty=Duty.REVIEW)
    def reject(self, *, actor, reason, now, data=None):
        self._release(actor, f"{self.reference} 不予核拨")

    @step(source=[ClaimState.DRAFT, ClaimState.SUBMITTED, ClaimState.RETURNED],
          target=ClaimState.WITHDRAWN, label=gettext_noop("撤回申领"), applicant=True)
    def withdraw(self, *, actor, reason, now, data=None):
        self._release(actor, f"{self.reference} 撤回")

    @step(source=ClaimState.APPROVED, target=ClaimState.PAID, label=gettext_noop("拨付市级资金"),
          roles=[Role.CITY_DEPARTMENT], at=CITY_FINANCE, duty=Duty.PAY)
    def pay(self, *, actor, reason, now, data=None):
        # the reward paid and the city's share of it, with their traces (三(二)3, 三(二)4)
        self.keep_decisions(actor, now, local(self.submitted_at or now).date())
        payment_record(self, tranche="city_share", label=gettext_noop("市级“以奖代补”资金"),
                       amount=self.city_yuan, payer=OrgUnit.objects.get(code=CITY_FINANCE),
                       payee=self.org, actor=actor, now=now, citation=f"{DOC} 附件 三(二)4",
                       note=f"{self.case_count}件，奖励合计{self.total_yuan}元")


class ReportState(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    SUBMITTED = "submitted", gettext_noop("待市司法局审阅")
    RETURNED = "returned", gettext_noop("退回补充")
    ACCEPTED = "accepted", gettext_noop("已收悉")


@register
class MediationReport(Case):
    """The county's written report on the trial (三(三)2: 2010年12月31日前报市司法局)."""

    state = state_field(ReportState.choices, default=ReportState.DRAFT)
    year = models.PositiveSmallIntegerField("年度", default=2010)
    late = models.BooleanField("逾期报送", default=False)

    procedure = Procedure(code="mediation-report", name=gettext_noop("“以奖代补”试行工作总结报告"),
                          reference_prefix="TJB", checklist={"report": "书面总结报告"},
                          editable_states=(ReportState.DRAFT, ReportState.RETURNED),
                          citation=f"{DOC} 附件 三(三)2")

    class Meta:
        verbose_name = "“以奖代补”总结报告"
        verbose_name_plural = "“以奖代补”总结报告"

    participants = Participants(units=(CITY_JUSTICE,))

    def report_deadline(self):
        import datetime as dt

        # read on the last day of the year reported on (三(三)2: the report of 2010 is due by
        # 2010年12月31日; the same day of its own year for a later year)
        d = dt.date.fromisoformat(parameter_value("mediation.county_report_deadline", dt.date(self.year, 12, 31)))
        return d.replace(year=self.year)

    @step(source=[ReportState.DRAFT, ReportState.RETURNED], target=ReportState.SUBMITTED,
          label=gettext_noop("报送市司法局"), applicant=True, roles=[Role.COUNTY_DEPARTMENT],
          conditions=[documents_attached("report")],
          awaits=Await(what="审阅县区总结报告，整理全市试行工作总结", role=Role.CITY_OFFICE,
                       at=CITY_JUSTICE))
    def submit(self, *, actor, reason, now, data=None):
        from kmgov.core.calendar import local

        self.late = local(now).date() > self.report_deadline()
        self.submitted_at = now

    @step(source=ReportState.SUBMITTED, target=ReportState.ACCEPTED, label=gettext_noop("收悉"),
          roles=[Role.CITY_OFFICE], at=CITY_JUSTICE, duty=Duty.REVIEW)
    def accept(self, *, actor, reason, now, data=None):
        pass

    @step(source=ReportState.SUBMITTED, target=ReportState.RETURNED, label=gettext_noop("退回补充"),
          roles=[Role.CITY_OFFICE], at=CITY_JUSTICE, reason_required=True,
          awaits=Await(what="补充总结报告后重新报送", applicant=True), duty=Duty.REVIEW)
    def return_for_changes(self, *, actor, reason, now, data=None):
        pass
