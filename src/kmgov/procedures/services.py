"""Writes of the procedures kernel. Each is one transaction that also writes the audit entry.

- `case_create`: a new case with its reference number.
- `case_transition`: one declared step, guarded by state, role, scope, window and conditions.
- `attachment_add`: a checklist document, checked by size and by content.
- `deadlines_sweep`: fire due reminders and escalations, each exactly once.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import threading
from typing import BinaryIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from kmgov.core.audit import audit_record, audit_record_into
from kmgov.core.calendar import (
    OFFICE_HOURS,
    TZ,
    CalendarRangeError,
    DayCount,
    add_days,
    add_working_days,
    end_of_day,
    local,
)
from kmgov.core.models import READ_ONLY_ROLES, AuditEntry, OrgUnit, Role
from kmgov.core.scope import can_change_org, has_role
from kmgov.core.together import Together
from kmgov.core.writes import Writes

from .attachments import check_file
from .declare import (
    AT_CITY,
    AT_COUNTY,
    AT_ORG,
    Await,
    DeadlineRule,
    StepSpec,
    Target,
    resolve_org,
    steps_of,
    unscoped_roles,
)
from .errors import (
    AttachmentRejected,
    ConditionUnmet,
    DeadlineUncountable,
    ProcedureError,
    SeparationOfDuties,
    StateChanged,
    TransitionDenied,
    TransitionNotAvailable,
)
from .inputs import jsonable, validate_input
from .models import (
    Attachment,
    Case,
    Deadline,
    DeadlineKind,
    InboxItem,
    InboxKind,
    ReferenceCounter,
)
from .selectors import case_visible, open_items_for_case, separation_refusal, step_allowed

# the inbox items of a block of steps, written in one INSERT (`inbox_together`)
_INBOX_TOGETHER = Together("inbox", lambda: InboxItem)

#: Sent on commit after the sweep fired a deadline: sender=Deadline, deadline=…, item=InboxItem.
#: Channels that notify people (e-mail, SMS) connect here; the inbox item is already written.
deadline_fired = Signal()
#: The same, for one procedure's cases only: sender=the case class (e.g. Ticket), deadline=…,
#: item=InboxItem. A module that acts on its own cases' deadlines connects here with its case
#: class as sender, so the other procedures' deadlines keep the set-based sweep (on PostgreSQL
#: a batch nobody listens to is one statement; a listened batch is settled row by row).
case_deadline_fired = Signal()
#: Sent on commit after a case changed state: sender=case class, case, step, from_state, to_state.
case_transitioned = Signal()

DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _state_label(model, state: str) -> str:
    field = model._meta.get_field("state")
    return dict(field.flatchoices).get(state, state)


def _not_found(case: Case):
    from .errors import CaseNotFound

    return CaseNotFound(f"没有找到编号为“{case.reference}”的事项，或您无权查看", field="reference")


# ---------------------------------------------------------------- creating a case

def _reference_counter(code: str, year: int) -> ReferenceCounter:
    """The year's counter, locked. The first case of a year creates it; when two are first at
    once on PostgreSQL, the loser of the insert takes the winner's row."""
    try:
        with transaction.atomic():
            counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
                procedure=code, year=year)
    except IntegrityError:
        counter = ReferenceCounter.objects.select_for_update().get(procedure=code, year=year)
    return counter


_TAKE = ("INSERT INTO {t} (\"procedure\", \"year\", \"last\") VALUES (%s, %s, 1) "
         "ON CONFLICT (\"procedure\", \"year\") DO UPDATE SET \"last\" = {t}.\"last\" + 1 "
         "RETURNING \"last\"")


def _take_number(code: str, year: int) -> int:
    """The year's next number, in one atomic statement (the counter row stays locked until
    the surrounding transaction ends, as before, but is neither read nor saved separately)."""
    with connection.cursor() as cur:
        cur.execute(_TAKE.format(t=ReferenceCounter._meta.db_table), [code, year])
        return int(cur.fetchone()[0])


def reference_take(model: type[Case], *, now: dt.datetime | None = None) -> str:
    """A reference for a case about to be created (`case_create(reference=…)`), taken in its
    own short transaction when called outside one: a channel that creates many cases at once
    (the 96128 intake) does not hold the year's counter locked while the rest of each case is
    written, so its callers do not queue behind each other. A case that is then not created
    leaves a gap in the numbers."""
    proc = model.procedure
    year = local(_now(now)).year
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return TakenReference(f"{proc.prefix()}-{year}-{_take_number(proc.code, year):05d}")
    # Outside a transaction the one statement is its own transaction (autocommit): no BEGIN
    # and COMMIT round trips around it.
    return TakenReference(f"{proc.prefix()}-{year}-{_take_number(proc.code, year):05d}")


class TakenReference(str):
    """A reference taken from the year's counter (`reference_take`): unique by construction,
    so `case_create` does not ask the database whether it is."""


def _trusted_relations(obj) -> list[str]:
    """Foreign keys of `obj` set to an instance read from the database (cached on `obj`, not
    being added): `full_clean` need not ask whether it exists (one query each) — the
    database's own constraint still holds at commit."""
    names = []
    for f in obj._meta.concrete_fields:
        if f.is_relation and f.many_to_one and f.is_cached(obj):
            rel = f.get_cached_value(obj)
            if rel is not None and not rel._state.adding and rel.pk == getattr(obj, f.attname):
                names.append(f.name)
    return names


@functools.cache
def _in_joint_checks(model) -> frozenset[str]:
    """Fields named by a check of several fields (unique together, a constraint): always
    validated, so that such a check is never skipped because one of its fields was."""
    names = set()
    for group in model._meta.unique_together:
        names.update(group)
    for c in model._meta.constraints:
        fields = getattr(c, "fields", ()) or ()
        if len(fields) != 1 or getattr(c, "condition", None) is not None:
            names.update(fields)
        if not fields:  # a check on an expression: keep every field in it
            names.update(f.name for f in model._meta.concrete_fields)
    return frozenset(names)


def _skippable(model, names) -> list[str]:
    joint = _in_joint_checks(model)
    return [n for n in names if n not in joint]


