"""The recognition route shared by 62号 (commercial buildings) and 63号 (headquarters).

Both annexes prescribe the same route (62号 附件1 第十条–第十一条; 63号 附件 第十二条–第十三条):
the enterprise applies in the window (3月1日至31日) with the checklist of documents → the
county (district, zone) leading-group office reviews (汇总、审核/复核) → the joint review
meeting (联审会议) of the county's departments decides → the county government approves
(报同级政府审批) → the plan is filed with the city office (报市……办公室备案).

`RecognitionCase` declares that route once, on the procedures kernel; the two procedures
inherit it and add their own fields, their rules-engine decision and what happens on filing.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_noop
from pydantic import Field

from kmgov.core.calendar import local
from kmgov.core.models import Role
from kmgov.procedures.decisions import decision_keep
from kmgov.procedures.declare import (
    AT_CITY,
    AT_COUNTY,
    Await,
    Duty,
    condition,
    documents_attached,
    state_field,
    step,
)
from kmgov.procedures.errors import ProcedureError
from kmgov.procedures.inputs import Line, StepInput
from kmgov.procedures.models import Case
from kmgov.rules import RuleError, decide


class State(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    SUBMITTED = "submitted", gettext_noop("待县级办公室审核")
    RETURNED = "returned", gettext_noop("退回补正")
    AT_MEETING = "at_meeting", gettext_noop("待联审会议")
    MEETING_PASSED = "meeting_passed", gettext_noop("联审通过，待县级政府审批")
    APPROVED = "approved", gettext_noop("县级政府已批准，待市级备案")
    FILED = "filed", gettext_noop("已认定（已报市级备案）")
    REJECTED = "rejected", gettext_noop("不予认定")
    WITHDRAWN = "withdrawn", gettext_noop("已撤回")
    REVOKED = "revoked", gettext_noop("已撤销")


#: States in which an application still holds its place (a building's one applicant).
ACTIVE_STATES = (State.DRAFT, State.SUBMITTED, State.RETURNED, State.AT_MEETING,
                 State.MEETING_PASSED, State.APPROVED, State.FILED)
CLOSED_STATES = (State.REJECTED, State.WITHDRAWN, State.REVOKED)

#: Who records the joint review meeting (联审会议). The kernel has no role of its own for the
#: meeting's secretary; the meeting is held by the county leading group with its departments
#: (发改、商务、财政、工商、税务、审计…), so a county-department official at the county records it
#: (docs/interpretations.md, "Headquarters and buildings procedures").
MEETING_SECRETARY = Role.COUNTY_DEPARTMENT

MEETING_OUTCOMES = {"passed": "通过", "failed": "未通过"}
DECISION_OUTCOME_LABELS = {"eligible": "符合认定条件", "ineligible": "不符合认定条件",
                           "invalid": "申报数据不完整或有误"}


def _required_documents(case) -> list[str]:
    return list(case.procedure.required_documents)


def required_documents_attached():
    """The procedure's `required_documents` are attached (message names the missing ones)."""
    def check(case):
        return documents_attached(*_required_documents(case))(case)

    def message(case):
        return documents_attached(*_required_documents(case)).message_for(case)

    from kmgov.procedures.declare import Condition
    return Condition(message=message, check=check, field="attachments")


def decision_valid():
    return condition("申报数据不完整或有误，请按提示补正后再提交", field="inputs")(
        lambda case: bool(case.decision) and "error" not in case.decision)


class MeetingInput(StepInput):
    """The joint review meeting's record (联审会议): when, who, and its minutes."""

    meeting_date: dt.date = Field(title=gettext_noop("联审会议日期"))
    meeting_members: list[Line] = Field(
        title=gettext_noop("参会单位及人员"), min_length=1, max_length=60,
        description=gettext_noop("每行一项，如“区商务局 张三”"))
    meeting_minutes: str = Field("", title=gettext_noop("会议纪要"), max_length=5000)


class FilingInput(StepInput):
    filing_number: str = Field("", title=gettext_noop("备案号"), max_length=60,
                               description=gettext_noop("留空则按申报编号生成"))


