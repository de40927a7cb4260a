"""昆政办〔2010〕107号 零申报 and 昆政办〔2010〕106号 警示 on the kernel.

Zero reports: the nine forms (表一…表九) are nine procedures `zero-report-1` … `zero-report-9`
(one model each, built by `_zero_report`, their step input the gazette's table), filed as
scheduled filings up the route of 107号 四(二):

    enterprise ─→ the county department supervising its industry   (zr<N>-ent)
    department ─→ the county 安委会办公室 (consolidation)             (zr<N>-dept)
    township/subdistrict ─→ the county 安委会办公室                   (zr<N>-town)
    county/zone ─→ the city 安委会办公室 (consolidation)              (zr<N>-county)

Warnings: `Warning` (procedure `safety-warning`), one of the five actions of 106号 第四条–第八条
issued by a government, zone committee or its safety office to a lower unit, its level
proposed by `safety.warning_ladder` from the grounds and from the accident register
(`Accident`), the decision kept; an admonition (第六条) waits 15 days for the answer
(第九条 with 民法通则 第154条: `DeadlineRule` counts calendar days and moves a last day on a
rest day to the next working day).
"""

from __future__ import annotations

import datetime as dt
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_noop

from kmgov.core.calendar import DayCount, local
from kmgov.core.models import COUNTY_LEVEL_KINDS, OrgUnit, Role
from kmgov.procedures.decisions import decision_keep
from kmgov.procedures.declare import (
    AT_COUNTY,
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
from kmgov.procedures.errors import WindowClosed
from kmgov.procedures.filings import (
    Filers,
    Obligation,
    PeriodKind,
    Receiver,
    WindowRule,
    obligation,
    register_obligation,
)
from kmgov.procedures.models import Case, FilingCase
from kmgov.rules import decide, parameter_value

from .forms import FORM_NUMBERS, NUMERALS, zr_form, zr_input
from .inputs import AnswerInput

D6 = "昆政办〔2010〕106号"
D7 = "昆政办〔2010〕107号"
CITY_SAFETY = "city-safety"  # 市安全生产委员会办公室 (the org tree's alias 市安委办)
INDUSTRIES = "safety.zero_report_industries"
ZR_WINDOW = f"{D7} 附件 四(一)"
ZR_ROUTE = f"{D7} 附件 四(二)"
#: County departments that receive enterprises' reports (the parameter's third column may
#: name only these; a departments' consolidation is owed by each of them in every county).
RECEIVING_DEPARTMENTS = ("safety", "housing", "agriculture")


# ---------------------------------------------------------------- 三(二) industries

def industries(on: dt.date | None = None) -> list[dict]:
    """三(二)'s listed industries as data: code, name, receiving county department, 五(三)1
    staffing class (parameter `safety.zero_report_industries`, an interpretation)."""
    from kmgov.rules import today

    rows = parameter_value(INDUSTRIES, on or today())
    return [{"code": c, "name": n, "department": d, "staffing": s} for c, n, d, s in rows]


def industry(code: str, on: dt.date | None = None) -> dict | None:
    return next((i for i in industries(on) if i["code"] == code), None)


class SafetyEnterprise(models.Model):
    """An enterprise in 零申报's scope (三(二)): its industry says where it files (四(二)1)."""

    org = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="safety_profile",
                               verbose_name="企业")
    industry = models.CharField("行业", max_length=32)
    employees = models.PositiveIntegerField("从业人员数", null=True, blank=True)
    in_scope_from = models.DateField("纳入零申报范围日期")
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "零申报范围内企业"
        verbose_name_plural = "零申报范围内企业"

    def __str__(self) -> str:
        return f"{self.org.name}（{self.industry_label()}）"

    def industry_label(self) -> str:
        found = industry(self.industry)
        return found["name"] if found else self.industry


def receiving_department(filer: OrgUnit) -> OrgUnit:
    """四(二)1: the department of the enterprise's county supervising its industry."""
    county = filer.county_level()
    if county is None:
        raise ValueError(f"{filer} 不属于任何县（市）区或开发（度假）区")
    profile = SafetyEnterprise.objects.filter(org=filer).first()
    found = industry(profile.industry) if profile else None
    suffix = found["department"] if found else "safety"
    return OrgUnit.objects.get(code=f"{county.code}-{suffix}")