def _field_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _acts_anywhere(actor, model: type[Case]) -> bool:
    """Whether the actor works on the procedure's cases wherever they are: a role of a
    `SCOPE_ANY` step, or a role held at the fixed unit a step names (`at="city-housing"`)."""
    roles = unscoped_roles(model) - READ_ONLY_ROLES
    if roles and has_role(actor, *roles):
        return True
    for spec in steps_of(model).values():
        fixed = spec.at if isinstance(spec.at, str) and spec.at not in (AT_ORG, AT_COUNTY,
                                                                          AT_CITY) else None
        step_roles = spec.roles - READ_ONLY_ROLES
        if fixed and step_roles:
            unit = OrgUnit.objects.filter(code=fixed).first()
            if unit is not None and has_role(actor, *step_roles, within=unit):
                return True
    return False


def case_create(model: type[Case], *, actor, org: OrgUnit, applicant=None, title: str = "",
                now: dt.datetime | None = None, reference: str | None = None,
                savepoint: bool = True, trusted: tuple[str, ...] = (), **fields) -> Case:
    """Open a case of `model` for `org`. The actor must be able to act for that unit (an
    enterprise's own staff, or an official whose roles reach it), or hold a role that acts on
    the procedure's cases wherever they are (a step with `SCOPE_ANY`, or one taken at a fixed
    unit, `at="<org code>"`): a city-wide body opens the cases it then works on in every
    county (111号's inspection group, at 市住建局, inspecting a county).

    `savepoint=False`: inside a caller's transaction that any refusal rolls back whole (the
    96128 intake), no savepoint is set and released around the case (two round trips).
    `trusted`: fields the caller makes unique by construction (a random placeholder): not
    checked with a query (the database's constraint still holds)."""
    with transaction.atomic(savepoint=savepoint):
        return _case_create(model, actor=actor, org=org, applicant=applicant, title=title,
                            now=now, reference=reference, trusted=trusted, **fields)


def _case_create(model, *, actor, org, applicant, title, now, reference, trusted,
                 **fields) -> Case:
    if not (can_change_org(actor, org) or _acts_anywhere(actor, model)):
        raise TransitionDenied(f"您无权以“{org}”的名义办理{model.procedure.name}", field="org")
    proc = model.procedure
    moment = _now(now)
    year = local(moment).year
    case = model(org=org, applicant=applicant if applicant is not None else actor,
                 title=title or proc.name, **fields)
    case.reference = reference or f"{proc.prefix()}-{year}-{_take_number(proc.code, year):05d}"
    case.state_changed_at = moment
    exclude = ["state", *_skippable(model, _trusted_relations(case))]
    if reference is None or isinstance(reference, TakenReference):
        exclude.append("reference")  # taken from the counter just now: unique
    exclude += [f for f in trusted if f not in exclude]
    case.full_clean(exclude=exclude)
    case.save()
    case._kmgov_db_values = _field_values(case)  # what the row holds (see case_transition)
    case._kmgov_no_deadlines = True  # none scheduled yet (see `held` in case_transition)
    # inside `inbox_together()`: its items are all kept there (see `_close_items`)
    case._kmgov_inbox_kept = _INBOX_TOGETHER.kept()
    audit_record(actor=actor, action=f"{proc.code}.create", obj=case, org=org,
                 to_state=case.state, extra={"reference": case.reference})
    if proc.initial_awaits is not None:
        first = proc.initial_awaits
        _open_items(case, first if isinstance(first, tuple) else (first,), due_at=None)
    return case


# ---------------------------------------------------------------- transitions

