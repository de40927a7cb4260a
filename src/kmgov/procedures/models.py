"""Rows of the procedures kernel: the abstract `Case`, and the deadlines, inbox items and
attachments that any case may have (linked by content type + id)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy, gettext_noop
from django_fsm import FSMField, FSMModelMixin

from kmgov.core.calendar import last_day_of


class Case(FSMModelMixin, models.Model):
    """One filing or application. Concrete procedures inherit it (see `declare`).

    `state` is protected: it changes only through a declared step run by `case_transition`,
    which locks the row (`select_for_update`), checks the state the caller saw, and bumps
    `version` in the same transaction as the audit entry.
    """

    reference = models.CharField("编号", max_length=40, unique=True, editable=False)
    title = models.CharField("事项名称", max_length=200, blank=True)
    org = models.ForeignKey(
        "core.OrgUnit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    state = FSMField("状态", default="draft", protected=True, db_index=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    # Indexed: every case list is newest first (`-created_at, -id`), 50 rows a page.
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    state_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    due_at = models.DateTimeField("当前环节期限", null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    @property
    def procedure_name(self) -> str:
        """What the item is: its procedure's Chinese name (总部企业认定, 报账 …)."""
        return procedure_name(self.procedure)

    def due_day(self):
        """The last day of the current step's period (due_at is 24:00 of it, Beijing time)."""
        return last_day_of(self.due_at) if self.due_at else None

    def state_label(self) -> str:
        """The state in words, in the reader's language (labels are declared in Chinese and
        marked for translation; the English is in the catalogue)."""
        from django.utils.translation import gettext

        return gettext(self.get_state_display())  # type: ignore[attr-defined]

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(type(self))

    def attachments(self):
        return Attachment.objects.filter(content_type=self.content_type, object_id=self.pk)

    def has_attachment(self, key: str) -> bool:
        return self.attachments().filter(key=key).exists()


def procedure_name(code: str) -> str:
    """A procedure's name in the reader's language (总部企业认定, 报账 …), from its code."""
    from django.utils.translation import gettext

    from .declare import registered

    model = registered().get(code)
    name = getattr(getattr(model, "procedure", None), "name", "") if model else ""
    return gettext(name) if name else gettext("办理事项")


class ReferenceCounter(models.Model):
    """The last number given to a procedure's cases in a year (reference = PREFIX-YYYY-NNNNN)."""

    procedure = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("procedure", "year")]


