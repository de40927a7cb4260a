"""昆政发〔2010〕61号: the forest transformation project (FO-4, FO-5) as a procedure.

Route by ownership (五(五)): household / transferred land → township forestry station review →
county forestry approval; collective land → village democratic decision → county; enterprise
or state land → county. Money (四(三), 五(四)): 50 % of the subsidy when the design is
approved, the rest after acceptance (county self-check, then city spot-check, 五(七)).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_noop
from pydantic import Field

from kmgov.core.calendar import local
from kmgov.core.models import OrgUnit, Role
from kmgov.procedures.decisions import decision_keep
from kmgov.procedures.declare import (
    Await,
    Duty,
    Participants,
    Procedure,
    condition,
    county_department,
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
from kmgov.procedures.inputs import StepInput
from kmgov.procedures.ledger import money, payment_clawback, payment_record, payments_of
from kmgov.procedures.models import Case, FilingCase
from kmgov.rules import decide

DOC = "昆政发〔2010〕61号"
CITY_FORESTRY = "city-forestry"
CITY_FINANCE = "city-finance"


class Ownership(models.TextChoices):
    HOUSEHOLD = "household", gettext_noop("分包到户的林地")
    TRANSFERRED = "transferred", gettext_noop("流转到户的林地")
    COLLECTIVE = "collective", gettext_noop("集体经营的林地")
    ENTERPRISE = "enterprise", gettext_noop("企业的林地")
    STATE = "state", gettext_noop("国有林地")


STATION_ROUTE = (Ownership.HOUSEHOLD, Ownership.TRANSFERRED)


class Method(models.TextChoices):
    HARVEST_REGENERATION = "harvest_regeneration", gettext_noop("采伐更新")
    SPECIES_REPLACEMENT = "species_replacement", gettext_noop("树种更替")
    TENDING = "tending", gettext_noop("森林抚育")
    REJUVENATION = "rejuvenation", gettext_noop("复壮改造")
    COMPREHENSIVE = "comprehensive", gettext_noop("综合改造")
    REPLANTING = "replanting", gettext_noop("补植补造")
    CLOSURE = "closure", gettext_noop("封山育林")
    STRUCTURE_IMPROVEMENT = "structure_improvement", gettext_noop("改善林分结构")
    CLEAR_CUTTING = "clear_cutting", gettext_noop("皆伐性改造")


# The site categories of 三(三) (inputs of the rule forestry.allowed_methods).
SITE_FLAGS = {
    "public_welfare_forest": "公益林", "key_water_conservation": "重点水源涵养区的森林",
    "key_water_source": "重点水源区", "city_facing_mountain": "城镇面山",
    "road_facing_mountain": "主要交通沿线面山", "dianchi_basin": "滇池流域",
}


class State(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    STATION_REVIEW = "station_review", gettext_noop("乡（镇）林业站审核中")
    COUNTY_REVIEW = "county_review", gettext_noop("县级林业主管部门审批中")
    RETURNED = "returned", gettext_noop("退回补正")
    DESIGN_APPROVED = "design_approved", gettext_noop("设计已批准，待拨付首期补助")
    IN_PROGRESS = "in_progress", gettext_noop("首期补助已拨付，实施中")
    SELF_CHECKED = "self_checked", gettext_noop("县级自查合格，待市级抽检")
    ACCEPTED = "accepted", gettext_noop("验收合格，待拨付余款")
    COMPLETED = "completed", gettext_noop("补助已全部拨付")
    REJECTED = "rejected", gettext_noop("不予批准")
    WITHDRAWN = "withdrawn", gettext_noop("已撤回")
    REVOKED = "revoked", gettext_noop("已撤销（补助追回）")


def township_of(case) -> OrgUnit:
    """The township (乡镇) whose forestry station reviews a household's application."""
    node = case.org
    while node is not None:
        if node.kind == "township":
            return node
        node = node.parent
    raise ValidationError({"org": "分包到户或流转到户的林地须属于某一乡（镇），由乡（镇）林业站审核"})


def _method_check(case) -> list[str]:
    inputs = {k: bool(case.site_flags.get(k)) for k in SITE_FLAGS}
    inputs["method"] = case.method
    d = decide("forestry.allowed_methods", inputs)
    return d.reasons() if d.outcome == "forbidden" else []


