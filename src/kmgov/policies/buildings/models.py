"""商务楼宇奖励扶持的认定 (昆政发〔2010〕62号 附件1《昆明市楼宇企业认定管理办法》).

The route is the shared `RecognitionCase` (第十条–第十一条). Here: the building and its one
applicant (第十条(一): 一幢商务楼宇只能有一个申报主体, a partial unique constraint), the checklist
(第八条), the qualification rule (第二条、第三条、第七条), and the reward the joint review meeting
proposes, capped by the year-on-year increase of the enterprise's contribution to county
finances (第二十条, relaxable with a recorded reason for new and fast-growing firms) and
reduced to the one best policy (第二十一条).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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
    MeetingInput,
    RecognitionCase,
    State,
    filing_step,
    jsonable,
    meeting_pass_step,
    parse_amount,
)
from kmgov.procedures.decisions import decision_keep
from kmgov.procedures.declare import (
    AT_COUNTY,
    Await,
    Duty,
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
from kmgov.procedures.inputs import Money
from kmgov.procedures.models import FilingCase
from kmgov.procedures.windows import FilingWindow
from kmgov.rules import decide

from .register_inputs import RegisterReportInput

DOC = "昆政发〔2010〕62号"
THIS_POLICY = "商务楼宇奖励扶持（本项）"

#: 附件1 第九条: each year's window is read on the day an application is submitted.
WINDOW = FilingWindow.yearly_from("buildings.application_window", citation=f"{DOC} 附件1 第九条")

class BuildingMeetingInput(MeetingInput):
    """A building's joint review meeting also proposes the reward (附件1 第二十条、第二十一条)."""

    proposed_reward_yuan: Money = Field(title=gettext_noop("联审会议拟奖励（元）"))
    relax_cap: bool = Field(False, title=gettext_noop("放宽奖励上限（新设立或高成长企业）"),
                            description=gettext_noop("附件1 第二十条：须说明理由"))
    relax_reason: str = Field("", title=gettext_noop("放宽理由"), max_length=2000)


#: The rule's inputs the applicant fills in (buildings.qualification).
RULE_FIELDS = ("total_floor_area_m2", "commercial_floor_area_m2", "purely_commercial",
               "in_kunming", "pays_tax_in_kunming", "clean_record")