def case_transition(case: Case, name: str, *, actor, reason: str = "",
                    expected_state: str | None = None, now: dt.datetime | None = None,
                    data=None, savepoint: bool = True, held: bool = False, **fields) -> Case:
    """Take the declared step `name` on `case`, as `actor`.

    In one transaction: lock the case row; refuse if its state is not the one the caller saw
    (`expected_state`, default the state of the `case` object passed in) with `StateChanged`;
    refuse steps not open from that state, not allowed to the actor's roles and scope, outside
    the filing window or with unmet conditions; run the step; write the audit entry (who, when,
    from, to, why); close what the inbox awaited and open what the step awaits next; cancel
    the old deadlines and schedule the new ones. Returns the updated case.

    `savepoint=False`: as in `case_create`, for a caller whose own transaction any refusal
    rolls back whole. `held=True`: `case` is the instance this same transaction created or
    returned from its previous step (its row written, hence locked, by this transaction and
    changed by nobody else since): it is used as it is, not read again under a lock.
    """
    model = type(case)
    specs = steps_of(model)
    if name not in specs:
        raise TransitionNotAvailable(f"{model.procedure.name}没有“{name}”这一操作", field="transition")
    spec = specs[name]
    if fields:
        data = {**(data.model_dump() if hasattr(data, "model_dump") else (data or {})), **fields}
    try:
        validated = validate_input(spec.input, data, step_label=spec.label)
    except ProcedureError:
        # who may not decide is told so before anything about the input (the refusal is
        # checked under the row lock below in any case: here only when the input is refused,
        # so that a valid step costs no extra query)
        if spec.duty is not None and step_allowed(case, spec, actor):
            refusal = separation_refusal(case, spec, actor)
            if refusal:
                raise SeparationOfDuties(refusal, field="actor") from None
        raise
    seen = expected_state if expected_state is not None else case.state
    moment = _now(now)
    with transaction.atomic(savepoint=savepoint):
        if held:
            if not transaction.get_connection().in_atomic_block or savepoint:
                raise RuntimeError("held=True is for a case written earlier in the caller's "
                                   "transaction (with savepoint=False)")
            locked = case
        else:
            # Lock the case row only (`of`): its org unit is read, not locked, on PostgreSQL.
            locked = (model.objects.select_for_update(of=("self",))
                      .select_related("org", "applicant").get(pk=case.pk))
            # What the caller's instance was found visible to (user, unit, applicant) carries
            # over: the check below asks again only if the unit or the applicant changed.
            seen_by = getattr(case, "_kmgov_visible_to", None)
            if seen_by is not None:
                locked._kmgov_visible_to = seen_by
        if not case_visible(locked, actor):
            raise _not_found(locked)
        if locked.state != seen:
            raise StateChanged(
                f"事项“{locked.reference}”的状态已变更为“{_state_label(model, locked.state)}”"
                f"（您看到的是“{_state_label(model, seen)}”），请刷新后重试",
                field="expected_state")
        meta = getattr(model, name)._django_fsm
        if not meta.has_transition(locked.state):
            raise TransitionNotAvailable(
                f"事项当前状态为“{_state_label(model, locked.state)}”，不能“{spec.label}”",
                field="transition")
        if not step_allowed(locked, spec, actor):
            raise _denied(locked, spec, actor)
        refusal = separation_refusal(locked, spec, actor)
        if refusal:
            raise SeparationOfDuties(refusal, field="actor")
        if spec.window and model.procedure.window is not None:
            model.procedure.window.check_open(moment)
        if spec.reason_required and not reason.strip():
            raise ConditionUnmet(f"“{spec.label}”须填写理由", field="reason")
        for cond in spec.conditions:
            if not cond(locked):
                raise ConditionUnmet(cond.message_for(locked), field=cond.field)
        from_state = locked.state
        locked._kmgov_step = (name, spec.label)  # for decision_keep inside the step
        before = _field_values(locked)
        # what the row holds: as read (not held), or as this transaction last wrote it (held;
        # the caller may have changed the instance since, e.g. the ticket's number); None:
        # unknown, every column is written
        written = getattr(locked, "_kmgov_db_values", None) if held else before
        getattr(locked, name)(actor=actor, reason=reason, now=moment, data=validated)
        locked.version += 1
        locked.state_changed_at = moment
        # The step's fixed writes (the case's changed columns, the deadlines cancelled and
        # scheduled, the audit entry, the items closed and opened) are collected as rows and
        # sent together at the end: one round trip on PostgreSQL (`core.writes`).
        writes = Writes()
        if not (held and getattr(locked, "_kmgov_no_deadlines", False)):
            _cancel_deadlines(locked, now=moment, writes=writes)  # (a case created in this
            # transaction and stepped on as held has none to cancel: no UPDATE)
        try:
            locked.due_at = _schedule_deadlines(locked, spec, now=moment, writes=writes)
        except CalendarRangeError as exc:
            raise DeadlineUncountable(
                f"无法计算“{spec.label}”后的办理期限：{exc}", field="due_at") from exc
        # Fields the step did not change are not re-validated (a foreign key or a unique
        # field was a query each: the row, as read under the lock, holds them already), nor a
        # relation the step set to an instance it read from the database.
        after = _field_values(locked)
        unchanged = [f.name for f in model._meta.concrete_fields
                     if before[f.attname] == after[f.attname]]
        locked.full_clean(exclude=[*_UNCHANGED_BY_STEPS,
                                   *_skippable(model, [*unchanged, *_trusted_relations(locked)])])
        _case_update(locked, written, writes)
        if getattr(locked, "obligation", None):  # a scheduled filing (filings.Obligation)
            from .filing_services import slot_link_filing

            slot_link_filing(locked, name, now=moment, actor=actor)
        audit_record_into(
            writes, actor=actor, action=f"{model.procedure.code}.{name}", obj=locked,
            org=locked.org, from_state=from_state, to_state=locked.state, reason=reason,
            extra={"step": spec.label, "version": locked.version,
                   "data": jsonable(validated) if validated is not None else {}},
        )
        _close_items(locked, actor=actor, now=moment, writes=writes)
        _open_items(locked, spec.awaits, due_at=locked.due_at, writes=writes)
        writes.send()  # on PostgreSQL one statement: the case, deadlines, audit entry, items
        transaction.on_commit(lambda: case_transitioned.send(
            sender=model, case=locked, step=name, from_state=from_state, to_state=locked.state))
    return locked


#: Fields of a case that only the kernel sets (at creation) and no step changes.
_UNCHANGED_BY_STEPS = ["state", "org", "applicant", "reference"]


def _plain_update(model) -> bool:
    """Whether a step's case row can be written as an UPDATE of its changed columns: one table
    (no parent model) and nobody listening to the model's save signals (asked at each step: a
    receiver may be connected at any time)."""
    from django.db.models.signals import post_save, pre_save

    return not model._meta.parents and not (pre_save.has_listeners(model)
                                            or post_save.has_listeners(model))


def _case_update(case: Case, written: dict | None, writes: Writes) -> None:
    """The case's UPDATE after a step: only the columns that differ from what the row holds
    (`written`; all of them if None), and `auto_now` ones as `save()` sets them, added to the
    step's writes. The instance then remembers what the row holds (for a next step `held`)."""
    model = type(case)
    if not _plain_update(model):
        case.save()
        case._kmgov_db_values = _field_values(case)
        return
    values = {}
    now = None
    for f in model._meta.concrete_fields:
        if getattr(f, "auto_now", False):
            now = now or timezone.now()
            setattr(case, f.attname, now)
            values[f.attname] = now
        elif not f.primary_key and (written is None
                                    or written[f.attname] != getattr(case, f.attname)):
            values[f.attname] = getattr(case, f.attname)
    writes.update(model, case.pk, values)
    case._kmgov_db_values = _field_values(case)


def case_read_locked(case: Case) -> Case:
    """Mark `case` as just read under its row lock in the caller's transaction, before a step
    taken on it `held`: the step then writes only the columns it changes."""
    case._kmgov_db_values = _field_values(case)
    return case


def case_step(case: Case, name: str, *, actor, reason: str = "",
              expected_state: str | None = None, data=None,
              now: dt.datetime | None = None, held: bool = False) -> Case:
    """`case_transition` for the channels (API, pages, CLI): a step method's own
    `ValidationError` (data only the case can judge) becomes the same 422 refusal as an
    input error, naming the field, so every channel shows it one way."""
    from django.core.exceptions import ValidationError

    from .inputs import invalid_from_django

    try:
        return case_transition(case, name, actor=actor, reason=reason,
                               expected_state=expected_state, data=data, now=now,
                               savepoint=not held, held=held)
    except ValidationError as exc:
        spec = steps_of(type(case)).get(name)
        raise invalid_from_django(exc, spec.input if spec else None) from None


