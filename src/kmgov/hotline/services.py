"""Writes of the 96128 desk: each `<noun>_<verb>(…, *, actor)` is one transaction that also
writes the audit entry (kmgov.core.audit)."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kmgov.core import calendar
from kmgov.core.audit import audit_record
from kmgov.core.models import OrgUnit

from . import kb
from .models import (
    AccessPlatform,
    Attachment,
    Channel,
    EntryStatus,
    KbEntry,
    Open311Key,
    ReplyDeadline,
    RequestType,
    RoutingRule,
    Synonym,
    Ticket,
    TicketEvent,
    TicketStatus,
    Topic,
)
from .permissions import (
    HotlinePermissionError,
    is_operator,
    require_entry_editor,
    require_operator,
    require_ticket_handler,
)

DATA_DIR = Path(__file__).with_name("data")

# Input limits (SPEC X-9): a question is a sentence or two; a ticket a page or so.
MAX_QUESTION = 500
MAX_TEXT = 5000
MAX_ATTACHMENT = 2 * 1024 * 1024
MAX_ATTACHMENTS = 5
# Anonymous submissions from one address per minute (web page, Open311).
RATE_LIMIT_PER_MINUTE = 5

HOTLINE_OFFICE = "city-mayors-hotline"
ESCALATION_ORG = "city-general-office"  # 116号 五(三): 市政府目督办 counts replies in the assessment


class RateLimited(Exception):
    def __init__(self, retry_after: int = 60):
        super().__init__(f"提交过于频繁，请稍后再试（每个地址每分钟最多 {RATE_LIMIT_PER_MINUTE} 件）")
        self.retry_after = retry_after


def _invalid(field: str, message: str):
    raise ValidationError({field: [message]})


def clean_question(q: str | None) -> str:
    q = kb.clean_text(q or "")
    if not q:
        _invalid("q", "请输入要查询的问题")
    if len(q) > MAX_QUESTION:
        _invalid("q", f"问题过长：最多 {MAX_QUESTION} 字，请简要描述")
    return q


# --- seed data ----------------------------------------------------------------------------


def _date(v):
    if v in (None, ""):
        return None
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


@transaction.atomic
def kb_seed_load(*, actor=None, data_dir: Path = DATA_DIR) -> dict:
    """Load topics, platforms, routing table, reply deadlines, synonyms and the knowledge base's
    entries from the app's YAML files. Idempotent: a second run changes nothing; entries a
    department has since edited (version > 1) are left as the department made them."""
    orgs = {o.code: o for o in OrgUnit.objects.all()}
    if not orgs:
        raise RuntimeError("请先载入组织机构树（kmgov setup）")
    desk = yaml.safe_load((data_dir / "desk.yaml").read_text(encoding="utf-8"))
    counts = {"topics": 0, "entries_created": 0, "entries_updated": 0}

    for code, spec in desk.get("utility_units", {}).items():
        if code not in orgs:
            unit = OrgUnit(code=code, name=spec["name"], short_name=spec.get("short", ""),
                           kind="unit", parent=orgs["kunming"])
            unit.save()
            orgs[code] = unit

    for t in desk["topics"]:
        fields = dict(name=t["name"], docno=t.get("docno", ""), lead_org=orgs[t["lead"]],
                      citation=t.get("citation", ""),
                      keywords=[str(k) for k in t.get("keywords", [])],
                      group=t.get("group", ""))
        obj, created = Topic.objects.get_or_create(code=t["code"], defaults=fields)
        if not created and any(getattr(obj, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(obj, k, v)
            obj.save()
        counts["topics"] += created

    for p in desk["platforms"]:
        AccessPlatform.objects.get_or_create(org=orgs[p["org"]], defaults=dict(
            platform_type=p["type"], phone=p.get("phone", ""), email=p.get("email", ""),
            liaison_name=p.get("liaison", ""), liaison_phone=p.get("liaison_phone", "")))

    if not RoutingRule.objects.exists():
        for i, r in enumerate(desk["routing"]):
            RoutingRule.objects.create(
                order=(i + 1) * 10, request_type=r["type"],
                needs_answer=r.get("needs_answer", False), action=r["action"],
                target_org=orgs[r["target"]] if r.get("target") else None,
                citation=r["citation"], note=r.get("note", ""))
    for d in desk["deadlines"]:
        ReplyDeadline.objects.get_or_create(request_type=d["type"], defaults=dict(
            working_days=d["days"], remind_days_before=d.get("remind", 1), note=d["note"]))
    if not Synonym.objects.exists():
        Synonym.objects.bulk_create([Synonym(words=[str(w) for w in g]) for g in desk["synonyms"]])

    topics = {t.code: t for t in Topic.objects.all()}
    changed = []
    for f in sorted(data_dir.glob("kb_*.yaml")):
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        defaults = doc.get("defaults", {})
        for e in doc["entries"]:
            e = {**defaults, **e}
            fields = dict(
                org=orgs[e["org"]], topic=topics.get(e.get("topic")), kind=e.get("kind", "policy"),
                question=e["q"].strip(), answer=" ".join(e["a"].split()),
                keywords=str(e.get("keywords", "")), docno=e.get("docno", ""),
                node_path=e.get("path", ""), rule_id=e.get("rule", ""),
                valid_from=_date(e.get("valid_from")), valid_to=_date(e.get("valid_to")),
                authorised_by=e["authorised_by"],
            )
            obj = KbEntry.objects.filter(key=e["key"]).first()
            if obj is None:
                obj = KbEntry(key=e["key"], **fields)
                obj.full_clean()
                obj.save()
                counts["entries_created"] += 1
                changed.append(obj)
            elif obj.version == 1 and any(getattr(obj, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(obj, k, v)
                obj.full_clean()
                obj.save()
                counts["entries_updated"] += 1
                changed.append(obj)
    kb.entries_reindex(changed)
    if changed or counts["topics"]:
        audit_record(actor=actor, action="hotline.kb_seed_load", object_type="hotline.kbentry",
                     object_id="*", extra=counts)
    counts["entries"] = KbEntry.objects.count()
    return counts


# --- knowledge base -----------------------------------------------------------------------

ENTRY_FIELDS = ("question", "answer", "keywords", "docno", "node_path", "rule_id", "valid_from",
                "valid_to", "authorised_by", "topic", "kind")


@transaction.atomic
def kb_entry_create(*, org: OrgUnit, question: str, answer: str, valid_from, authorised_by: str,
                    actor, key: str | None = None, **fields) -> KbEntry:
    require_entry_editor(actor, org)
    entry = KbEntry(key=key or f"{org.code[:40]}-{secrets.token_hex(4)}", org=org,
                    question=kb.clean_text(question), answer=kb.clean_text(answer),
                    valid_from=_date(valid_from), authorised_by=kb.clean_text(authorised_by),
                    **{k: v for k, v in fields.items() if k in ENTRY_FIELDS})
    entry.valid_to = _date(entry.valid_to)
    _check_entry(entry)
    entry.save()
    kb.entries_reindex([entry])
    audit_record(actor=actor, action="hotline.entry.create", obj=entry, org=org,
                 to_state=entry.status)
    return entry


def _check_entry(entry: KbEntry) -> None:
    entry.full_clean()
    if entry.valid_to and entry.valid_to < entry.valid_from:
        _invalid("valid_to", "授权止日不能早于授权起日")


@transaction.atomic
def kb_entry_update(*, entry: KbEntry, actor, **changes) -> KbEntry:
    entry = KbEntry.objects.select_for_update().get(pk=entry.pk)
    require_entry_editor(actor, entry.org)
    before = {k: str(getattr(entry, k)) for k in changes if k in ENTRY_FIELDS}
    for k, v in changes.items():
        if k not in ENTRY_FIELDS:
            _invalid(k, "不能修改的字段")
        if k in ("valid_from", "valid_to"):
            v = _date(v)
        elif isinstance(v, str):
            v = kb.clean_text(v)
        setattr(entry, k, v)
    entry.version += 1
    _check_entry(entry)
    entry.save()
    kb.entries_reindex([entry])
    audit_record(actor=actor, action="hotline.entry.update", obj=entry, org=entry.org,
                 extra={"before": before, "version": entry.version})
    return entry


@transaction.atomic
def kb_entry_withdraw(*, entry: KbEntry, actor, reason: str = "") -> KbEntry:
    entry = KbEntry.objects.select_for_update().get(pk=entry.pk)
    require_entry_editor(actor, entry.org)
    prev = entry.status
    entry.status = EntryStatus.WITHDRAWN
    entry.version += 1
    entry.save()
    kb.cache_clear()
    audit_record(actor=actor, action="hotline.entry.withdraw", obj=entry, org=entry.org,
                 from_state=prev, to_state=entry.status, reason=reason)
    return entry


# --- tickets ------------------------------------------------------------------------------


def _event(ticket, kind, *, actor=None, at=None, **kw) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, kind=kind, at=at or timezone.now(),
                                      actor=actor if getattr(actor, "is_authenticated", False)
                                      else None, **kw)


def _check_rate(source_ip: str | None, now) -> None:
    if not source_ip:
        return
    recent = Ticket.objects.filter(source_ip=source_ip,
                                   received_at__gte=now - dt.timedelta(minutes=1)).count()
    if recent >= RATE_LIMIT_PER_MINUTE:
        raise RateLimited()


def _new_number(ticket: Ticket) -> str:
    day = calendar.local(ticket.received_at).strftime("%Y%m%d")
    return f"{day}{ticket.pk:06d}"


@transaction.atomic
def ticket_create(*, channel: str, request_type: str, text: str, actor=None,
                  topic: Topic | str | None = None, caller_name: str = "",
                  caller_phone: str = "", caller_email: str = "", attachments=(),
                  now=None, source_ip: str | None = None, api_key: Open311Key | None = None,
                  route: bool = True) -> Ticket:
    """File a ticket on any channel. In working hours it is routed at once (an operator takes
    the call); outside them (116号 三(二)) it is recorded and queued for the next working
    hours. Anonymous submissions are rate-limited per address."""
    now = now or timezone.now()
    staff = is_operator(actor)
    if channel not in Channel.values:
        _invalid("channel", "渠道应为 phone（电话）、web（网络）或 window（窗口）")
    if request_type not in RequestType.values:
        _invalid("request_type", "诉求类型应为 query/approval/complaint/report/suggestion/other")
    open_now = calendar.is_business_hours(now)
    if channel == Channel.WINDOW and not staff:
        raise HotlinePermissionError("窗口工单由服务中心工作人员录入")
    if channel == Channel.PHONE and not staff and open_now:
        raise HotlinePermissionError("工作时间的来电由话务员受理录入")
    text = kb.clean_text(text)
    if not text:
        _invalid("text", "请填写诉求内容")
    if len(text) > MAX_TEXT:
        _invalid("text", f"内容过长：最多 {MAX_TEXT} 字（可作为附件上传）")
    caller_name, caller_phone, caller_email = (kb.clean_text(v)[:n] for v, n in (
        (caller_name, 64), (caller_phone, 32), (caller_email, 128)))
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        _invalid("attachments", f"附件最多 {MAX_ATTACHMENTS} 个")
    for name, _content_type, data in attachments:
        if len(data) > MAX_ATTACHMENT:
            _invalid("attachments", f"附件“{name}”超过 2 MB")
    if isinstance(topic, str):
        topic = Topic.objects.filter(code=topic).first() if topic else None
    if not staff:
        _check_rate(source_ip, now)
    ticket = Ticket(
        number=f"tmp-{secrets.token_hex(6)}", check_code=f"{secrets.randbelow(10**6):06d}",
        channel=channel, request_type=request_type, topic=topic or topic_guess(text),
        caller_name=caller_name, caller_phone=caller_phone, caller_email=caller_email,
        text=text, received_at=now, after_hours=not open_now,
        handle_from=calendar.next_working_moment(now), status=TicketStatus.OPEN,
        operator=actor if staff else None, source_ip=source_ip, api_key=api_key)
    ticket.save()
    ticket.number = _new_number(ticket)
    ticket.save(update_fields=["number"])
    for name, content_type, data in attachments:
        Attachment.objects.create(ticket=ticket, name=kb.clean_text(name)[:255] or "附件",
                                  content_type=content_type[:128], size=len(data), data=data)
    _event(ticket, TicketEvent.Kind.CREATED, actor=actor, at=now,
           extra={"channel": channel, "request_type": request_type})
    audit_record(actor=actor, action="hotline.ticket.create", obj=ticket,
                 to_state=ticket.status, extra={"number": ticket.number, "channel": channel})
    if open_now or staff and channel != Channel.PHONE:
        # The desk routes what a citizen files; an operator routes what they take.
        if not route:
            return ticket
        return ticket_route(ticket=ticket, actor=actor if staff else None, now=now)
    # Outside working hours nobody takes the call (116号 三(二)): a query the knowledge base
    # answers is answered at once on the web; everything else is recorded and queued.
    if channel == Channel.WEB and request_type == RequestType.QUERY:
        entry = kb.best_answer(text, on=calendar.local(now).date())
        if entry is not None:
            return ticket_answer(ticket=ticket, entry=entry, now=now)
    ticket.status = TicketStatus.QUEUED
    ticket.save(update_fields=["status"])
    _event(ticket, TicketEvent.Kind.QUEUED, at=now, citation="昆政办〔2010〕116号 三(二)",
           text=("非工作时间录音答录，" if channel == Channel.PHONE else "非工作时间来件，")
           + f"于 {calendar.local(ticket.handle_from):%Y-%m-%d %H:%M} 起处理")
    return ticket


def topic_guess(text: str) -> Topic | None:
    """The topic whose keywords the text names most (the desk can always change it)."""
    best, best_n = None, 0
    for t in Topic.objects.all():
        n = sum(1 for k in t.keywords if k and k in text)
        if n > best_n:
            best, best_n = t, n
    return best


def _rule_for(ticket, has_answer: bool) -> RoutingRule | None:
    for r in RoutingRule.objects.select_related("target_org"):
        if r.request_type == ticket.request_type and (has_answer or not r.needs_answer):
            return r
    return None


@transaction.atomic
def ticket_route(*, ticket: Ticket, actor=None, now=None, answer_entry: KbEntry | None = None,
                 note: str = "") -> Ticket:
    """Apply the routing table (116号 三(四)1–4) to an open ticket."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status not in (TicketStatus.OPEN, TicketStatus.QUEUED):
        _invalid("status", "只有待处理的工单可以分流")
    if ticket.status == TicketStatus.QUEUED:
        ticket.status = TicketStatus.OPEN
    entry = answer_entry
    if entry is None and ticket.request_type == RequestType.QUERY:
        entry = kb.best_answer(ticket.text, on=calendar.local(now).date())
    if entry is not None and not entry.is_answerable(calendar.local(now).date()):
        _invalid("answer_entry", "该知识库条目不在授权有效期内或已撤回，不能作答")
    rule = _rule_for(ticket, has_answer=entry is not None)
    if rule is None:
        ticket.save()
        return ticket  # stays at the desk for an operator
    if rule.action == RoutingRule.Action.ANSWER and entry is not None:
        return ticket_answer(ticket=ticket, entry=entry, actor=actor, now=now,
                             citation=rule.citation)
    target = rule.target_org
    if rule.action == RoutingRule.Action.TOPIC_DEPARTMENT:
        target = ticket.topic.lead_org if ticket.topic else None
    if target is None:
        ticket.save()
        return ticket
    return ticket_transfer(ticket=ticket, to_org=target, actor=actor, now=now,
                           citation=rule.citation, note=note or rule.note)


