"""The 96128 service desk (昆政办〔2010〕116号, SPEC §12 HL-1..HL-6).

Tickets come in on three channels (三(四) "电话、网络、政务服务中心（窗口）三位一体"); the
knowledge base holds the answers departments authorised for a period (the "FAQ 授权事项表",
三(四)1). A ticket is a case of the procedures kernel (`Ticket`, procedure "hotline"): its
routing is the rule `hotline.route`, its reply periods are interpretation parameters of
116号 (`hotline.reply_working_days.*`), its attachments and deadlines are the kernel's.
"""

import contextlib
import functools
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from kmgov.core.calendar import DayCount
from kmgov.core.models import OrgUnit, Role
from kmgov.procedures.declare import (
    AT_ORG,
    SCOPE_ANY,
    Await,
    DeadlineRule,
    Duty,
    Procedure,
    Target,
    register,
    state_field,
    step,
)
from kmgov.procedures.models import Case

from .inputs import (
    AnswerInput,
    CallBackInput,
    DispatchInput,
    ExtendInput,
    FinishInput,
    MergeInput,
    RefuseInput,
    ReplyInput,
    ResumeInput,
    RouteInput,
    SuspendInput,
    TransferInput,
)


class Channel(models.TextChoices):
    PHONE = "phone", gettext_noop("电话")
    WEB = "web", gettext_noop("网络")
    WINDOW = "window", gettext_noop("服务中心窗口")


class RequestType(models.TextChoices):
    QUERY = "query", gettext_noop("查询咨询")
    APPROVAL = "approval", gettext_noop("行政审批")
    COMPLAINT = "complaint", gettext_noop("投诉")
    REPORT = "report", gettext_noop("举报")
    SUGGESTION = "suggestion", gettext_noop("建议")
    # 116号 三(四)4 "专业性较强的咨询服务": the rule `hotline.route` knows it; the desk does too.
    CONSULTATION = "consultation", gettext_noop("专业咨询")
    OTHER = "other", gettext_noop("其他")


class TicketStatus(models.TextChoices):
    QUEUED = "queued", gettext_noop("待受理")
    OPEN = "open", gettext_noop("待处理")
    ANSWERED = "answered", gettext_noop("已直接答复")
    TRANSFERRED = "transferred", gettext_noop("已转办，待回复")
    REPLIED = "replied", gettext_noop("部门已回复，待回访")
    CLOSED = "closed", gettext_noop("已办结")
    # A unit's refusal of a dispatch (退单), waiting for the desk to review and re-dispatch.
    RETURNED = "returned", gettext_noop("承办单位退单，待审核")
    # Paused while waiting for the caller (挂起): the reply period stops and resumes.
    SUSPENDED = "suspended", gettext_noop("挂起，待来电人补充")


OPEN_STATUSES = (TicketStatus.QUEUED, TicketStatus.OPEN, TicketStatus.TRANSFERRED,
                 TicketStatus.REPLIED, TicketStatus.RETURNED, TicketStatus.SUSPENDED)

#: The call-back's five-level rating (回访满意度), stored 5 … 1.
SATISFACTION_LEVELS = {5: gettext_noop("非常满意"), 4: gettext_noop("满意"),
                       3: gettext_noop("基本满意"), 2: gettext_noop("不满意"),
                       1: gettext_noop("非常不满意")}
#: Ratings that send the case back to the unit that handled it.
DISSATISFIED = (1, 2)
DONE_STATUSES = (TicketStatus.ANSWERED, TicketStatus.CLOSED)

#: The desk's own unit: tickets belong to it until they are transferred to a department.
DESK_ORG = "city-mayors-hotline"
#: 116号 五(三): 市政府目督办 (in 市政府办公厅) counts the departments' replies.
ESCALATION_ORG = "city-general-office"
DESK_ROLES = (Role.HOTLINE_OPERATOR, Role.ADMINISTRATOR)
DEPARTMENT_ROLES = (Role.DEPARTMENT_LIAISON, Role.CITY_DEPARTMENT, Role.COUNTY_DEPARTMENT)

# Separation of duties (declare.Duty). The desk's routine steps — intake, answers from the
# knowledge base, transfers, call-backs, pauses — decide nothing about anyone's request (the
# operator who recorded a call goes on handling it). Two steps do decide on a unit's request:
# the review of a 退单 (the desk re-dispatches, transfers, merges or closes a returned ticket)
# not by the one who refused the dispatch, and the approval of an extension not by the one
# who asked for it (116号 三(四)4, 五(三)).
DESK_ROUTINE = "话务台的日常办理，不对承办单位的申请作出决定"
UNIT_ROUTINE = "承办单位办理、答复或提出申请，由话务台审核"
REFUSAL_REVIEW = {"duty": Duty.REVIEW, "duty_from": (TicketStatus.RETURNED,), "apart_from": ("refuse",),
                  "stage": "refusal-review"}


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