def _decision_check(case) -> list[str]:
    if case.ownership != Ownership.COLLECTIVE:
        return []
    if not (case.decision_date and case.decision_attendance and case.decision_votes_for is not None):
        return ["集体经营的林地须录入村民民主决策（日期、到会人数、同意人数）〔昆政发〔2010〕61号 五(五)〕"]
    d = decide("forestry.village_decision", {"attendance": case.decision_attendance,
                                             "votes_for": case.decision_votes_for})
    return d.reasons() if d.outcome == "not_agreed" else []


EDITABLE = ("holder_name", "area_mu", "pilot", "method", "site_flags", "subcompartment",
            "decision_date", "decision_attendance", "decision_votes_for")


class SubmitInput(StepInput):
    """Fields the applicant may correct when (re)submitting (all optional: left out, kept)."""

    holder_name: str | None = Field(None, title=gettext_noop("林权所有者/经营单位"), min_length=1, max_length=100)
    area_mu: Decimal | None = Field(None, title=gettext_noop("改造面积（亩）"), gt=0, decimal_places=2,
                                    json_schema_extra={"money": False, "unit": "亩"})
    pilot: bool | None = Field(None, title=gettext_noop("试点项目"))
    method: Method | None = Field(None, title=gettext_noop("改造方式"))
    site_flags: dict[str, bool] | None = Field(None, title=gettext_noop("所处区域（三(三)）"),
                                               json_schema_extra={"widget": "flags",
                                                                  "choices": SITE_FLAGS})
    subcompartment: str | None = Field(None, title=gettext_noop("小班号"), max_length=100)
    decision_date: dt.date | None = Field(None, title=gettext_noop("民主决策日期"))
    decision_attendance: int | None = Field(None, title=gettext_noop("到会人数"), ge=0)
    decision_votes_for: int | None = Field(None, title=gettext_noop("同意人数"), ge=0)


class NoticeInput(StepInput):
    """五(七) 建立健全中低产林改造公示制度: when and where the project is made public, and the
    thinning it includes (胸径 decides whether the wood enters the yearly timber plan)."""

    notice_from: dt.date = Field(title=gettext_noop("公示开始日期"))
    notice_days: int = Field(title=gettext_noop("公示天数"), ge=1, le=365)
    place: str = Field(title=gettext_noop("公示地点"), min_length=1, max_length=200)
    thinning_dbh_cm: Decimal | None = Field(None, title=gettext_noop("间伐林木最大胸径（厘米）"), gt=0, le=500,
                                            decimal_places=1,
                                            json_schema_extra={"money": False, "unit": "厘米"})
    thinning_volume_m3: Decimal | None = Field(None, title=gettext_noop("间伐蓄积（立方米）"), gt=0,
                                               decimal_places=2,
                                               json_schema_extra={"money": False, "unit": "立方米"})
    plantation_timber_thinning: bool = Field(True, title=gettext_noop("抚育间伐人工用材林"))


class TransportInput(StepInput):
    """五(五) 中低产林改造采伐的木材及其剩余物，凭乡（镇）林业站证明，由县级林业行政主管部门
    办理运输手续: the station's certificate for one load."""

    volume_m3: Decimal = Field(title=gettext_noop("木材数量（立方米）"), gt=0, le=100000, decimal_places=2,
                               json_schema_extra={"money": False, "unit": "立方米"})
    species: str = Field(title=gettext_noop("树种"), min_length=1, max_length=50)
    destination: str = Field(title=gettext_noop("运往地点"), min_length=1, max_length=200)
    vehicle: str | None = Field(None, title=gettext_noop("运输车辆"), max_length=50)


def _apply_edits(case, data: SubmitInput | None) -> None:
    """Fields the applicant may correct when (re)submitting after a return."""
    edits = data.model_dump(exclude_unset=True) if data is not None else {}
    assert set(edits) <= set(EDITABLE)
    for k, v in edits.items():
        field = case._meta.get_field(k)
        setattr(case, k, field.to_python(v) if k != "site_flags" else v)


