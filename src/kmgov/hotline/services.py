"""Writes of the 96128 desk: each `<noun>_<verb>(…, *, actor)` is one transaction that also
writes the audit entry (kmgov.core.audit)."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from contextlib import contextmanager
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kmgov.core import calendar
from kmgov.core.audit import audit_record
from kmgov.core.models import OrgUnit
from kmgov.core.ratelimit import hit, hits_now
from kmgov.procedures.errors import (
    CaseNotFound,
    ProcedureError,
    StepInputInvalid,
    TransitionDenied,
)
from kmgov.procedures.services import (
    attachment_add,
    case_create,
    case_transition,
    deadlines_sweep,
    reference_take,
)

from . import kb, selectors
from .models import (
    DESK_ORG,
    AccessPlatform,
    Channel,
    EntryStatus,
    KbEntry,
    Open311Key,
    RequestType,
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
from .routing import desk_account, person, reply_days, route_decision

DATA_DIR = Path(__file__).with_name("data")

# Input limits (SPEC X-9): a question is a sentence or two; a ticket a page or so.
MAX_QUESTION = 500
MAX_TEXT = 5000
MAX_ATTACHMENT = 2 * 1024 * 1024
MAX_ATTACHMENTS = 5
# Anonymous submissions from one address per minute (web page, API); an Open311 partner's
# key counts its own (it files for many citizens). Staff are not limited.
RATE_LIMIT_PER_MINUTE = 5
OPEN311_PER_MINUTE = 60
# Follow-up lookups (number + check code) per address per minute, and wrong codes per ticket
# number per hour before that number's lookups are refused for the hour (a code cannot be
# guessed: 10⁸ codes, 10 tries).
LOOKUPS_PER_MINUTE = 20
WRONG_CODES_PER_HOUR = 10

HOTLINE_OFFICE = DESK_ORG


class RateLimited(Exception):
    def __init__(self, retry_after: int = 60, message: str = ""):
        super().__init__(message or
                         f"提交过于频繁，请稍后再试（每个地址每分钟最多 {RATE_LIMIT_PER_MINUTE} 件）")
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
    """Load topics, platforms, synonyms and the knowledge base's entries from the app's YAML
    files (routing and reply periods are the rules' parameters, not the desk's). Idempotent: a
    second run changes nothing; entries a department has since edited (version > 1) are left
    as the department made them."""
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
#
# A ticket is a case of the procedures kernel (`models.Ticket`). These services are the desk's
# channel onto it: they validate what the pages and the desk's API send, then take the
# ticket's declared steps through `case_transition` (which checks state, roles and scope,
# validates the step's typed input, writes the audit entry, the inbox and the deadlines).
# The kernel's refusals come back in the desk's own terms (ValidationError, permission).


@contextmanager
def _kernel():
    """Kernel refusals as the desk's errors: out of reach or not allowed → permission; any
    other refusal (state, input, condition) → ValidationError naming the field."""
    try:
        yield
    except (CaseNotFound, TransitionDenied) as exc:
        raise HotlinePermissionError(exc.message) from None
    except StepInputInvalid as exc:
        raise ValidationError({(e["field"].split(".")[0] or "__all__"): [e["message"]]
                               for e in exc.errors} or {"__all__": [exc.message]}) from None
    except ProcedureError as exc:
        raise ValidationError({exc.field or "status": [exc.message]}) from None


def _step(ticket: Ticket, name: str, *, actor, now=None, reason: str = "", **data) -> Ticket:
    with _kernel():
        return case_transition(ticket, name, actor=actor, now=now, reason=reason,
                               data=data or None)


def _desk_actor(actor):
    """Who takes the desk's steps: the operator at the desk, else the desk's own account."""
    return actor if is_operator(actor) else desk_account()


def _check_rate(source_ip: str | None, api_key: Open311Key | None = None) -> None:
    """One more anonymous submission from this address (or this Open311 key): refused past
    the limit, counted atomically (core.ratelimit) so parallel posts cannot slip through."""
    if api_key is not None:
        if not hit(f"hotline.intake:key:{api_key.pk}", limit=OPEN311_PER_MINUTE, per_seconds=60):
            raise RateLimited(message=f"提交过于频繁，请稍后再试（每个接入密钥每分钟最多 "
                                      f"{OPEN311_PER_MINUTE} 件）")
        return
    if source_ip and not hit(f"hotline.intake:ip:{source_ip}", limit=RATE_LIMIT_PER_MINUTE,
                             per_seconds=60):
        raise RateLimited()


def ticket_follow_up(number: str, check_code: str, *, source_ip: str | None) -> Ticket:
    """A citizen's follow-up by number and check code, throttled per address and per number
    (wrong codes); a wrong pair is `Http404` as before."""
    from django.http import Http404

    number = (number or "").strip()
    if source_ip and not hit(f"hotline.lookup:ip:{source_ip}", limit=LOOKUPS_PER_MINUTE,
                             per_seconds=60):
        raise RateLimited(message=f"查询过于频繁，请一分钟后再试（每个地址每分钟最多 "
                                  f"{LOOKUPS_PER_MINUTE} 次）")
    if hits_now(f"hotline.lookup:wrong:{number}", per_seconds=3600) >= WRONG_CODES_PER_HOUR:
        raise RateLimited(retry_after=3600, message="该工单号查询码错误次数过多，请一小时后再试，"
                                                    "或拨打96128查询")
    try:
        return selectors.ticket_lookup_public(number, check_code)
    except Http404:
        hit(f"hotline.lookup:wrong:{number}", limit=WRONG_CODES_PER_HOUR, per_seconds=3600)
        raise


def _new_number(ticket: Ticket) -> str:
    day = calendar.local(ticket.received_at).strftime("%Y%m%d")
    return f"{day}{ticket.pk:06d}"


def _event(ticket, kind, *, actor=None, at=None, **kw) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, kind=kind, at=at or timezone.now(),
                                      actor=person(actor), **kw)


def ticket_create(*, channel: str, request_type: str, text: str, actor=None,
                  topic: Topic | str | None = None, caller_name: str = "",
                  caller_phone: str = "", caller_email: str = "", attachments=(),
                  now=None, source_ip: str | None = None, api_key: Open311Key | None = None,
                  route: bool = True) -> Ticket:
    """File a ticket on any channel (the kernel's `case_create`, then the step `intake`).

    In working hours it is taken up and routed at once (an operator takes the call; the desk
    routes what a citizen files); outside them (116号 三(二)) it is recorded and stays
    `queued` for the next working hours. Anonymous submissions are rate-limited per address;
    attachments go through the kernel's byte check, never the client's MIME type.

    The kernel's reference is taken first, in its own short transaction (`reference_take`),
    so that concurrent callers do not queue on the year's counter while each ticket is
    written and routed; a ticket refused afterwards leaves a gap in those internal numbers
    (the public number is the ticket's own)."""
    now = now or timezone.now()
    return _ticket_create(
        channel=channel, request_type=request_type, text=text, actor=actor, topic=topic,
        caller_name=caller_name, caller_phone=caller_phone, caller_email=caller_email,
        attachments=attachments, now=now, source_ip=source_ip, api_key=api_key, route=route,
        reference=reference_take(Ticket, now=now))


@transaction.atomic
def _ticket_create(*, channel, request_type, text, actor, topic, caller_name, caller_phone,
                   caller_email, attachments, now, source_ip, api_key, route,
                   reference) -> Ticket:
    staff = is_operator(actor)
    if channel not in Channel.values:
        _invalid("channel", "渠道应为 phone（电话）、web（网络）或 window（窗口）")
    if request_type not in RequestType.values:
        _invalid("request_type", "诉求类型应为 query/approval/complaint/report/suggestion/"
                                 "consultation/other")
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
        _check_rate(source_ip, api_key)
    desk = _desk_actor(actor)
    citizen = actor if getattr(actor, "is_authenticated", False) and not staff else None
    label = RequestType(request_type).label
    with _kernel():
        ticket = case_create(
            Ticket, actor=desk, org=OrgUnit.objects.get(code=DESK_ORG), now=now,
            title=f"{label}：{text[:60]}", reference=reference,
            number=f"tmp-{secrets.token_hex(6)}", check_code=f"{secrets.randbelow(10**8):08d}",
            channel=channel, request_type=request_type, topic=topic or topic_guess(text),
            caller_name=caller_name, caller_phone=caller_phone, caller_email=caller_email,
            text=text, received_at=now, after_hours=not open_now,
            handle_from=calendar.next_working_moment(now),
            operator=actor if staff else None, source_ip=source_ip, api_key=api_key)
    ticket.number = _new_number(ticket)
    ticket.applicant = citizen  # the citizen who filed it logged in, else nobody
    ticket.save(update_fields=["number", "applicant"])
    # Attachments: judged by their bytes (kernel), stored by the kernel under the case.
    for name, _content_type, data in attachments:
        with _kernel():
            attachment_add(ticket, key="attachment", file=io.BytesIO(data),
                           name=kb.clean_text(name)[:255] or "附件", actor=desk, now=now)
    _event(ticket, TicketEvent.Kind.CREATED, actor=actor, at=now,
           extra={"channel": channel, "request_type": request_type})
    if open_now or staff and channel != Channel.PHONE:
        # The desk routes what a citizen files; an operator routes what they take.
        ticket = _step(ticket, "intake", actor=desk, now=now)
        if not route:
            return ticket
        return ticket_route(ticket=ticket, actor=desk, now=now)
    # Outside working hours nobody takes the call (116号 三(二)): a query the knowledge base
    # answers is answered at once on the web; everything else is recorded and queued.
    if channel == Channel.WEB and request_type == RequestType.QUERY:
        entry = kb.best_answer(text, on=calendar.local(now).date())
        if entry is not None:
            return _step(ticket, "answer", actor=desk, now=now, entry_id=entry.pk)
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


@transaction.atomic
def ticket_route(*, ticket: Ticket, actor=None, now=None, answer_entry: KbEntry | None = None,
                 note: str = "") -> Ticket:
    """Route an open ticket as the rule `hotline.route` decides (116号 三(四)1–4): answer it
    from the knowledge base (step `answer`), transfer it (step `route`), or — when the rule
    sends it to the topic's lead department and no topic is known — leave it at the desk."""
    now = now or timezone.now()
    ticket = Ticket.objects.get(pk=ticket.pk)
    if ticket.state not in (TicketStatus.OPEN, TicketStatus.QUEUED):
        _invalid("status", "只有待处理的工单可以分流")
    if answer_entry is not None and not answer_entry.is_answerable(calendar.local(now).date()):
        _invalid("answer_entry", "该知识库条目不在授权有效期内或已撤回，不能作答")
    actor = actor if getattr(actor, "is_authenticated", False) else desk_account()
    if ticket.state == TicketStatus.QUEUED:
        ticket = _step(ticket, "intake", actor=actor, now=now)
    d = route_decision(ticket, now=now, entry=answer_entry)
    if d.destination == "answer_directly":
        return _step(ticket, "answer", actor=actor, now=now, entry_id=d.entry.pk)
    if d.org is None:
        return ticket  # stays at the desk for an operator
    return _step(ticket, "route", actor=actor, now=now, note=note)


@transaction.atomic
def ticket_answer(*, ticket: Ticket, entry: KbEntry, actor=None, now=None) -> Ticket:
    """The operator answers from an authorised knowledge-base entry (116号 三(四)1)."""
    now = now or timezone.now()
    if actor is not None and getattr(actor, "is_authenticated", False):
        require_operator(actor)
    if not entry.is_answerable(calendar.local(now).date()):
        _invalid("answer_entry", "该知识库条目不在授权有效期内或已撤回，不能作答")
    return _step(ticket, "answer", actor=_desk_actor(actor), now=now, entry_id=entry.pk)


def reply_due(request_type: str, start) -> dt.datetime | None:
    """End of the n-th working day after `start` (the reply period, read now)."""
    days = reply_days(request_type, calendar.local(start).date())
    if days is None:
        return None
    return calendar.deadline_after(start, days, calendar.DayCount.WORKING)


@transaction.atomic
def ticket_transfer(*, ticket: Ticket, to_org: OrgUnit, actor=None, now=None, note: str = "",
                    citation: str = "") -> Ticket:
    """Hand a ticket to a department's platform or liaison (or to 政务服务管理局 / 12345). The
    previous assignment stays in the ticket's history; the reply clock restarts."""
    now = now or timezone.now()
    if actor is not None and getattr(actor, "is_authenticated", False):
        require_operator(actor)
    if ticket.state in (TicketStatus.CLOSED, TicketStatus.ANSWERED):
        _invalid("status", "已办结的工单不能转办")
    return _step(ticket, "transfer", actor=_desk_actor(actor), now=now, to_org=to_org.code,
                 note=note)


@transaction.atomic
def ticket_take(*, ticket: Ticket, actor, now=None) -> Ticket:
    """An operator takes a queued after-hours ticket in working hours and routes it."""
    require_operator(actor)
    now = now or timezone.now()
    if Ticket.objects.get(pk=ticket.pk).state != TicketStatus.QUEUED:
        _invalid("status", "该工单不在非工作时间队列中")
    ticket = _step(ticket, "intake", actor=actor, now=now)
    return ticket_route(ticket=ticket, actor=actor, now=now)


@transaction.atomic
def reply_record(*, ticket: Ticket, method: str, text: str, actor, now=None) -> Ticket:
    """The department replies to the desk by phone note or e-mail (116号 三(二))."""
    ticket = Ticket.objects.select_related("org").get(pk=ticket.pk)
    require_ticket_handler(actor, ticket)
    return _step(ticket, "reply", actor=actor, now=now, method=method, text=text)


@transaction.atomic
def ticket_close(*, ticket: Ticket, satisfaction: int | None, actor, note: str = "",
                 now=None) -> Ticket:
    """The call-back: the desk tells the caller the reply and records a satisfaction score
    (step `call_back`)."""
    require_operator(actor)
    data = {"note": note}
    if satisfaction is not None:
        data["satisfaction"] = satisfaction
    return _step(ticket, "call_back", actor=actor, now=now, **data)


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, actor, reason: str, now=None) -> Ticket:
    require_operator(actor)
    return _step(ticket, "reopen", actor=actor, now=now, reason=kb.clean_text(reason))


def tickets_sweep(*, now=None, actor=None) -> dict:
    """`kmgov hotline sweep`: the kernel's sweep (`kmgov procedures sweep`), which fires every
    due reminder and escalation of every procedure once; the counts returned are the desk's
    (reminders to departments whose reply falls due, escalations to 市政府办公厅 of those
    overdue, 116号 五(三))."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Ticket).pk
    counts = {"reminded": 0, "escalated": 0}

    def on_fire(deadline, outcome):
        if deadline.content_type_id == ct:
            key = {"reminders": "reminded", "escalations": "escalated"}.get(outcome)
            if key:
                counts[key] += 1

    deadlines_sweep(now=now, on_fire=on_fire)
    return counts


@transaction.atomic
def open311_key_create(*, label: str, actor=None) -> Open311Key:
    k = Open311Key.objects.create(key=secrets.token_hex(16), label=label)
    audit_record(actor=actor, action="hotline.open311_key.create", obj=k)
    return k