def _parse_date(value, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationError({field: f"{field}：日期格式应为YYYY-MM-DD，收到“{value}”"}) from None


def jsonable(v):
    """Decision dicts as strict JSON (a growth rate from 0 is infinite: kept as "∞")."""
    if isinstance(v, float) and not math.isfinite(v):
        return "∞" if v > 0 else ("-∞" if v < 0 else "NaN")
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def parse_amount(value, field: str, label: str) -> Decimal:
    """A non-negative amount of yuan with at most two decimals, or a message naming the field."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValidationError({field: f"{label}（{field}）须为不小于0的金额（元）"})
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"{label}（{field}）须为数字，收到“{value}”"}) from None
    if not d.is_finite() or d < 0 or d > Decimal("1e14"):
        raise ValidationError({field: f"{label}（{field}）须为0至10^14之间的金额（元），收到“{value}”"})
    if d != d.quantize(Decimal("0.01")):
        raise ValidationError({field: f"{label}（{field}）最多保留两位小数（分）"})
    return d.quantize(Decimal("0.01"))


class AlreadyApplied(ProcedureError):
    """Another active application holds the place (a building's one applicant; an
    enterprise's one HQ application a year)."""

    status = 409
    code = "already_applied"


class RecognitionCase(Case):
    """An application of the shared route. Concrete procedures set `procedure`, `RULE_ID`,
    `rule_inputs()` and may override `on_meeting_passed` / `on_approved` / `on_filed`."""

    RULE_ID = ""
    #: Fields that, with the year, only one active application may hold.
    UNIQUE_PLACE: tuple[str, ...] = ("org",)

    state = state_field(State.choices, default=State.DRAFT)
    year = models.PositiveSmallIntegerField("申报年度", db_index=True)
    inputs = models.JSONField("申报数据", default=dict, blank=True)
    decision = models.JSONField("规则判定（含计算过程）", default=dict, blank=True)
    decision_outcome = models.CharField("判定结论", max_length=20, blank=True)
    review_note = models.TextField("县级办公室审核意见", blank=True)
    meeting_date = models.DateField("联审会议日期", null=True, blank=True)
    meeting_members = models.JSONField("联审会议参会单位及人员", default=list, blank=True)
    meeting_outcome = models.CharField("联审会议结论", max_length=10, blank=True,
                                       choices=list(MEETING_OUTCOMES.items()))
    meeting_minutes = models.TextField("联审会议纪要", blank=True)
    approved_at = models.DateTimeField("县级政府批准时间", null=True, blank=True)
    filed_at = models.DateTimeField("市级备案时间", null=True, blank=True)
    filing_number = models.CharField("备案号", max_length=60, blank=True)
    closed_reason = models.TextField("不予认定/撤回/撤销理由", blank=True)

    class Meta:
        abstract = True

    # ------------------------------------------------------------ one place, one applicant

    @classmethod
    def check_unique_place(cls, probe: RecognitionCase) -> None:
        keys = {f: getattr(probe, f) for f in cls.UNIQUE_PLACE}
        existing = (cls.objects.filter(state__in=[s.value for s in ACTIVE_STATES],
                                       year=probe.year, **keys)
                    .exclude(pk=probe.pk).select_related("org").first())
        if existing is not None:
            raise AlreadyApplied(cls.place_taken_message(existing), field=cls.UNIQUE_PLACE[0])

    @classmethod
    def place_taken_message(cls, existing: RecognitionCase) -> str:
        return (f"“{existing.org}”{existing.year}年度已有进行中的{cls.procedure.name}"
                f"（编号{existing.reference}，{existing.state_label()}），不能重复申报")

    # ------------------------------------------------------------ the rules engine

    def rule_inputs(self) -> dict:
        return dict(self.inputs)

    def evaluate(self, *, as_of: dt.date) -> dict:
        """Run the procedure's rule on the application's data; keep decision and trace."""
        data = {**self.rule_inputs(), "as_of": as_of.isoformat()}
        self._rule_decision = None
        try:
            self._rule_decision = decide(self.RULE_ID, data)
        except RuleError as exc:
            self.decision = {"rule": self.RULE_ID, "error": exc.errors()}
            self.decision_outcome = "invalid"
            return self.decision
        decision = self._rule_decision.to_dict()
        self.decision = jsonable(decision)
        self.decision_outcome = decision.get("outcome") or ""
        return decision

    def get_decision_outcome_display(self) -> str:
        """The rule's outcome in words (the pages never show `eligible`)."""
        return DECISION_OUTCOME_LABELS.get(self.decision_outcome, self.decision_outcome)

    def decision_errors(self) -> list[dict]:
        return list(self.decision.get("error") or [])

    def keep_decision(self, *, actor, now) -> None:
        """Keep the eligibility decision just made (`evaluate`) with the step taken."""
        if getattr(self, "_rule_decision", None) is not None:
            decision_keep(self, self._rule_decision, actor=actor, now=now,
                          subject=self.summary())

    # ------------------------------------------------------------ hooks

    def summary(self) -> str:
        return ""

    def extra_out(self) -> dict:
        return {}

    def check_submission(self) -> None:
        """Procedure-specific checks before submission; raise ValidationError to refuse."""

    def on_meeting_passed(self, *, actor, now, data) -> None:
        """What else the meeting decides (`data`: the procedure's meeting input)."""

    def on_approved(self, *, actor, now) -> None:
        pass

    def on_filed(self, *, actor, now) -> None:
        pass

    def _record_meeting(self, outcome: str, *, date, members, minutes, now) -> None:
        day = date  # the input model made it a date; the case decides which dates are possible
        today = local(now).date()
        if day > today:
            raise ValidationError({"meeting_date": f"联审会议日期（{day}）不能晚于今天（{today}）"})
        submitted = local(self.submitted_at).date() if self.submitted_at else None
        if submitted and day < submitted:
            raise ValidationError(
                {"meeting_date": f"联审会议日期（{day}）不能早于申报提交日（{submitted}）"})
        self.meeting_date = day
        self.meeting_members = list(members)
        self.meeting_outcome = outcome
        self.meeting_minutes = minutes

    # ------------------------------------------------------------ the route (steps)

    @step(source=[State.DRAFT], target=State.SUBMITTED, label=gettext_noop("提交申报"), applicant=True,
          window=True, conditions=[required_documents_attached(), decision_valid()],
          awaits=Await(what="审核申报材料（汇总、审核）", role=Role.COUNTY_OFFICE, at=AT_COUNTY))
    def submit(self, *, actor, reason, now, data=None):
        self.check_submission()
        self.evaluate(as_of=local(now).date())
        if self.decision_errors():
            raise ValidationError({"inputs": "申报数据不完整或有误：" + "；".join(
                f"{e['field']}：{e['message']}" for e in self.decision_errors())})
        self.submitted_at = now
        self.keep_decision(actor=actor, now=now)

    @step(source=[State.RETURNED], target=State.SUBMITTED, label=gettext_noop("补正后重新提交"),
          applicant=True, conditions=[required_documents_attached(), decision_valid()],
          awaits=Await(what="审核补正后的申报材料", role=Role.COUNTY_OFFICE, at=AT_COUNTY))
    def resubmit(self, *, actor, reason, now, data=None):
        # The application was filed within the window; answering a return is not a new filing.
        self.check_submission()
        self.evaluate(as_of=local(self.submitted_at or now).date())
        if self.decision_errors():
            raise ValidationError({"inputs": "申报数据不完整或有误"})
        self.keep_decision(actor=actor, now=now)

    @step(source=State.SUBMITTED, target=State.RETURNED, label=gettext_noop("退回补正"),
          roles=[Role.COUNTY_OFFICE], reason_required=True,
          awaits=Await(what="按审核意见补正后重新提交", applicant=True), duty=Duty.REVIEW)
    def return_for_changes(self, *, actor, reason, now, data=None):
        self.review_note = reason

    @step(source=State.SUBMITTED, target=State.AT_MEETING, label=gettext_noop("审核通过，提交联审会议"),
          roles=[Role.COUNTY_OFFICE],
          awaits=Await(what="召开联审会议并记录参会人员、日期与结论", role=MEETING_SECRETARY,
                       at=AT_COUNTY), duty=Duty.REVIEW)
    def pass_to_meeting(self, *, actor, reason, now, data=None):
        self.review_note = reason

    @step(source=State.SUBMITTED, target=State.REJECTED, label=gettext_noop("不予认定（县级办公室）"),
          roles=[Role.COUNTY_OFFICE], reason_required=True, duty=Duty.REVIEW)
    def reject(self, *, actor, reason, now, data=None):
        self.closed_reason = reason

    # `meeting_pass` is declared per procedure with `meeting_pass_step(input=…)`: what else the
    # meeting decides (a building's reward) differs.

    @step(source=State.AT_MEETING, target=State.REJECTED, label=gettext_noop("记录联审会议：未通过"),
          roles=[MEETING_SECRETARY], reason_required=True, input=MeetingInput, duty=Duty.REVIEW)
    def meeting_fail(self, *, actor, reason, now, data=None):
        self._record_meeting("failed", date=data.meeting_date, members=data.meeting_members,
                             minutes=data.meeting_minutes, now=now)
        self.closed_reason = reason

    @step(source=State.MEETING_PASSED, target=State.APPROVED, label=gettext_noop("批准（县级政府）"),
          roles=[Role.COUNTY_GOVERNMENT],
          awaits=Await(what="备案", role=Role.CITY_OFFICE, at=AT_CITY), duty=Duty.APPROVE)
    def approve(self, *, actor, reason, now, data=None):
        self.approved_at = now
        self.on_approved(actor=actor, now=now)

    @step(source=State.MEETING_PASSED, target=State.REJECTED, label=gettext_noop("不予批准（县级政府）"),
          roles=[Role.COUNTY_GOVERNMENT], reason_required=True, duty=Duty.APPROVE)
    def government_reject(self, *, actor, reason, now, data=None):
        self.closed_reason = reason

    @step(source=[State.DRAFT, State.SUBMITTED, State.RETURNED], target=State.WITHDRAWN,
          label=gettext_noop("撤回申报"), applicant=True)
    def withdraw(self, *, actor, reason, now, data=None):
        self.closed_reason = reason

    # `file` (备案) is declared by each procedure with `filing_step(...)`: what it awaits next
    # (the HQ's yearly statistics report) differs.

    def _file(self, *, actor, reason, now, data):
        self.filed_at = now
        self.filing_number = data.filing_number or f"备-{self.reference}"
        self.on_filed(actor=actor, now=now)


def meeting_pass_step(input: type[MeetingInput] = MeetingInput):
    """The meeting secretary's record of a passed joint review meeting, with the procedure's
    own meeting input (a building's meeting also proposes its reward)."""

    def meeting_pass(self, *, actor, reason, now, data=None):
        self._record_meeting("passed", date=data.meeting_date, members=data.meeting_members,
                             minutes=data.meeting_minutes, now=now)
        self.on_meeting_passed(actor=actor, now=now, data=data)

    return step(source=State.AT_MEETING, target=State.MEETING_PASSED, label=gettext_noop("记录联审会议：通过"),
                roles=[MEETING_SECRETARY], input=input, duty=Duty.REVIEW,
                awaits=Await(what="审批联审会议形成的实施方案", role=Role.COUNTY_GOVERNMENT,
                             at=AT_COUNTY))(meeting_pass)


def filing_step(**extra):
    """The city office's filing (备案) step of a procedure, with what it awaits next."""

    def file(self, *, actor, reason, now, data=None):
        self._file(actor=actor, reason=reason, now=now, data=data)

    return step(source=State.APPROVED, target=State.FILED, label=gettext_noop("备案（市级办公室）"),
                roles=[Role.CITY_OFFICE], input=FilingInput, duty=Duty.REVIEW, **extra)(file)