class CaseRef(models.Model):
    """Fields shared by rows that point at a case of any procedure."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    case_reference = models.CharField("事项编号", max_length=40, db_index=True)

    class Meta:
        abstract = True


class DeadlineKind(models.TextChoices):
    REMINDER = "reminder", gettext_noop("到期提醒")
    ESCALATION = "escalation", gettext_noop("逾期督办")


# The sweep writes a deadline, an inbox item and an audit entry for each of 100,000 due
# deadlines at a time, and every index of the three tables costs each row: the two tables keep
# no index that no query uses. The content type leads their (content_type, object_id) index, so
# it has no index of its own; no query matches a case reference by prefix, so its index has no
# varchar_pattern_ops twin (what `db_index=True` on a CharField adds on PostgreSQL).
_SWEPT_CONTENT_TYPE = dict(to=ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)


class Deadline(CaseRef):
    """A moment by which the case must have left `state`; fired once by the sweep."""

    content_type = models.ForeignKey(**_SWEPT_CONTENT_TYPE)
    case_reference = models.CharField("事项编号", max_length=40)
    kind = models.CharField("类型", max_length=16, choices=DeadlineKind.choices)
    state = models.CharField("所处状态", max_length=50)
    step = models.CharField("来自环节", max_length=64, blank=True)
    due_at = models.DateTimeField("到期时间", db_index=True)
    period_ends_at = models.DateTimeField("期限届满")
    days = models.PositiveIntegerField("期限天数")
    count = models.CharField("计算方式", max_length=16)  # DayCount
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    target_role = models.CharField(max_length=32, blank=True)
    target_org = models.ForeignKey(
        "core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    message = models.CharField("内容", max_length=300)
    citation = models.CharField("依据", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    fired_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["fired_at", "cancelled_at", "due_at"]),
            models.Index(fields=["case_reference"], name="proc_deadline_reference"),
        ]
        verbose_name = "期限"
        verbose_name_plural = "期限"


class InboxKind(models.TextChoices):
    ACTION = "action", gettext_noop("待办")
    REMINDER = "reminder", gettext_noop("到期提醒")
    ESCALATION = "escalation", gettext_noop("逾期督办")


class InboxItem(CaseRef):
    """Something awaited of a user, or of whoever holds `role` at `role_org` (or above it)."""

    content_type = models.ForeignKey(**_SWEPT_CONTENT_TYPE)  # as Deadline's
    case_reference = models.CharField("事项编号", max_length=40)
    kind = models.CharField("类型", max_length=16, choices=InboxKind.choices)
    procedure = models.CharField("办事程序", max_length=40)
    case_title = models.CharField("事项名称", max_length=200, blank=True)
    case_state = models.CharField("事项状态", max_length=50)
    org = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="事项所属单位",
    )
    user = models.ForeignKey(  # led by the user, proc_inbox_user_open serves its look-ups
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )
    role = models.CharField(max_length=32, blank=True)
    role_org = models.ForeignKey(
        "core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    what = models.CharField("待办事项", max_length=300)
    due_at = models.DateTimeField("期限", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The inbox: open items of a role (at units under the reader's), soonest due first;
            # and those addressed to one user.
            models.Index(fields=["role", "role_org", "done_at", "due_at"],
                         name="proc_inbox_role_open"),
            models.Index(fields=["user", "done_at", "due_at"], name="proc_inbox_user_open"),
            models.Index(fields=["case_reference"], name="proc_inbox_reference"),
        ]
        verbose_name = "待办"
        verbose_name_plural = "待办"

    @property
    def procedure_name(self) -> str:
        """The 类型 column of the inbox: which procedure the item belongs to."""
        return procedure_name(self.procedure)

    def due_day(self):
        """The last day of the period (due_at is the end of that day, 24:00 Beijing time)."""
        return last_day_of(self.due_at) if self.due_at else None

    def link(self) -> str:
        """The page of what is awaited: the case, or for a scheduled filing not yet filed (a
        `FilingSlot`), the obligation's list for that period."""
        from django.urls import reverse

        if self.content_type_id == ContentType.objects.get_for_model(FilingSlot).pk:
            rest = self.case_reference.removeprefix(f"{self.procedure}-")  # <period>-<pk>
            period = rest.rsplit("-", 1)[0]
            return reverse("procedures:filings", args=[self.procedure]) + f"?period={period}"
        return reverse("procedures:case", args=[self.procedure, self.case_reference])

    def assignee_label(self) -> str:
        if self.user_id:
            return self.user.first_name or self.user.username
        from kmgov.core.models import Role

        return f"{self.role_org} · {Role(self.role).label}" if self.role else ""


