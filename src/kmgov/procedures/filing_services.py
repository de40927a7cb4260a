"""Writes of scheduled filings (`filings.Obligation`). Each is one transaction with its audit.

- `slots_open`: the register of who owes a period's filing (idempotent; the sweep runs it).
- `filing_start`: a filer opens its filing case for a period (refused if it owes none).
- `slot_link_filing`: called by `case_transition` inside its transaction: the declared
  filing step marks the slot filed (late or not) and closes what the filer's inbox awaited.
- `filings_sweep`: open the slots of current periods, remind filers N days before the
  window's last day, escalate to the receiver after it — each once, in batches.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kmgov.core.audit import audit_record
from kmgov.core.calendar import OFFICE_HOURS, TZ, end_of_day, local
from kmgov.core.models import AuditEntry, OrgUnit
from kmgov.rules.parameters import ParameterNotInForce

from .errors import ConditionUnmet, ProcedureError, WindowClosed
from .filings import Obligation, Period, PeriodKeyInvalid, obligation, obligations
from .models import FilingSlot, InboxItem, InboxKind

#: A period's slots are opened by the sweep from its window's first day until this many days
#: after its last day (a sweep that did not run for a while still opens them, and escalates).
OPEN_GRACE_DAYS = 31
SWEEP_BATCH = 2000


class AlreadyFiled(ProcedureError):
    status = 409
    code = "already_filed"


def _now(now):
    return now if now is not None else timezone.now()


def _period(ob: Obligation, key: str) -> Period:
    try:
        return ob.checked_period(key)
    except PeriodKeyInvalid as exc:
        raise ConditionUnmet(str(exc), field="period") from None


def _slot_ct() -> ContentType:
    return ContentType.objects.get_for_model(FilingSlot)


# ---------------------------------------------------------------- who owes it

def filers_of(ob: Obligation, period: Period):
    """The units that owe `period`'s filing: one query (a queryset of OrgUnit)."""
    f = ob.filers
    cond = Q(pk__in=[])
    if f.kinds:
        kinds = Q(kind__in=f.kinds)
        if f.under:
            under = OrgUnit.objects.get(code=f.under)
            kinds &= Q(path__startswith=under.path)
        cond |= kinds
    if f.codes:
        cond |= Q(code__in=f.codes)
    if f.holders:
        from .declare import procedure_model

        code, states = f.holders
        model = procedure_model(code)
        cases = model.objects.filter(state__in=states)
        if f.since_field:
            cases = cases.filter(**{f"{f.since_field}__lt": end_of_day(period.end())})
        cond |= Q(pk__in=cases.values("org_id"))
    if f.where is not None:
        cond |= f.where(period)
    return OrgUnit.objects.filter(cond).order_by("path")


def _remind_at(ob: Obligation, closes: dt.date, moment) -> dt.datetime | None:
    if not ob.remind_before:
        return None
    day = closes - dt.timedelta(days=ob.remind_before)
    at = dt.datetime.combine(day, OFFICE_HOURS[0][0], tzinfo=TZ)
    return None if moment >= end_of_day(closes) else max(at, moment)


def _filing_lock(ob: Obligation, period: Period) -> None:
    """Serialise the openings of one obligation's year (a row of the reference counters)."""
    from .services import _reference_counter

    _reference_counter(f"filing:{ob.code}"[:40], period.year)