def _denied(case: Case, spec: StepSpec, actor) -> TransitionDenied:
    roles = spec.roles - {Role.PUBLIC, Role.AUDITOR}
    if getattr(actor, "is_superuser", False) and not has_role(actor, *roles, superuser=False):
        return TransitionDenied(
            f"系统管理员账号只做管理，不办理事项：“{spec.label}”须由{spec.describe_actors()}"
            "以本人账号办理", field="role")
    if roles and has_role(actor, *roles, superuser=False):
        return TransitionDenied(
            f"“{spec.label}”须由职责范围包括“{case.org}”的{spec.describe_actors()}办理，"
            "您的职责范围不包括该单位", field="org")
    return TransitionDenied(f"“{spec.label}”须由{spec.describe_actors()}办理", field="role")


# ---------------------------------------------------------------- inbox and deadlines

def _case_ref(case: Case) -> dict:
    return dict(content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk,
                case_reference=case.reference)


def _case_row_ref(case: Case) -> dict:
    """`_case_ref` as the columns of a plain row."""
    return dict(content_type_id=ContentType.objects.get_for_model(type(case)).pk,
                object_id=case.pk, case_reference=case.reference)


def _open_items(case: Case, awaits: tuple[Await, ...], *, due_at,
                writes: Writes | None = None) -> None:
    if writes is not None and _INBOX_TOGETHER.kept() is None:
        rows = []
        for aw in awaits:
            if aw.applicant:
                if case.applicant_id is None:
                    continue
                target = dict(user_id=case.applicant_id)
            else:
                role_org = resolve_org(case, aw.at)
                if role_org is None:
                    continue  # a resolver's None: this party is not awaited for this case
                target = dict(role=aw.role, role_org_id=role_org.pk)
            rows.append(dict(
                **_case_row_ref(case), kind=InboxKind.ACTION, procedure=case.procedure.code,
                case_title=case.title, case_state=case.state, org_id=case.org_id,
                what=aw.what, due_at=due_at, **target))
        writes.insert(InboxItem, rows)
        return
    items = []
    for aw in awaits:
        target = dict(user_id=case.applicant_id) if aw.applicant else dict(
            role=aw.role, role_org=resolve_org(case, aw.at))
        if aw.applicant and case.applicant_id is None:
            continue
        if not aw.applicant and target["role_org"] is None:
            continue  # a resolver's None: this party is not awaited for this case
        items.append(InboxItem(
            **_case_ref(case), kind=InboxKind.ACTION, procedure=case.procedure.code,
            case_title=case.title, case_state=case.state, org=case.org, what=aw.what,
            due_at=due_at, **target))
    if not items:
        return
    kept = _INBOX_TOGETHER.kept()
    if kept is not None:
        kept.extend(items)  # written with the others when the `inbox_together()` block ends
    else:
        InboxItem.objects.bulk_create(items)  # one INSERT for all of them


def _close_items(case: Case, *, actor, now, writes: Writes | None = None) -> None:
    done_by = actor if getattr(actor, "is_authenticated", False) else None
    kept = _INBOX_TOGETHER.kept()
    if kept is None and writes is not None:
        writes.update_where(
            InboxItem, {"content_type_id": ContentType.objects.get_for_model(type(case)).pk,
                        "object_id": case.pk}, null=("done_at",),
            values={"done_at": now, "done_by_id": done_by.pk if done_by else None})
        return
    if kept is not None:
        ct_id = ContentType.objects.get_for_model(type(case)).pk
        for item in kept:
            if item.content_type_id == ct_id and item.object_id == case.pk and item.done_at is None:
                item.done_at, item.done_by = now, done_by
        if getattr(case, "_kmgov_inbox_kept", None) is kept:
            return  # created in this block: every item it has is among those kept
    open_items_for_case(case).update(done_at=now, done_by=done_by)



def inbox_together():
    """Inside one transaction: the inbox items that the steps of the block open are written in
    one INSERT when it ends, those a later step of the block closed already done (by whom,
    when), not an INSERT per step and an UPDATE per close. The rows are the ones the steps
    would have written one by one (the 96128 intake: created, taken up, routed — three items
    opened, two of them closed, in one transaction). A block that raises writes none."""
    return _INBOX_TOGETHER.block()


def _cancel_deadlines(case: Case, *, now, writes: Writes | None = None) -> None:
    ct = ContentType.objects.get_for_model(type(case))
    if writes is not None:
        writes.update_where(Deadline, {"content_type_id": ct.pk, "object_id": case.pk},
                            null=("fired_at", "cancelled_at"), values={"cancelled_at": now})
        return
    Deadline.objects.filter(content_type=ct, object_id=case.pk, fired_at__isnull=True,
                            cancelled_at__isnull=True).update(cancelled_at=now)


def _targets_of(case: Case, awaits: tuple[Await, ...]) -> list[dict]:
    out = []
    for aw in awaits:
        if aw.applicant:
            if case.applicant_id is not None:
                out.append(dict(target_user_id=case.applicant_id))
        else:
            org = resolve_org(case, aw.at)
            if org is not None:  # a resolver's None: not awaited for this case
                out.append(dict(target_role=aw.role, target_org=org))
    return out


def _row_target(target: dict) -> dict:
    """A deadline's target (`_targets_of`) as columns: the unit by its id."""
    if "target_org" in target:
        org = target.pop("target_org")
        target["target_org_id"] = org.pk if org is not None else None
    return target


