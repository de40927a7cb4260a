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
from django.db import models, transaction
from django.utils import timezone

from kmgov.core import calendar
from kmgov.core.audit import audit_record
from kmgov.core.audit import together as audit_together
from kmgov.core.models import OrgUnit
from kmgov.core.ratelimit import hit, hits_now
from kmgov.procedures.errors import (
    CaseNotFound,
    ProcedureError,
    SeparationOfDuties,
    StepInputInvalid,
    TransitionDenied,
)
from kmgov.procedures.services import (
    attachment_add,
    case_create,
    case_transition,
    deadlines_sweep,
    inbox_together,
    reference_take,
)

from . import kb, notices, selectors
from .models import (
    DESK_ORG,
    DISSATISFIED,
    AccessPlatform,
    Channel,
    EntryStatus,
    KbEntry,
    KbEntryVersion,
    Open311Key,
    RequestType,
    Synonym,
    Ticket,
    TicketEvent,
    TicketStatus,
    Topic,
    VersionStatus,
    event_write,
    events_together,
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
            # The seed is the departments' FAQ authorisation table (116号 三(四)1): each
            # line is approved version 1 of its entry.
            obj = KbEntry.objects.filter(key=e["key"]).first()
            if obj is None:
                obj = KbEntry(key=e["key"], **fields)
                obj.full_clean()
                obj.save()
                KbEntryVersion.objects.create(
                    entry=obj, number=1, status=VersionStatus.APPROVED, note="授权事项表",
                    decision_note="部门授权事项表", decided_at=timezone.now(),
                    **_content_of(obj))
                counts["entries_created"] += 1
                changed.append(obj)
            elif (obj.version == 1 and obj.status == EntryStatus.ACTIVE
                  and any(getattr(obj, k) != v for k, v in fields.items())):
                for k, v in fields.items():
                    setattr(obj, k, v)
                obj.full_clean()
                obj.save()
                KbEntryVersion.objects.filter(entry=obj, number=1).update(**_content_of(obj))
                counts["entries_updated"] += 1
                changed.append(obj)
    kb.entries_reindex(changed)
    if changed or counts["topics"]:
        audit_record(actor=actor, action="hotline.kb_seed_load", object_type="hotline.kbentry",
                     object_id="*", extra=counts)
    counts["entries"] = KbEntry.objects.count()
    return counts


# --- knowledge base -----------------------------------------------------------------------
#
# Governance (issue 13 item 4; 116号 三(四)1 the departments' FAQ authorisation table, 三(五)
# "由各级各部门对涉及本部门相关职能职责等信息数据及时修改、删除、增加相关信息"): staff draft an entry
# or a change of it (a new `KbEntryVersion`, pending); a liaison or official of the entry's
# department who did not draft it approves it (the version becomes the entry's served content)
# or sends it back. Every edit is a version; the entry holds only the approved current one,
# which is all the public is answered with. A validity end is reminded before it comes
# (`kb_expiry_sweep`, through the kernel's outbox) and an entry past it is marked expired.
# Every approve, withdraw and expiry calls `kb.kb_changed()` (rankings kept in memory drop it).

ENTRY_FIELDS = KbEntry.CONTENT_FIELDS


def _content_of(obj) -> dict:
    return {f: getattr(obj, f) for f in ENTRY_FIELDS}


def _clean_changes(changes: dict) -> dict:
    out = {}
    for k, v in changes.items():
        if k not in ENTRY_FIELDS:
            _invalid(k, "不能修改的字段")
        if k in ("valid_from", "valid_to"):
            try:
                v = _date(v)
            except ValueError:
                _invalid(k, "日期格式应为 YYYY-MM-DD")
        elif k == "topic" and isinstance(v, str):
            v = Topic.objects.filter(code=v).first() if v else None
        elif isinstance(v, str):
            v = kb.clean_text(v)
        out[k] = v
    return out


def _check_version(v: KbEntryVersion) -> None:
    if not v.question:
        _invalid("question", "请填写问题")
    if not v.answer:
        _invalid("answer", "请填写答案")
    if v.valid_from is None:
        _invalid("valid_from", "请填写授权起日")
    if v.valid_to and v.valid_to < v.valid_from:
        _invalid("valid_to", "授权止日不能早于授权起日")
    if len(v.question) > 255:
        _invalid("question", "问题最多 255 字")
    if v.rule_id:
        from kmgov.rules import RuleError, get_rule

        try:
            get_rule(v.rule_id)
        except RuleError:
            _invalid("rule_id", f"没有这条计算规则：{v.rule_id}")


def require_entry_drafter(user, org: OrgUnit) -> None:
    """Staff draft: the desk's operators (from the calls they take) and the department's own
    liaison and officials; the administrator too."""
    if is_operator(user):
        return
    require_entry_editor(user, org)


def require_entry_approver(user, version: KbEntryVersion) -> None:
    """A liaison or official of the entry's department approves; never the version's author
    (separation of duties); a superuser only through such a role."""
    from .permissions import works_for

    if not works_for(user, version.entry.org):
        raise HotlinePermissionError(
            f"只有 {version.entry.org.name} 的联络员或工作人员可以审批该部门的知识库条目")
    if version.author_id is not None and version.author_id == getattr(user, "pk", None):
        raise HotlinePermissionError("不能审批自己起草的版本（职责分离）：请由本部门其他人员审批")


@transaction.atomic
def kb_draft_create(*, org: OrgUnit, actor, key: str | None = None, note: str = "",
                    **content) -> KbEntryVersion:
    """A new entry, drafted: not answered with until its department approves it."""
    require_entry_drafter(actor, org)
    content = _clean_changes(content)
    content.setdefault("authorised_by", "")
    version = KbEntryVersion(number=1, author=person(actor), note=kb.clean_text(note),
                             **content)
    _check_version(version)
    entry = KbEntry(key=key or f"{org.code[:40]}-{secrets.token_hex(4)}", org=org,
                    status=EntryStatus.DRAFT, version=0, **content)
    entry.authorised_by = entry.authorised_by or "（待审批）"
    entry.full_clean()
    entry.save()
    version.entry = entry
    version.save()
    audit_record(actor=actor, action="hotline.entry.draft", obj=entry, org=org,
                 to_state=VersionStatus.PENDING, extra={"version": 1})
    return version


@transaction.atomic
def kb_draft_edit(*, entry: KbEntry, actor, note: str = "", **changes) -> KbEntryVersion:
    """A change of an entry, drafted as its next version from the current content; the served
    content stays as it is until the change is approved."""
    entry = KbEntry.objects.select_for_update().get(pk=entry.pk)
    require_entry_drafter(actor, entry.org)
    if entry.versions.filter(status=VersionStatus.PENDING).exists():
        _invalid("__all__", "该条目已有待审批的修改稿，请先由部门审批或退回")
    changes = _clean_changes(changes)
    base = _content_of(entry)
    number = (entry.versions.aggregate(m=models.Max("number"))["m"] or 0) + 1
    version = KbEntryVersion(entry=entry, number=number, author=person(actor),
                             note=kb.clean_text(note), **{**base, **changes})
    if _content_of(version) == base:
        _invalid("__all__", "没有修改任何内容")
    _check_version(version)
    version.save()
    audit_record(actor=actor, action="hotline.entry.draft", obj=entry, org=entry.org,
                 to_state=VersionStatus.PENDING,
                 extra={"version": number, "changed": sorted(k for k in changes
                                                             if changes[k] != base[k])})
    return version


@transaction.atomic
def kb_version_approve(*, version: KbEntryVersion, actor, note: str = "",
                       now=None) -> KbEntry:
    """The department approves a drafted version: it becomes the entry's served content
    (authorised by the approver), the previous approved version is superseded."""
    version = KbEntryVersion.objects.select_for_update().select_related("entry__org").get(
        pk=version.pk)
    require_entry_approver(actor, version)
    if version.status != VersionStatus.PENDING:
        _invalid("status", "该版本不在待审批状态")
    now = now or timezone.now()
    entry = KbEntry.objects.select_for_update().get(pk=version.entry_id)
    prev_status = entry.status
    entry.versions.filter(status=VersionStatus.APPROVED).update(
        status=VersionStatus.SUPERSEDED)
    name = (getattr(actor, "display_name", "") or actor.get_full_name() or actor.get_username())
    version.authorised_by = kb.clean_text(f"{entry.org.short_name or entry.org.name} {name}")[:64]
    version.status = VersionStatus.APPROVED
    version.decided_by, version.decided_at = actor, now
    version.decision_note = kb.clean_text(note)[:255]
    version.save()
    for f, v in _content_of(version).items():
        setattr(entry, f, v)
    entry.version = version.number
    entry.status = EntryStatus.ACTIVE
    entry.expiry_reminded_for = None
    entry.full_clean()
    entry.save()
    kb.entries_reindex([entry])
    kb.kb_changed()
    audit_record(actor=actor, action="hotline.entry.approve", obj=entry, org=entry.org,
                 from_state=prev_status, to_state=entry.status, reason=version.decision_note,
                 extra={"version": version.number,
                        "author": version.author.get_username() if version.author else None})
    return entry


@transaction.atomic
def kb_version_reject(*, version: KbEntryVersion, actor, reason: str, now=None
                      ) -> KbEntryVersion:
    """The department sends a draft back (with its reason); the served content is unchanged."""
    version = KbEntryVersion.objects.select_for_update().select_related("entry__org").get(
        pk=version.pk)
    require_entry_approver(actor, version)
    if version.status != VersionStatus.PENDING:
        _invalid("status", "该版本不在待审批状态")
    reason = kb.clean_text(reason)
    if not reason:
        _invalid("reason", "请写明退回理由")
    version.status = VersionStatus.REJECTED
    version.decided_by, version.decided_at = actor, now or timezone.now()
    version.decision_note = reason[:255]
    version.save()
    audit_record(actor=actor, action="hotline.entry.reject", obj=version.entry,
                 org=version.entry.org, from_state=VersionStatus.PENDING,
                 to_state=VersionStatus.REJECTED, reason=reason,
                 extra={"version": version.number})
    return version


# The desk's earlier write paths, now drafts (API `POST/PATCH /entries`, the department desk).
def kb_entry_create(*, org: OrgUnit, question: str, answer: str, valid_from, actor,
                    authorised_by: str = "", key: str | None = None, **fields) -> KbEntry:
    """Draft a new entry (approved by the department before it is answered with)."""
    return kb_draft_create(org=org, actor=actor, key=key, question=question, answer=answer,
                           valid_from=valid_from, authorised_by=authorised_by,
                           **{k: v for k, v in fields.items() if k in ENTRY_FIELDS}).entry


def kb_entry_update(*, entry: KbEntry, actor, **changes) -> KbEntry:
    """Draft a change of an entry (its next version, approved by the department)."""
    return kb_draft_edit(entry=entry, actor=actor, **changes).entry


@transaction.atomic
def kb_entry_withdraw(*, entry: KbEntry, actor, reason: str = "") -> KbEntry:
    entry = KbEntry.objects.select_for_update().get(pk=entry.pk)
    require_entry_editor(actor, entry.org)
    prev = entry.status
    entry.status = EntryStatus.WITHDRAWN
    entry.save()
    entry.versions.filter(status=VersionStatus.PENDING).update(
        status=VersionStatus.REJECTED, decision_note="条目已撤回")
    kb.kb_changed()
    audit_record(actor=actor, action="hotline.entry.withdraw", obj=entry, org=entry.org,
                 from_state=prev, to_state=entry.status, reason=reason)
    return entry


def _expiry_recipients(entry: KbEntry):
    """The entry's department: its liaisons and officials with an account (inbox), and the
    liaison phone its access platform registers (SMS)."""
    from kmgov.core.models import RoleAssignment
    from kmgov.procedures.notify import Recipient

    from .models import DEPARTMENT_ROLES

    out = []
    for a in RoleAssignment.objects.filter(org=entry.org, role__in=DEPARTMENT_ROLES
                                           ).select_related("user"):
        out.append(Recipient(name=getattr(a.user, "display_name", "") or a.user.get_username(),
                             role=a.get_role_display(), user=a.user))
    platform = AccessPlatform.objects.filter(org=entry.org).first()
    if platform and platform.liaison_phone:
        out.append(Recipient(name=platform.liaison_name or "联络员", role="联络员",
                             phone=platform.liaison_phone))
    return out


def kb_expiry_sweep(*, today: dt.date | None = None, actor=None) -> dict:
    """Remind each department of its entries whose validity ends within
    `hotline.kb_expiry_remind_days` (once per end date), and mark entries past their end
    expired (no longer answered with). Idempotent; run by `kmgov hotline kb-expiry` and by
    `kmgov hotline sweep`."""
    from kmgov.procedures.notify import notify
    from kmgov.rules import parameter_value

    today = today or timezone.localdate()
    days = int(parameter_value("hotline.kb_expiry_remind_days", today))
    horizon = today + dt.timedelta(days=days)
    reminded = expired = 0
    due = KbEntry.objects.filter(status=EntryStatus.ACTIVE, valid_to__isnull=False,
                                 valid_to__gte=today, valid_to__lte=horizon
                                 ).select_related("org")
    for e in due:
        if e.expiry_reminded_for == e.valid_to:
            continue
        with transaction.atomic():
            locked = KbEntry.objects.select_for_update().get(pk=e.pk)
            if locked.expiry_reminded_for == locked.valid_to:
                continue
            left = (locked.valid_to - today).days
            notify(_expiry_recipients(e), subject=f"96128知识库条目将于{locked.valid_to}到期",
                   body=(f"贵部门授权的96128知识库条目“{locked.question}”授权期至"
                         f"{locked.valid_to}（还有{left}天）。到期后专线不再以此作答；如需继续"
                         f"使用，请修改授权止日或更新内容并审批（昆政办〔2010〕116号 三(五)）。"),
                   source="hotline.kb_expiry", ref=locked.key, org=e.org, actor=actor)
            locked.expiry_reminded_for = locked.valid_to
            locked.save(update_fields=["expiry_reminded_for"])
            audit_record(actor=actor, action="hotline.entry.expiry_reminder", obj=locked,
                         org=e.org, extra={"valid_to": locked.valid_to.isoformat(),
                                           "days_left": left})
        reminded += 1
    changed = False
    for e in KbEntry.objects.filter(status=EntryStatus.ACTIVE, valid_to__lt=today):
        with transaction.atomic():
            n = KbEntry.objects.filter(pk=e.pk, status=EntryStatus.ACTIVE).update(
                status=EntryStatus.EXPIRED)
            if n:
                audit_record(actor=actor, action="hotline.entry.expire", obj=e, org=e.org,
                             from_state=EntryStatus.ACTIVE, to_state=EntryStatus.EXPIRED,
                             extra={"valid_to": e.valid_to.isoformat()})
                expired += 1
                changed = True
    if changed:
        kb.kb_changed()
    return {"reminded": reminded, "expired": expired, "remind_days": days}


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
        denied = HotlinePermissionError(exc.message)
        if isinstance(exc, SeparationOfDuties):
            denied.code = exc.code  # the API says why (separation_of_duties)
        raise denied from None
    except StepInputInvalid as exc:
        raise ValidationError({(e["field"].split(".")[0] or "__all__"): [e["message"]]
                               for e in exc.errors} or {"__all__": [exc.message]}) from None
    except ProcedureError as exc:
        raise ValidationError({exc.field or "status": [exc.message]}) from None


def _step(ticket: Ticket, name: str, *, actor, now=None, reason: str = "",
          savepoint: bool = True, **data) -> Ticket:
    """A step; inside the intake (`savepoint=False`) on the ticket as this transaction wrote
    it (the kernel's `held`: no second read of the row)."""
    with _kernel():
        return case_transition(ticket, name, actor=actor, now=now, reason=reason,
                               data=data or None, savepoint=savepoint, held=not savepoint)


def _desk_actor(actor):
    """Who takes the desk's steps: the operator at the desk, else the desk's own account."""
    return actor if is_operator(actor) else desk_account()


def _desk_org(desk) -> OrgUnit:
    """The desk's unit, as the desk actor's own role assignments hold it (read with their units
    when `is_operator` checked them, earlier in this request), else read by its code."""
    for a in getattr(desk, "_kmgov_assignments", None) or ():
        if a.org_id is not None and a.org.code == DESK_ORG:
            return a.org
    return OrgUnit.objects.get(code=DESK_ORG)


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
    return event_write(TicketEvent(ticket=ticket, kind=kind, at=at or timezone.now(),
                                   actor=person(actor), **kw))


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
def _ticket_create(**kw) -> Ticket:
    # the intake's audit entries in one INSERT at its end, its history events in another, and
    # its inbox items (opened by the creation and each step, all but the last closed) in a third
    with audit_together(), events_together() as events, inbox_together():
        ticket = _ticket_write(**kw)
    if all(e.pk is not None for e in events):
        # written by the block just ended, with their ids: the history as the answer shows it
        # (selectors.ticket_events(written=…)), without reading it back
        ticket._kmgov_events = [e for e in events if e.ticket_id == ticket.pk]
    return ticket


def _ticket_write(*, channel, request_type, text, actor, topic, caller_name, caller_phone,
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
    # The intake is one transaction that any refusal rolls back whole: the kernel's steps
    # inside it set no savepoints of their own (savepoint=False; two round trips each).
    with _kernel():
        ticket = case_create(
            Ticket, actor=desk, org=_desk_org(desk), now=now, savepoint=False,
            trusted=("number",),  # a random placeholder, replaced below by the public number
            title=f"{label}：{text[:60]}", reference=reference,
            number=f"tmp-{secrets.token_hex(6)}", check_code=f"{secrets.randbelow(10**8):08d}",
            channel=channel, request_type=request_type, topic=topic or topic_guess(text),
            caller_name=caller_name, caller_phone=caller_phone, caller_email=caller_email,
            text=text, received_at=now, after_hours=not open_now,
            handle_from=calendar.next_working_moment(now),
            operator=actor if staff else None, source_ip=source_ip, api_key=api_key)
    ticket.number = _new_number(ticket)
    ticket.applicant = citizen  # the citizen who filed it logged in, else nobody
    taken_up = open_now or staff and channel != Channel.PHONE
    web_query = channel == Channel.WEB and request_type == RequestType.QUERY
    if not (taken_up or web_query):
        # (otherwise the step that follows writes the row, these two fields with it)
        ticket.save(update_fields=["number", "applicant"])
    notices.receipt(ticket, actor=desk, now=now)  # number + check code to the caller's contact
    # Attachments: judged by their bytes (kernel), stored by the kernel under the case.
    for name, _content_type, data in attachments:
        with _kernel():
            attachment_add(ticket, key="attachment", file=io.BytesIO(data),
                           name=kb.clean_text(name)[:255] or "附件", actor=desk, now=now)
    _event(ticket, TicketEvent.Kind.CREATED, actor=actor, at=now,
           extra={"channel": channel, "request_type": request_type})
    if taken_up:
        # The desk routes what a citizen files; an operator routes what they take.
        ticket = _step(ticket, "intake", actor=desk, now=now, savepoint=False)
        if not route:
            return ticket
        return _route(ticket, actor=desk, now=now, savepoint=False)
    # Outside working hours nobody takes the call (116号 三(二)): a query the knowledge base
    # answers is answered at once on the web; everything else is recorded and queued.
    if web_query:
        entry = kb.best_answer(text, on=calendar.local(now).date())
        if entry is not None:
            ticket._kmgov_entry = entry
            return _step(ticket, "answer", actor=desk, now=now, savepoint=False,
                         **_answer_data(ticket, entry))
        ticket.save(update_fields=["number", "applicant"])
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
    return _route(Ticket.objects.get(pk=ticket.pk), actor=actor, now=now or timezone.now(),
                  answer_entry=answer_entry, note=note)


def _route(ticket: Ticket, *, actor, now, answer_entry: KbEntry | None = None, note: str = "",
           savepoint: bool = True) -> Ticket:
    """`ticket_route` on a ticket as just read or written in this transaction."""
    if ticket.state not in (TicketStatus.OPEN, TicketStatus.QUEUED):
        _invalid("status", "只有待处理的工单可以分流")
    if answer_entry is not None and not answer_entry.is_answerable(calendar.local(now).date()):
        _invalid("answer_entry", "该知识库条目不在授权有效期内或已撤回，不能作答")
    actor = actor if getattr(actor, "is_authenticated", False) else desk_account()
    if ticket.state == TicketStatus.QUEUED:
        ticket = _step(ticket, "intake", actor=actor, now=now, savepoint=savepoint)
    d = route_decision(ticket, now=now, entry=answer_entry)
    if d.destination == "answer_directly":
        ticket._kmgov_entry = d.entry  # read just now: the step need not read it again
        return _step(ticket, "answer", actor=actor, now=now, savepoint=savepoint,
                     **_answer_data(ticket, d.entry))
    if d.org is None:
        return ticket  # stays at the desk for an operator
    ticket._kmgov_route = d  # the step need not decide again
    return _step(ticket, "route", actor=actor, now=now, note=note, savepoint=savepoint)


@transaction.atomic
def ticket_answer(*, ticket: Ticket, entry: KbEntry, actor=None, now=None,
                  text: str = "") -> Ticket:
    """The operator answers from an authorised knowledge-base entry (116号 三(四)1), with the
    entry's answer or the operator's edit of it (`text`); the caller is sent the answer."""
    now = now or timezone.now()
    if actor is not None and getattr(actor, "is_authenticated", False):
        require_operator(actor)
    if not entry.is_answerable(calendar.local(now).date()):
        _invalid("answer_entry", "该知识库条目不在授权有效期内或已撤回，不能作答")
    return _step(ticket, "answer", actor=_desk_actor(actor), now=now,
                 **_answer_data(ticket, entry, text))


def _answer_data(ticket: Ticket, entry: KbEntry, text: str = "") -> dict:
    """The answer step's input: the operator's own edit when there is one; else, when the
    entry links a rule the ticket's own facts compute (2500亩 → 59号 四(五)), the computed
    sentence with its provision before the entry's text (`compute.entry_answer`), so that what
    is stored and sent to the caller is the amount, not only the general rule."""
    from . import compute

    data = {"entry_id": entry.pk}
    text = (text or "").replace("\r\n", "\n")  # a browser's textarea sends CRLF
    if text.strip() and text.strip() != (entry.answer or "").strip():
        data["text"] = text
        return data
    answer = compute.entry_answer(entry, ticket.text)
    if answer != entry.answer:
        data["text"] = answer[:MAX_TEXT]
    return data


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
def reply_record(*, ticket: Ticket, method: str, text: str, actor, now=None, attachments=(),
                 for_caller: bool = False) -> Ticket:
    """The department replies to the desk by phone note or e-mail (116号 三(二)), with files
    (`attachments`: (name, content type, bytes), the kernel's checks of size and type by the
    bytes): stored under the ticket as its `reply` documents and named in the reply's event;
    `for_caller` marks them to be offered on the caller's follow-up page. All or nothing: a
    refused file or reply leaves no row and no stored file."""
    from django.core.files.storage import default_storage

    ticket = Ticket.objects.select_related("org").get(pk=ticket.pk)
    require_ticket_handler(actor, ticket)
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        _invalid("attachments", f"附件最多 {MAX_ATTACHMENTS} 个")
    stored = []
    try:
        for name, _content_type, data in attachments:
            with _kernel():
                stored.append(attachment_add(
                    ticket, key="reply", file=io.BytesIO(data), now=now, actor=actor,
                    name=kb.clean_text(name)[:255] or "附件"))
        ticket = _step(ticket, "reply", actor=actor, now=now, method=method, text=text)
        if stored:
            ev = ticket.events.filter(kind=TicketEvent.Kind.REPLIED).order_by("-at", "-id").first()
            ev.extra = {**ev.extra, "attachments": [a.pk for a in stored],
                        "for_caller": bool(for_caller)}
            ev.save(update_fields=["extra"])
            _audit(ticket, "reply_attachments", actor=actor, event=ev.pk,
                   attachments=[a.pk for a in stored], for_caller=bool(for_caller))
    except BaseException:
        for a in stored:  # the rows roll back with the transaction; the files go here
            default_storage.delete(a.file.name)
        raise
    return ticket


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


# --- the lifecycle of the national hotline guidelines -------------------------------------
#
# Each function is one transaction: the declared steps go through the kernel (state, role,
# scope, typed input, audit entry, inbox, deadlines in working days); what changes no state
# (a note, a unit's request for more time, a missed call) writes its event and audit entry
# here. Every function checks who is asking before it reads anything else.


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).select_related("org").get(pk=ticket.pk)


def _audit(ticket: Ticket, action: str, *, actor, **extra) -> None:
    audit_record(actor=actor, action=f"hotline.{action}", obj=ticket, org=ticket.org,
                 extra={"number": ticket.number, **extra})


def can_handle(user, ticket: Ticket) -> bool:
    """The desk, the lead unit, or a supporting unit of the ticket."""
    from .permissions import works_for

    if is_operator(user) or works_for(user, ticket.assigned_org):
        return True
    return any(works_for(user, o) for o in ticket.supporting_orgs.all())


@transaction.atomic
def ticket_note(*, ticket: Ticket, text: str, actor, now=None) -> TicketEvent:
    """An internal note (not sent to the caller) by the desk or a unit handling the ticket."""
    ticket = _locked(ticket)
    if not can_handle(actor, ticket):
        raise HotlinePermissionError("该工单未转至您的部门")
    text = kb.clean_text(text or "")
    if not text:
        _invalid("text", "请填写备注内容")
    if len(text) > MAX_TEXT:
        _invalid("text", f"备注过长：最多 {MAX_TEXT} 字")
    ev = _event(ticket, TicketEvent.Kind.NOTE, actor=actor, at=now or timezone.now(), text=text,
                extra={"internal": True})
    _audit(ticket, "note", actor=actor, event=ev.pk)
    return ev


def _org_of(code_or_name: str, field: str) -> OrgUnit:
    from .selectors import unit_resolve

    org = unit_resolve(code_or_name)
    if org is None:
        _invalid(field, f"没有名称或代码为“{code_or_name}”的单位，请从列表中选择" if code_or_name
                 else "请选择单位")
    return org


@transaction.atomic
def ticket_dispatch(*, ticket: Ticket, lead: str, supporting=(), actor, note: str = "",
                    now=None) -> Ticket:
    """Dispatch to a lead unit (主办) with supporting units (协办); from a refused ticket this is
    the re-dispatch (改派). Units are given by code or by their full name."""
    require_operator(actor)
    lead_org = _org_of((lead or "").strip(), "lead_org")
    codes = [_org_of(s.strip(), "supporting_orgs").code for s in supporting if s and s.strip()]
    return _step(ticket, "dispatch", actor=actor, now=now, lead_org=lead_org.code,
                 supporting_orgs=codes, note=note)


@transaction.atomic
def ticket_refuse(*, ticket: Ticket, reason: str, actor, now=None) -> Ticket:
    """A unit returns a dispatch that is not its duty (退单), saying why; the desk reviews it."""
    ticket = Ticket.objects.select_related("org").get(pk=ticket.pk)
    require_ticket_handler(actor, ticket)
    return _step(ticket, "refuse", actor=actor, now=now, reason_text=reason)


@transaction.atomic
def ticket_merge(*, ticket: Ticket, master_number: str, actor, note: str = "",
                 now=None) -> Ticket:
    """并单: the duplicate closes pointing to the master; its caller is told."""
    require_operator(actor)
    return _step(ticket, "merge", actor=actor, now=now, master=master_number, note=note)


@transaction.atomic
def ticket_finish(*, ticket: Ticket, result: str, actor, now=None) -> Ticket:
    """办结 with a result: sent to the caller (and to the callers of merged duplicates); the
    call-back is then due within `hotline.callback_working_days`."""
    require_operator(actor)
    return _step(ticket, "finish", actor=actor, now=now, result=result)


@transaction.atomic
def ticket_call_back(*, ticket: Ticket, satisfaction: int | None, actor, note: str = "",
                     now=None) -> Ticket:
    """回访 with the five-level rating; 不满意 or 非常不满意 reopens the case back to the unit
    that handled it (or to the desk when the desk answered it)."""
    require_operator(actor)
    data = {"note": note}
    if satisfaction is not None:
        data["satisfaction"] = satisfaction
    ticket = _step(ticket, "call_back", actor=actor, now=now, **data)
    if satisfaction in DISSATISFIED:
        from .models import SATISFACTION_LEVELS

        why = f"回访{SATISFACTION_LEVELS[satisfaction]}" + (f"：{note}" if note else "")
        if ticket.assigned_org_id:
            ticket = _step(ticket, "reopen_to_unit", actor=actor, now=now, reason=why)
        else:
            ticket = _step(ticket, "reopen", actor=actor, now=now, reason=why)
    return ticket


@transaction.atomic
def ticket_extension_request(*, ticket: Ticket, days: int, reason: str, actor,
                             now=None) -> Ticket:
    """The unit asks for more working days; the desk approves (step `extend`) or refuses."""
    from kmgov.rules import parameter_value

    ticket = _locked(ticket)
    require_ticket_handler(actor, ticket)
    if ticket.state != TicketStatus.TRANSFERRED:
        _invalid("status", "只有办理中的工单可以申请延期")
    if is_operator(actor) and not ticket_is_units(actor, ticket):
        raise HotlinePermissionError("延期由承办单位申请")
    now = now or timezone.now()
    most = int(parameter_value("hotline.extension_max_working_days", calendar.local(now).date()))
    try:
        days = int(days)
    except (TypeError, ValueError):
        _invalid("days", "延期天数应为整数")
    if not 1 <= days <= most:
        _invalid("days", f"延期应为 1–{most} 个工作日")
    reason = kb.clean_text(reason or "")
    if not reason:
        _invalid("reason", "请说明延期理由")
    ticket.extension_days, ticket.extension_reason = days, reason[:500]
    ticket.save(update_fields=["extension_days", "extension_reason"])
    _event(ticket, TicketEvent.Kind.EXTENSION_REQUESTED, actor=actor, at=now,
           from_org=ticket.assigned_org, text=reason[:500], extra={"days": days})
    _audit(ticket, "extension_request", actor=actor, days=days)
    return ticket


def ticket_is_units(user, ticket) -> bool:
    from .permissions import works_for

    return works_for(user, ticket.assigned_org)


@transaction.atomic
def ticket_extension_decide(*, ticket: Ticket, approve: bool, actor, days: int | None = None,
                            note: str = "", now=None) -> Ticket:
    """The desk (centre) approves the request (the period continues with the days left plus
    those granted) or refuses it (the period runs on unchanged)."""
    require_operator(actor)
    ticket = _locked(ticket)
    if ticket.extension_days is None:
        _invalid("days", "该工单没有待审批的延期申请")
    if approve:
        return _step(ticket, "extend", actor=actor, now=now,
                     days=days if days is not None else ticket.extension_days, note=note)
    _event(ticket, TicketEvent.Kind.EXTENSION_REFUSED, actor=actor, at=now or timezone.now(),
           to_org=ticket.assigned_org, text=kb.clean_text(note or ""),
           extra={"requested": ticket.extension_days})
    ticket.extension_days, ticket.extension_reason = None, ""
    ticket.save(update_fields=["extension_days", "extension_reason"])
    _audit(ticket, "extension_refuse", actor=actor)
    return ticket


@transaction.atomic
def ticket_suspend(*, ticket: Ticket, note: str, actor, now=None) -> Ticket:
    """挂起 while waiting for the caller: the reply period stops (working days left kept)."""
    require_operator(actor)
    return _step(ticket, "suspend", actor=actor, now=now, note=note)


@transaction.atomic
def ticket_resume(*, ticket: Ticket, actor, note: str = "", now=None) -> Ticket:
    require_operator(actor)
    return _step(ticket, "resume", actor=actor, now=now, note=note)


def _require_lead_unit(actor, ticket: Ticket) -> None:
    """Only the lead unit (主办) acts on its ticket's clock: not a supporting unit (协办), not
    another unit (which does not even see the ticket: 404 before this), not the desk (which
    has its own pause)."""
    from .permissions import works_for

    if not works_for(actor, ticket.assigned_org):
        raise HotlinePermissionError("只有主办单位可以挂起或恢复本工单")


@transaction.atomic
def ticket_unit_suspend(*, ticket: Ticket, note: str, actor, now=None) -> Ticket:
    """The lead unit pauses while waiting for the caller (等待来电人补充材料 …): the same clock
    as the desk's 挂起 (working days left kept, restarted on resume)."""
    ticket = _locked(ticket)
    _require_lead_unit(actor, ticket)
    return _step(ticket, "unit_suspend", actor=actor, now=now, note=note)


@transaction.atomic
def ticket_unit_resume(*, ticket: Ticket, actor, note: str = "", now=None) -> Ticket:
    ticket = _locked(ticket)
    _require_lead_unit(actor, ticket)
    return _step(ticket, "unit_resume", actor=actor, now=now, note=note)


# --- missed calls -------------------------------------------------------------------------


@transaction.atomic
def missed_call_record(*, phone: str, actor, at=None):
    """A call that was not answered (the switch reports it, or an operator notes it)."""
    from .models import MissedCall

    require_operator(actor)
    phone = "".join(ch for ch in (phone or "") if ch.isdigit() or ch == "+")
    if not 5 <= len(phone) <= 20:
        _invalid("phone", "来电号码应为 5–20 位数字")
    call = MissedCall.objects.create(phone=phone, at=at or timezone.now())
    audit_record(actor=actor, action="hotline.missed_call", obj=call, extra={"phone": phone})
    return call


@transaction.atomic
def missed_call_call_back(*, call, outcome: str, actor, ticket_number: str = "", now=None):
    """The operator called the number back: what came of it, and the ticket filed if any."""
    from .models import MissedCall

    require_operator(actor)
    call = MissedCall.objects.select_for_update().get(pk=call.pk)
    if call.called_back_at is not None:
        _invalid("call", "该未接来电已回拨")
    outcome = kb.clean_text(outcome or "")
    if not outcome:
        _invalid("outcome", "请填写回拨结果")
    if ticket_number:
        call.ticket = Ticket.objects.filter(number=ticket_number.strip()).first()
        if call.ticket is None:
            _invalid("ticket", "没有该工单")
    call.called_back_at, call.called_back_by = now or timezone.now(), actor
    call.outcome = outcome[:500]
    call.save()
    audit_record(actor=actor, action="hotline.missed_call_back", obj=call,
                 extra={"ticket": ticket_number or None})
    return call


@transaction.atomic
def ticket_close_without_call_back(*, ticket: Ticket, actor, reason: str, now=None) -> Ticket:
    """办结（不回访）: a duplicate, an invalid call, a caller who cannot be reached; the reason
    is required (step `close`)."""
    require_operator(actor)
    return _step(ticket, "close", actor=actor, now=now, reason=kb.clean_text(reason or ""))