def county_of(unit: OrgUnit) -> OrgUnit:
    county = unit.county_level()
    if county is None:
        raise ValueError(f"{unit} 不属于任何县（市）区或开发（度假）区")
    return county


def _enterprises_in_scope(period) -> Q:
    return Q(pk__in=SafetyEnterprise.objects.filter(in_scope_from__lte=period.end())
             .values("org_id"))


def _receiving_departments(period) -> Q:
    suffixes = {i["department"] for i in industries(period.end())}
    cond = Q(pk__in=[])
    for s in suffixes:
        cond |= Q(kind="department", code__endswith=f"-{s}", parent__kind__in=COUNTY_LEVEL_KINDS)
    return cond


# ---------------------------------------------------------------- zero reports

class ZRState(models.TextChoices):
    DRAFT = "draft", gettext_noop("填写中")
    FILED = "filed", gettext_noop("已报送")
    RECEIVED = "received", gettext_noop("已查收")


#: Who files at each level (the role held at the filing unit).
FILER_ROLES = (Role.ENTERPRISE, Role.TOWNSHIP_STAFF, Role.COUNTY_DEPARTMENT, Role.COUNTY_OFFICE)
RECEIVER_ROLES = (Role.COUNTY_DEPARTMENT, Role.COUNTY_OFFICE, Role.CITY_OFFICE)


def _slot_of(case):
    from kmgov.procedures.models import FilingSlot

    return FilingSlot.objects.filter(obligation=case.obligation, period=case.period,
                                     org_id=case.org_id).select_related("receiver_org").first()


def _receiver_if(role: str):
    """An `Await`/step resolver: the slot's receiving unit when it receives as `role`."""
    def resolve(case):
        slot = _slot_of(case)
        return slot.receiver_org if slot and slot.receiver_role == role else None

    resolve.__name__ = f"receiver_{role}"
    return resolve


def _receiver_org(case):
    slot = _slot_of(case)
    return slot.receiver_org if slot else case.org


class ZeroReportBase(FilingCase):
    """One form (表N) filed by one unit for one period: the answers as filed, how many items
    are 不落实, and the checks the gazette makes computable run on the answers."""

    form_no = 0
    PAGE_HIDDEN_FIELDS = ("obligation", "period")  # codes: the page shows the period's label
    state = state_field(ZRState.choices, default=ZRState.DRAFT)
    answers = models.JSONField("申报内容", default=dict, blank=True)
    not_implemented = models.PositiveSmallIntegerField("不落实项数", default=0)
    checks = models.JSONField("核查结果", default=list, blank=True)
    contradictions = models.PositiveSmallIntegerField("申报与核查不符项数", default=0)
    filed_on = models.DateField("申报日期", null=True, blank=True)
    received_at = models.DateTimeField("查收时间", null=True, blank=True)

    participants = Participants(units=(CITY_SAFETY,), county_departments=RECEIVING_DEPARTMENTS)

    class Meta:
        abstract = True

    @classmethod
    def table_form(cls):
        return zr_form(cls.form_no)

    def _file(self, data, *, now) -> None:
        ob = obligation(self.obligation)
        slot = _slot_of(self)
        if slot is not None and local(now).date() > slot.window_closes and not parameter_value(
                "safety.zero_report_late_filing", slot.window_closes):
            period = ob.parse_period(self.period)
            raise WindowClosed(
                f"{period_label(self.period)}{ob.name}的申报期为{ob.describe_window(period)}，"
                f"已届满，不再受理（{ob.citation}）", field="period")
        values = data.model_dump(mode="json")
        values["period"] = self.period
        form = self.table_form()
        self.answers = values
        self.not_implemented = sum(1 for r in form.rows if values.get(r.key) == "不落实")
        self.filed_on = local(now).date()
        self.submitted_at = now
        from .checks import run_checks

        self.checks = run_checks(self, values, on=self.filed_on)
        self.contradictions = sum(1 for c in self.checks if c.get("contradiction"))

    def _receive(self, *, now) -> None:
        self.received_at = now


def period_label(key: str) -> str:
    """107号 四(一): the July filing is 半年情况 (H1), the January one 上一年度情况 (keyed H2)."""
    year, half = key[:4], key[-1:]
    return f"{year}年上半年" if half == "1" else f"{year}年度"


