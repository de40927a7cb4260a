"""The 96128 service desk (昆政办〔2010〕116号, SPEC §12 HL-1..HL-6).

Tickets come in on three channels (三(四) "电话、网络、政务服务中心（窗口）三位一体"); the
knowledge base holds the answers departments authorised for a period (the "FAQ 授权事项表",
三(四)1); routing, access platforms and reply deadlines are data an administrator edits.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from kmgov.core.models import OrgUnit


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    WEB = "web", "网络"
    WINDOW = "window", "服务中心窗口"


class RequestType(models.TextChoices):
    QUERY = "query", "查询咨询"
    APPROVAL = "approval", "行政审批"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    OTHER = "other", "其他"


class TicketStatus(models.TextChoices):
    QUEUED = "queued", "非工作时间录音，待处理"
    OPEN = "open", "待处理"
    ANSWERED = "answered", "已直接答复"
    TRANSFERRED = "transferred", "已转办，待回复"
    REPLIED = "replied", "部门已回复，待回访"
    CLOSED = "closed", "已办结"


OPEN_STATUSES = (TicketStatus.QUEUED, TicketStatus.OPEN, TicketStatus.TRANSFERRED,
                 TicketStatus.REPLIED)


class Topic(models.Model):
    """What a call is about; each gazette document names the department that leads it."""

    code = models.SlugField(max_length=48, unique=True)
    name = models.CharField("主题", max_length=64)
    docno = models.CharField("公报文号", max_length=64, blank=True)
    lead_org = models.ForeignKey(OrgUnit, verbose_name="牵头部门", on_delete=models.PROTECT,
                                 related_name="hotline_topics")
    citation = models.CharField("依据", max_length=128, blank=True)
    keywords = models.JSONField("关键词", default=list, blank=True)
    group = models.CharField("类别", max_length=32, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "主题"
        verbose_name_plural = "主题"

    def __str__(self) -> str:
        return self.name


class AccessPlatform(models.Model):
    """A department's access platform (116号 三(一)): type 1 has a 123xx line, type 2 a unified
    service line or centre, type 3 neither (the liaison takes the transfers)."""

    TYPES = [(1, "第一类：有123开头电话"), (2, "第二类：有统一服务电话或中心（窗口）"),
             (3, "第三类：联络员")]
    org = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="hotline_platform")
    platform_type = models.PositiveSmallIntegerField("平台类别", choices=TYPES, default=3)
    phone = models.CharField("接入电话", max_length=32, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    liaison_name = models.CharField("联络员", max_length=32, blank=True)
    liaison_phone = models.CharField("联络员电话", max_length=32, blank=True)

    class Meta:
        verbose_name = "部门接入平台"
        verbose_name_plural = "部门接入平台"

    def __str__(self) -> str:
        return f"{self.org} · {self.get_platform_type_display()}"


class RoutingRule(models.Model):
    """One line of the routing table (116号 三(四)1–4). First matching rule (by `order`) wins."""

    class Action(models.TextChoices):
        ANSWER = "answer", "话务平台直接答复"
        ORG = "org", "转指定单位"
        TOPIC_DEPARTMENT = "topic_department", "转主题牵头部门的接入平台或联络员"

    order = models.PositiveSmallIntegerField(default=100)
    request_type = models.CharField("诉求类型", max_length=16, choices=RequestType.choices)
    needs_answer = models.BooleanField("仅当知识库有授权答案", default=False)
    action = models.CharField(max_length=24, choices=Action.choices)
    target_org = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    citation = models.CharField("依据", max_length=128)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "分流规则"
        verbose_name_plural = "分流规则"

    def __str__(self) -> str:
        return f"{self.get_request_type_display()} → {self.get_action_display()}"


class ReplyDeadline(models.Model):
    """Working days a department has to reply, per request type: an interpretation parameter
    (the gazette sets none; see docs/interpretations.md "## Hotline")."""

    request_type = models.CharField(max_length=16, choices=RequestType.choices, unique=True)
    working_days = models.PositiveSmallIntegerField()
    remind_days_before = models.PositiveSmallIntegerField(default=1)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "回复时限"
        verbose_name_plural = "回复时限"


class Synonym(models.Model):
    """Words citizens use for the same thing (补贴/补助, 写字楼/商务楼宇): one group per row."""

    words = models.JSONField(default=list)
    note = models.CharField(max_length=128, blank=True)

    class Meta:
        verbose_name = "同义词组"
        verbose_name_plural = "同义词组"


class EntryStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    WITHDRAWN = "withdrawn", "已撤回"


class KbEntry(models.Model):
    """One line of a department's FAQ authorisation table: question, answer, valid from/to,
    who authorised it. Answered only while active and inside its period."""

    key = models.SlugField(max_length=64, unique=True)
    org = models.ForeignKey(OrgUnit, verbose_name="授权部门", on_delete=models.PROTECT,
                            related_name="hotline_entries")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="entries")
    kind = models.CharField(max_length=16, default="policy",
                            choices=[("policy", "政策"), ("utility", "公共服务信息"),
                                     ("faq", "常见问题")])
    question = models.CharField("问题", max_length=255)
    answer = models.TextField("答案")
    keywords = models.CharField("检索词", max_length=255, blank=True)
    docno = models.CharField("公报文号", max_length=64, blank=True)
    node_path = models.CharField("条款", max_length=128, blank=True)
    rule_id = models.CharField("计算规则", max_length=64, blank=True)
    valid_from = models.DateField("授权起")
    valid_to = models.DateField("授权止", null=True, blank=True)
    authorised_by = models.CharField("授权人", max_length=64)
    status = models.CharField(max_length=16, choices=EntryStatus.choices,
                              default=EntryStatus.ACTIVE)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["org__path", "key"]
        verbose_name = "知识库条目"
        verbose_name_plural = "知识库条目"

    def __str__(self) -> str:
        return self.question

    @property
    def citation(self) -> str:
        return f"{self.docno} {self.node_path}".strip()

    @property
    def citation_url(self) -> str:
        if not self.docno:
            return ""
        from urllib.parse import quote

        url = f"/gazette/doc/{quote(self.docno)}/"
        if self.node_path:
            url += f"node/?path={quote(self.node_path)}"
        return url

    @property
    def rule_url(self) -> str:
        return f"/rules/{self.rule_id}/" if self.rule_id else ""

    def is_answerable(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (self.status == EntryStatus.ACTIVE and self.valid_from <= on
                and (self.valid_to is None or on <= self.valid_to))


class Ticket(models.Model):
    number = models.CharField("工单号", max_length=24, unique=True)
    check_code = models.CharField("查询码", max_length=8)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    request_type = models.CharField("诉求类型", max_length=16, choices=RequestType.choices)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="tickets")
    caller_name = models.CharField("来电人", max_length=64, blank=True)
    caller_phone = models.CharField("联系电话", max_length=32, blank=True)
    caller_email = models.CharField("电子邮箱", max_length=128, blank=True)
    text = models.TextField("内容")
    received_at = models.DateTimeField("受理时间", default=timezone.now, db_index=True)
    after_hours = models.BooleanField("非工作时间来电", default=False)
    handle_from = models.DateTimeField("应处理起始", null=True, blank=True)
    status = models.CharField(max_length=16, choices=TicketStatus.choices, db_index=True)
    assigned_org = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="hotline_tickets")
    answer_entry = models.ForeignKey(KbEntry, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="tickets")
    answer_text = models.TextField(blank=True)
    transferred_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField("回复期限", null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_on_time = models.BooleanField(null=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    api_key = models.ForeignKey("Open311Key", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="tickets")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["source_ip", "received_at"])]
        verbose_name = "工单"
        verbose_name_plural = "工单"

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=128, blank=True)
    size = models.PositiveIntegerField()
    data = models.BinaryField()


class TicketEvent(models.Model):
    """The ticket's whole history: every transfer, reply, reminder and call-back, in order."""

    class Kind(models.TextChoices):
        CREATED = "created", "受理"
        QUEUED = "queued", "非工作时间录音"
        ANSWERED = "answered", "直接答复"
        TRANSFERRED = "transferred", "转办"
        REPLIED = "replied", "部门回复"
        REMINDED = "reminded", "催办"
        ESCALATED = "escalated", "超期督办"
        CLOSED = "closed", "回访办结"
        NOTE = "note", "备注"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_org = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    to_org = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    method = models.CharField(max_length=16, blank=True)
    text = models.TextField(blank=True)
    citation = models.CharField(max_length=128, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Open311Key(models.Model):
    """An api_key for POST service requests (GeoReport v2)."""

    key = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Open311 密钥"
        verbose_name_plural = "Open311 密钥"
