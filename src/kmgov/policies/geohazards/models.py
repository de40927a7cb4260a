"""The 109号 registers: hazard points (GD-1, GD-3), their emergency plans (GD-2), weather
warnings (GD-5), the flood-season duty roster (GD-4) and the quick report (GD-5, a case)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop

from kmgov.core.models import Role
from kmgov.procedures.declare import (
    Await,
    Duty,
    Participants,
    Procedure,
    county_department,
    register,
    state_field,
    step,
)
from kmgov.procedures.models import Case

from .inputs import ForwardInput, QuickReportInput, ReceiveInput

DOC = "昆政办〔2010〕109号"
# 三(四): 第一时间向上级人民政府和国土资源主管部门报告 — the city land bureau receives.
CITY_LAND = "city-land"


class HazardType(models.TextChoices):
    # 109号 一 names 崩塌、滑坡、泥石流; the others are the usual kinds of a county's 排查 register.
    COLLAPSE = "collapse", gettext_noop("崩塌")
    LANDSLIDE = "landslide", gettext_noop("滑坡")
    DEBRIS_FLOW = "debris_flow", gettext_noop("泥石流")
    SUBSIDENCE = "subsidence", gettext_noop("地面塌陷")
    FISSURE = "fissure", gettext_noop("地裂缝")
    UNSTABLE_SLOPE = "unstable_slope", gettext_noop("不稳定斜坡")


class Scale(models.TextChoices):
    SMALL = "small", gettext_noop("小型")
    MEDIUM = "medium", gettext_noop("中型")
    LARGE = "large", gettext_noop("大型")
    GIANT = "giant", gettext_noop("特大型")


class HazardPoint(models.Model):
    """One point of the county's register (GD-1) with its 四包 chain and 三落实 (109号 三(一))."""

    code = models.CharField("编号", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    hazard_type = models.CharField("灾害类型", max_length=20, choices=HazardType.choices)
    scale = models.CharField("规模", max_length=10, choices=Scale.choices)
    org = models.ForeignKey("core.OrgUnit", verbose_name="所在县（市）区或乡镇",
                            on_delete=models.PROTECT, related_name="+")
    location = models.CharField("位置（村组）", max_length=200, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    threatened_households = models.PositiveIntegerField("威胁户数", default=0)
    threatened_people = models.PositiveIntegerField("威胁人数", default=0)
    threatened_property = models.DecimalField("威胁财产（万元）", max_digits=12, decimal_places=2,
                                              default=0)
    threatened_objects = models.CharField("威胁对象（学校、村庄、道路等）", max_length=200, blank=True)
    # [{"name", "phone", "email"}]: 三(五) 每一个隐患点都有专人负责监测 (one or more monitors).
    monitors = models.JSONField("监测人", default=list, blank=True)
    # 四包 (三(一))：县（市）区领导包乡、乡干部包村、村干部包组、党员包群众
    county_leader = models.CharField("包乡县级领导", max_length=40, blank=True)
    county_leader_phone = models.CharField("县级领导电话", max_length=32, blank=True)
    township_leader = models.CharField("包村乡镇干部", max_length=40, blank=True)
    township_leader_phone = models.CharField("乡镇干部电话", max_length=32, blank=True)
    village_cadre = models.CharField("包组村干部", max_length=40, blank=True)
    village_cadre_phone = models.CharField("村干部电话", max_length=32, blank=True)
    # 三落实 (三(一))：落实转移路线地点、落实报警人员及信号、落实避险场地
    evacuation_route = models.CharField("转移路线", max_length=200, blank=True)
    evacuation_place = models.CharField("转移地点", max_length=100, blank=True)
    alarm_person = models.CharField("报警人", max_length=40, blank=True)
    alarm_signal = models.CharField("报警信号", max_length=100, blank=True)
    refuge = models.CharField("避险场地", max_length=100, blank=True)
    cards_issued_on = models.DateField("“两卡一书”发放日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "地质灾害隐患点"
        verbose_name_plural = "地质灾害隐患点"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def monitor_names(self) -> str:
        return "、".join(m.get("name", "") for m in self.monitors)

    def monitor_phones(self) -> str:
        return "、".join(m.get("phone", "") for m in self.monitors)

    def county(self):
        return self.org.county_level()


class EmergencyPlan(models.Model):
    """The point's emergency plan (109号 二(四): 中型以上 points), filed as a document."""

    point = models.ForeignKey(HazardPoint, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField("预案名称", max_length=200)
    approved_by = models.CharField("批准单位", max_length=100)
    approved_on = models.DateField("批准日期")
    file_name = models.CharField("文件名", max_length=200)
    content = models.BinaryField("文件")
    content_type = models.CharField(max_length=100)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-filed_at"]


class WarningGrade(models.TextChoices):
    # The weather bureau's 等级预报 (109号 三(七)); the colours of the national warning scale.
    BLUE = "blue", gettext_noop("蓝色（四级）")
    YELLOW = "yellow", gettext_noop("黄色（三级）")
    ORANGE = "orange", gettext_noop("橙色（二级）")
    RED = "red", gettext_noop("红色（一级）")


class WeatherWarning(models.Model):
    """A weather-bureau grade forecast entered once, pushed to the points of its area (GD-5)."""

    grade = models.CharField("预警等级", max_length=10, choices=WarningGrade.choices)
    areas = models.ManyToManyField("core.OrgUnit", verbose_name="预警区域", related_name="+")
    valid_from = models.DateTimeField("起始时间")
    valid_until = models.DateTimeField("结束时间")
    text = models.TextField("预警内容")
    issued_by_org = models.ForeignKey("core.OrgUnit", verbose_name="录入单位",
                                      on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    notification = models.ForeignKey("procedures.Notification", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-entered_at"]


class DutyShift(models.Model):
    """One day of a county's flood-season 24-hour roster (109号 三(二)): the leader on duty
    (领导带班) and the person on duty (专人值班), with their mobile phones."""

    org = models.ForeignKey("core.OrgUnit", verbose_name="县（市）区", on_delete=models.PROTECT,
                            related_name="+")
    day = models.DateField("日期")
    leader = models.CharField("带班领导", max_length=40)
    leader_phone = models.CharField("带班领导手机", max_length=32)
    officer = models.CharField("值班人员", max_length=40)
    officer_phone = models.CharField("值班人员手机", max_length=32)
    deputy = models.CharField("副班", max_length=40, blank=True)
    deputy_phone = models.CharField("副班手机", max_length=32, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["org", "day"]
        constraints = [models.UniqueConstraint(fields=["org", "day"], name="gd_one_shift_per_day")]


class RosterReport(models.Model):
    """A county's roster reported to the city for a season (三(四) 汛前…上报市政府办公厅)."""

    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    season = models.PositiveSmallIntegerField("年度")
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "season"], name="gd_one_roster_report")]


class DutyGapEscalation(models.Model):
    """A day without anyone on duty, escalated once (to the county and the city duty office)."""

    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    escalated_at = models.DateTimeField()
    notification = models.ForeignKey("procedures.Notification", null=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "day"], name="gd_one_gap_escalation")]


class ReportState(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    AT_COUNTY = "at_county", gettext_noop("已报县级，待报市")
    AT_CITY = "at_city", gettext_noop("已报市级，待接收")
    RECEIVED = "received", gettext_noop("市级已接收")


@register
class QuickReport(Case):
    """A disaster quick report (速报) up the chain (109号 三(四)): the township or county files
    it, the county (government / 国土资源局) reports it to the city, the city receives it. Each
    report's delay from the event is judged by `geohazards.quick_report_timeliness`."""

    state = state_field(ReportState.choices, default=ReportState.DRAFT)
    point = models.ForeignKey(HazardPoint, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="reports", verbose_name="隐患点")
    occurred_at = models.DateTimeField("发生时间", null=True, blank=True)
    hazard_type = models.CharField("灾害类型", max_length=20, choices=HazardType.choices, blank=True)
    place = models.CharField("发生地点", max_length=200, blank=True)
    deaths = models.PositiveIntegerField("死亡人数", default=0)
    missing = models.PositiveIntegerField("失踪人数", default=0)
    injured = models.PositiveIntegerField("受伤人数", default=0)
    economic_loss = models.DecimalField("直接经济损失（万元）", max_digits=12, decimal_places=2, default=0)
    description = models.TextField("灾情简述", blank=True)
    county_reported_at = models.DateTimeField("报县级时间", null=True, blank=True)
    city_reported_at = models.DateTimeField("报市级时间", null=True, blank=True)
    received_at = models.DateTimeField("市级接收时间", null=True, blank=True)

    procedure = Procedure(code="gd-quick-report", name=gettext_noop("地质灾害速报"), reference_prefix="DZSB",
                          initial_awaits=None)
    participants = Participants(units=(CITY_LAND,), county_departments=("land",))

    @step(source=ReportState.DRAFT, target=ReportState.AT_COUNTY, label=gettext_noop("报县级"),
          roles=[Role.TOWNSHIP_STAFF, Role.COUNTY_DEPARTMENT, Role.COUNTY_GOVERNMENT],
          input=QuickReportInput, routine="速报：发现灾情的单位逐级报告",
          awaits=Await(what=gettext_noop("第一时间报市政府办公厅、市国土资源局"), role=Role.COUNTY_DEPARTMENT,
                       at=county_department("land")))
    def file(self, *, actor, reason, now, data=None):
        for name in ("occurred_at", "hazard_type", "place", "deaths", "missing", "injured",
                     "economic_loss", "description"):
            setattr(self, name, getattr(data, name))
        self.county_reported_at = now
        from .services import report_judged
        report_judged(self, "county", actor=actor, now=now)

    @step(source=ReportState.AT_COUNTY, target=ReportState.AT_CITY, label=gettext_noop("报市级"),
          roles=[Role.COUNTY_DEPARTMENT], at=county_department("land"), input=ForwardInput,
          routine="县级转报市级，不作决定",
          awaits=Await(what=gettext_noop("接收速报，组织抢险救灾"), role=Role.CITY_DEPARTMENT, at=CITY_LAND))
    def forward(self, *, actor, reason, now, data=None):
        if data and data.note:
            self.description = (self.description + "\n县级补充：" + data.note).strip()
        self.city_reported_at = now
        from .services import report_judged
        report_judged(self, "city", actor=actor, now=now)

    @step(source=ReportState.AT_CITY, target=ReportState.RECEIVED, label=gettext_noop("接收"),
          roles=[Role.CITY_DEPARTMENT], at=CITY_LAND, input=ReceiveInput, duty=Duty.REVIEW)
    def receive(self, *, actor, reason, now, data=None):
        self.received_at = now