#: The nine forms' names, as literals for the message catalogue.
FORM_NAMES = (gettext_noop("零申报表一"), gettext_noop("零申报表二"), gettext_noop("零申报表三"),
              gettext_noop("零申报表四"), gettext_noop("零申报表五"), gettext_noop("零申报表六"),
              gettext_noop("零申报表七"), gettext_noop("零申报表八"), gettext_noop("零申报表九"))


def _zero_report(n: int) -> type[ZeroReportBase]:
    numeral = NUMERALS[n - 1]
    code = f"zero-report-{n}"
    citation = f"{D7} 附件 表{numeral}"

    def submit(self, *, actor, reason, now, data=None):
        self._file(data, now=now)

    def receive(self, *, actor, reason, now, data=None):
        self._receive(now=now)

    submit.__name__, receive.__name__ = "submit", "receive"
    attrs = {
        "__module__": __name__,
        "form_no": n,
        "procedure": Procedure(
            code=code, name=FORM_NAMES[n - 1], reference_prefix=f"LSB{n}",
            editable_states=(ZRState.DRAFT,), checklist={},
            initial_awaits=Await(what=f"填写并报送零申报表{numeral}", applicant=True),
            citation=citation),
        "Meta": type("Meta", (), {"verbose_name": f"零申报表{numeral}",
                                  "verbose_name_plural": f"零申报表{numeral}"}),
        "submit": step(
            source=ZRState.DRAFT, target=ZRState.FILED, label=gettext_noop("报送零申报表"),
            applicant=True, roles=FILER_ROLES, input=lambda: zr_input(n),
            awaits=[Await(what="查收零申报表", role=r, at=_receiver_if(r)) for r in RECEIVER_ROLES],
            help="每项选择“落实”或“不落实”；不落实的须说明原因及整改措施（107号 五、六(一)：如实申报）",
            citation=citation)(submit),
        "receive": step(
            source=ZRState.FILED, target=ZRState.RECEIVED, label=gettext_noop("查收"),
            roles=RECEIVER_ROLES, at=_receiver_org, citation=ZR_ROUTE,
            # the receiving unit checks the form (五、六(一)): not the one who filed it
            duty=Duty.REVIEW)(receive),
    }
    return register(type(f"ZeroReport{n}", (ZeroReportBase,), attrs))


ZERO_REPORTS: dict[int, type[ZeroReportBase]] = {}
for _n in FORM_NUMBERS:
    ZERO_REPORTS[_n] = _zero_report(_n)
    setattr(sys.modules[__name__], f"ZeroReport{_n}", ZERO_REPORTS[_n])

#: 107号 四(一): 1月1日-10日（上一年度情况）and 7月1日-10日（半年情况）: day 1–10 of the month
#: after each half year (the January filing, keyed <year>H2, reports the whole year).
ZR_WINDOW_RULE = WindowRule((1, 1), (1, 10), citation=ZR_WINDOW)
LEVELS = {
    "ent": gettext_noop("企业"), "town": gettext_noop("乡镇（街道）"),
    "dept": gettext_noop("县级部门汇总"), "county": gettext_noop("县（市）区汇总"),
}


def obligation_code(n: int, level: str) -> str:
    return f"zr{n}-{level}"


def _obligations(n: int) -> dict[str, Obligation]:
    numeral = NUMERALS[n - 1]
    form = f"zero-report-{n}"
    common = dict(form=form, filed_by_step="submit", period=PeriodKind.HALF, remind_before=3,
                  escalate=True)
    return {
        "ent": Obligation(
            code=obligation_code(n, "ent"), name=f"零申报表{numeral}（企业）", window=ZR_WINDOW_RULE,
            filers=Filers(where=_enterprises_in_scope, where_label="申报范围行业内登记的企业（107号 三(二)）"),
            receiver=Receiver(Role.COUNTY_DEPARTMENT, at=receiving_department),
            filer_role=Role.ENTERPRISE, citation=f"{ZR_WINDOW}；四(二)1", **common),
        "town": Obligation(
            code=obligation_code(n, "town"), name=f"零申报表{numeral}（乡镇、街道）",
            window=ZR_WINDOW_RULE, filers=Filers(kinds=("township", "subdistrict")),
            receiver=Receiver(Role.COUNTY_OFFICE, at=AT_COUNTY),
            filer_role=Role.TOWNSHIP_STAFF, citation=f"{ZR_WINDOW}；四(二)3", **common),
        "dept": Obligation(
            code=obligation_code(n, "dept"), name=f"零申报表{numeral}（县级部门汇总）",
            window=ZR_WINDOW_RULE, filers=Filers(where=_receiving_departments,
                                                 where_label="负有安全生产监管职能的县级部门"),
            receiver=Receiver(Role.COUNTY_OFFICE, at=county_of),
            filer_role=Role.COUNTY_DEPARTMENT, rollup_of=obligation_code(n, "ent"),
            rollup_days="safety.zero_report_rollup_days", citation=f"{ZR_ROUTE}1", **common),
        "county": Obligation(
            code=obligation_code(n, "county"), name=f"零申报表{numeral}（县（市）区汇总）",
            window=ZR_WINDOW_RULE, filers=Filers(kinds=("county", "zone")),
            receiver=Receiver(Role.CITY_OFFICE, at=CITY_SAFETY),
            filer_role=Role.COUNTY_OFFICE, rollup_of=obligation_code(n, "dept"),
            rollup_days="safety.zero_report_rollup_days", citation=f"{ZR_ROUTE}2、3", **common),
    }