@register
class ForestProject(Case):
    """A low/medium-yield forest transformation project; `org` is the unit holding the land
    (the township or village for households and collectives, the enterprise/forest farm)."""

    state = state_field(State.choices, default=State.DRAFT)
    ownership = models.CharField("林地权属", max_length=16, choices=Ownership.choices)
    holder_name = models.CharField("林权所有者/经营单位", max_length=100)
    subcompartment = models.CharField("小班号", max_length=100, blank=True)
    area_mu = models.DecimalField("改造面积（亩）", max_digits=12, decimal_places=2,
                                  validators=[MinValueValidator(Decimal("0.01"))])
    pilot = models.BooleanField("试点项目", default=False)
    method = models.CharField("改造方式", max_length=32, choices=Method.choices)
    site_flags = models.JSONField("所处区域（三(三)）", default=dict, blank=True)
    decision_date = models.DateField("民主决策日期", null=True, blank=True)
    decision_attendance = models.PositiveIntegerField("到会人数", null=True, blank=True)
    decision_votes_for = models.PositiveIntegerField("同意人数", null=True, blank=True)
    subsidy_yuan = models.DecimalField("核定补助（元）", max_digits=14, decimal_places=2,
                                       null=True, blank=True)
    design_tranche_yuan = models.DecimalField("设计批准后拨付（元）", max_digits=14,
                                              decimal_places=2, null=True, blank=True)
    acceptance_tranche_yuan = models.DecimalField("验收后拨付（元）", max_digits=14,
                                                  decimal_places=2, null=True, blank=True)
    subsidy_decision = models.JSONField("补助计算过程", default=dict, blank=True)
    # Dates of the progress reports (FO-1, FO-6): the work is done when the county's self-check
    # passes (五(七) 改造任务结束后，县级…组织自查); the area counts as transformed once the
    # city's spot-check accepts it.
    # 五(七): the project's public notice (公示), with the thinning it includes, and whether
    # that wood enters the yearly timber production plan (rule forestry.logging_quota).
    notice_from = models.DateField("公示开始日期", null=True, blank=True)
    notice_days = models.PositiveIntegerField("公示天数", null=True, blank=True)
    notice_place = models.CharField("公示地点", max_length=200, blank=True)
    thinning_dbh_cm = models.DecimalField("间伐林木最大胸径（厘米）", max_digits=6,
                                          decimal_places=1, null=True, blank=True)
    thinning_volume_m3 = models.DecimalField("间伐蓄积（立方米）", max_digits=10, decimal_places=2,
                                             null=True, blank=True)
    thinning_in_timber_plan = models.BooleanField("纳入年度木材生产计划", null=True, blank=True)
    work_done_on = models.DateField("改造完成（县级自查合格）日期", null=True, blank=True)
    accepted_on = models.DateField("市级抽检合格日期", null=True, blank=True)

    procedure = Procedure(
        code="forest", name=gettext_noop("中低产林改造项目"), reference_prefix="DCL",
        checklist={"design": "改造作业设计", "decision": "村民会议决议", "application": "改造申请书"},
        editable_states=(State.DRAFT, State.RETURNED),
        citation=f"{DOC} 五(五)",
    )

    class Meta:
        verbose_name = "中低产林改造项目"
        verbose_name_plural = "中低产林改造项目"

    def clean(self):
        bad = set(self.site_flags or {}) - set(SITE_FLAGS)
        if bad:
            raise ValidationError({"site_flags": f"未知的区域类别：{'、'.join(sorted(bad))}"})

    # The county forestry bureau approves its townships' projects; the city bureau spot-checks
    # and the city finance bureau pays (61号): they read the cases their route brings them.
    participants = Participants(units=(CITY_FORESTRY, CITY_FINANCE), county_departments=("forestry",))

    # ------------------------------------------------------------ submission

    @step(source=[State.DRAFT, State.RETURNED], target=State.STATION_REVIEW,
          label=gettext_noop("提交乡（镇）林业站审核"), applicant=True,
          conditions=[condition("该申请应走此路线：分包到户或流转到户的林地由乡（镇）林业站审核",
                                field="ownership")(lambda c: c.ownership in STATION_ROUTE)],
          awaits=Await(what="审核改造申请并上报县级林业主管部门", role=Role.TOWNSHIP_STAFF,
                       at=township_of), input=SubmitInput)
    def submit_to_station(self, *, actor, reason, now, data=None):  # input: SubmitInput
        self._submit(now, data)

    @step(source=[State.DRAFT, State.RETURNED], target=State.COUNTY_REVIEW,
          label=gettext_noop("报县级林业主管部门审批"), applicant=True,
          conditions=[condition("分包到户或流转到户的林地须先经乡（镇）林业站审核",
                                field="ownership")(lambda c: c.ownership not in STATION_ROUTE)],
          awaits=Await(what="审批改造申请与作业设计", role=Role.COUNTY_DEPARTMENT,
                       at=county_department("forestry")), input=SubmitInput)
    def submit(self, *, actor, reason, now, data=None):
        self._submit(now, data)

    def _submit(self, now, data):
        _apply_edits(self, data)
        self.full_clean(exclude=["state"])
        errors = {}
        if reasons := _method_check(self):
            errors["method"] = "；".join(reasons)
        if reasons := _decision_check(self):
            errors["decision_votes_for"] = "；".join(reasons)
        if errors:
            raise ValidationError(errors)
        self.submitted_at = now

    # ------------------------------------------------------------ township station

    @step(source=State.STATION_REVIEW, target=State.COUNTY_REVIEW, label=gettext_noop("林业站审核通过，报县审批"),
          roles=[Role.TOWNSHIP_STAFF], at=township_of,
          awaits=Await(what="审批改造申请与作业设计", role=Role.COUNTY_DEPARTMENT,
                       at=county_department("forestry")), duty=Duty.REVIEW)
    def station_approve(self, *, actor, reason, now, data=None):
        pass

    @step(source=State.STATION_REVIEW, target=State.RETURNED, label=gettext_noop("林业站退回补正"),
          roles=[Role.TOWNSHIP_STAFF], at=township_of, reason_required=True,
          awaits=Await(what="按审核意见补正后重新提交", applicant=True), duty=Duty.REVIEW)
    def station_return(self, *, actor, reason, now, data=None):
        pass

    # ------------------------------------------------------------ county forestry

    @step(source=State.COUNTY_REVIEW, target=State.DESIGN_APPROVED, label=gettext_noop("批准改造及作业设计"),
          roles=[Role.COUNTY_DEPARTMENT], at=county_department("forestry"),
          conditions=[condition("须上传改造作业设计", field="attachments")(
              lambda c: c.has_attachment("design"))],
          awaits=Await(what="拨付首期（50%）补助", role=Role.CITY_DEPARTMENT, at=CITY_FINANCE), duty=Duty.APPROVE, stage="county-forestry")
    def approve_design(self, *, actor, reason, now, data=None):
        d = decide("forestry.transformation_subsidy",
                   {"area_mu": float(self.area_mu), "pilot": self.pilot,
                    "as_of": local(now).date().isoformat()})
        self.subsidy_yuan = money(d.outputs["amount_yuan"])
        self.design_tranche_yuan = money(d.outputs["on_design_approval_yuan"])
        self.acceptance_tranche_yuan = money(d.outputs["after_acceptance_yuan"])
        self.subsidy_decision = d.to_dict()
        decision_keep(self, d, actor=actor, now=now, subject=f"{self.holder_name} {self.area_mu}亩")

    @step(source=State.COUNTY_REVIEW, target=State.RETURNED, label=gettext_noop("县林业主管部门退回补正"),
          roles=[Role.COUNTY_DEPARTMENT], at=county_department("forestry"), reason_required=True,
          awaits=Await(what="按审批意见补正后重新提交", applicant=True), duty=Duty.APPROVE, stage="county-forestry")
    def county_return(self, *, actor, reason, now, data=None):
        pass

    @step(source=State.COUNTY_REVIEW, target=State.REJECTED, label=gettext_noop("不予批准"),
          roles=[Role.COUNTY_DEPARTMENT], at=county_department("forestry"), reason_required=True, duty=Duty.APPROVE, stage="county-forestry")
    def reject(self, *, actor, reason, now, data=None):
        pass

    @step(source=[State.DRAFT, State.STATION_REVIEW, State.COUNTY_REVIEW, State.RETURNED],
          target=State.WITHDRAWN, label=gettext_noop("撤回申请"), applicant=True)
    def withdraw(self, *, actor, reason, now, data=None):
        pass

    # ------------------------------------------------------------ money and acceptance

    @step(source=State.DESIGN_APPROVED, target=State.IN_PROGRESS, label=gettext_noop("拨付首期补助（50%）"),
          roles=[Role.CITY_DEPARTMENT], at=CITY_FINANCE,
          awaits=Await(what="改造完成后组织县级自查", role=Role.COUNTY_DEPARTMENT,
                       at=county_department("forestry")), duty=Duty.PAY)
    def pay_design(self, *, actor, reason, now, data=None):
        self._pay("design", "设计批准后首期补助（50%）", self.design_tranche_yuan, actor, now,
                  f"{DOC} 四(三)")

    @step(source=State.IN_PROGRESS, target=State.SELF_CHECKED, label=gettext_noop("县级自查合格"),
          roles=[Role.COUNTY_DEPARTMENT], at=county_department("forestry"),
          awaits=Await(what="市级抽检核查", role=Role.CITY_DEPARTMENT, at=CITY_FORESTRY), duty=Duty.REVIEW, stage="county-forestry")
    def self_check(self, *, actor, reason, now, data=None):
        self.work_done_on = local(now).date()

    @step(source=State.SELF_CHECKED, target=State.ACCEPTED, label=gettext_noop("市级抽检合格"),
          roles=[Role.CITY_DEPARTMENT], at=CITY_FORESTRY,
          awaits=Await(what="拨付其余补助", role=Role.CITY_DEPARTMENT, at=CITY_FINANCE), duty=Duty.REVIEW, stage="city-forestry")
    def spot_check_pass(self, *, actor, reason, now, data=None):
        self.accepted_on = local(now).date()

    @step(source=State.SELF_CHECKED, target=State.IN_PROGRESS, label=gettext_noop("市级抽检不合格，整改"),
          roles=[Role.CITY_DEPARTMENT], at=CITY_FORESTRY, reason_required=True,
          awaits=Await(what="整改后重新组织自查", role=Role.COUNTY_DEPARTMENT,
                       at=county_department("forestry")), duty=Duty.REVIEW, stage="city-forestry")
    def spot_check_fail(self, *, actor, reason, now, data=None):
        self.work_done_on = None  # 整改: done again when the next self-check passes

    @step(source=State.ACCEPTED, target=State.COMPLETED, label=gettext_noop("拨付其余补助"),
          roles=[Role.CITY_DEPARTMENT], at=CITY_FINANCE, duty=Duty.PAY)
    def pay_acceptance(self, *, actor, reason, now, data=None):
        self._pay("acceptance", "验收后其余补助", self.acceptance_tranche_yuan, actor, now,
                  f"{DOC} 四(三)")

    @step(source=[State.DESIGN_APPROVED, State.IN_PROGRESS, State.SELF_CHECKED, State.ACCEPTED],
          target=State.REVOKED, label=gettext_noop("撤销项目并追回已拨补助"), roles=[Role.CITY_DEPARTMENT],
          at=CITY_FORESTRY, reason_required=True, duty=Duty.APPROVE, stage="city-forestry")
    def revoke(self, *, actor, reason, now, data=None):
        for p in payments_of(self).filter(reverses__isnull=True, amount__gt=0):
            payment_clawback(p, tranche=f"clawback:{p.tranche}", amount=p.amount, actor=actor,
                             reason=reason, case=self, now=now)

    # ------------------------------------------------------------ 公示 and timber transport (FO-7)

    @step(source=State.IN_PROGRESS, target=State.IN_PROGRESS, label=gettext_noop("公示改造项目及间伐安排"),
          roles=[Role.COUNTY_DEPARTMENT], at=county_department("forestry"), input=NoticeInput,
          citation=f"{DOC} 五(七)", routine="公示已批准的项目，不作新的决定")
    def publish_notice(self, *, actor, reason, now, data=None):
        self.notice_from = data.notice_from
        self.notice_days = data.notice_days
        self.notice_place = data.place
        self.thinning_dbh_cm = data.thinning_dbh_cm
        self.thinning_volume_m3 = data.thinning_volume_m3
        self.thinning_in_timber_plan = None
        if data.thinning_dbh_cm is not None:
            d = decide("forestry.logging_quota",
                       {"dbh_cm": float(data.thinning_dbh_cm),
                        "plantation_timber_thinning": data.plantation_timber_thinning})
            self.thinning_in_timber_plan = bool(d.outputs["in_timber_production_plan"])
            decision_keep(self, d, actor=actor, now=now, subject=f"间伐 {data.thinning_dbh_cm}厘米")

    @step(source=State.IN_PROGRESS, target=State.IN_PROGRESS, label=gettext_noop("出具木材运输证明"),
          roles=[Role.TOWNSHIP_STAFF, Role.COUNTY_DEPARTMENT], input=TransportInput,
          routine="按已批准的作业设计出具运输证明（决定在批准设计时作出）",
          conditions=[condition("改造项目须先公示（五(七)）", field="notice_from")(
              lambda c: c.notice_from is not None)],
          citation=f"{DOC} 五(五)")
    def certify_transport(self, *, actor, reason, now, data=None):
        n = self.transport_certificates.count() + 1
        TimberTransportCertificate.objects.create(
            number=f"{self.reference}-YS{n:02d}", project=self, volume_m3=data.volume_m3,
            species=data.species, destination=data.destination, vehicle=data.vehicle or "",
            in_timber_plan=self.thinning_in_timber_plan, issued_by=actor, issued_at=now)

    def _pay(self, tranche, label, amount, actor, now, citation):
        county = self.org.county_level()
        payment_record(self, tranche=tranche, label=label, amount=amount,
                       payer=OrgUnit.objects.get(code=CITY_FINANCE),
                       payee=OrgUnit.objects.get(code=f"{county.code}-forestry"),
                       actor=actor, citation=citation, now=now,
                       note=f"{self.holder_name} {self.area_mu}亩")