class Synonym(models.Model):
    """Words citizens use for the same thing (补贴/补助, 写字楼/商务楼宇): one group per row."""

    words = models.JSONField(default=list)
    note = models.CharField(max_length=128, blank=True)

    class Meta:
        verbose_name = "同义词组"
        verbose_name_plural = "同义词组"


class EntryStatus(models.TextChoices):
    ACTIVE = "active", gettext_noop("有效")
    WITHDRAWN = "withdrawn", gettext_noop("已撤回")
    DRAFT = "draft", gettext_noop("待部门审批（未发布）")
    EXPIRED = "expired", gettext_noop("已过期")


@functools.lru_cache(maxsize=4096)
def citation_url(docno: str, node_path: str = "") -> str:
    """The gazette page an entry or a node cites (its document, or the node in it). Kept per
    process: the desk links the same few hundred provisions in every answer."""
    if not docno:
        return ""
    url = f"/gazette/doc/{quote(docno)}/"
    if node_path:
        url += f"node/?path={quote(node_path)}"
    return url


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
    version = models.PositiveIntegerField(default=1)  # the approved version served (0: none yet)
    updated_at = models.DateTimeField(auto_now=True)
    # the end of validity a reminder was sent for (once per validity end; a new approved
    # version with another end date is reminded again)
    expiry_reminded_for = models.DateField("已提醒的授权止日", null=True, blank=True)

    #: what a version holds: every edit is a new version of these (KbEntryVersion)
    CONTENT_FIELDS = ("question", "answer", "keywords", "docno", "node_path", "rule_id",
                      "valid_from", "valid_to", "authorised_by", "topic", "kind")

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
        return citation_url(self.docno, self.node_path)

    @property
    def rule_url(self) -> str:
        return f"/rules/{self.rule_id}/" if self.rule_id else ""

    def is_answerable(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (self.status == EntryStatus.ACTIVE and self.valid_from <= on
                and (self.valid_to is None or on <= self.valid_to))


class VersionStatus(models.TextChoices):
    PENDING = "pending", gettext_noop("待部门审批")
    APPROVED = "approved", gettext_noop("现行版本")
    SUPERSEDED = "superseded", gettext_noop("已被新版本取代")
    REJECTED = "rejected", gettext_noop("已退回")


class KbEntryVersion(models.Model):
    """One version of a knowledge-base entry: drafted by staff, approved (or sent back) by a
    liaison or official of the entry's department who did not draft it. The entry itself
    holds the approved current version, the only one the public is answered with; every
    edit is a new version here, so the history is complete (116号 三(四)1, 三(五))."""

    entry = models.ForeignKey(KbEntry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    status = models.CharField("状态", max_length=16, choices=VersionStatus.choices,
                              default=VersionStatus.PENDING)
    question = models.CharField("问题", max_length=255)
    answer = models.TextField("答案")
    keywords = models.CharField("检索词", max_length=255, blank=True)
    docno = models.CharField("公报文号", max_length=64, blank=True)
    node_path = models.CharField("条款", max_length=128, blank=True)
    rule_id = models.CharField("计算规则", max_length=64, blank=True)
    valid_from = models.DateField("授权起")
    valid_to = models.DateField("授权止", null=True, blank=True)
    authorised_by = models.CharField("授权人", max_length=64, blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    kind = models.CharField(max_length=16, default="policy")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    note = models.CharField("修改说明", max_length=255, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=255, blank=True)

    class Meta:
        ordering = ["entry", "-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"],
                                               name="hotline_kbversion_unique_number")]
        verbose_name = "知识库条目版本"
        verbose_name_plural = "知识库条目版本"

    def __str__(self) -> str:
        return f"{self.entry.key} v{self.number}"


def _reply_days(case, on):
    """The reply period: by request type, or what is left of it (after a pause) or granted
    (an approved extension), set on the ticket by the step that restarts the clock."""
    from .routing import reply_days

    if case.period_days is not None:
        return case.period_days
    return reply_days(case.request_type, on)


def _remind_days(case, on):
    from .routing import remind_days

    return remind_days(on)


# The department's reply period (116号 三(二) "部门办理完毕后应以电话、邮件等形式简单回复工作组"),
# in working days by request type: interpretation parameters read when the ticket is
# transferred (`hotline.reply_working_days.<type>`, `hotline.reply_remind_days`). Overdue
# replies are escalated to 市政府办公厅, whose 目督办 counts them in the assessment (五(三)).
REPLY_PERIOD = DeadlineRule(
    days=_reply_days, count=DayCount.WORKING, remind_before=_remind_days,
    escalate_to=Target(Role.CITY_OFFICE, ESCALATION_ORG), what="回复96128工单",
    citation="昆政办〔2010〕116号 五(三)")
AWAIT_REPLY = Await(what="办理并回复96128工单（电话或邮件）", role=Role.DEPARTMENT_LIAISON, at=AT_ORG)
AWAIT_DESK = Await(what="96128工单：受理、答复或转办", role=Role.HOTLINE_OPERATOR, at=DESK_ORG)
AWAIT_CALLBACK = Await(what="96128工单：回访来电人并办结", role=Role.HOTLINE_OPERATOR, at=DESK_ORG)
AWAIT_RATING = Await(what="96128工单：办结后回访来电人，记录满意度", role=Role.HOTLINE_OPERATOR,
                     at=DESK_ORG)
AWAIT_REVIEW = Await(what="96128工单：审核承办单位退单并改派", role=Role.HOTLINE_OPERATOR,
                     at=DESK_ORG)
AWAIT_CALLER = Await(what="96128工单：等待来电人补充后恢复办理", role=Role.HOTLINE_OPERATOR,
                     at=DESK_ORG)
AWAIT_UNIT_CALLER = Await(what="96128工单：等待来电人补充后由主办单位恢复办理",
                          role=Role.DEPARTMENT_LIAISON, at=AT_ORG)
DESK_CITE = "昆政办〔2010〕116号"
# Call-back after closing, in working days (interpretation parameter; the gazette sets none).
CALLBACK_PERIOD = DeadlineRule(
    days="hotline.callback_working_days", count=DayCount.WORKING, what="办结后回访来电人",
    citation="昆政办〔2010〕116号 五(三)")


@register
class Ticket(Case):
    """A 96128 ticket: a case of the procedures kernel (`procedure` code "hotline").

    States: queued (recorded, not yet taken up: after hours it waits for the next working
    hours, 116号 三(二)) → open (at the desk) → answered (by the desk from the knowledge base,
    三(四)1) or transferred (to a department, 三(四)2–4, reply period running) → replied
    (the department answered the desk) → closed (after the call-back). Each change is a
    declared step below, taken through `kmgov.procedures.services.case_transition`; the
    desk's services and pages call them, and each is also `POST
    /api/v1/cases/hotline/{reference}/steps/{step}`.
    """

    state = state_field(TicketStatus.choices, default=TicketStatus.QUEUED)
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
    assigned_org = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="hotline_tickets")
    answer_entry = models.ForeignKey(KbEntry, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="tickets")
    answer_text = models.TextField("答复内容", blank=True)
    transferred_at = models.DateTimeField("转办时间", null=True, blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    reply_due_at = models.DateTimeField("回复期限（已回复工单）", null=True, blank=True)
    reply_on_time = models.BooleanField("按时回复", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    source_ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    api_key = models.ForeignKey("Open311Key", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="tickets")
    # The lifecycle beyond transfer and reply (dispatch, refusal, merge, pause, extension).
    supporting_orgs = models.ManyToManyField(OrgUnit, blank=True, related_name="hotline_supporting",
                                             verbose_name="协办单位")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="duplicates", verbose_name="并入工单")
    result = models.TextField("办结结果", blank=True)
    #: The next reply period in working days when it is not the request type's (what was
    #: left when paused, or the remainder plus an approved extension); cleared on transfer.
    period_days = models.PositiveSmallIntegerField("剩余办理期限（工作日）", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("申请延期（工作日）", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)

    #: Kept for rate limiting and abuse handling, never shown on a case page.
    PAGE_HIDDEN_FIELDS = ("source_ip",)

    procedure = Procedure(
        code="hotline", name=gettext_noop("96128工单"), reference_prefix="RX",
        checklist={"attachment": "来件附件", "reply": "承办单位回复附件"},
        editable_states=(TicketStatus.QUEUED, TicketStatus.OPEN),
        # the lead unit's reply documents, added with its reply; the caller gets only those
        # the unit marks for the caller, through the follow-up page (docs/interpretations.md)
        attachment_states={"reply": (TicketStatus.TRANSFERRED,)},
        internal_attachments=("reply",),
        attachment_max_bytes=2 * 1024 * 1024, initial_awaits=AWAIT_DESK,
        citation="昆政办〔2010〕116号 三",
        action_labels={"extension_request": "申请延期", "extension_refuse": "不同意延期"},
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["source_ip", "received_at"])]
        verbose_name = "工单"
        verbose_name_plural = "工单"

    def __str__(self) -> str:
        return self.number

    # The desk's name for the state (JSON `status`, pages, Open311).
    @property
    def status(self) -> str:
        return self.state

    def get_status_display(self) -> str:
        return self.get_state_display()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATUSES

    def _event(self, kind, *, actor, now, **kw) -> "TicketEvent":
        from .routing import person

        return event_write(TicketEvent(ticket=self, kind=kind, at=now, actor=person(actor), **kw))

    # --- steps ------------------------------------------------------------------------------

    @step(source=TicketStatus.QUEUED, target=TicketStatus.OPEN, label=gettext_noop("受理"),
          roles=DESK_ROLES, scope=SCOPE_ANY, awaits=AWAIT_DESK,
          help="话务员接手处理（非工作时间录音的工单在工作时间内及时整理）",
          citation="昆政办〔2010〕116号 三(二)",
          routine=DESK_ROUTINE)
    def intake(self, *, actor, reason, now, data=None):
        from .routing import person

        if person(actor) is not None:
            self.operator = actor
        if self.after_hours:
            self._event(TicketEvent.Kind.NOTE, actor=actor, now=now, text="话务员接手处理")

    @step(source=[TicketStatus.QUEUED, TicketStatus.OPEN], target=TicketStatus.ANSWERED,
          label=gettext_noop("直接答复"), roles=DESK_ROLES, scope=SCOPE_ANY, input=AnswerInput,
          awaits=AWAIT_CALLBACK,
          help="以部门授权、在授权期内的知识库答案直接答复", citation="昆政办〔2010〕116号 三(四)1",
          routine=DESK_ROUTINE)
    def answer(self, *, actor, reason, now, data):
        from kmgov.core import calendar

        entry = getattr(self, "_kmgov_entry", None)  # the routing's pick, read in this step's
        if entry is None or entry.pk != data.entry_id:  # transaction (services._route)
            entry = KbEntry.objects.filter(pk=data.entry_id).first()
        if entry is None:
            raise ValidationError({"entry_id": ["没有该知识库条目"]})
        if not entry.is_answerable(calendar.local(now).date()):
            raise ValidationError({"entry_id": ["该知识库条目不在授权有效期内或已撤回，不能作答"]})
        from . import notices

        self.answer_entry = entry
        # The operator may edit the prefilled answer; the entry stays its source.
        self.answer_text = (data.text or "").strip() or entry.answer
        # Not an edit: the entry's text, or the sentence the ticket's own facts compute before
        # it (what the console prefills and what is stored when nothing is typed).
        from .compute import entry_answer
        from .inputs import MAX_TEXT
        from .kb import clean_text

        def same(text):  # a browser sends a textarea's line breaks as CRLF
            return clean_text(text or "").replace("\r\n", "\n")

        as_prefilled = {same(entry.answer), same(entry_answer(entry, self.text)[:MAX_TEXT])}
        self.closed_at = now
        self._event(TicketEvent.Kind.ANSWERED, actor=actor, now=now,
                    citation=f"{DESK_CITE} 三(四)1", text=self.answer_text,
                    extra={"entry": entry.key, "entry_version": entry.version,
                           "authorised_by": entry.authorised_by,
                           "edited": same(self.answer_text) not in as_prefilled})
        notices.answered(self, actor=actor, now=now)

    @step(source=[TicketStatus.QUEUED, TicketStatus.OPEN], target=TicketStatus.TRANSFERRED,
          label=gettext_noop("按分流规则转办"), roles=DESK_ROLES, scope=SCOPE_ANY, input=RouteInput,
          awaits=AWAIT_REPLY, deadlines=REPLY_PERIOD,
          help="按分流规则（三(四)）的判定转至承办单位", citation="昆政办〔2010〕116号 三(四)",
          routine=DESK_ROUTINE)
    def route(self, *, actor, reason, now, data):
        from .routing import route_decision

        d = getattr(self, "_kmgov_route", None)  # decided just now by services._route, on
        if d is None or d.at != now:  # this instance in this transaction
            d = route_decision(self, now=now)
        if d.destination == "answer_directly":
            raise ValidationError({"__all__": [
                "按分流规则，该诉求由话务平台直接答复（三(四)1），请选择答案条目"]})
        if d.org is None:
            raise ValidationError({"__all__": [
                "按分流规则应转工单主题的牵头部门，但未能判断主题：请选择主题或指定转办单位"]})
        self._transfer(d.org, actor=actor, now=now, citation=d.citation,
                       note=(data.note if data else "") or d.note,
                       extra={"rule": "hotline.route", "destination": d.destination})

    @step(source=[TicketStatus.QUEUED, TicketStatus.OPEN, TicketStatus.TRANSFERRED,
                  TicketStatus.REPLIED, TicketStatus.RETURNED], target=TicketStatus.TRANSFERRED,
          label=gettext_noop("转办"),
          roles=DESK_ROLES, scope=SCOPE_ANY, input=TransferInput, awaits=AWAIT_REPLY,
          deadlines=REPLY_PERIOD,
          help="话务员指定承办单位（接入平台或联络员）；回复期限重新起算",
          citation="昆政办〔2010〕116号 三(四)4",
          **REFUSAL_REVIEW)
    def transfer(self, *, actor, reason, now, data):
        org = OrgUnit.objects.filter(code=data.to_org).first()
        if org is None:
            raise ValidationError({"to_org": ["没有该单位"]})
        self._transfer(org, actor=actor, now=now, citation="", note=data.note)

    def _transfer(self, to_org, *, actor, now, citation, note, extra=None):
        from . import kb
        from .routing import reply_due_preview

        platform = AccessPlatform.objects.filter(org=to_org).first()
        prev_org = self.assigned_org
        self.assigned_org = to_org
        self.org = to_org  # the case belongs to the department now: its staff reach it
        self.transferred_at = now
        self.replied_at = self.reply_due_at = None
        self.reply_on_time = None
        self.period_days = self.extension_days = None
        self.extension_reason = ""
        due = reply_due_preview(self, now)
        self._event(TicketEvent.Kind.TRANSFERRED, actor=actor, now=now, from_org=prev_org,
                    to_org=to_org, citation=citation, text=kb.clean_text(note or ""),
                    extra={"platform_type": platform.platform_type if platform else 3,
                           "contact": (platform.phone or platform.liaison_phone)
                           if platform else "",
                           "due_at": due.isoformat() if due else None, **(extra or {})})

    @step(source=TicketStatus.TRANSFERRED, target=TicketStatus.REPLIED, label=gettext_noop("部门回复"),
          roles=DEPARTMENT_ROLES + (Role.ADMINISTRATOR,), input=ReplyInput,
          awaits=AWAIT_CALLBACK,
          help="承办部门以电话或邮件简单回复工作组", citation="昆政办〔2010〕116号 三(二)",
          routine=UNIT_ROUTINE)
    def reply(self, *, actor, reason, now, data):
        self.replied_at = now
        self.reply_due_at = self.due_at
        self.reply_on_time = self.due_at is None or now <= self.due_at
        self.answer_text = data.text
        self._event(TicketEvent.Kind.REPLIED, actor=actor, now=now, from_org=self.assigned_org,
                    method=data.method, text=data.text, extra={"on_time": self.reply_on_time})

    @step(source=[TicketStatus.REPLIED, TicketStatus.ANSWERED, TicketStatus.CLOSED],
          target=TicketStatus.CLOSED,
          label=gettext_noop("回访"), roles=DESK_ROLES, scope=SCOPE_ANY, input=CallBackInput,
          help="把答复告知来电人并记录满意度（非常满意、满意、基本满意、不满意、非常不满意）；"
               "不满意、非常不满意的退回承办单位重新办理",
          citation="昆政办〔2010〕116号 五(三)",
          routine=DESK_ROUTINE)
    def call_back(self, *, actor, reason, now, data):
        from . import kb

        if self.state == TicketStatus.CLOSED and self.satisfaction is not None:
            raise ValidationError({"satisfaction": ["该工单已回访"]})
        if self.state == TicketStatus.CLOSED and self.merged_into_id:
            raise ValidationError({"satisfaction": ["并单工单随主工单回访"]})
        self.satisfaction = data.satisfaction
        was_closed = self.state == TicketStatus.CLOSED
        self.closed_at = self.closed_at if was_closed else now
        self._event(TicketEvent.Kind.CALLED_BACK if was_closed else TicketEvent.Kind.CLOSED,
                    actor=actor, now=now, text=kb.clean_text(data.note or ""),
                    extra={"satisfaction": data.satisfaction,
                           "rating": SATISFACTION_LEVELS.get(data.satisfaction)})

    # --- the lifecycle of the national hotline guidelines ------------------------------------

    @step(source=[TicketStatus.QUEUED, TicketStatus.OPEN, TicketStatus.RETURNED,
                  TicketStatus.TRANSFERRED, TicketStatus.REPLIED],
          target=TicketStatus.TRANSFERRED, label=gettext_noop("派单"), roles=DESK_ROLES,
          scope=SCOPE_ANY, input=DispatchInput, awaits=AWAIT_REPLY, deadlines=REPLY_PERIOD,
          help="派给主办单位（牵头办理并答复），可加协办单位；退单审核后改派也用此操作",
          citation="昆政办〔2010〕116号 三(四)4",
          **REFUSAL_REVIEW)
    def dispatch(self, *, actor, reason, now, data):
        lead = OrgUnit.objects.filter(code=data.lead_org).first()
        if lead is None:
            raise ValidationError({"lead_org": ["没有该单位"]})
        codes = [c for c in dict.fromkeys(data.supporting_orgs) if c and c != lead.code]
        support = list(OrgUnit.objects.filter(code__in=codes).order_by("path"))
        missing = sorted(set(codes) - {o.code for o in support})
        if missing:
            raise ValidationError({"supporting_orgs": [f"没有该单位：{'、'.join(missing)}"]})
        redispatch = self.state == TicketStatus.RETURNED
        self._transfer(lead, actor=actor, now=now, citation=f"{DESK_CITE} 三(四)4",
                       note=("改派。" if redispatch else "") + (data.note or ""),
                       extra={"lead": lead.code, "supporting": [o.name for o in support],
                              "redispatch": redispatch})
        self.supporting_orgs.set(support)

    @step(source=TicketStatus.TRANSFERRED, target=TicketStatus.RETURNED,
          label=gettext_noop("退单"), roles=DEPARTMENT_ROLES, input=RefuseInput,
          awaits=AWAIT_REVIEW,
          help="不属于本单位职责的，在收到派单后的规定期限内说明理由退回话务平台审核",
          citation="昆政办〔2010〕116号 三(四)4",
          routine=UNIT_ROUTINE)
    def refuse(self, *, actor, reason, now, data):
        from kmgov.core import calendar
        from kmgov.rules import parameter_value

        today = calendar.local(now).date()
        limit = int(parameter_value("hotline.refuse_within_working_days", today))
        since = calendar.local(self.transferred_at or now).date()
        if calendar.working_days_between(since, today) > limit:
            raise ValidationError({"reason_text": [
                f"收到派单已超过 {limit} 个工作日，不能退单；确需他办的请联系话务平台"]})
        self.org = OrgUnit.objects.get(code=DESK_ORG)  # back at the desk until re-dispatched
        self._event(TicketEvent.Kind.RETURNED, actor=actor, now=now,
                    from_org=self.assigned_org, text=data.reason_text)

    @step(source=[TicketStatus.QUEUED, TicketStatus.OPEN, TicketStatus.RETURNED,
                  TicketStatus.TRANSFERRED, TicketStatus.REPLIED, TicketStatus.SUSPENDED],
          target=TicketStatus.CLOSED, label=gettext_noop("并单"), roles=DESK_ROLES,
          scope=SCOPE_ANY, input=MergeInput,
          help="同一事项的重复诉求并入主工单：本工单办结并指向主工单，来电人收到通知",
          citation="昆政办〔2010〕116号 三",
          **REFUSAL_REVIEW)
    def merge(self, *, actor, reason, now, data):
        from . import notices

        master = Ticket.objects.filter(number=data.master.strip()).first()
        if master is None:
            raise ValidationError({"master": ["没有该工单"]})
        if master.pk == self.pk:
            raise ValidationError({"master": ["不能并入本工单"]})
        if master.merged_into_id:
            raise ValidationError({"master": [
                f"工单 {master.number} 已并入工单 {master.merged_into.number}，请并入后者"]})
        self.merged_into = master
        self.closed_at = now
        self.result = (f"您的诉求与工单 {master.number} 为同一事项，已合并办理；"
                       "办结时将把办理结果告知您。")
        self._event(TicketEvent.Kind.MERGED, actor=actor, now=now, text=data.note or "",
                    extra={"master": master.number})
        notices.merged(self, master, actor=actor, now=now)

    @step(source=[TicketStatus.OPEN, TicketStatus.REPLIED, TicketStatus.ANSWERED],
          target=TicketStatus.CLOSED, label=gettext_noop("办结"), roles=DESK_ROLES,
          scope=SCOPE_ANY, input=FinishInput, awaits=AWAIT_RATING, deadlines=CALLBACK_PERIOD,
          help="把办理结果告知来电人并办结；办结后回访",
          citation="昆政办〔2010〕116号 三(二)",
          routine=DESK_ROUTINE)
    def finish(self, *, actor, reason, now, data):
        from . import notices

        self.result = data.result
        self.closed_at = now
        self._event(TicketEvent.Kind.FINISHED, actor=actor, now=now, text=data.result)
        notices.finished(self, actor=actor, now=now)

    @step(source=TicketStatus.TRANSFERRED, target=TicketStatus.TRANSFERRED,
          label=gettext_noop("批准延期"), roles=DESK_ROLES, scope=SCOPE_ANY, input=ExtendInput,
          awaits=AWAIT_REPLY, deadlines=REPLY_PERIOD,
          help="承办单位申请延期，话务平台（中心）审核同意：剩余期限加上同意的工作日",
          citation="昆政办〔2010〕116号 五(三)",
          duty=Duty.APPROVE, apart_from=("extension_request",), stage="extension")
    def extend(self, *, actor, reason, now, data):
        from kmgov.core import calendar
        from kmgov.rules import parameter_value

        today = calendar.local(now).date()
        most = int(parameter_value("hotline.extension_max_working_days", today))
        if data.days > most:
            raise ValidationError({"days": [f"每次延期不超过 {most} 个工作日"]})
        left = self.working_days_left(now) or 0
        self.period_days = max(left, 0) + data.days
        self._event(TicketEvent.Kind.EXTENDED, actor=actor, now=now, to_org=self.assigned_org,
                    text=data.note or "", extra={"days": data.days,
                                                 "requested": self.extension_days,
                                                 "reason": self.extension_reason})
        self.extension_days = None
        self.extension_reason = ""

    @step(source=TicketStatus.TRANSFERRED, target=TicketStatus.SUSPENDED,
          label=gettext_noop("挂起"), roles=DESK_ROLES, scope=SCOPE_ANY, input=SuspendInput,
          awaits=AWAIT_CALLER,
          help="等待来电人补充情况或材料：办理期限暂停，恢复后按剩余工作日继续计算",
          citation="昆政办〔2010〕116号 三(二)",
          routine=DESK_ROUTINE)
    def suspend(self, *, actor, reason, now, data):
        self._pause(actor=actor, now=now, note=data.note)

    def _pause(self, *, actor, now, note, by_unit=False):
        """The clock stops: what is left of the period is kept (at least one working day once
        resumed); the desk's pause and the lead unit's take this one path."""
        self.period_days = max(self.working_days_left(now) or 0, 1)
        self._event(TicketEvent.Kind.SUSPENDED, actor=actor, now=now, text=note,
                    from_org=self.assigned_org if by_unit else None,
                    extra={"days_left": self.period_days, "by_unit": by_unit})

    def _unpause(self, *, actor, now, note, by_unit=False):
        self._event(TicketEvent.Kind.RESUMED, actor=actor, now=now,
                    from_org=self.assigned_org if by_unit else None,
                    to_org=None if by_unit else self.assigned_org, text=note or "",
                    extra={"days": self.period_days, "by_unit": by_unit})

    @step(source=TicketStatus.SUSPENDED, target=TicketStatus.TRANSFERRED,
          label=gettext_noop("恢复办理"), roles=DESK_ROLES, scope=SCOPE_ANY, input=ResumeInput,
          awaits=AWAIT_REPLY, deadlines=REPLY_PERIOD,
          help="来电人已补充：按挂起时剩余的工作日继续计算期限",
          citation="昆政办〔2010〕116号 三(二)",
          routine=DESK_ROUTINE)
    def resume(self, *, actor, reason, now, data):
        self._unpause(actor=actor, now=now, note=data.note if data else "")

    # The lead unit (主办) pauses and resumes its own ticket while waiting for the caller: the
    # same clock as the desk's pause (`_pause`), taken by the unit at the ticket's unit (the
    # case's org is the lead unit since the dispatch; a supporting unit's roles do not reach
    # it, and the service checks the lead unit again).
    @step(source=TicketStatus.TRANSFERRED, target=TicketStatus.SUSPENDED,
          label=gettext_noop("主办单位挂起"), roles=DEPARTMENT_ROLES, input=SuspendInput,
          awaits=AWAIT_UNIT_CALLER,
          help="主办单位等待来电人补充情况或材料：办理期限暂停，恢复后按剩余工作日继续计算",
          citation="昆政办〔2010〕116号 三(二)",
          routine=UNIT_ROUTINE)
    def unit_suspend(self, *, actor, reason, now, data):
        self._pause(actor=actor, now=now, note=data.note, by_unit=True)

    @step(source=TicketStatus.SUSPENDED, target=TicketStatus.TRANSFERRED,
          label=gettext_noop("主办单位恢复办理"), roles=DEPARTMENT_ROLES, input=ResumeInput,
          awaits=AWAIT_REPLY, deadlines=REPLY_PERIOD,
          help="来电人已补充：按挂起时剩余的工作日继续计算期限",
          citation="昆政办〔2010〕116号 三(二)",
          routine=UNIT_ROUTINE)
    def unit_resume(self, *, actor, reason, now, data):
        paused = self.events.filter(kind=TicketEvent.Kind.SUSPENDED).order_by("-at", "-id").first()
        if paused is None or not paused.extra.get("by_unit"):
            raise ValidationError({"status": ["该工单由话务平台挂起，由话务平台恢复办理"]})
        self._unpause(actor=actor, now=now, note=data.note if data else "", by_unit=True)

    @step(source=TicketStatus.CLOSED, target=TicketStatus.TRANSFERRED,
          label=gettext_noop("退回承办单位重办"), roles=DESK_ROLES, scope=SCOPE_ANY,
          reason_required=True, awaits=AWAIT_REPLY, deadlines=REPLY_PERIOD,
          help="回访不满意：退回原承办单位重新办理，期限重新起算",
          citation="昆政办〔2010〕116号 五(三)",
          routine=DESK_ROUTINE)
    def reopen_to_unit(self, *, actor, reason, now, data=None):
        from . import kb

        if self.assigned_org_id is None:
            raise ValidationError({"status": ["该工单没有承办单位，请用“重新办理”"]})
        self.org = self.assigned_org
        self.closed_at = None
        self.period_days = None
        self.transferred_at = now
        self.replied_at = self.reply_due_at = None
        self.reply_on_time = None
        self._event(TicketEvent.Kind.REOPENED, actor=actor, now=now, to_org=self.assigned_org,
                    text=kb.clean_text(reason))

    # --- reading --------------------------------------------------------------------------

    def working_days_left(self, now=None) -> int | None:
        """Working days from today to the last day of the current period (0 on the last day,
        negative when overdue); None when no period runs."""
        from kmgov.core import calendar

        if self.due_at is None:
            return None
        today = calendar.local(now or timezone.now()).date()
        last = calendar.last_day_of(self.due_at)
        if last >= today:
            return calendar.working_days_between(today, last)
        return -calendar.working_days_between(last, today)

    @property
    def is_overdue(self) -> bool:
        return (self.due_at is not None and self.state == TicketStatus.TRANSFERRED
                and self.due_at < timezone.now())

    def satisfaction_label(self) -> str:
        return SATISFACTION_LEVELS.get(self.satisfaction, "")

    @step(source=[TicketStatus.QUEUED, TicketStatus.OPEN, TicketStatus.TRANSFERRED,
                  TicketStatus.REPLIED, TicketStatus.RETURNED, TicketStatus.SUSPENDED],
          target=TicketStatus.CLOSED, label=gettext_noop("办结（不回访）"),
          roles=DESK_ROLES, scope=SCOPE_ANY, reason_required=True,
          help="重复来电、无效来电或来电人无法联系等，写明理由后办结",
          **REFUSAL_REVIEW)
    def close(self, *, actor, reason, now, data=None):
        from . import kb

        self.closed_at = now
        self._event(TicketEvent.Kind.CLOSED, actor=actor, now=now, text=kb.clean_text(reason),
                    extra={"satisfaction": None, "without_call_back": True})

    @step(source=[TicketStatus.ANSWERED, TicketStatus.CLOSED], target=TicketStatus.OPEN,
          label=gettext_noop("重新办理"), roles=DESK_ROLES, scope=SCOPE_ANY, reason_required=True,
          awaits=AWAIT_DESK, help="来电人对答复不满意或情况有变：回到话务台重新答复或转办",
          routine=DESK_ROUTINE)
    def reopen(self, *, actor, reason, now, data=None):
        from . import kb

        self.closed_at = None
        self.satisfaction = None
        self._event(TicketEvent.Kind.REOPENED, actor=actor, now=now, text=kb.clean_text(reason))


class TicketEvent(models.Model):
    """The ticket's whole history: every transfer, reply, reminder and call-back, in order."""

    class Kind(models.TextChoices):
        CREATED = "created", gettext_noop("受理")
        QUEUED = "queued", gettext_noop("非工作时间录音")
        ANSWERED = "answered", gettext_noop("直接答复")
        TRANSFERRED = "transferred", gettext_noop("转办")
        REPLIED = "replied", gettext_noop("部门回复")
        REMINDED = "reminded", gettext_noop("催办")
        ESCALATED = "escalated", gettext_noop("超期督办")
        CLOSED = "closed", gettext_noop("回访办结")
        REOPENED = "reopened", gettext_noop("重新办理")
        NOTE = "note", gettext_noop("备注")
        RETURNED = "returned", gettext_noop("退单")
        MERGED = "merged", gettext_noop("并单")
        FINISHED = "finished", gettext_noop("办结")
        CALLED_BACK = "called_back", gettext_noop("回访")
        SUSPENDED = "suspended", gettext_noop("挂起")
        RESUMED = "resumed", gettext_noop("恢复办理")
        EXTENSION_REQUESTED = "ext_requested", gettext_noop("申请延期")
        EXTENDED = "extended", gettext_noop("批准延期")
        EXTENSION_REFUSED = "ext_refused", gettext_noop("不同意延期")

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


class MissedCall(models.Model):
    """A call nobody answered (busy lines, abandoned in the queue): called back by an operator."""

    phone = models.CharField("来电号码", max_length=32)
    at = models.DateTimeField("来电时间", default=timezone.now, db_index=True)
    called_back_at = models.DateTimeField("回拨时间", null=True, blank=True)
    called_back_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField("回拨结果", max_length=500, blank=True)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="missed_calls", verbose_name="工单")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "未接来电"
        verbose_name_plural = "未接来电"

    def __str__(self) -> str:
        return f"{self.phone} {self.at:%Y-%m-%d %H:%M}"


def event_write(event: TicketEvent) -> TicketEvent:
    """Write a ticket's history event — or, inside `events_together()`, keep it for the one
    INSERT at the block's end (it has no id until then)."""
    from django.db import transaction

    kept = getattr(transaction.get_connection(), "_kmgov_events_kept", None)
    if kept is not None:
        kept.append(event)
    else:
        event.save(force_insert=True)
    return event


@contextlib.contextmanager
def events_together():
    """Inside one transaction: the ticket events written in the block go to the database in
    one INSERT when it ends, in the order written (the 96128 intake: created, taken up,
    answered or transferred). It gives the list of the events kept: after the outermost block
    they are written and have their ids (the intake's answer shows them without reading them
    back); inside an enclosing block they are not written yet."""
    from django.db import transaction

    conn = transaction.get_connection()
    kept = getattr(conn, "_kmgov_events_kept", None)
    if kept is not None:
        yield kept
        return
    conn._kmgov_events_kept = kept = []
    try:
        yield kept
    finally:
        conn._kmgov_events_kept = None
    if kept:
        TicketEvent.objects.bulk_create(kept)