@transaction.atomic
def ticket_answer(*, ticket: Ticket, entry: KbEntry, actor=None, now=None,
                  citation: str = "昆政办〔2010〕116号 三(四)1") -> Ticket:
    now = now or timezone.now()
    if actor is not None and getattr(actor, "is_authenticated", False):
        require_operator(actor)
    if not entry.is_answerable(calendar.local(now).date()):
        _invalid("answer_entry", "该知识库条目不在授权有效期内或已撤回，不能作答")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    prev = ticket.status
    ticket.status = TicketStatus.ANSWERED
    ticket.answer_entry = entry
    ticket.answer_text = entry.answer
    ticket.closed_at = now
    ticket.save()
    _event(ticket, TicketEvent.Kind.ANSWERED, actor=actor, at=now, citation=citation,
           text=entry.answer, extra={"entry": entry.key, "entry_version": entry.version,
                                     "authorised_by": entry.authorised_by})
    audit_record(actor=actor, action="hotline.ticket.answer", obj=ticket, from_state=prev,
                 to_state=ticket.status, extra={"entry": entry.key})
    return ticket


def reply_due(request_type: str, start) -> dt.datetime | None:
    """End of the n-th working day after the day the department can first act on it."""
    d = ReplyDeadline.objects.filter(request_type=request_type).first()
    if d is None:
        return None
    return calendar.deadline_after(calendar.next_working_moment(start), d.working_days,
                                   calendar.DayCount.WORKING)