@transaction.atomic
def slots_open(code: str, period_key: str, *, now: dt.datetime | None = None,
               actor=None) -> dict:
    """Open the register of `period_key` for obligation `code`: a slot for each filer that has
    none (its window, due moment, reminder, receiver) and an inbox item asking it to file.
    Idempotent: filers with a slot are left alone; run twice, the second opens nothing."""
    ob = obligation(code)
    period = _period(ob, period_key)
    moment = _now(now)
    _filing_lock(ob, period)
    opens, closes = ob.window_dates(period)
    due = end_of_day(closes)
    have = set(FilingSlot.objects.filter(obligation=ob.code, period=period.key)
               .values_list("org_id", flat=True))
    new = [u for u in filers_of(ob, period) if u.pk not in have]
    receivers: dict[int, OrgUnit] = {}
    slots = []
    for unit in new:
        receiver = ob.receiver.resolve(unit)
        receivers[unit.pk] = receiver
        slots.append(FilingSlot(
            obligation=ob.code, period=period.key, org=unit, window_opens=opens,
            window_closes=closes, due_at=due, remind_at=_remind_at(ob, closes, moment),
            receiver_role=ob.receiver.role, receiver_org=receiver))
    if slots:
        FilingSlot.objects.bulk_create(slots, batch_size=SWEEP_BATCH)
        # Ids for the inbox items (bulk_create returns them on PostgreSQL, not on SQLite).
        ids = dict(FilingSlot.objects.filter(
            obligation=ob.code, period=period.key, org_id__in=[u.pk for u in new])
            .values_list("org_id", "pk"))
        ct = _slot_ct()
        label = f"{ob.name}（{period.label()}）"
        window = ob.describe_window(period)
        InboxItem.objects.bulk_create([InboxItem(
            content_type=ct, object_id=ids[s.org_id],
            case_reference=f"{ob.code}-{period.key}-{ids[s.org_id]}"[:40],
            kind=InboxKind.ACTION, procedure=ob.code, case_title=label[:200],
            case_state="open", org=s.org, role=ob.filer_role, role_org=s.org,
            what=f"报送{label}（申报期{window}）"[:300], due_at=due) for s in slots],
            batch_size=SWEEP_BATCH)
        audit_record(actor=actor, action="filing.open", object_type="procedures.filingslot",
                     object_id=f"{ob.code}/{period.key}", reason=f"开启{label}报送登记",
                     extra={"obligation": ob.code, "period": period.key, "opened": len(slots),
                            "window": [opens.isoformat(), closes.isoformat()],
                            "citation": ob.citation})
    return {"obligation": ob.code, "period": period.key, "opened": len(slots),
            "existing": len(have), "window_opens": opens.isoformat(),
            "window_closes": closes.isoformat()}


# ---------------------------------------------------------------- filing

@transaction.atomic
def filing_start(code: str, period_key: str, *, org: OrgUnit, actor,
                 now: dt.datetime | None = None, **fields):
    """Open `org`'s filing case of `period_key` (a case of the obligation's form, linked to the
    unit's slot). Refused when the unit owes no such filing or has already started one."""
    from .services import case_create

    ob = obligation(code)
    period = _period(ob, period_key)
    slot = (FilingSlot.objects.select_for_update()
            .filter(obligation=ob.code, period=period.key, org=org).first())
    if slot is None:
        slots_open(ob.code, period.key, now=now, actor=actor)
        slot = (FilingSlot.objects.select_for_update()
                .filter(obligation=ob.code, period=period.key, org=org).first())
    if slot is None:
        raise ConditionUnmet(f"“{org}”不在{ob.name}（{period.label()}）的报送范围内"
                             f"（报送单位：{ob.filers.describe()}）", field="org")
    if slot.case_reference:
        raise AlreadyFiled(f"“{org}”{period.label()}的{ob.name}已经开始办理"
                           f"（编号{slot.case_reference}），请在该事项中继续", field="period")
    model = ob.form_model()
    case = case_create(model, actor=actor, org=org, now=now,
                       title=f"{ob.name}（{period.label()}）"[:200], obligation=ob.code,
                       period=period.key, **fields)
    slot.content_type = ContentType.objects.get_for_model(model)
    slot.object_id = case.pk
    slot.case_reference = case.reference
    slot.save(update_fields=["content_type", "object_id", "case_reference"])
    return case


def slot_link_filing(case, step_name: str, *, now: dt.datetime, actor) -> FilingSlot | None:
    """Inside `case_transition`'s transaction: if `step_name` files an obligation for this case
    (`Obligation.filed_by_step`), mark its slot filed — refused before the window opens, late
    after it closed — and close the filer's open items of the slot."""
    code = getattr(case, "obligation", None)
    if not code or code not in obligations():
        return None
    ob = obligation(code)
    if ob.form != case.procedure.code or ob.filed_by_step != step_name:
        return None
    slot = (FilingSlot.objects.select_for_update()
            .filter(obligation=ob.code, period=case.period, org_id=case.org_id).first())
    if slot is None:
        raise ConditionUnmet(f"“{case.org}”不在{ob.name}（{case.period}）的报送范围内",
                             field="period")
    day = local(now).date()
    if day < slot.window_opens:
        period = ob.parse_period(slot.period)
        raise WindowClosed(f"{period.label()}{ob.name}的申报期为{ob.describe_window(period)}，"
                           f"尚未开始" + (f"（{ob.citation}）" if ob.citation else ""),
                           field="period")
    if slot.filed_at is None:
        slot.filed_at = now
        slot.late = now >= slot.due_at
    if not slot.case_reference:
        slot.content_type = ContentType.objects.get_for_model(type(case))
        slot.object_id = case.pk
        slot.case_reference = case.reference
    slot.save(update_fields=["filed_at", "late", "content_type", "object_id", "case_reference"])
    InboxItem.objects.filter(content_type=_slot_ct(), object_id=slot.pk,
                             done_at__isnull=True).update(
        done_at=now, done_by=actor if getattr(actor, "is_authenticated", False) else None)
    return slot