ZR_OBLIGATIONS: dict[str, Obligation] = {}
for _n in FORM_NUMBERS:
    for _level, _ob in _obligations(_n).items():
        ZR_OBLIGATIONS[_ob.code] = register_obligation(_ob)


# ---------------------------------------------------------------- accidents (106号 第六条)

class AccidentGrade(models.TextChoices):
    GENERAL = "general", gettext_noop("一般事故")
    LARGER = "larger", gettext_noop("较大事故")
    MAJOR = "major", gettext_noop("重大事故")
    GRAVE = "grave", gettext_noop("特别重大事故")


#: 第六条(一) "较大以上": 较大, 重大 and 特别重大 (以上 includes 较大).
LARGER_OR_ABOVE = (AccidentGrade.LARGER, AccidentGrade.MAJOR, AccidentGrade.GRAVE)


class Accident(models.Model):
    """The accident register: what 第六条(一)(二)'s counts are read from (国务院令第493号 grades)."""

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                            verbose_name="事故单位")
    occurred_on = models.DateField("事故日期")
    grade = models.CharField("事故等级", max_length=16, choices=AccidentGrade.choices)
    deaths = models.PositiveIntegerField("死亡人数", default=0)
    summary = models.CharField("事故概况", max_length=300)
    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "安全生产事故"
        verbose_name_plural = "安全生产事故登记"
        ordering = ("-occurred_on", "-pk")


# ---------------------------------------------------------------- warnings (106号)

class Action(models.TextChoices):
    PROMPT = "prompt", gettext_noop("提示")
    NOTICE = "notice", gettext_noop("告知")
    ADMONITION = "admonition", gettext_noop("告诫")
    DISCLOSURE = "disclosure", gettext_noop("公开（通报）")
    SPECIAL_REPORT = "special_report", gettext_noop("专报")


ACTION_ARTICLES = {"prompt": "第四条", "notice": "第五条", "admonition": "第六条",
                   "disclosure": "第七条", "special_report": "第八条"}


class WState(models.TextChoices):
    DRAFT = "draft", gettext_noop("拟发")
    ISSUED = "issued", gettext_noop("已发出")
    AWAITING = "awaiting", gettext_noop("待报送整改措施")
    ANSWERED = "answered", gettext_noop("已报送整改措施")
    CLOSED = "closed", gettext_noop("已办结")
    WITHDRAWN = "withdrawn", gettext_noop("已撤回")


#: Who issues (106号 第三条: 各级人民政府、管委会及其安全生产委员会办公室), the role held at the
#: issuing unit: the county government or its office at the county, the city office at 市安委办.
ISSUER_ROLES = (Role.COUNTY_GOVERNMENT, Role.COUNTY_OFFICE, Role.CITY_OFFICE)
#: The warned unit answers through the role it acts by: kind of unit → role.
ANSWER_ROLE = {"enterprise": Role.ENTERPRISE, "township": Role.TOWNSHIP_STAFF,
               "subdistrict": Role.TOWNSHIP_STAFF, "department": Role.COUNTY_DEPARTMENT,
               "county": Role.COUNTY_GOVERNMENT, "zone": Role.COUNTY_GOVERNMENT,
               "other_body": Role.COUNTY_GOVERNMENT}


def _answerer(role: str):
    def resolve(case):
        if ANSWER_ROLE.get(case.org.kind) != role:
            return None
        if role == Role.COUNTY_DEPARTMENT and case.org.parent and case.org.parent.kind == "city":
            return None
        return case.org

    resolve.__name__ = f"answerer_{role}"
    return resolve