class Building(models.Model):
    """A commercial building, known by its property certificate (产权证号)."""

    name = models.CharField("楼宇名称", max_length=200)
    property_certificate_no = models.CharField("产权证号", max_length=100, unique=True)
    address = models.CharField("地址", max_length=300, blank=True)
    county = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+",
                               verbose_name="所在县（市）区")
    # 七(三): 商务楼宇所在街道办事处应确定一人以上的楼宇经济联络员 — the subdistrict whose
    # liaisons keep the building's register current, and the liaison named for it.
    subdistrict = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name="所在街道")
    liaison_name = models.CharField("楼宇经济联络员", max_length=50, blank=True)
    liaison_phone = models.CharField("联络员电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "商务楼宇"
        verbose_name_plural = "商务楼宇"

    def __str__(self) -> str:
        return f"{self.name}（{self.property_certificate_no}）"


def yuan(v) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@register
class BuildingApplication(RecognitionCase):
    RULE_ID = "buildings.qualification"

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="applications",
                                 verbose_name="商务楼宇")
    contribution_this_year_yuan = models.DecimalField(
        "企业当年对县（市）区财力的贡献（元）", max_digits=16, decimal_places=2, default=0)
    contribution_last_year_yuan = models.DecimalField(
        "企业上年对县（市）区财力的贡献（元）", max_digits=16, decimal_places=2, default=0)
    new_or_fast_growing = models.BooleanField("新办或成长性好的企业", default=False)
    other_policies = models.JSONField("同一项目可享受的其他政策", default=list, blank=True)
    proposed_reward_yuan = models.DecimalField("联审会议拟奖励（元）", max_digits=16,
                                               decimal_places=2, null=True, blank=True)
    reward_cap_yuan = models.DecimalField("奖励上限：财力贡献同比增量（元）", max_digits=16,
                                          decimal_places=2, null=True, blank=True)
    reward_relaxed = models.BooleanField("放宽上限", default=False)
    relax_reason = models.TextField("放宽理由", blank=True)
    chosen_policy = models.CharField("择优享受的政策", max_length=200, blank=True)
    reward_amount_yuan = models.DecimalField("本项奖励金额（元）", max_digits=16,
                                             decimal_places=2, null=True, blank=True)
    reward_decision = models.JSONField("奖励计算过程", default=dict, blank=True)

    procedure = Procedure(
        code="building", name=gettext_noop("商务楼宇奖励扶持认定"), reference_prefix="LY", window=WINDOW,
        # 第八条 (一)–(五); (五) “要求的其它材料” is optional.
        checklist={
            "application": "商务楼宇认定申请（《商务楼宇政策扶持项目申请表》）",
            "land_property": "商务楼宇的土地证、产权证复印件",
            "licences": "组织机构代码证、工商营业执照、税务登记证等复印件",
            "tax_certificate": "税务部门出具的上年度缴税情况证明",
            "other": "县（市）区促进楼宇经济发展工作领导小组要求的其它材料",
        },
        required_documents=("application", "land_property", "licences", "tax_certificate"),
        editable_states=(State.DRAFT, State.RETURNED),
        citation=f"{DOC} 附件1 第八条至第十一条",
    )

    class Meta:
        verbose_name = "商务楼宇奖励扶持认定申报"
        verbose_name_plural = "商务楼宇奖励扶持认定申报"
        constraints = [
            # 第十条(一): 一幢商务楼宇只能有一个申报主体 — one active application a building a year.
            models.UniqueConstraint(
                fields=["building", "year"],
                condition=Q(state__in=[s.value for s in ACTIVE_STATES]),
                name="building_one_active_application_per_year"),
        ]

    UNIQUE_PLACE = ("building",)

    @classmethod
    def place_taken_message(cls, existing) -> str:
        # 第十条(一): say who holds the building.
        return (f"商务楼宇“{existing.building.name}”（产权证号{existing.building.property_certificate_no}）"
                f"{existing.year}年度已由“{existing.org}”申报（编号{existing.reference}，"
                f"{existing.state_label()}）；一幢商务楼宇只能有一个申报主体"
                f"（{DOC} 附件1 第十条(一)）")

    def summary(self) -> str:
        return self.building.name

    def extra_out(self) -> dict:
        b = self.building
        def d(v):
            return None if v is None else str(v)
        return {
            "building": {"name": b.name, "property_certificate_no": b.property_certificate_no,
                         "address": b.address, "county": b.county.code},
            "contribution_this_year_yuan": d(self.contribution_this_year_yuan),
            "contribution_last_year_yuan": d(self.contribution_last_year_yuan),
            "new_or_fast_growing": self.new_or_fast_growing,
            "other_policies": self.other_policies,
            "reward": {"proposed_yuan": d(self.proposed_reward_yuan),
                       "cap_yuan": d(self.reward_cap_yuan), "relaxed": self.reward_relaxed,
                       "relax_reason": self.relax_reason, "chosen_policy": self.chosen_policy,
                       "amount_yuan": d(self.reward_amount_yuan),
                       "decision": self.reward_decision},
        }

    def rule_inputs(self) -> dict:
        return {k: v for k, v in self.inputs.items() if k in RULE_FIELDS}

    def set_data(self, data: dict) -> None:
        allowed = {"inputs", "contribution_this_year_yuan", "contribution_last_year_yuan",
                   "new_or_fast_growing", "other_policies"}
        unknown = set(data) - allowed
        if unknown:
            raise ValidationError({k: f"不认识的字段“{k}”（可填：{'、'.join(sorted(allowed))}）"
                                   for k in unknown})
        if "inputs" in data:
            if not isinstance(data["inputs"], dict):
                raise ValidationError({"inputs": "申报数据（inputs）须为对象"})
            self.inputs = {k: v for k, v in data["inputs"].items() if k != "as_of"}
        for f, label in (("contribution_this_year_yuan", "企业当年对县（市）区财力的贡献"),
                         ("contribution_last_year_yuan", "企业上年对县（市）区财力的贡献")):
            if f in data:
                setattr(self, f, parse_amount(data[f], f, label))
        if "new_or_fast_growing" in data:
            if not isinstance(data["new_or_fast_growing"], bool):
                raise ValidationError({"new_or_fast_growing": "新办或成长性好（new_or_fast_growing）须为true或false"})
            self.new_or_fast_growing = data["new_or_fast_growing"]
        if "other_policies" in data:
            opts = data["other_policies"]
            if not isinstance(opts, list) or len(opts) > 20:
                raise ValidationError({"other_policies": "其他政策（other_policies）须为不超过20项的列表"})
            clean = []
            for i, o in enumerate(opts):
                if not isinstance(o, dict) or set(o) != {"policy", "amount_yuan"} or not (
                        isinstance(o["policy"], str) and 0 < len(o["policy"].strip()) <= 200):
                    raise ValidationError({"other_policies": f"其他政策第{i + 1}项须为"
                                                             "{policy: 名称, amount_yuan: 金额}"})
                amt = parse_amount(o["amount_yuan"], "other_policies", f"其他政策第{i + 1}项金额")
                clean.append({"policy": o["policy"].strip(), "amount_yuan": str(amt)})
            self.other_policies = clean

    # -------------------------------------------------------------- the reward (BE-6)

    def compute_reward(self, proposed: Decimal, *, relax: bool, relax_reason: str) -> None:
        """第二十条: cap by the contribution's year-on-year increase (relaxable, with a reason,
        for new and fast-growing firms); 第二十一条: the one best policy only."""
        cap_d = decide("buildings.reward_cap", {
            "requested_reward_yuan": float(proposed),
            "contribution_this_year_yuan": float(self.contribution_this_year_yuan),
            "contribution_last_year_yuan": float(self.contribution_last_year_yuan),
            "new_or_fast_growing": self.new_or_fast_growing,
            "as_of": local(self.submitted_at).date().isoformat() if self.submitted_at else None,
        })
        cap = cap_d.to_dict()
        cap_yuan = yuan(cap["cap_yuan"])
        if relax:
            if not self.new_or_fast_growing:
                raise ValidationError({"relax_cap": "只有新办和成长性好的企业可以放宽上限（第二十条）"})
            if not relax_reason.strip():
                raise ValidationError({"relax_reason": "放宽上限须记录理由（relax_reason）"})
            this_amount = proposed
        else:
            this_amount = min(proposed, cap_yuan)
        options = [{"policy": THIS_POLICY, "amount_yuan": float(this_amount)}] + [
            {"policy": o["policy"], "amount_yuan": float(o["amount_yuan"])}
            for o in self.other_policies]
        best_d = decide("buildings.best_single_policy", {"options": options})
        best = best_d.to_dict()
        self.proposed_reward_yuan = proposed
        self.reward_cap_yuan = cap_yuan
        self.reward_relaxed = relax
        self.relax_reason = relax_reason.strip() if relax else ""
        # max() keeps the first of equal amounts: this policy when it is as good as another.
        self.chosen_policy = best["chosen_policy"]
        self.reward_amount_yuan = this_amount if best["chosen_policy"] == THIS_POLICY else yuan(0)
        self.reward_decision = jsonable({"cap": cap, "best": best})
        return cap_d, best_d

    def on_meeting_passed(self, *, actor, now, data) -> None:
        cap_d, best_d = self.compute_reward(data.proposed_reward_yuan, relax=data.relax_cap,
                                            relax_reason=data.relax_reason)
        # 第二十条 (the cap) and 第二十一条 (the one best policy): both kept with the step
        decision_keep(self, cap_d, actor=actor, now=now, subject=self.building.name)
        decision_keep(self, best_d, actor=actor, now=now, subject=self.building.name,
                      amounts={"reward_yuan": self.reward_amount_yuan})

    meeting_pass = meeting_pass_step(BuildingMeetingInput)

    file = filing_step()