def _schedule_deadlines(case: Case, spec: StepSpec, *, now,
                        writes: Writes | None = None) -> dt.datetime | None:
    """Write the deadline rows of the state just entered (added to `writes` if given); return
    when its period ends."""
    earliest = None
    rows: list[dict] = []
    what = "、".join(a.what for a in spec.awaits) or "办理"
    for rule in spec.deadlines:
        start_day = local(now).date()
        days = rule.days_for(case, start_day)
        if days is None:
            continue
        remind_before = rule.remind_before_for(case, start_day)
        try:
            last_day = add_days(start_day, days, rule.count)
        except CalendarRangeError:
            # A calendar-day period ending in a year whose holidays are not yet published (e.g.
            # a yearly report due next year): the last day is not moved off a rest day. Working
            # days cannot be counted without the data and still refuse.
            if DayCount(rule.count) is not DayCount.CALENDAR:
                raise
            last_day = add_days(start_day, days, rule.count, roll_forward=False)
        ends = end_of_day(last_day)
        earliest = ends if earliest is None or ends < earliest else earliest
        unit = "个工作日" if DayCount(rule.count) is DayCount.WORKING else "日"
        common = dict(
            **_case_row_ref(case), state=case.state, step=spec.name, period_ends_at=ends,
            days=days, count=str(rule.count), citation=rule.citation)
        label = f"{case.procedure.name}“{case.reference}”{rule.what or what}"
        last = f"{last_day.year}年{last_day.month}月{last_day.day}日"
        if remind_before:
            if DayCount(rule.count) is DayCount.WORKING:
                remind_day = add_working_days(last_day, -remind_before)
            else:
                remind_day = last_day - dt.timedelta(days=remind_before)
            remind_at = max(dt.datetime.combine(remind_day, OFFICE_HOURS[0][0], tzinfo=TZ), now)
            for target in _targets_of(case, spec.awaits):
                rows.append(dict(
                    **common, **_row_target(target), kind=DeadlineKind.REMINDER,
                    due_at=remind_at, message=f"提醒：{label}期限为{days}{unit}，将于{last}届满"))
        escalate = ([dict(target_role=rule.escalate_to.role,
                          target_org=resolve_org(case, rule.escalate_to.at))]
                    if rule.escalate_to else _targets_of(case, spec.awaits))
        for target in escalate:
            rows.append(dict(
                **common, **_row_target(target), kind=DeadlineKind.ESCALATION, due_at=ends,
                message=f"逾期：{label}期限{days}{unit}已于{last}届满，尚未办理"))
    if rows:  # one INSERT for all of them
        if writes is not None:
            writes.insert(Deadline, rows)
        else:
            Deadline.objects.bulk_create([Deadline(**r) for r in rows])
        case._kmgov_no_deadlines = False
    return earliest


# ---------------------------------------------------------------- attachments