def _issuer(case):
    return case.issuer_org


def _issuer_if(role: str):
    def resolve(case):
        return case.issuer_org if case.issuer_role == role else None

    resolve.__name__ = f"issuer_{role}"
    return resolve


def _answer_days(role: str):
    """第九条's 15 days, only for an admonition issued by `role` (one escalation rule per
    issuing role: the overdue answer goes to the issuer's own inbox, 第六条(六)/第八条(一))."""
    def days(case, on):
        if case.level != Action.ADMONITION or case.issuer_role != role:
            return None
        return int(parameter_value("safety.admonished_answer_days", on))

    days.__name__ = f"answer_days_{role}"
    return days


ANSWER_AWAITS = [Await(what="报送采取的措施和落实情况（106号 第九条）", role=r, at=_answerer(r))
                 for r in sorted(set(ANSWER_ROLE.values()))]
ANSWER_DEADLINES = [
    DeadlineRule(days=_answer_days(r), count=DayCount.CALENDAR, remind_before=3,
                 escalate_to=Target(r, at=_issuer_if(r)),
                 what="报送告诫整改措施（逾期的，按第六条(六)、第八条(一)升级）",
                 citation=f"{D6} 附件 第九条；民法通则 第154条")
    for r in ISSUER_ROLES]


@register
class Warning(Case):
    """One warning of 106号: its action, grounds, the issuing body, the warned unit (`org`)."""

    state = state_field(WState.choices, default=WState.DRAFT)
    level = models.CharField("警示措施", max_length=20, choices=Action.choices)
    grounds = models.JSONField("警示事由", default=list, blank=True)
    facts = models.JSONField("事实（警示阶梯的输入）", default=dict, blank=True)
    issuer_org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="发出单位")
    issuer_role = models.CharField("发出机关", max_length=32)
    proposed_level = models.CharField("阶梯建议措施", max_length=20, blank=True)
    notice_text = models.TextField("通知内容", blank=True)
    issued_on = models.DateField("发出日期", null=True, blank=True)
    answer_due_on = models.DateField("报送期限", null=True, blank=True)
    answer_text = models.TextField("采取的措施和落实情况", blank=True)
    answered_on = models.DateField("报送日期", null=True, blank=True)
    answer_late = models.BooleanField("逾期报送", default=False)
    escalated = models.BooleanField("已逾期督办", default=False)
    outcome = models.TextField("办理结果", blank=True)
    source = models.CharField("来源", max_length=60, blank=True)

    participants = Participants(units=(CITY_SAFETY,))
    PAGE_HIDDEN_FIELDS = ("issuer_role", "source", "proposed_level")  # codes, shown as labels

    procedure = Procedure(
        code="safety-warning", name=gettext_noop("安全生产警示"), reference_prefix="AQJS",
        editable_states=(WState.DRAFT,), checklist={},
        initial_awaits=tuple(Await(what="审定并发出警示通知", role=r, at=_issuer_if(r))
                             for r in ISSUER_ROLES),
        citation=f"{D6} 附件 第二条",
        action_labels={"safety-warning.propose": "零申报不及时、不全或不实，建议警示",
                       "safety-warning.draft": "拟定警示"})

    class Meta:
        verbose_name = "安全生产警示"
        verbose_name_plural = "安全生产警示"

    @step(source=WState.DRAFT, target=WState.ISSUED, label=gettext_noop("发出警示通知（提示、告知、公开、专报）"),
          roles=ISSUER_ROLES, at=_issuer, citation=f"{D6} 附件 第四条至第八条",
          # the office's head signs what its staff drafted (not the drafter)
          duty=Duty.APPROVE, stage="warning",
          help="按警示阶梯的建议和所选事由发出；告诫的，被告诫单位须于15日内报送措施（第九条）")
    def issue(self, *, actor, reason, now, data=None):
        if self.level == Action.ADMONITION:
            raise ValidationError({"level": "告诫须限期报送措施（第九条），请用“发出告诫通知”"})
        self._issue(actor=actor, now=now)

    @step(source=WState.DRAFT, target=WState.AWAITING, label=gettext_noop("发出告诫通知（告诫）"),
          roles=ISSUER_ROLES, at=_issuer, awaits=ANSWER_AWAITS, deadlines=ANSWER_DEADLINES,
          duty=Duty.APPROVE, stage="warning",
          citation=f"{D6} 附件 第六条、第九条",
          help="被告诫单位须于15日内报送采取的措施和落实情况（第九条）")
    def admonish(self, *, actor, reason, now, data=None):
        if self.level != Action.ADMONITION:
            raise ValidationError({"level": "只有“告诫”须限期报送措施；其他措施请用“发出警示通知”"})
        self._issue(actor=actor, now=now)

    @step(source=WState.AWAITING, target=WState.ANSWERED, label=gettext_noop("报送整改措施"),
          roles=tuple(sorted(set(ANSWER_ROLE.values()))), input=AnswerInput,
          routine="被警示单位报送措施",
          citation=f"{D6} 附件 第九条")
    def answer(self, *, actor, reason, now, data=None):
        self.answer_text = data.measures
        self.answered_on = local(now).date()
        self.answer_late = bool(self.answer_due_on and self.answered_on > self.answer_due_on)
        decision = decide("safety.admonition_answer_deadline", {
            "issued_on": self.issued_on.isoformat(), "answered_on": self.answered_on.isoformat(),
            "as_of": self.answered_on.isoformat()})
        decision_keep(self, decision, actor=actor, now=now, subject="报送期限")

    @step(source=[WState.ISSUED, WState.ANSWERED, WState.AWAITING], target=WState.CLOSED,
          label=gettext_noop("办结"), roles=ISSUER_ROLES, at=_issuer, reason_required=True,
          duty=Duty.APPROVE, stage="warning")
    def close(self, *, actor, reason, now, data=None):
        self.outcome = reason

    @step(source=WState.DRAFT, target=WState.WITHDRAWN, label=gettext_noop("撤回"),
          roles=ISSUER_ROLES, at=_issuer, reason_required=True,
          routine="撤回未发出的草稿，不对被警示单位作出决定")
    def withdraw(self, *, actor, reason, now, data=None):
        self.outcome = reason

    def grounds_labels(self) -> list[str]:
        """The grounds as people read them: articles once issued, the ladder's wording before."""
        from .rules import LadderInput

        fields = LadderInput.model_fields
        return [fields[g].description if g in fields else g for g in (self.grounds or [])]

    def issuer_label(self) -> str:
        """106号 第三条: the issuing body (a government or its 安全生产委员会办公室)."""
        if self.issuer_role == Role.CITY_OFFICE:
            return "昆明市安全生产委员会办公室"
        suffix = "人民政府" if self.issuer_role == Role.COUNTY_GOVERNMENT else "安全生产委员会办公室"
        if self.issuer_org.kind in ("zone", "other_body"):
            suffix = "管委会" if self.issuer_role == Role.COUNTY_GOVERNMENT else "管委会安全生产委员会办公室"
        return f"{self.issuer_org.name}{suffix}"

    def _issue(self, *, actor, now) -> None:
        from kmgov.rules.parameters import ParameterNotInForce

        from .services import ladder_facts

        day = local(now).date()
        try:
            facts = ladder_facts(self, on=day)
        except ParameterNotInForce as exc:
            raise ValidationError({"level": f"{D6}《昆明市安全生产警示管理办法（试行）》"
                                            f"自{exc.first or '印发之日'}起施行，"
                                            "此前不能依其发出警示"}) from None
        decision = decide("safety.warning_ladder", {**facts, "as_of": day.isoformat()})
        self.facts = facts
        self.proposed_level = decision.outputs.get("highest_action") or ""
        grounds = decision.outputs.get("grounds") or {}
        if not grounds.get(self.level):
            proposed = Action(self.proposed_level).label if self.proposed_level else "无"
            raise ValidationError({"level": (
                f"所选措施“{Action(self.level).label}”没有{ACTION_ARTICLES[self.level]}所列的事由；"
                f"按所选事由和事故登记，警示阶梯建议“{proposed}”（{D6} 附件 第四条至第八条）")})
        self.grounds = grounds[self.level]
        self.issued_on = day
        if self.level == Action.ADMONITION:
            from kmgov.core.calendar import add_days

            self.answer_due_on = add_days(day, int(parameter_value(
                "safety.admonished_answer_days", day)), DayCount.CALENDAR)
        decision_keep(self, decision, actor=actor, now=now,
                      subject=f"{Action(self.level).label}：{'、'.join(self.grounds)}")