# ================================================================ BE-3 the register
# 62号 七(一)、七(三), 附件1 第十七条、第十八条: 楼宇经济信息管理系统 — per recognised building and
# year: floor areas, occupancy, tenant enterprises with their size and tax, property management,
# facilities; kept current by the subdistrict liaisons and filed yearly by the operator.

REGISTER_CITATION = f"{DOC} 七(一)、七(三)，附件1 第十七条、第十八条"


class RegisterSource(models.TextChoices):
    FILING = "filing", gettext_noop("产权（经营管理）单位年度报送")
    LIAISON = "liaison", gettext_noop("街道联络员或县级楼宇办录入")
    IMPORT = "import", gettext_noop("表格导入")


class GradeCode(models.TextChoices):
    A = "A", gettext_noop("甲级")
    B = "B", gettext_noop("乙级")
    C = "C", gettext_noop("丙级")


class _RegisterProcedure:
    """What `decision_keep` reads of a case (its procedure's code): a grade is decided on a
    register row, not in a case's step (docs/procedures.md, "Decisions kept")."""

    code = "building-register"


class BuildingYear(models.Model):
    """One building's register for one year (figures at the year's end, tax of the year)."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="years",
                                 verbose_name="商务楼宇")
    year = models.PositiveSmallIntegerField("年度")
    total_floor_area_m2 = models.DecimalField("总建筑面积（平方米）", max_digits=12, decimal_places=2)
    office_floor_area_m2 = models.DecimalField("商务（办公）面积（平方米）", max_digits=12,
                                               decimal_places=2)
    vacant_floor_area_m2 = models.DecimalField("空置面积（平方米）", max_digits=12, decimal_places=2)
    management_level = models.CharField("物业服务企业资质", max_length=10)
    facilities = models.JSONField("配套设施", default=dict, blank=True)
    tax_yuan = models.DecimalField("入驻企业年度税收合计（元）", max_digits=16, decimal_places=2,
                                   default=0)
    grade = models.CharField("等级", max_length=1, choices=GradeCode.choices, blank=True)
    source = models.CharField("数据来源", max_length=10, choices=RegisterSource.choices)
    report = models.ForeignKey("BuildingRegisterReport", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name="年度报送")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+", verbose_name="填报人")
    recorded_at = models.DateTimeField("更新时间")

    procedure = _RegisterProcedure()

    class Meta:
        verbose_name = "楼宇年度信息"
        verbose_name_plural = "楼宇年度信息"
        ordering = ["building_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["building", "year"], name="building_year_once"),
            models.CheckConstraint(
                condition=Q(vacant_floor_area_m2__lte=models.F("office_floor_area_m2"))
                & Q(office_floor_area_m2__lte=models.F("total_floor_area_m2"))
                & Q(vacant_floor_area_m2__gte=0),
                name="building_year_areas_nested"),
        ]

    @property
    def reference(self) -> str:
        return f"{self.building.property_certificate_no}/{self.year}"[:40]

    @property
    def occupied_floor_area_m2(self) -> Decimal:
        return self.office_floor_area_m2 - self.vacant_floor_area_m2

    @property
    def occupancy_rate(self) -> Decimal | None:
        if not self.office_floor_area_m2:
            return None
        return (self.occupied_floor_area_m2 / self.office_floor_area_m2).quantize(Decimal("0.0001"))


class Tenant(models.Model):
    """An enterprise in the building that year (附件1 第三条: 入驻上述商务楼宇的企业)."""

    record = models.ForeignKey(BuildingYear, on_delete=models.CASCADE, related_name="tenants",
                               verbose_name="楼宇年度信息")
    name = models.CharField("企业名称", max_length=200)
    industry = models.CharField("行业", max_length=100)
    # 附件1 第三条 “登记注册并在昆明市区（地）纳税”; 第十六条 税收双落地
    registered_locally = models.BooleanField("在昆明登记注册并纳税", default=True)
    headquarters = models.BooleanField("总部企业", default=False)  # 62号 三(五) 楼宇企业总部化
    tax_yuan = models.DecimalField("年度纳税额（元）", max_digits=16, decimal_places=2)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)

    class Meta:
        verbose_name = "入驻企业"
        verbose_name_plural = "入驻企业"
        ordering = ["record_id", "-tax_yuan", "name"]


class CountyYear(models.Model):
    """A county's yearly figures the register cannot count (二(三)): its total tax (the
    denominator of 楼宇税收占市区税收总额) and its 特色楼宇经济聚集区."""

    county = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+",
                               verbose_name="县（市）区")
    year = models.PositiveSmallIntegerField("年度")
    total_tax_yuan = models.DecimalField("税收总额（元）", max_digits=16, decimal_places=2)
    clusters = models.PositiveIntegerField("特色楼宇经济聚集区（个）", default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "县（市）区楼宇经济年度数据"
        verbose_name_plural = "县（市）区楼宇经济年度数据"
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="county_year_once")]


class ReportState(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    SUBMITTED = "submitted", gettext_noop("已报送，待县级楼宇办查收")
    RECEIVED = "received", gettext_noop("县级楼宇办已查收")


@register
class BuildingRegisterReport(FilingCase):
    """The operator's yearly filing of its building's register (七(一)、七(三)): a scheduled
    filing (`BUILDING_REGISTER` below) received by the county office."""

    state = state_field(ReportState.choices, default=ReportState.DRAFT)
    building = models.ForeignKey(Building, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name="商务楼宇")

    procedure = Procedure(
        code="building-register", name=gettext_noop("楼宇经济信息年度报送"),
        reference_prefix="LYXX", editable_states=(ReportState.DRAFT,),
        initial_awaits=Await(what="填写并报送楼宇经济信息", applicant=True),
        citation=REGISTER_CITATION)

    class Meta:
        verbose_name = "楼宇经济信息年度报送"
        verbose_name_plural = "楼宇经济信息年度报送"

    @step(source=ReportState.DRAFT, target=ReportState.SUBMITTED, label=gettext_noop("报送楼宇经济信息"),
          applicant=True, roles=[Role.ENTERPRISE], input=RegisterReportInput,
          awaits=Await(what="查收楼宇经济信息", role=Role.COUNTY_OFFICE, at=AT_COUNTY),
          citation=REGISTER_CITATION)
    def submit(self, *, actor, reason, now, data=None):
        from .register import record_from_report

        self.building = record_from_report(self, data, actor=actor, now=now)
        self.submitted_at = now

    @step(source=ReportState.SUBMITTED, target=ReportState.RECEIVED, label=gettext_noop("查收"),
          roles=[Role.COUNTY_OFFICE], duty=Duty.REVIEW)
    def receive(self, *, actor, reason, now, data=None):
        pass


#: 七(三) as a scheduled filing: the operator of each recognised building (the holder of its
#: filed recognition, 附件1 第十条(一) one per building) files the year's register in the window
#: of `buildings.register_window` (interpretation: 1 January – 31 March of the next year) to the
#: county office; reminded 15 days before the last day, escalated to the county office after it.
BUILDING_REGISTER = register_obligation(Obligation(
    code="building-register", name="楼宇经济信息", form="building-register",
    filed_by_step="submit", period=PeriodKind.YEAR,
    window=WindowRule.from_parameter("buildings.register_window", citation=REGISTER_CITATION),
    filers=Filers(holders=("building", (State.FILED.value,)), since_field="filed_at"),
    receiver=Receiver(Role.COUNTY_OFFICE, at=AT_COUNTY),
    filer_role=Role.ENTERPRISE, remind_before=15, escalate=True, citation=REGISTER_CITATION))