def attachment_add(case: Case, *, key: str, file: BinaryIO, name: str, actor,
                   now: dt.datetime | None = None) -> Attachment:
    """Attach a checklist document to a case. Refused before anything is written when the
    key is not on the checklist, the case is no longer editable, the file is too large, of a
    type not accepted, or disguised (its bytes are not what its name says)."""
    model = type(case)
    proc = model.procedure
    if not case_visible(case, actor):
        raise _not_found(case)
    if not (case.applicant_id == getattr(actor, "pk", None) or can_change_org(actor, case.org)):
        raise TransitionDenied("您无权为该事项上传材料", field="file")
    if key in proc.internal_attachments and not can_change_org(actor, case.org):
        raise TransitionDenied("该材料项由承办单位上传", field="file")
    if key not in proc.checklist:
        raise AttachmentRejected(
            f"材料项“{key}”不在{proc.name}的材料清单中（可选：{'、'.join(proc.checklist)}）",
            field="key")
    max_bytes = proc.attachment_max_bytes or getattr(
        settings, "KMGOV_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)
    checked = check_file(file, name=name, max_bytes=max_bytes, allowed=proc.attachment_types)
    stored_name = None
    try:
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=case.pk)
            if locked.state not in proc.attachment_states.get(key, proc.editable_states):
                raise TransitionNotAvailable(
                    f"事项当前状态为“{locked.state_label()}”，不能再补充或更换材料",
                    field="file")
            path = (f"procedures/{proc.code}/{locked.reference}/"
                    f"{key}-{checked.sha256[:16]}{checked.extension}")
            stored_name = default_storage.save(path, File(file, name=name))
            att = Attachment(
                **_case_ref(locked), key=key, file=stored_name, original_name=name[:255],
                mime_type=checked.type.mime, size=checked.size, sha256=checked.sha256,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
            att.full_clean()
            att.save()
            audit_record(actor=actor, action=f"{proc.code}.attachment_add", obj=locked,
                         org=locked.org, from_state=locked.state, to_state=locked.state,
                         extra={"key": key, "name": name, "size": checked.size,
                                "type": checked.type.key, "sha256": checked.sha256})
    except BaseException:
        # Nothing half-written: a file saved by a transaction that rolled back is removed.
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return att


# ---------------------------------------------------------------- the sweep

SWEEP_BATCH = 2000


def deadlines_sweep(*, now: dt.datetime | None = None, limit: int | None = None,
                    on_fire=None, batch_size: int = SWEEP_BATCH, filings: bool = True,
                    on_progress=None, lanes: int | None = None) -> dict:
    """Fire every due, unfired deadline once: an inbox item for its target and an audit entry.

    Idempotent (a fired or cancelled row is never fired again) and safe to run concurrently.
    Due rows are settled a batch at a time (`batch_size` rows, one transaction each, which
    locks the batch's deadline rows and their cases); on PostgreSQL a row another sweep or a
    transition holds is skipped (`SKIP LOCKED`) and left to whoever holds it, so the sweep
    never waits for a lock; on SQLite transactions are serialised. A deadline whose case has
    since left the state it was set for is cancelled, not fired. The inbox items and audit
    entries of a batch are written with one INSERT each; on PostgreSQL, when nobody listens
    for `deadline_fired` (and no `on_fire`), a batch is one statement (`_SWEEP_SQL`: the locks,
    both UPDATEs and INSERT … SELECT of the items and entries).

    With `filings` (the default) the scheduled filings are swept too (`filing_services.
    filings_sweep`: open the current periods' slots, remind, escalate), counted under
    `result["filings"]`. `on_progress(done, total)` is called after each batch (the command's
    progress bar).

    On PostgreSQL, a set-based sweep of more than one batch, outside any transaction, runs in
    `lanes` (default `SWEEP_LANES`) threads, each with its own connection: the due rows are
    split by case (a case's deadlines all in one lane), so the lanes never wait for each
    other's case locks, and the server's work is spread over its cores.
    """
    moment = _now(now)
    due = Deadline.objects.filter(
        fired_at__isnull=True, cancelled_at__isnull=True, due_at__lte=moment,
    ).order_by("due_at", "id")
    notify = on_fire is not None or deadline_fired.has_listeners(Deadline)
    set_based = connection.vendor == "postgresql" and not notify
    # With each row's procedure on PostgreSQL, to group the batches by case table.
    due = (due.values_list("id", "content_type_id", "object_id") if set_based
           else due.values_list("id", flat=True))
    due_rows = list(due[:limit] if limit else due)
    ids = [r[0] for r in due_rows] if set_based else due_rows
    result = {"now": moment.isoformat(), "due": len(ids), "reminders": 0, "escalations": 0,
              "cancelled": 0, "skipped": 0}
    size = max(1, batch_size)
    if set_based:
        # Procedures whose module listens to its own cases' deadlines go row by row (the
        # listener needs the rows as objects); the rest: each batch is one SQL statement.
        listened = {ct for ct in {r[1] for r in due_rows} if _case_listened(ct)}
        rowwise = [r[0] for r in due_rows if r[1] in listened]
        _sweep_set_based([r for r in due_rows if r[1] not in listened], moment, result, size,
                         on_progress, lanes=lanes)
        for i in range(0, len(rowwise), size):
            _sweep_batch(rowwise[i:i + size], moment, result, None)
    else:
        for i in range(0, len(ids), size):
            _sweep_batch(ids[i:i + size], moment, result, on_fire)
            if on_progress is not None:
                on_progress(min(i + size, len(ids)), len(ids))
    if filings:
        from .filing_services import filings_sweep

        result["filings"] = filings_sweep(now=moment, batch_size=size)
    return result


def _case_listened(content_type_id: int) -> bool:
    """Whether a module listens to the deadlines of this content type's cases."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model is not None and case_deadline_fired.has_listeners(model)


_SWEEP_FIELDS = ("id", "content_type_id", "object_id", "case_reference", "kind", "state",
                 "message", "citation", "due_at", "period_ends_at", "target_user_id",
                 "target_role", "target_org_id")


def _sweep_batch(ids: list[int], moment, result: dict, on_fire) -> None:
    """One batch of the sweep, in one transaction. Rows are read as values, not model
    instances (a sweep may settle 100,000 of them); instances are made only for listeners."""
    skip_locked = connection.features.has_select_for_update_skip_locked
    unfired = dict(fired_at__isnull=True, cancelled_at__isnull=True)
    notify = on_fire is not None or deadline_fired.has_listeners(Deadline)
    with transaction.atomic():
        # Lock the batch's deadline rows, then their cases. Both skip what another transaction
        # holds (SKIP LOCKED), so the sweep never waits and cannot deadlock with a transition
        # (which holds its case, then cancels the case's deadlines) or another sweep.
        rows = list(Deadline.objects.select_for_update(skip_locked=skip_locked, of=("self",))
                    .filter(pk__in=ids, **unfired).order_by("due_at", "id")
                    .values(*_SWEEP_FIELDS))
        result["skipped"] += len(ids) - len(rows)
        by_type: dict[int, set[int]] = {}
        for r in rows:
            by_type.setdefault(r["content_type_id"], set()).add(r["object_id"])
        # A case another transaction holds is skipped: whoever holds it settles its deadlines.
        cases: dict[tuple[int, int], tuple | None] = {}
        models_of: dict[int, type] = {}
        for ct_id, object_ids in by_type.items():
            model = ContentType.objects.get_for_id(ct_id).model_class()
            if model is None:
                cases.update({(ct_id, oid): None for oid in object_ids})
                continue
            models_of[ct_id] = model
            locked = {c[0]: c for c in (
                model.objects.select_for_update(skip_locked=skip_locked, of=("self",))
                .filter(pk__in=object_ids).values_list("pk", "state", "title", "org_id"))}
            missing = object_ids - set(locked)
            busy = set(model.objects.filter(pk__in=missing).values_list("pk", flat=True)) \
                if missing else set()
            for oid in object_ids:
                if oid not in busy:  # absent cases (None) are cancelled below
                    cases[(ct_id, oid)] = locked.get(oid)
        ready = [r for r in rows if (r["content_type_id"], r["object_id"]) in cases]
        result["skipped"] += len(rows) - len(ready)
        rows = ready
        org_codes = _org_codes({r["target_org_id"] for r in rows if r["target_org_id"]})
        listened = {ct for ct in models_of if _case_listened(ct)}
        fired, cancelled, items, entries, outcomes = [], [], [], [], []
        for row in rows:
            case = cases[(row["content_type_id"], row["object_id"])]
            if case is None or case[1] != row["state"]:
                cancelled.append(row["id"])
                outcomes.append((row, "cancelled", None))
                result["cancelled"] += 1
                continue
            fired.append(row["id"])
            outcome = "reminders" if row["kind"] == DeadlineKind.REMINDER else "escalations"
            result[outcome] += 1
            model = models_of[row["content_type_id"]]
            item = _fired_item(row, case, model)
            items.append(item)
            entries.append(_fired_entry(row, case, model, org_codes))
            outcomes.append((row, outcome, len(items) - 1))
        if cancelled:
            Deadline.objects.filter(pk__in=cancelled).update(cancelled_at=moment)
        if fired:
            Deadline.objects.filter(pk__in=fired).update(fired_at=moment)
            if notify or listened or connection.vendor != "postgresql":
                items = InboxItem.objects.bulk_create([InboxItem(**i) for i in items])
                AuditEntry.objects.bulk_create([AuditEntry(**e) for e in entries])
            else:  # nobody needs the new rows' ids: COPY them in (PostgreSQL)
                _copy_rows(InboxItem, items)
                _copy_rows(AuditEntry, entries)
        if notify:
            done = [(_deadline_of(row, moment, outcome), outcome,
                     None if k is None else items[k]) for row, outcome, k in outcomes]
            sent = [(d, item) for d, outcome, item in done if item is not None]
            if sent:
                transaction.on_commit(lambda: [
                    deadline_fired.send(sender=Deadline, deadline=d, item=item)
                    for d, item in sent])
        # the procedures' own listeners (case_deadline_fired, sender=the case class)
        own = [(models_of[row["content_type_id"]], _deadline_of(row, moment, outcome), items[k])
               for row, outcome, k in outcomes
               if k is not None and row["content_type_id"] in listened]
        if own:
            transaction.on_commit(lambda: [
                case_deadline_fired.send(sender=model, deadline=d, item=item)
                for model, d, item in own])
    if notify and on_fire:
        for d, outcome, _ in done:
            on_fire(d, outcome)


# One batch of the PostgreSQL sweep, for the deadlines of one procedure's cases, as one
# statement. It locks the batch's cases (SKIP LOCKED: a case another sweep or a transition
# holds is left to it), then settles each unfired deadline of a locked case with one UPDATE —
# fired when the case is still in the deadline's state, cancelled when it has left it — and
# INSERT … SELECT the inbox items and audit entries of the rows that UPDATE returned. The
# deadline rows are not locked beforehand (a `FOR UPDATE` of them wrote each row twice, the
# lock and then the update): every writer of a case's deadlines holds the case first (a
# transition cancels them under its lock, the other sweeps skip a locked case), so the case's
# lock guards them. Exactly once: a row that another sweep settled after this statement's
# snapshot is re-checked by the UPDATE against its newest version (`fired_at IS NULL AND
# cancelled_at IS NULL`, PostgreSQL's recheck of an UPDATE's conditions under READ COMMITTED)
# and left out, and only the rows the UPDATE returns get an item and an entry. A case gone
# (deleted) cancels its deadlines; it is looked up by key only for the rows whose case was not
# locked (usually none; as `NOT EXISTS` over the whole batch the planner scanned the case
# table). The audit rows are written unchained (seq NULL); the sealer chains them
# (core/audit_chain.py).
_SWEEP_SQL = """
WITH d AS (
    SELECT id, object_id FROM procedures_deadline
    WHERE id = ANY(%(ids)s) AND content_type_id = %(ct)s
      AND fired_at IS NULL AND cancelled_at IS NULL
), c AS (
    SELECT id, state, title, org_id FROM {case_table}
    WHERE id IN (SELECT object_id FROM d)
    FOR UPDATE SKIP LOCKED
), due AS (
    SELECT d.id, c.state, c.title, c.org_id FROM d JOIN c ON c.id = d.object_id
    UNION ALL
    -- a case gone (deleted): looked up by its key only for the rows whose case was not locked
    -- (usually none; a case another transaction holds is left to it). Written as `OR NOT
    -- EXISTS` beside the join, or over all of d, the planner scanned the whole case table
    -- once a batch (≈ 40 ms of 70,000 HQ cases)
    SELECT d.id, NULL, NULL, NULL FROM d LEFT JOIN c ON c.id = d.object_id
    WHERE c.id IS NULL AND NOT EXISTS (SELECT 1 FROM {case_table} x WHERE x.id = d.object_id)
), settled AS (
    UPDATE procedures_deadline t
    SET fired_at = CASE WHEN due.state = t.state THEN %(now)s::timestamptz END,
        cancelled_at = CASE WHEN due.state = t.state THEN NULL ELSE %(now)s::timestamptz END
    FROM due
    WHERE t.id = ANY(%(ids)s) AND t.id = due.id  -- (the array, or the planner scans the table)
      AND t.fired_at IS NULL AND t.cancelled_at IS NULL
    RETURNING t.id, t.object_id, t.case_reference, t.kind, t.message, t.citation, t.due_at,
              t.period_ends_at, t.target_user_id, t.target_role, t.target_org_id,
              t.fired_at IS NOT NULL AS fired, due.state AS case_state,
              due.title AS case_title, due.org_id AS case_org_id
), fire AS (
    SELECT * FROM settled WHERE fired
), items AS (
    INSERT INTO procedures_inboxitem (content_type_id, object_id, case_reference, kind,
        procedure, case_title, case_state, org_id, what, due_at, user_id, role, role_org_id,
        created_at)
    SELECT %(ct)s, object_id, case_reference, kind, %(procedure)s, case_title, case_state,
        case_org_id, message, period_ends_at, target_user_id, target_role, target_org_id,
        %(at)s
    FROM fire ORDER BY due_at, id
    RETURNING 1
), entries AS (
    INSERT INTO core_auditentry (at, actor_id, action, object_type, object_id, org_id,
        from_state, to_state, reason, extra)
    SELECT %(at)s, NULL, 'deadline.' || f.kind, %(object_type)s, f.object_id::text,
        f.case_org_id, f.case_state, f.case_state, f.message,
        jsonb_build_object(
            'deadline', f.id, 'due_at', {iso_due}, 'period_ends_at', {iso_ends},
            'citation', f.citation,
            'target', COALESCE(NULLIF(f.target_role, ''), 'user:' || f.target_user_id),
            'target_org', o.code)
    FROM fire f LEFT JOIN core_orgunit o ON o.id = f.target_org_id
    ORDER BY f.due_at, f.id
    RETURNING 1
)
SELECT (SELECT count(*) FROM fire WHERE kind = 'reminder'),
       (SELECT count(*) FROM fire WHERE kind <> 'reminder'),
       (SELECT count(*) FROM settled WHERE NOT fired),
       (SELECT count(*) FROM items), (SELECT count(*) FROM entries)
"""


def _iso_utc(column: str) -> str:
    """SQL for Python's `datetime.isoformat()` of an aware UTC timestamp (what the row-by-row
    sweep writes into the audit entry): microseconds only when there are some."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (f"(CASE WHEN date_part('microseconds', {utc})::bigint %% 1000000 = 0 "
            f"THEN to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
            f"ELSE to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') END || '+00:00')")