class Attachment(CaseRef):
    """A document of a case's checklist. Its type is what its bytes are, not its name."""

    key = models.CharField("材料项", max_length=64)
    file = models.FileField(upload_to="procedures/", max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    mime_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "附件"
        verbose_name_plural = "附件"


from .decisions import DecisionRecord  # noqa: E402,F401 — decisions kept by steps (decisions.py)


class FilingCase(Case):
    """A case that is a scheduled filing (see `filings.Obligation`): which obligation and
    period it files. Started by `filing_services.filing_start`, which checks the unit owes it."""

    obligation = models.CharField("报送事项", max_length=32, db_index=True)
    period = models.CharField("报送期间", max_length=10, db_index=True)

    class Meta:
        abstract = True


class FilingSlot(models.Model):
    """What one unit owes for one period of one obligation (the register of scheduled filings):
    its window, whom it goes to, the case that filed it, and the sweep's reminder/escalation."""

    obligation = models.CharField("报送事项", max_length=32)
    period = models.CharField("报送期间", max_length=10)
    org = models.ForeignKey("core.OrgUnit", verbose_name="报送单位", on_delete=models.PROTECT,
                            related_name="+")
    window_opens = models.DateField("申报期开始")
    window_closes = models.DateField("申报期届满")
    due_at = models.DateTimeField("届满时刻")  # 24:00 of window_closes, Beijing time
    remind_at = models.DateTimeField("提醒时刻", null=True, blank=True)
    receiver_role = models.CharField("接收角色", max_length=32)
    receiver_org = models.ForeignKey("core.OrgUnit", verbose_name="接收单位",
                                     on_delete=models.PROTECT, related_name="+")
    # The filing case (any procedure), once started; `filed_at` once its filing step is taken.
    content_type = models.ForeignKey(ContentType, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    case = GenericForeignKey("content_type", "object_id")
    case_reference = models.CharField("报送事项编号", max_length=40, blank=True)
    filed_at = models.DateTimeField("报送时间", null=True, blank=True)
    late = models.BooleanField("逾期报送", default=False)
    reminded_at = models.DateTimeField("已提醒", null=True, blank=True)
    escalated_at = models.DateTimeField("已督办", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["obligation", "period", "org__path"]
        constraints = [models.UniqueConstraint(fields=["obligation", "period", "org"],
                                               name="proc_filing_slot_unique")]
        indexes = [
            models.Index(fields=["obligation", "period", "filed_at"], name="proc_slot_status"),
            # The sweep: unfiled slots whose reminder or escalation is due.
            models.Index(fields=["filed_at", "reminded_at", "remind_at"], name="proc_slot_remind"),
            models.Index(fields=["filed_at", "escalated_at", "due_at"], name="proc_slot_escalate"),
            models.Index(fields=["content_type", "object_id"], name="proc_slot_case"),
        ]
        verbose_name = "定期报送登记"
        verbose_name_plural = "定期报送登记"

    def __str__(self) -> str:
        return f"{self.obligation} {self.period} {self.org_id}"

    @property
    def reference(self) -> str:
        """How inbox items and audit entries name the slot (≤ 40 characters)."""
        return f"{self.obligation}-{self.period}-{self.pk}"[:40]

    def status(self) -> str:
        if self.filed_at:
            return "late" if self.late else "filed"
        return "overdue" if self.escalated_at else "open"

    def status_label(self) -> str:
        """The status in words, in the reader's language."""
        from django.utils.translation import gettext

        labels = {"filed": gettext_noop("已报送"), "late": gettext_noop("逾期报送"),
                  "open": gettext_noop("未报送"), "overdue": gettext_noop("逾期未报送")}
        return gettext(labels[self.status()])


from .ledger import Budget, Payment  # noqa: E402,F401 — the kernel's money rows (ledger.py)


class Notification(models.Model):
    """One message sent to several people (a warning, an escalation): `procedures.notify`."""

    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    # Who sent it, and about what: a module's own name and reference, so the kernel names none.
    source = models.CharField(max_length=40, db_index=True)
    ref = models.CharField(max_length=64, blank=True)
    org = models.ForeignKey("core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Delivery(models.Model):
    """One message to one person through one channel, with its status and acknowledgement."""

    class Channel(models.TextChoices):
        INBOX = "inbox", "站内消息"
        EMAIL = "email", "电子邮件"
        SMS = "sms", "短信"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    recipient_name = models.CharField("接收人", max_length=100)
    recipient_role = models.CharField("身份", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)  # phone, e-mail, or empty
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    acknowledged_at = models.DateTimeField("确认收到时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    ack_note = models.CharField("确认方式", max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user", "acknowledged_at"])]


class NotificationPreference(models.Model):
    """Which channels a person wants the outbox to use (`procedures.notify`): without a row,
    every channel the sender knows an address for. The addresses here are used when the
    sender gives none (an official's reminder reaches the e-mail and mobile set here)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    inbox = models.BooleanField("站内消息", default=True)
    email = models.BooleanField("电子邮件", default=True)
    sms = models.BooleanField("短信", default=True)
    email_address = models.EmailField("接收邮件的地址", blank=True)
    phone = models.CharField("接收短信的手机号", max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def wants(self, channel: str) -> bool:
        return bool(getattr(self, channel, True))


class ImportJob(models.Model):
    """A file import run in the background (issue 15 item 5), whatever module it is for: the
    module's `Importer` (kmgov.procedures.imports, declared in its `contributions.importers`)
    checks every row, then writes in one transaction. The job keeps the file, who asked, whose
    data it writes (`org`: officials whose scope contains it may follow it too), how far the
    check has got, and the outcome (a summary, or the errors row by row)."""

    class State(models.TextChoices):
        QUEUED = "queued", gettext_lazy("排队中")
        RUNNING = "running", gettext_lazy("核对中")
        DONE = "done", gettext_lazy("已导入")
        FAILED = "failed", gettext_lazy("未导入")

    kind = models.CharField("导入类型", max_length=64)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name="提交人")
    org = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+",
                            verbose_name="所属单位")
    params = models.JSONField("导入参数", default=dict, blank=True)
    file = models.FileField("导入文件", upload_to="imports/")
    filename = models.CharField("原文件名", max_length=255, blank=True)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField("已核对行数", default=0)
    total = models.PositiveIntegerField("总行数", default=0)
    errors = models.JSONField("错误（逐行）", default=list, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台导入"
        verbose_name_plural = "后台导入"
        ordering = ["-id"]
        indexes = [models.Index(fields=["owner", "created_at"], name="proc_importjob_owner")]

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
