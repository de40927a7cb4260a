import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from pydantic import Field

from kmgov.core.calendar import DayCount
from kmgov.core.models import Role
from kmgov.procedures.declare import (
    AT_COUNTY,
    SCOPE_ANY,
    Await,
    DeadlineRule,
    Duty,
    Procedure,
    Target,
    documents_attached,
    register,
    state_field,
    step,
)
from kmgov.procedures.inputs import Money, StepInput
from kmgov.procedures.models import Case
from kmgov.procedures.windows import FilingWindow


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已批准"
    FILED = "filed", "已备案"
    REJECTED = "rejected", "不予批准"
    WITHDRAWN = "withdrawn", "已撤回"


# In a policy module these come from its parameter files, with their citations.
WINDOW = FilingWindow.yearly((3, 1), (3, 31), citation="昆政发〔2010〕63号 附件 第十一条")
REVIEW_DAYS = 15


class ApproveInput(StepInput):
    approved_amount: Decimal | None = Field(None, title="核定金额（万元）", gt=0,
                                            description="留空则按申请金额核定")


@register
class SampleApplication(Case):
    state = state_field(State.choices, default=State.DRAFT)
    amount = models.DecimalField("申请金额（万元）", max_digits=12, decimal_places=2)
    approved_amount = models.DecimalField(
        "核定金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True)

    procedure = Procedure(
        code="sample", name="样例申报", reference_prefix="YL", window=WINDOW,
        checklist={"licence": "营业执照复印件", "statement": "上年度财务报表"},
        required_documents=("licence",),
        editable_states=(State.DRAFT, State.RETURNED),
        attachment_max_bytes=64 * 1024,
    )

    @step(source=[State.DRAFT, State.RETURNED], target=State.SUBMITTED, label="提交申报",
          applicant=True, window=True, conditions=[documents_attached("licence")],
          awaits=Await(what="审核申报", role=Role.COUNTY_OFFICE, at=AT_COUNTY),
          deadlines=DeadlineRule(
              days=REVIEW_DAYS, count=DayCount.WORKING, remind_before=3,
              escalate_to=Target(role=Role.COUNTY_GOVERNMENT, at=AT_COUNTY),
              what="审核", citation="样例：受理后15个工作日内审核"))
    def submit(self, *, actor, reason, now, data=None):
        self.submitted_at = now

    @step(source=State.SUBMITTED, target=State.APPROVED, label="审核通过",
          roles=[Role.COUNTY_OFFICE], input=ApproveInput, duty=Duty.REVIEW,
          awaits=Await(what="备案", role=Role.CITY_DEPARTMENT, at="city-commerce"))
    def approve(self, *, actor, reason, now, data=None):
        if data.approved_amount is not None:
            value = data.approved_amount
            if not (Decimal(0) < value <= self.amount):
                raise ValidationError(
                    {"approved_amount": f"核定金额须大于0且不超过申请金额{self.amount}万元"})
            self.approved_amount = value
        else:
            self.approved_amount = self.amount

    # Filing with a city department (备案): its staff hold their role at the department, not at
    # the city, so the step is not scoped by the tree (SCOPE_ANY): they record every county's.
    @step(source=State.APPROVED, target=State.FILED, label="备案", roles=[Role.CITY_DEPARTMENT],
          scope=SCOPE_ANY, duty=Duty.APPROVE)
    def record_filing(self, *, actor, reason, now, data=None):
        pass

    # A body that works at a fixed unit (`at=`) on every county's cases: it may open them too.
    @step(source=State.FILED, target=State.FILED, label="市级复核", roles=[Role.CITY_OFFICE],
          at="city-commerce")
    def city_review(self, *, actor, reason, now, data=None):
        pass

    @step(source=State.SUBMITTED, target=State.RETURNED, label="退回修改",
          roles=[Role.COUNTY_OFFICE], reason_required=True, duty=Duty.REVIEW,
          awaits=Await(what="按审核意见修改后重新提交", applicant=True),
          deadlines=DeadlineRule(days=10, count=DayCount.CALENDAR, remind_before=2))
    def return_for_changes(self, *, actor, reason, now, data=None):
        pass

    @step(source=State.SUBMITTED, target=State.REJECTED, label="不予批准",
          roles=[Role.COUNTY_OFFICE], reason_required=True, duty=Duty.REVIEW)
    def reject(self, *, actor, reason, now, data=None):
        pass

    @step(source=[State.DRAFT, State.SUBMITTED, State.RETURNED], target=State.WITHDRAWN,
          label="撤回申报", applicant=True)
    def withdraw(self, *, actor, reason, now, data=None):
        pass

    class Meta:
        verbose_name = "样例申报"


# ---------------------------------------------------------------- the smallest procedure
# A model, its declaration and (here) no rule: the kernel gives it its list and case pages,
# a form per step from the step's input, one API operation per step, the CLI and the inbox.


class NoticeState(models.TextChoices):
    DRAFT = "draft", "草稿"
    FILED = "filed", "已报送，待县级办公室签收"
    ACKNOWLEDGED = "acknowledged", "已签收"


class NoticeInput(StepInput):
    summary: str = Field(title="报送事项摘要", min_length=1, max_length=500)
    happened_on: dt.date = Field(title="发生日期")
    amount_yuan: Money | None = Field(None, title="涉及金额（元）")


@register
class SampleNotice(Case):
    state = state_field(NoticeState.choices, default=NoticeState.DRAFT)
    summary = models.CharField("报送事项摘要", max_length=500, blank=True)
    happened_on = models.DateField("发生日期", null=True, blank=True)

    procedure = Procedure(code="sample-notice", name="样例报送", reference_prefix="YLBS")

    @step(source=NoticeState.DRAFT, target=NoticeState.FILED, label="报送", applicant=True,
          input=NoticeInput,
          awaits=Await(what="签收报送事项", role=Role.COUNTY_OFFICE, at=AT_COUNTY))
    def file(self, *, actor, reason, now, data=None):
        self.summary, self.happened_on = data.summary, data.happened_on

    @step(source=NoticeState.FILED, target=NoticeState.ACKNOWLEDGED, label="签收",
          roles=[Role.COUNTY_OFFICE])
    def acknowledge(self, *, actor, reason, now, data=None):
        pass

    class Meta:
        verbose_name = "样例报送"
