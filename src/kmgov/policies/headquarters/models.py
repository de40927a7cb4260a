"""总部企业认定 (昆政发〔2010〕63号 附件《昆明市总部企业认定管理办法》) on the procedures kernel.

The route (county office → joint review meeting → county government → city filing) is the
shared `RecognitionCase`; here: the HQ type (one per application, 第十二条(一)), the checklist
(第十条), the green-channel service card (第十四条), the yearly statistics report (第十九条)
and revocation with claw-back into the credit file (第二十条).
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_noop
from pydantic import Field

from kmgov.core.calendar import local
from kmgov.core.models import Role
from kmgov.policies._recognition import (
    ACTIVE_STATES,
    RecognitionCase,
    State,
    filing_step,
    meeting_pass_step,
)
from kmgov.procedures.declare import (
    Await,
    Duty,
    Participants,
    Procedure,
    register,
    state_field,
    step,
)
from kmgov.procedures.filings import (
    Filers,
    Obligation,
    PeriodKind,
    Receiver,
    WindowRule,
    register_obligation,
)
from kmgov.procedures.inputs import Money, StepInput
from kmgov.procedures.models import FilingCase
from kmgov.procedures.windows import FilingWindow
from kmgov.rules import parameter_value, today

from .rules import CATEGORIES, TYPE_LABELS

DOC = "昆政发〔2010〕63号"

HQ_TYPE_LABELS = TYPE_LABELS  # the rule's catalogue (rules.py)
assert set(HQ_TYPE_LABELS) == set(CATEGORIES)

#: 第十一条: each year's window is read on the day an application is submitted.
WINDOW = FilingWindow.yearly_from("headquarters.application_window",
                                  citation=f"{DOC} 附件 第十一条")
REPORT_CITATION = f"{DOC} 附件 第十九条"


class ReportState(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    SUBMITTED = "submitted", gettext_noop("已报送，待市商务局查收")
    RECEIVED = "received", gettext_noop("市商务局已查收")


class StatisticsReportInput(StepInput):
    """第十九条 names no content; asked are the figures the certification itself judges
    (第六条–第九条: 营业收入, 地方分成部分, 从业人员) — docs/interpretations.md."""

    # kept in yuan (API, data); the form starts in 万元, the unit of 第六条–第九条's thresholds
    revenue_yuan: Money = Field(title=gettext_noop("本年度营业收入（元）"), json_schema_extra={"form_unit": "万元"})
    local_tax_yuan: Money = Field(title=gettext_noop("本年度在昆纳税形成的地方分成部分（元）"),
                                  json_schema_extra={"form_unit": "万元"})
    employees: int = Field(title=gettext_noop("年末从业人员（人）"), ge=0, le=10_000_000)
    note: str | None = Field(None, title=gettext_noop("说明"), max_length=2000)


class RevokeInput(StepInput):
    clawback_amount_yuan: Money = Field(title=gettext_noop("责令退回的补助和奖励（元）"),
                                        description=gettext_noop("附件 第二十条"))


@register
class HeadquartersApplication(RecognitionCase):
    RULE_ID = "headquarters.certification"

    hq_type = models.CharField("申报类型（只能申报其中之一）", max_length=40, blank=True,
                               choices=list(HQ_TYPE_LABELS.items()))
    last_report_year = models.PositiveSmallIntegerField("最近报送统计资料的年度", null=True,
                                                        blank=True)

    TYPE_LABELS = HQ_TYPE_LABELS  # the rule's type codes in words (pages)

    procedure = Procedure(
        code="hq", name=gettext_noop("总部企业认定"), reference_prefix="ZB", window=WINDOW,
        # 第十条 (一)–(六); (六) “要求的其它材料” is optional.
        checklist={
            "application": "总部企业认定申请（《总部企业认定申请表》）",
            "premises": "土地证、产权证或租房协议等复印件",
            "licences": "组织机构代码证、工商营业执照、税务登记证等复印件",
            "revenue_evidence": "能客观佐证营业收入的材料",
            "tax_certificate": "税务部门出具的上年度缴税情况证明",
            "other": "县（市）区及市总部经济发展领导小组办公室要求的其它材料",
        },
        required_documents=("application", "premises", "licences", "revenue_evidence",
                            "tax_certificate"),
        editable_states=(State.DRAFT, State.RETURNED),
        citation=f"{DOC} 附件 第十条至第十二条",
    )

    class Meta:
        verbose_name = "总部企业认定申报"
        verbose_name_plural = "总部企业认定申报"
        constraints = [
            # 第十二条(一): one type per application — and one application per enterprise a year,
            # so that a second application cannot claim a second type.
            models.UniqueConstraint(
                fields=["org", "year"], condition=Q(state__in=[s.value for s in ACTIVE_STATES]),
                name="hq_one_active_application_per_enterprise_year"),
        ]

    @classmethod
    def place_taken_message(cls, existing) -> str:
        # 第十二条(一): one type per application, hence one application a year.
        return (f"“{existing.org}”{existing.year}年度已申报{existing.hq_type_label() or '总部企业认定'}"
                f"（编号{existing.reference}，{existing.state_label()}）；按总部企业类型的划分只能申报"
                f"其中之一（{DOC} 附件 第十二条(一)），如需改报其他类型，请先撤回原申报")

    def summary(self) -> str:
        return self.hq_type_label()

    def extra_out(self) -> dict:
        card = GreenChannelCard.objects.filter(application=self).first()
        return {
            "hq_type": self.hq_type, "hq_type_label": self.hq_type_label(),
            "type_qualifies": self.type_qualifies(), "last_report_year": self.last_report_year,
            "card": card.as_dict() if card else None,
            "credit_records": [r.as_dict() for r in
                               CreditRecord.objects.filter(case_reference=self.reference)],
        }

    def hq_type_label(self) -> str:
        from django.utils.translation import gettext

        label = HQ_TYPE_LABELS.get(self.hq_type, "")
        return gettext(label) if label else ""

    def type_qualifies(self) -> bool | None:
        if not self.decision or "error" in self.decision or not self.hq_type:
            return None
        return self.hq_type in (self.decision.get("qualifies_for") or [])

    def set_data(self, data: dict) -> None:
        """The applicant's data: `hq_type` and the rule's `inputs` (refused naming the field)."""
        unknown = set(data) - {"hq_type", "inputs"}
        if unknown:
            raise ValidationError({k: f"不认识的字段“{k}”（可填：hq_type、inputs）" for k in unknown})
        if "hq_type" in data:
            t = data["hq_type"]
            if t not in HQ_TYPE_LABELS:
                raise ValidationError({"hq_type": f"申报类型须为其中之一："
                                                  f"{'、'.join(HQ_TYPE_LABELS.values())}"})
            self.hq_type = t
        if "inputs" in data:
            if not isinstance(data["inputs"], dict):
                raise ValidationError({"inputs": "申报数据（inputs）须为对象"})
            self.inputs = {k: v for k, v in data["inputs"].items() if k != "as_of"}

    def check_submission(self) -> None:
        if not self.hq_type:
            raise ValidationError({"hq_type": "请选择申报类型（只能申报其中之一，第十二条(一)）"})

    # -------------------------------------------------------------- filing: card + report

    def on_filed(self, *, actor, now) -> None:
        GreenChannelCard.issue(self, now=now)

    meeting_pass = meeting_pass_step()
    # 第十九条's yearly statistics report is no longer a step of the certification: it is the
    # scheduled filing `hq-statistics` (HQ_STATISTICS below), owed by every certified HQ.
    file = filing_step()

    @step(source=State.FILED, target=State.REVOKED, label=gettext_noop("撤销认定并追回（弄虚作假）"),
          roles=[Role.COUNTY_GOVERNMENT], reason_required=True, input=RevokeInput, duty=Duty.APPROVE)
    def revoke(self, *, actor, reason, now, data=None):
        amount = data.clawback_amount_yuan
        self.closed_reason = reason
        GreenChannelCard.objects.filter(application=self, revoked_at__isnull=True).update(
            revoked_at=now)
        CreditRecord.objects.create(
            org=self.org, kind=CreditRecord.Kind.FRAUD_CLAWBACK, case_reference=self.reference,
            description=reason, clawback_amount_yuan=amount, recorded_by=actor, recorded_at=now,
            citation=f"{DOC} 附件 第二十条")


@register
class HeadquartersStatisticsReport(FilingCase):
    """第十九条: 经认定的总部企业，每年应向市商务局依法报送本企业总部情况统计资料 — one report
    a year per certified HQ, a scheduled filing (`HQ_STATISTICS`) received by 市商务局."""

    state = state_field(ReportState.choices, default=ReportState.DRAFT)
    revenue_yuan = models.DecimalField("营业收入（元）", max_digits=16, decimal_places=2,
                                       null=True, blank=True)
    local_tax_yuan = models.DecimalField("地方分成部分（元）", max_digits=16, decimal_places=2,
                                         null=True, blank=True)
    employees = models.PositiveIntegerField("年末从业人员（人）", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    participants = Participants(units=("city-commerce",))

    procedure = Procedure(
        code="hq-statistics", name=gettext_noop("总部情况统计资料年报"), reference_prefix="ZBTJ",
        checklist={"statistics": "本企业总部情况统计资料"}, editable_states=(ReportState.DRAFT,),
        initial_awaits=Await(what="填写并报送总部情况统计资料", applicant=True),
        citation=REPORT_CITATION)

    class Meta:
        verbose_name = "总部情况统计资料年报"
        verbose_name_plural = "总部情况统计资料年报"

    @step(source=ReportState.DRAFT, target=ReportState.SUBMITTED, label=gettext_noop("报送统计资料"),
          applicant=True, roles=[Role.ENTERPRISE], input=StatisticsReportInput,
          awaits=Await(what="查收总部情况统计资料", role=Role.CITY_DEPARTMENT, at="city-commerce"),
          citation=REPORT_CITATION)
    def submit(self, *, actor, reason, now, data=None):
        self.revenue_yuan = Decimal(data.revenue_yuan)
        self.local_tax_yuan = Decimal(data.local_tax_yuan)
        self.employees = data.employees
        self.note = data.note or ""
        self.submitted_at = now
        # The certification shows the last year reported (as the old step did).
        HeadquartersApplication.objects.filter(org=self.org, state=State.FILED).update(
            last_report_year=int(self.period))

    @step(source=ReportState.SUBMITTED, target=ReportState.RECEIVED, label=gettext_noop("查收"),
          roles=[Role.CITY_DEPARTMENT], at="city-commerce", duty=Duty.REVIEW)
    def receive(self, *, actor, reason, now, data=None):
        pass


#: 第十九条 as a scheduled filing: each HQ with a filed certification owes, for every year from
#: the year it was filed, the year's statistics to 市商务局 in the window of the parameter
#: `headquarters.statistics_window` (interpretation: 1 January – 31 March of the next year);
#: reminded 30 days before the last day, escalated to 市商务局 after it.
HQ_STATISTICS = register_obligation(Obligation(
    code="hq-statistics", name="总部情况统计资料", form="hq-statistics",
    filed_by_step="submit", period=PeriodKind.YEAR,
    window=WindowRule.from_parameter("headquarters.statistics_window",
                                     citation=REPORT_CITATION),
    filers=Filers(holders=("hq", (State.FILED.value,)), since_field="filed_at"),
    receiver=Receiver(Role.CITY_DEPARTMENT, at="city-commerce"),
    filer_role=Role.ENTERPRISE, remind_before=30, escalate=True, citation=REPORT_CITATION))


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


class GreenChannelCard(models.Model):
    """绿色通道服务卡 (63号 附件 第十四条; 意见 四(三)), issued when the certification is filed."""

    number = models.CharField("卡号", max_length=40, unique=True)
    application = models.OneToOneField(HeadquartersApplication, on_delete=models.PROTECT,
                                       related_name="card", verbose_name="认定申报")
    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+",
                            verbose_name="总部企业")
    hq_type = models.CharField("总部类型", max_length=40, choices=list(HQ_TYPE_LABELS.items()))
    valid_from = models.DateField("有效期自")
    valid_until = models.DateField("有效期至")
    issued_at = models.DateTimeField("发卡时间")
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "绿色通道服务卡"
        verbose_name_plural = "绿色通道服务卡"

    @classmethod
    def issue(cls, app: HeadquartersApplication, *, now) -> GreenChannelCard:
        day = local(now).date()
        months = int(parameter_value("headquarters.green_card_validity_months", day))
        return cls.objects.create(
            number=f"LSTD-{app.reference}", application=app, org=app.org, hq_type=app.hq_type,
            valid_from=day, valid_until=_add_months(day, months) - dt.timedelta(days=1),
            issued_at=now)

    def as_dict(self) -> dict:
        return {"number": self.number, "org": self.org.code, "hq_type": self.hq_type,
                "valid_from": self.valid_from.isoformat(),
                "valid_until": self.valid_until.isoformat(),
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}

    def is_valid(self, on: dt.date | None = None) -> bool:
        on = on or today()
        return self.revoked_at is None and self.valid_from <= on <= self.valid_until


class CreditRecord(models.Model):
    """An entry of the enterprise credit file (企业信用信息档案, 63号 附件 第二十条). Append-only."""

    class Kind(models.TextChoices):
        FRAUD_CLAWBACK = "fraud_clawback", gettext_noop("弄虚作假骗取补助奖励：撤销并责令退回")

    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+",
                            verbose_name="企业")
    kind = models.CharField("类别", max_length=32, choices=Kind.choices)
    case_reference = models.CharField("事项编号", max_length=40, db_index=True)
    description = models.TextField("事实与理由")
    clawback_amount_yuan = models.DecimalField("责令退回金额（元）", max_digits=16,
                                               decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间")
    citation = models.CharField("依据", max_length=200)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = "企业信用记录"
        verbose_name_plural = "企业信用记录"

    def as_dict(self) -> dict:
        return {"org": self.org.code, "kind": self.kind, "case_reference": self.case_reference,
                "description": self.description,
                "clawback_amount_yuan": str(self.clawback_amount_yuan),
                "recorded_at": self.recorded_at.isoformat(), "citation": self.citation}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("信用记录只能追加，不能修改")
        super().save(*args, **kwargs)