@transaction.atomic
def ticket_transfer(*, ticket: Ticket, to_org: OrgUnit, actor=None, now=None, citation: str = "",
                    note: str = "") -> Ticket:
    """Hand a ticket to a department's platform or liaison (or to 政务服务管理局 / 12345). The
    previous assignment stays in the ticket's history; the reply clock restarts."""
    now = now or timezone.now()
    if actor is not None and getattr(actor, "is_authenticated", False):
        require_operator(actor)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status in (TicketStatus.CLOSED, TicketStatus.ANSWERED):
        _invalid("status", "已办结的工单不能转办")
    prev_status, prev_org = ticket.status, ticket.assigned_org
    platform = AccessPlatform.objects.filter(org=to_org).first()
    ticket.status = TicketStatus.TRANSFERRED
    ticket.assigned_org = to_org
    ticket.transferred_at = now
    ticket.due_at = reply_due(ticket.request_type, now)
    ticket.reminded_at = ticket.escalated_at = ticket.replied_at = None
    ticket.reply_on_time = None
    ticket.save()
    _event(ticket, TicketEvent.Kind.TRANSFERRED, actor=actor, at=now, from_org=prev_org,
           to_org=to_org, citation=citation, text=kb.clean_text(note),
           extra={"platform_type": platform.platform_type if platform else 3,
                  "contact": (platform.phone or platform.liaison_phone) if platform else "",
                  "due_at": ticket.due_at.isoformat() if ticket.due_at else None})
    audit_record(actor=actor, action="hotline.ticket.transfer", obj=ticket, org=to_org,
                 from_state=prev_status, to_state=ticket.status,
                 extra={"from_org": prev_org.code if prev_org else None, "to_org": to_org.code})
    return ticket