class TimberTransportCertificate(models.Model):
    """The station's certificate for timber of a transformation project (五(五)), printed as a
    PDF (`transport_pdf`) for the county forestry bureau's transport papers."""

    number = models.CharField("证明编号", max_length=60, unique=True)
    project = models.ForeignKey(ForestProject, on_delete=models.PROTECT,
                                related_name="transport_certificates", verbose_name="改造项目")
    volume_m3 = models.DecimalField("木材数量（立方米）", max_digits=10, decimal_places=2)
    species = models.CharField("树种", max_length=50)
    destination = models.CharField("运往地点", max_length=200)
    vehicle = models.CharField("运输车辆", max_length=50, blank=True)
    in_timber_plan = models.BooleanField("纳入年度木材生产计划", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="出具人")
    issued_at = models.DateTimeField("出具时间")

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = "木材运输证明"
        verbose_name_plural = "木材运输证明"


# ------------------------------------------------------------------ 2010's plans and summaries

class PlanFilingState(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    SUBMITTED = "submitted", gettext_noop("已上报，待市林业局查收")
    RECEIVED = "received", gettext_noop("市林业局已查收")


class PlanFilingInput(StepInput):
    """What a county government reports (61号 四(一)、四(二)): the document itself is the
    attachment; the form asks for the figures the city sums up."""

    planned_area_mu: Decimal | None = Field(None, title=gettext_noop("规划改造面积（亩）"), ge=0, decimal_places=2,
                                            json_schema_extra={"money": False, "unit": "亩"})
    pilot_area_mu: Decimal | None = Field(None, title=gettext_noop("试点面积（亩）"), ge=0, decimal_places=2,
                                          json_schema_extra={"money": False, "unit": "亩"})
    note: str | None = Field(None, title=gettext_noop("说明"), max_length=2000)


@register
class ForestryPlanFiling(FilingCase):
    """A county's report of 2010 under 61号: the reviewed overall plan and implementation scheme
    (9月30日前), its final version (10月15日前, 由县(市)区政府上报市林业局) and the pilot's
    summary (12月10日前). Three scheduled filings (below) of this one form."""

    state = state_field(PlanFilingState.choices, default=PlanFilingState.DRAFT)
    planned_area_mu = models.DecimalField("规划改造面积（亩）", max_digits=12, decimal_places=2,
                                          null=True, blank=True)
    pilot_area_mu = models.DecimalField("试点面积（亩）", max_digits=12, decimal_places=2,
                                        null=True, blank=True)
    note = models.TextField("说明", blank=True)

    participants = Participants(units=(CITY_FORESTRY,))

    procedure = Procedure(
        code="forest-plan", name=gettext_noop("中低产林改造规划与试点总结报送"),
        reference_prefix="DCLBS", checklist={"document": "总体规划及实施方案或试点工作总结"},
        editable_states=(PlanFilingState.DRAFT,),
        initial_awaits=Await(what="上报中低产林改造规划或试点工作总结", role=Role.COUNTY_GOVERNMENT,
                             at=lambda case: case.org),
        citation=f"{DOC} 四(一)、四(二)")

    class Meta:
        verbose_name = "中低产林改造规划与试点总结报送"
        verbose_name_plural = "中低产林改造规划与试点总结报送"

    @step(source=PlanFilingState.DRAFT, target=PlanFilingState.SUBMITTED,
          label=gettext_noop("上报"), roles=[Role.COUNTY_GOVERNMENT], input=PlanFilingInput,
          routine="县级政府报送规划或总结，由市林业局查收",
          conditions=[condition("须上传总体规划及实施方案或试点工作总结", field="attachments")(
              lambda c: c.has_attachment("document"))],
          awaits=Await(what="查收县区中低产林改造报送材料", role=Role.CITY_DEPARTMENT,
                       at=CITY_FORESTRY),
          citation=f"{DOC} 四(一)、四(二)")
    def submit(self, *, actor, reason, now, data=None):
        self.planned_area_mu = data.planned_area_mu
        self.pilot_area_mu = data.pilot_area_mu
        self.note = data.note or ""
        self.submitted_at = now

    @step(source=PlanFilingState.SUBMITTED, target=PlanFilingState.RECEIVED,
          label=gettext_noop("查收"), roles=[Role.CITY_DEPARTMENT], at=CITY_FORESTRY,
          duty=Duty.REVIEW)
    def receive(self, *, actor, reason, now, data=None):
        pass


#: The 16 units with a task in 四(一) (五华区5万亩 … 高新区1万亩; not 度假区): they owe the plans
#: and, having a pilot to run by 11-30 (四(二)), its summary.
COUNTIES_WITH_TASKS = ("wuhua", "panlong", "guandu", "xishan", "dongchuan", "anning",
                       "chenggong", "jinning", "fumin", "luquan", "songming", "xundian",
                       "yiliang", "shilin", "jingkai", "gaoxin")


def _plan_obligation(code, name, window, citation):
    # Filed by the county government (由县(市)区政府上报), received by 市林业局 (the leading
    # group's office, 五(一)), which is told after the day who has not filed.
    return register_obligation(Obligation(
        code=code, name=name, form="forest-plan", filed_by_step="submit", period=PeriodKind.YEAR,
        window=WindowRule.from_parameter(window, citation=citation),
        filers=Filers(codes=COUNTIES_WITH_TASKS),
        receiver=Receiver(Role.CITY_DEPARTMENT, at=CITY_FORESTRY),
        filer_role=Role.COUNTY_GOVERNMENT, remind_before=7, escalate=True, citation=citation))


PLAN_REVIEW = _plan_obligation("forest-plan-review", "中低产林改造总体规划及实施方案（评审）",
                               "forestry.plan_review_window", f"{DOC} 四(一)")
PLAN_FINAL = _plan_obligation("forest-plan-final", "中低产林改造总体规划及实施方案（定稿）",
                              "forestry.plan_final_window", f"{DOC} 四(一)")
PILOT_SUMMARY = _plan_obligation("forest-pilot-summary", "中低产林改造试点工作总结",
                                 "forestry.pilot_summary_window", f"{DOC} 四(二)")
