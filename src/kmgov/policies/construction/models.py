"""建设工程质检全覆盖 (昆政办〔2010〕111号 附件《昆明市建设工程质检“全覆盖”工作实施方案》).

- the project register with its responsible parties (四(一)2: 建设、勘察、设计、施工、监理 …);
- each county's supervision body (四(三): 专职机构，人员不少于5人);
- 五(二)'s monthly report of each county to the inspection group: the scheduled filing
  `cq-monthly`, and the group's city monthly report to 市政府办公厅 compiled from them
  (`cq-city-monthly`, a consolidation of the counties' filings);
- 五(一)'s quarterly inspections (`cq-inspection`), each finding a rectification case
  (`cq-rectification`) with its own deadline (a kernel `DeadlineRule`).

The inspection group (督查组) is the leading group's office at 市住建局 (二: 领导小组办公室设在
市住建局): role 市级领导小组办公室 held at `city-housing`; its steps are taken there (`at=`) on
every county's cases, which `city-housing` reads as a participant unit.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_noop
from pydantic import Field

from kmgov.core.calendar import local
from kmgov.core.models import OrgUnit, Role
from kmgov.core.orgtree import COUNTIES
from kmgov.procedures.declare import (
    AT_COUNTY,
    AT_ORG,
    Await,
    DeadlineRule,
    Duty,
    Participants,
    Procedure,
    Target,
    register,
    state_field,
    step,
)
from kmgov.procedures.filings import (
    Filers,
    Obligation,
    Period,
    PeriodKind,
    Receiver,
    WindowRule,
    register_obligation,
)
from kmgov.procedures.inputs import Line, StepInput
from kmgov.procedures.models import Case, FilingCase
from kmgov.rules import parameter_value

DOC = "昆政办〔2010〕111号"
CITY_HOUSING = "city-housing"  # 二：领导小组办公室设在市住建局 — the inspection group's seat
CITY_GENERAL_OFFICE = "city-general-office"  # 五(二)：月报上报市政府办公厅
GROUP_ROLE = Role.CITY_OFFICE
COUNTY_ROLE = Role.COUNTY_DEPARTMENT
#: 二 成员单位: 县（市、区）的建设行政主管部门以及三个开发（度假）区的建设行政主管部门 — each
#: county's and zone's 住房和城乡建设局 (its 质量安全监督站 files in its name).
SUPERVISING_UNITS = tuple(f"{c.code}-housing" for c in COUNTIES if c.kind in ("county", "zone"))
#: The city report is compiled in the 5 days after the counties' window (a declaration of the
#: consolidation's own window; docs/interpretations.md, "Construction quality").
CITY_REPORT_DAYS = 5
MONTHLY_CITATION = f"{DOC} 附件 五(二)"
ISSUED = dt.date(2010, 5, 12)  # 111号's date: periods that begin before it are not checked
INSPECTION_CITATION = f"{DOC} 附件 五(一)"


# ---------------------------------------------------------------- register

class ProjectKind(models.TextChoices):
    BUILDING = "building", gettext_noop("房屋建筑工程")
    MUNICIPAL = "municipal", gettext_noop("市政工程")
    VILLAGE_RENEWAL = "village_renewal", gettext_noop("城中村改造项目")
    TRANSPORT = "transport", gettext_noop("交通工程")
    WATER = "water", gettext_noop("水务工程")
    OTHER = "other", gettext_noop("其他工程")


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", gettext_noop("未开工")
    UNDERWAY = "underway", gettext_noop("在建")
    SUSPENDED = "suspended", gettext_noop("停工")
    COMPLETED = "completed", gettext_noop("已竣工验收")


class PartyRole(models.TextChoices):
    """四(一)2 各责任主体单位: (1) 建设 (2) 监理 (3) 施工 (4) 勘察、设计、施工图审查、质量检测."""

    BUILDER = "builder", gettext_noop("建设单位")
    SURVEYOR = "surveyor", gettext_noop("勘察单位")
    DESIGNER = "designer", gettext_noop("设计单位")
    CONTRACTOR = "contractor", gettext_noop("施工单位")
    SUPERVISOR = "supervisor", gettext_noop("监理单位")
    REVIEWER = "reviewer", gettext_noop("施工图审查机构")
    TESTER = "tester", gettext_noop("质量检测机构")


#: The five parties every project names (issue 10 point 6; 四(一)2(1)–(4)).
REQUIRED_PARTIES = (PartyRole.BUILDER, PartyRole.SURVEYOR, PartyRole.DESIGNER,
                    PartyRole.CONTRACTOR, PartyRole.SUPERVISOR)


class Project(models.Model):
    """A construction project under the supervision of a county's body (its `org`, the county's
    住房和城乡建设局)."""

    org = models.ForeignKey(OrgUnit, verbose_name="监督单位", on_delete=models.PROTECT,
                            related_name="+")
    code = models.CharField("监督登记号", max_length=40, unique=True)
    name = models.CharField("工程名称", max_length=200)
    kind = models.CharField("工程类别", max_length=20, choices=ProjectKind.choices)
    address = models.CharField("工程地点", max_length=200, blank=True)
    permit_no = models.CharField("施工许可证号", max_length=60, blank=True)
    started_on = models.DateField("开工日期", null=True, blank=True)
    status = models.CharField("工程状态", max_length=20, choices=ProjectStatus.choices,
                              default=ProjectStatus.UNDERWAY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "建设工程项目"
        verbose_name_plural = "建设工程项目"
        ordering = ["org__path", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProjectParty(models.Model):
    """One responsible party of a project: the unit, its legal representative (第一责任人,
    四(二)) and the person in charge on the project (项目负责人/项目经理/总监理工程师)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("责任主体", max_length=20, choices=PartyRole.choices)
    unit_name = models.CharField("单位名称", max_length=200)
    legal_rep = models.CharField("法定代表人", max_length=60, blank=True)
    person = models.CharField("项目负责人", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    qualification = models.CharField("资质等级", max_length=100, blank=True)

    class Meta:
        verbose_name = "责任主体"
        verbose_name_plural = "责任主体"
        constraints = [models.UniqueConstraint(fields=["project", "role"],
                                               name="cq_one_party_per_role")]


class SupervisionBody(models.Model):
    """A county's 工程建设质量安全监督机构 (四(三)): its full-time staff (不少于5人) and the
    trainings of the year (五(三))."""

    org = models.OneToOneField(OrgUnit, verbose_name="所属建设行政主管部门",
                               on_delete=models.PROTECT, related_name="+")
    name = models.CharField("监督机构名称", max_length=120)
    full_time_staff = models.PositiveIntegerField("专职人员（人）", default=0)
    head = models.CharField("负责人", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "工程质量安全监督机构"
        verbose_name_plural = "工程质量安全监督机构"


# ---------------------------------------------------------------- monthly filing (五(二))

class ReportState(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    SUBMITTED = "submitted", gettext_noop("已申报，待督查组查收")
    RECEIVED = "received", gettext_noop("督查组已查收")


class MonthlyReportInput(StepInput):
    """五(二): 申报新开工的项目、工程实施过程中发现的质量安全问题及其处理措施等情况."""

    projects_started: int = Field(ge=0, le=100000, title=gettext_noop("本月新开工项目（个）"))
    new_projects: list[Line] = Field(default_factory=list, max_length=500,
                                     title=gettext_noop("新开工项目名称（每行一个）"))
    problems_found: int = Field(ge=0, le=100000, title=gettext_noop("发现质量安全问题（个）"))
    problems_handled: int = Field(ge=0, le=100000, title=gettext_noop("已处理问题（个）"))
    problems: list[Line] = Field(default_factory=list, max_length=500,
                                 title=gettext_noop("质量安全问题（每行一个）"))
    actions: list[Line] = Field(default_factory=list, max_length=500,
                                title=gettext_noop("处理措施（每行一项）"))
    note: str = Field("", max_length=2000, title=gettext_noop("其他情况"))


@register
class MonthlyReport(FilingCase):
    """A county's monthly report to the inspection group (五(二)), the scheduled filing
    `cq-monthly` (MONTHLY below)."""

    state = state_field(ReportState.choices, default=ReportState.DRAFT)
    projects_started = models.PositiveIntegerField("新开工项目（个）", null=True, blank=True)
    new_projects = models.TextField("新开工项目", blank=True)
    problems_found = models.PositiveIntegerField("发现问题（个）", null=True, blank=True)
    problems_handled = models.PositiveIntegerField("已处理问题（个）", null=True, blank=True)
    problems = models.TextField("质量安全问题", blank=True)  # one a line
    actions = models.TextField("处理措施", blank=True)  # one a line
    note = models.TextField("其他情况", blank=True)

    participants = Participants(units=(CITY_HOUSING,))

    def get_period_display(self) -> str:
        return Period.parse(self.period, PeriodKind.MONTH).label()

    procedure = Procedure(
        code="cq-monthly", name=gettext_noop("工程质量安全监管月度申报"), reference_prefix="ZJYB",
        checklist={"attachment": "月报附件"}, editable_states=(ReportState.DRAFT,),
        initial_awaits=Await(what="填写并申报本月工程质量安全监管情况", role=COUNTY_ROLE, at=AT_ORG),
        citation=MONTHLY_CITATION)

    class Meta:
        verbose_name = "工程质量安全监管月度申报"
        verbose_name_plural = "工程质量安全监管月度申报"

    @step(source=ReportState.DRAFT, target=ReportState.SUBMITTED, label=gettext_noop("申报"),
          applicant=True, roles=[COUNTY_ROLE], input=MonthlyReportInput,
          awaits=Await(what="查收县（市、区）月度申报", role=GROUP_ROLE, at=CITY_HOUSING),
          help="五(二)：每月向督查组申报新开工项目、发现的质量安全问题及其处理措施",
          citation=MONTHLY_CITATION)
    def submit(self, *, actor, reason, now, data=None):
        if data.problems_handled > data.problems_found:
            raise ValidationError({"problems_handled": "已处理问题数不能多于发现问题数"})
        if data.new_projects and len(data.new_projects) > data.projects_started:
            raise ValidationError({"new_projects": "列出的新开工项目多于填报的新开工项目数"})
        self.projects_started = data.projects_started
        self.new_projects = "\n".join(data.new_projects)
        self.problems_found = data.problems_found
        self.problems_handled = data.problems_handled
        self.problems = "\n".join(data.problems)
        self.actions = "\n".join(data.actions)
        self.note = data.note
        self.submitted_at = now

    @step(source=ReportState.SUBMITTED, target=ReportState.RECEIVED, label=gettext_noop("查收"),
          roles=[GROUP_ROLE], at=CITY_HOUSING, citation=MONTHLY_CITATION, duty=Duty.REVIEW)
    def receive(self, *, actor, reason, now, data=None):
        pass


MONTHLY = register_obligation(Obligation(
    code="cq-monthly", name="工程质量安全监管月度申报", form="cq-monthly", filed_by_step="submit",
    period=PeriodKind.MONTH,
    window=WindowRule.from_parameter("construction.monthly_report_window",
                                     citation=MONTHLY_CITATION),
    filers=Filers(codes=SUPERVISING_UNITS),
    receiver=Receiver(GROUP_ROLE, at=CITY_HOUSING),
    filer_role=COUNTY_ROLE, remind_before=3, escalate=True, citation=MONTHLY_CITATION))


# ---------------------------------------------------------------- city monthly report

@register
class CityMonthlyReport(FilingCase):
    """五(二): 督查组依据申报的相关资料形成工程质量安全月报，上报市政府办公厅 — compiled from the
    counties' filings when it is reported (`compiled`: counts, rows, who has not filed)."""

    state = state_field(ReportState.choices, default=ReportState.DRAFT)
    compiled = models.JSONField("月报汇总", default=dict, blank=True)
    summary = models.TextField("汇总情况", blank=True)

    participants = Participants(units=(CITY_GENERAL_OFFICE,))

    def get_period_display(self) -> str:
        return Period.parse(self.period, PeriodKind.MONTH).label()

    procedure = Procedure(
        code="cq-city-monthly", name=gettext_noop("全市工程质量安全月报"), reference_prefix="ZJSYB",
        editable_states=(ReportState.DRAFT,),
        initial_awaits=Await(what="汇总各县（市、区）申报，形成全市月报", role=GROUP_ROLE, at=AT_ORG),
        citation=MONTHLY_CITATION)

    class Meta:
        verbose_name = "全市工程质量安全月报"
        verbose_name_plural = "全市工程质量安全月报"

    @step(source=ReportState.DRAFT, target=ReportState.SUBMITTED, label=gettext_noop("汇总上报"),
          roles=[GROUP_ROLE], routine="督查组报送汇总的月报，由市政府办公厅查收",
          awaits=Await(what="查收全市工程质量安全月报", role=Role.CITY_DEPARTMENT,
                       at=CITY_GENERAL_OFFICE),
          help="按已申报的县（市、区）月报汇总，并列出未申报的单位", citation=MONTHLY_CITATION)
    def submit(self, *, actor, reason, now, data=None):
        from .reports import COUNTS, city_report_compile

        self.compiled = report = city_report_compile(self.period)
        totals = "，".join(f"{label}{report['totals'][k]}" for k, label in COUNTS)
        self.summary = (f"应申报{report['units']}个单位，已申报{report['filed']}个；{totals}；"
                        f"未申报：{'、'.join(report['not_filed']) or '无'}")
        self.submitted_at = now

    @step(source=ReportState.SUBMITTED, target=ReportState.RECEIVED, label=gettext_noop("查收"),
          roles=[Role.CITY_DEPARTMENT], at=CITY_GENERAL_OFFICE, citation=MONTHLY_CITATION,
          duty=Duty.REVIEW)
    def receive(self, *, actor, reason, now, data=None):
        pass


CITY_MONTHLY = register_obligation(Obligation(
    code="cq-city-monthly", name="全市工程质量安全月报", form="cq-city-monthly",
    filed_by_step="submit", period=PeriodKind.MONTH,
    window=WindowRule.from_parameter("construction.monthly_report_window",
                                     citation=MONTHLY_CITATION),
    filers=Filers(codes=(CITY_HOUSING,)),
    receiver=Receiver(Role.CITY_DEPARTMENT, at=CITY_GENERAL_OFFICE),
    filer_role=GROUP_ROLE, remind_before=2, escalate=True,
    rollup_of="cq-monthly", rollup_days=CITY_REPORT_DAYS, citation=MONTHLY_CITATION))


# ---------------------------------------------------------------- quarterly inspections (五(一))

class InspectionState(models.TextChoices):
    SCHEDULED = "scheduled", gettext_noop("已安排，待督查")
    RECORDED = "recorded", gettext_noop("已督查")


class InspectionRecordInput(StepInput):
    inspected_on: dt.date = Field(title=gettext_noop("督查日期"))
    projects_inspected: list[Line] = Field(min_length=1, max_length=200,
                                           title=gettext_noop("督查的工程（每行一个）"))
    summary: str = Field("", max_length=2000, title=gettext_noop("督查情况"))


class FindingInput(StepInput):
    project: str = Field(min_length=1, max_length=200, title=gettext_noop("工程名称"))
    problem: str = Field(min_length=1, max_length=1000, title=gettext_noop("发现的问题"))
    requirement: str = Field("", max_length=1000, title=gettext_noop("整改要求"))
    deadline: dt.date | None = Field(None, title=gettext_noop("整改期限（不填按默认天数）"))


@register
class Inspection(Case):
    """One county's inspection by the group in one quarter (五(一): 每个季度……全面督查). The case
    belongs to the county's supervising unit; the group schedules, records it and writes its
    findings, each a rectification case with its own deadline."""

    state = state_field(InspectionState.choices, default=InspectionState.SCHEDULED)
    quarter = models.CharField("督查季度", max_length=10, db_index=True)
    planned_on = models.DateField("计划督查日期")
    inspected_on = models.DateField("督查日期", null=True, blank=True)
    projects_inspected = models.TextField("督查的工程", blank=True)  # one a line
    summary = models.TextField("督查情况", blank=True)

    participants = Participants(units=(CITY_HOUSING,))

    procedure = Procedure(
        code="cq-inspection", name=gettext_noop("季度工程质量安全督查"), reference_prefix="ZJDC",
        editable_states=(InspectionState.SCHEDULED, InspectionState.RECORDED),
        checklist={"record": "督查记录"},
        initial_awaits=Await(what="按计划开展本季度督查", role=GROUP_ROLE, at=CITY_HOUSING),
        citation=INSPECTION_CITATION, action_labels={"finding": "下达整改通知"})

    class Meta:
        verbose_name = "季度工程质量安全督查"
        verbose_name_plural = "季度工程质量安全督查"

    def quarter_period(self) -> Period:
        return Period.parse(self.quarter, PeriodKind.QUARTER)

    def get_quarter_display(self) -> str:
        return self.quarter_period().label()

    @step(source=InspectionState.SCHEDULED, target=InspectionState.RECORDED,
          label=gettext_noop("记录督查"), roles=[GROUP_ROLE], at=CITY_HOUSING,
          input=InspectionRecordInput, citation=INSPECTION_CITATION,
          # the inspection's findings judge the county: not by the one who scheduled it
          duty=Duty.REVIEW, stage="inspect",
          help="五(一)：督查组每个季度对辖区内的工程进行全面督查；督查日期须在本季度内")
    def record(self, *, actor, reason, now, data=None):
        p = self.quarter_period()
        if not p.start() <= data.inspected_on <= p.end():
            raise ValidationError({"inspected_on": f"督查日期须在{p.label()}内"
                                                   f"（{p.start():%Y-%m-%d}至{p.end():%Y-%m-%d}）"})
        if data.inspected_on > local(now).date():
            raise ValidationError({"inspected_on": "督查日期不能晚于今天"})
        self.inspected_on = data.inspected_on
        self.projects_inspected = "\n".join(data.projects_inspected)
        self.summary = data.summary

    @step(source=InspectionState.RECORDED, target=InspectionState.RECORDED,
          label=gettext_noop("登记发现的问题并下达整改"), roles=[GROUP_ROLE], at=CITY_HOUSING,
          input=FindingInput, citation=INSPECTION_CITATION, duty=Duty.REVIEW, stage="inspect",
          help="每个问题一份整改通知，各有整改期限；期限届满未整改的升级至县级人民政府")
    def add_finding(self, *, actor, reason, now, data=None):
        from .services import finding_issue

        finding_issue(self, actor=actor, now=now, project=data.project, problem=data.problem,
                      requirement=data.requirement, deadline=data.deadline)


# ---------------------------------------------------------------- rectification

class RectificationState(models.TextChoices):
    DRAFT = "draft", gettext_noop("待下达")
    ISSUED = "issued", gettext_noop("整改中")
    REPORTED = "reported", gettext_noop("已报整改情况，待督查组复查")
    CLOSED = "closed", gettext_noop("已复查销号")


def _days_to_deadline(case, on: dt.date) -> int:
    """The finding's own deadline, as days from the day the notice is given (届满 includes the
    deadline day: due at its 24:00)."""
    return max(0, (case.deadline - on).days)


RECTIFY = DeadlineRule(days=_days_to_deadline, remind_before="construction.rectification_remind_days",
                       escalate_to=Target(Role.COUNTY_GOVERNMENT, AT_COUNTY),
                       what="整改期限", citation=INSPECTION_CITATION)


class RectifyReportInput(StepInput):
    measures: str = Field(min_length=1, max_length=2000, title=gettext_noop("整改措施及结果"))
    rectified_on: dt.date = Field(title=gettext_noop("整改完成日期"))


class VerifyInput(StepInput):
    note: str = Field("", max_length=1000, title=gettext_noop("复查意见"))


class RejectInput(StepInput):
    note: str = Field(min_length=1, max_length=1000, title=gettext_noop("复查意见"))
    deadline: dt.date = Field(title=gettext_noop("新的整改期限"))


@register
class Rectification(Case):
    """One finding of an inspection and its rectification, with its own deadline."""

    state = state_field(RectificationState.choices, default=RectificationState.DRAFT)
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings",
                                   verbose_name="督查")
    project_name = models.CharField("工程名称", max_length=200)
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="findings", verbose_name="登记的工程")
    problem = models.TextField("发现的问题")
    requirement = models.TextField("整改要求", blank=True)
    deadline = models.DateField("整改期限")
    measures = models.TextField("整改措施及结果", blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    review_note = models.TextField("复查意见", blank=True)

    participants = Participants(units=(CITY_HOUSING,))

    procedure = Procedure(
        code="cq-rectification", name=gettext_noop("督查问题整改"), reference_prefix="ZJZG",
        editable_states=(RectificationState.ISSUED,), checklist={"evidence": "整改佐证材料"},
        initial_awaits=None, citation=INSPECTION_CITATION)

    class Meta:
        verbose_name = "督查问题整改"
        verbose_name_plural = "督查问题整改"

    @step(source=RectificationState.DRAFT, target=RectificationState.ISSUED,
          label=gettext_noop("下达整改通知"), roles=[GROUP_ROLE], at=CITY_HOUSING,
          awaits=Await(what="按期整改并报送整改情况", role=COUNTY_ROLE, at=AT_ORG),
          deadlines=RECTIFY, citation=INSPECTION_CITATION,
          routine="发出登记问题时已决定的整改通知（与登记问题同时，由登记人办理）")
    def issue(self, *, actor, reason, now, data=None):
        if self.deadline < local(now).date():
            raise ValidationError({"deadline": "整改期限不能早于下达整改通知之日"})

    @step(source=RectificationState.ISSUED, target=RectificationState.REPORTED,
          label=gettext_noop("报送整改情况"), roles=[COUNTY_ROLE], input=RectifyReportInput,
          routine="被督查单位报送整改情况",
          awaits=Await(what="复查整改情况", role=GROUP_ROLE, at=CITY_HOUSING),
          citation=INSPECTION_CITATION)
    def report(self, *, actor, reason, now, data=None):
        if data.rectified_on > local(now).date():
            raise ValidationError({"rectified_on": "整改完成日期不能晚于今天"})
        self.measures, self.rectified_on = data.measures, data.rectified_on

    @step(source=RectificationState.REPORTED, target=RectificationState.CLOSED,
          label=gettext_noop("复查合格，销号"), roles=[GROUP_ROLE], at=CITY_HOUSING,
          input=VerifyInput, citation=INSPECTION_CITATION,
          # not by the one who recorded the finding (the rectification's creator)
          duty=Duty.REVIEW, stage="recheck")
    def verify(self, *, actor, reason, now, data=None):
        self.review_note = data.note

    @step(source=RectificationState.REPORTED, target=RectificationState.ISSUED,
          label=gettext_noop("复查不合格，重新整改"), roles=[GROUP_ROLE], at=CITY_HOUSING,
          input=RejectInput, deadlines=RECTIFY, duty=Duty.REVIEW, stage="recheck",
          awaits=Await(what="按新的期限整改并报送整改情况", role=COUNTY_ROLE, at=AT_ORG),
          citation=INSPECTION_CITATION)
    def reject(self, *, actor, reason, now, data=None):
        if data.deadline < local(now).date():
            raise ValidationError({"deadline": "新的整改期限不能早于今天"})
        self.review_note, self.deadline = data.note, data.deadline


def default_deadline(on: dt.date) -> dt.date:
    """The deadline of a finding given none: `construction.rectification_days_default` days."""
    return on + dt.timedelta(days=int(parameter_value("construction.rectification_days_default", on)))