@transaction.atomic
def ticket_take(*, ticket: Ticket, actor, now=None) -> Ticket:
    """An operator takes a queued after-hours ticket in working hours and routes it."""
    require_operator(actor)
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != TicketStatus.QUEUED:
        _invalid("status", "该工单不在非工作时间队列中")
    ticket.status = TicketStatus.OPEN
    ticket.operator = actor
    ticket.save()
    _event(ticket, TicketEvent.Kind.NOTE, actor=actor, at=now, text="话务员接手处理")
    audit_record(actor=actor, action="hotline.ticket.take", obj=ticket,
                 from_state=TicketStatus.QUEUED, to_state=TicketStatus.OPEN)
    return ticket_route(ticket=ticket, actor=actor, now=now)


@transaction.atomic
def reply_record(*, ticket: Ticket, method: str, text: str, actor, now=None) -> Ticket:
    """The department replies to the desk by phone note or e-mail (116号 三(二))."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    require_ticket_handler(actor, ticket)
    if method not in ("phone", "email"):
        _invalid("method", "回复方式应为 phone（电话）或 email（邮件）")
    text = kb.clean_text(text)
    if not text:
        _invalid("text", "请填写回复内容")
    if len(text) > MAX_TEXT:
        _invalid("text", f"回复过长：最多 {MAX_TEXT} 字")
    if ticket.status != TicketStatus.TRANSFERRED:
        _invalid("status", "只有已转办待回复的工单可以回复")
    ticket.status = TicketStatus.REPLIED
    ticket.replied_at = now
    ticket.reply_on_time = ticket.due_at is None or now <= ticket.due_at
    ticket.answer_text = text
    ticket.save()
    _event(ticket, TicketEvent.Kind.REPLIED, actor=actor, at=now, from_org=ticket.assigned_org,
           method=method, text=text, extra={"on_time": ticket.reply_on_time})
    audit_record(actor=actor, action="hotline.ticket.reply", obj=ticket, org=ticket.assigned_org,
                 from_state=TicketStatus.TRANSFERRED, to_state=ticket.status,
                 extra={"on_time": ticket.reply_on_time})
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, satisfaction: int | None, actor, note: str = "",
                 now=None) -> Ticket:
    """The call-back: the desk tells the caller the reply and records a satisfaction score."""
    require_operator(actor)
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status not in (TicketStatus.REPLIED, TicketStatus.ANSWERED):
        _invalid("status", "部门回复后方可回访办结")
    if satisfaction is not None and not 1 <= int(satisfaction) <= 5:
        _invalid("satisfaction", "满意度为 1（很不满意）到 5（很满意）")
    prev = ticket.status
    ticket.status = TicketStatus.CLOSED
    ticket.satisfaction = satisfaction
    ticket.closed_at = now
    ticket.save()
    _event(ticket, TicketEvent.Kind.CLOSED, actor=actor, at=now, text=kb.clean_text(note),
           extra={"satisfaction": satisfaction})
    audit_record(actor=actor, action="hotline.ticket.close", obj=ticket, from_state=prev,
                 to_state=ticket.status, extra={"satisfaction": satisfaction})
    return ticket


@transaction.atomic
def tickets_sweep(*, now=None, actor=None) -> dict:
    """Remind departments whose reply falls due within `remind_days_before` working days and
    escalate those overdue (to 市政府办公厅, whose 目督办 counts replies in the yearly
    assessment, 116号 五(三)). Idempotent: a ticket is reminded once and escalated once."""
    now = now or timezone.now()
    today = calendar.local(now).date()
    reminded = escalated = 0
    deadlines = {d.request_type: d for d in ReplyDeadline.objects.all()}
    escalation_org = OrgUnit.objects.filter(code=ESCALATION_ORG).first()
    qs = Ticket.objects.select_for_update().filter(status=TicketStatus.TRANSFERRED,
                                                   due_at__isnull=False)
    for t in qs:
        if t.due_at <= now and t.escalated_at is None:
            t.escalated_at = now
            t.save(update_fields=["escalated_at"])
            _event(t, TicketEvent.Kind.ESCALATED, actor=actor, at=now, from_org=t.assigned_org,
                   to_org=escalation_org, citation="昆政办〔2010〕116号 五(三)",
                   text=f"{t.assigned_org} 逾期未回复（期限 {calendar.local(t.due_at):%Y-%m-%d %H:%M}）")
            audit_record(actor=actor, action="hotline.ticket.escalate", obj=t, org=t.assigned_org)
            escalated += 1
        elif t.due_at > now and t.reminded_at is None:
            d = deadlines.get(t.request_type)
            before = d.remind_days_before if d else 1
            last_day = calendar.local(t.due_at).date() - dt.timedelta(days=1)
            remind_on = calendar.add_working_days(last_day, -before)
            if today >= remind_on:
                t.reminded_at = now
                t.save(update_fields=["reminded_at"])
                _event(t, TicketEvent.Kind.REMINDED, actor=actor, at=now, to_org=t.assigned_org,
                       text=f"请于 {calendar.local(t.due_at):%Y-%m-%d %H:%M} 前回复")
                audit_record(actor=actor, action="hotline.ticket.remind", obj=t, org=t.assigned_org)
                reminded += 1
    return {"reminded": reminded, "escalated": escalated}


@transaction.atomic
def open311_key_create(*, label: str, actor=None) -> Open311Key:
    k = Open311Key.objects.create(key=secrets.token_hex(16), label=label)
    audit_record(actor=actor, action="hotline.open311_key.create", obj=k)
    return k