#: Threads (each with its own connection) a large set-based sweep runs in on PostgreSQL.
SWEEP_LANES = max(1, int(os.environ.get("KMGOV_SWEEP_LANES", "2")))


def _sweep_set_based(due_rows: list[tuple[int, int, int]], moment, result: dict, size: int,
                     on_progress, *, lanes: int | None = None) -> None:
    """The sweep on PostgreSQL: the due (id, content type, case id) rows grouped by
    procedure, `size` at a time, one statement and one transaction per batch (`_SWEEP_SQL`).

    With more than one batch and no transaction open, the rows are dealt into `lanes` by
    their case's id, and each lane runs in its own thread and connection. A case's deadlines
    are all in one lane: a lane never finds a case locked by another lane (it would skip its
    deadlines, SKIP LOCKED, and leave them to the next sweep). Each batch keeps its own
    transaction, so exactly-once holds as with one lane (and as with two sweeps at once)."""
    lanes = SWEEP_LANES if lanes is None else max(1, lanes)
    if lanes > 1 and (len(due_rows) <= size or connection.in_atomic_block):
        lanes = 1  # one batch is not worth a thread; in a transaction, its rows are unseen
    by_lane: list[list[tuple[int, int]]] = [[] for _ in range(lanes)]
    for pk, ct_id, object_id in due_rows:
        by_lane[object_id % lanes].append((pk, ct_id))
    progress = _Progress(on_progress, len(due_rows))
    if lanes == 1:
        _sweep_lane(by_lane[0], moment, result, size, progress)
        return
    from concurrent.futures import ThreadPoolExecutor

    def lane(rows):
        part = {"reminders": 0, "escalations": 0, "cancelled": 0, "skipped": 0}
        try:
            _sweep_lane(rows, moment, part, size, progress)
        finally:
            connection.close()  # this thread's own connection
        return part

    with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="sweep-lane") as pool:
        parts = list(pool.map(lane, [rows for rows in by_lane if rows]))
    for part in parts:
        for k, v in part.items():
            result[k] += v