# ---------------------------------------------------------------- the sweep

def periods_to_open(ob: Obligation, today: dt.date) -> list[Period]:
    """Periods whose window has opened and closed at most OPEN_GRACE_DAYS ago."""
    out = []
    current = Period.containing(today, ob.period)
    for k in range(0, 14 if ob.period.value == "month" else 6):
        p = current.shift(-k)
        try:
            opens, closes = ob.window_dates(p)
        except (KeyError, ValueError, ParameterNotInForce):  # before the provision's day
            continue
        if opens <= today <= closes + dt.timedelta(days=OPEN_GRACE_DAYS):
            out.append(p)
    return sorted(out)


def filings_sweep(*, now: dt.datetime | None = None, batch_size: int = SWEEP_BATCH) -> dict:
    """Open the current periods' slots, then fire due reminders and escalations once each.
    Idempotent: a slot reminded (escalated) is never reminded (escalated) again, and a filed
    one never. Batches of `batch_size` slots, one transaction each, rows locked with
    `SKIP LOCKED` on PostgreSQL (a slot being filed right now is left to that filing)."""
    moment = _now(now)
    today = local(moment).date()
    result = {"opened": 0, "reminders": 0, "escalations": 0}
    for ob in obligations().values():
        for p in periods_to_open(ob, today):
            result["opened"] += slots_open(ob.code, p.key, now=moment)["opened"]
    for kind in ("reminders", "escalations"):
        if kind == "reminders":
            due = FilingSlot.objects.filter(filed_at__isnull=True, reminded_at__isnull=True,
                                            remind_at__lte=moment)
        else:
            due = FilingSlot.objects.filter(filed_at__isnull=True, escalated_at__isnull=True,
                                            due_at__lte=moment)
        ids = list(due.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(ids), max(1, batch_size)):
            result[kind] += _fire_batch(ids[i:i + batch_size], kind, moment)
    return result


def _fire_batch(ids: list[int], kind: str, moment) -> int:
    skip_locked = connection.features.has_select_for_update_skip_locked
    reminder = kind == "reminders"
    unfired = ({"reminded_at__isnull": True} if reminder else {"escalated_at__isnull": True})
    with transaction.atomic():
        slots = list(FilingSlot.objects.select_for_update(skip_locked=skip_locked)
                     .filter(pk__in=ids, filed_at__isnull=True, **unfired)
                     .select_related("org", "receiver_org"))
        ct = _slot_ct()
        known = obligations()
        items, entries, fired, silent = [], [], [], []
        for s in slots:
            ob = known.get(s.obligation)
            if ob is None or (not reminder and not ob.escalate):
                silent.append(s.pk)  # nothing to send: settled so it is not read again
                continue
            period = ob.parse_period(s.period)
            last = f"{s.window_closes.year}年{s.window_closes.month}月{s.window_closes.day}日"
            label = f"{ob.name}（{period.label()}）"
            if reminder:
                what = f"提醒：{label}申报期将于{last}届满，“{s.org.name}”尚未报送"
                target = dict(role=ob.filer_role, role_org_id=s.org_id)
            else:
                what = f"逾期：{label}申报期已于{last}届满，“{s.org.name}”尚未报送"
                target = dict(role=s.receiver_role, role_org_id=s.receiver_org_id)
            ref = f"{ob.code}-{s.period}-{s.pk}"[:40]
            items.append(InboxItem(
                content_type=ct, object_id=s.pk, case_reference=ref,
                kind=InboxKind.REMINDER if reminder else InboxKind.ESCALATION,
                procedure=ob.code, case_title=label[:200], case_state="open", org_id=s.org_id,
                what=what[:300], due_at=s.due_at, **target))
            entries.append(AuditEntry(
                actor=None, action=f"filing.{'reminder' if reminder else 'escalation'}",
                object_type="procedures.filingslot", object_id=str(s.pk), org_id=s.org_id,
                reason=what, extra={"obligation": ob.code, "period": s.period,
                                    "target": target["role"],
                                    "target_org": (s.org if reminder else s.receiver_org).code,
                                    "due_at": s.due_at.isoformat(), "citation": ob.citation}))
            fired.append(s.pk)
        if fired or silent:
            FilingSlot.objects.filter(pk__in=fired + silent).update(
                **({"reminded_at": moment} if reminder else {"escalated_at": moment}))
            InboxItem.objects.bulk_create(items)
            AuditEntry.objects.bulk_create(entries)
    return len(fired)