class _Progress:
    """`on_progress(done, total)` after each batch, whichever lane finished it."""

    def __init__(self, callback, total: int):
        self.callback, self.total, self.done = callback, total, 0
        self.lock = threading.Lock()

    def add(self, n: int) -> None:
        if self.callback is None:
            return
        with self.lock:
            self.done += n
            self.callback(self.done, self.total)


def _sweep_lane(due_rows: list[tuple[int, int]], moment, result: dict, size: int,
                progress: _Progress) -> None:
    """One lane of the set-based sweep, batch after batch, on this thread's connection."""
    by_type: dict[int, list[int]] = {}
    for pk, ct_id in due_rows:
        by_type.setdefault(ct_id, []).append(pk)
    for ct_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:  # the procedure's app is gone: nothing to fire for
            for i in range(0, len(pks), size):
                with transaction.atomic():
                    n = Deadline.objects.filter(pk__in=pks[i:i + size], fired_at__isnull=True,
                                                cancelled_at__isnull=True).update(
                        cancelled_at=moment)
                result["cancelled"] += n
                result["skipped"] += len(pks[i:i + size]) - n
            continue
        sql = _SWEEP_SQL.format(case_table=connection.ops.quote_name(model._meta.db_table),
                                iso_due=_iso_utc("f.due_at"),
                                iso_ends=_iso_utc("f.period_ends_at"))
        for i in range(0, len(pks), size):
            chunk = pks[i:i + size]
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql, {"ids": chunk, "ct": ct_id, "now": moment,
                                  "at": timezone.now(), "procedure": model.procedure.code,
                                  "object_type": model._meta.label_lower})
                reminders, escalations, cancelled, *_ = cur.fetchone()
            result["reminders"] += reminders
            result["escalations"] += escalations
            result["cancelled"] += cancelled
            result["skipped"] += len(chunk) - reminders - escalations - cancelled
            progress.add(len(chunk))


def _org_codes(ids: set[int]) -> dict[int, str]:
    """The codes of the batch's target units (one query; a batch has few distinct ones)."""
    return dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "code")) if ids else {}


def _deadline_of(row: dict, moment, outcome: str) -> Deadline:
    d = Deadline(**{("pk" if k == "id" else k): v for k, v in row.items()})
    d._state.adding = False
    if outcome == "cancelled":
        d.cancelled_at = moment
    else:
        d.fired_at = moment
    return d


def _copy_rows(model, rows: list[dict]) -> None:
    """INSERT `rows` (field name → value, the same names in each) with PostgreSQL's COPY."""
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(n) for n in names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    jsons = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for r in rows:
            values = [r[n] for n in names]
            for i in jsons:
                values[i] = json.dumps(values[i], ensure_ascii=False)
            copy.write_row(values)


def _fired_item(row: dict, case: tuple, model) -> dict:
    kind = InboxKind.REMINDER if row["kind"] == DeadlineKind.REMINDER else InboxKind.ESCALATION
    return dict(
        content_type_id=row["content_type_id"], object_id=row["object_id"],
        case_reference=row["case_reference"], kind=kind, procedure=model.procedure.code,
        case_title=case[2], case_state=case[1], org_id=case[3], what=row["message"],
        due_at=row["period_ends_at"], user_id=row["target_user_id"], role=row["target_role"],
        role_org_id=row["target_org_id"], created_at=timezone.now())


def _fired_entry(row: dict, case: tuple, model, org_codes: dict[int, str]) -> dict:
    """What `audit_record` writes for a fired deadline (the sweep writes a batch at once)."""
    target_user = row["target_user_id"]
    return dict(
        at=timezone.now(), actor_id=None, action=f"deadline.{row['kind']}", object_type=model._meta.label_lower,
        object_id=str(case[0]), org_id=case[3], from_state=case[1], to_state=case[1],
        reason=row["message"],
        extra={"deadline": row["id"], "due_at": row["due_at"].isoformat(),
               "period_ends_at": row["period_ends_at"].isoformat(), "citation": row["citation"],
               "target": row["target_role"] or (target_user and f"user:{target_user}"),
               "target_org": org_codes.get(row["target_org_id"]) if row["target_org_id"]
               else None})


__all__ = [
    "case_create", "case_transition", "attachment_add", "deadlines_sweep", "deadline_fired", "case_deadline_fired",
    "case_transitioned", "ProcedureError", "Target", "DeadlineRule",
]
