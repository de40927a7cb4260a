"""Reads of the desk, scoped through the kernel (`visibility_q`, `core.scope`): an operator
sees the whole desk; a department (liaison or staff) only the tickets transferred to it and
its own entries; a citizen only their own ticket, by number and check code."""

from __future__ import annotations

import datetime as dt
import hmac

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from kmgov.core import calendar
from kmgov.core.scope import subtree_q
from kmgov.procedures.models import Deadline, DeadlineKind
from kmgov.procedures.selectors import visibility_q

from .models import OPEN_STATUSES, KbEntry, Ticket, TicketEvent, TicketStatus
from .permissions import department_orgs, is_operator


def tickets_visible(user):
    """The kernel's scope (`procedures.selectors.visibility_q`, through `core.scope`): the
    desk (operators, administrators) reaches every ticket; a department the tickets whose
    unit is in its subtree — a ticket belongs to the department it was transferred to; a
    logged-in citizen the tickets they filed. A department also keeps seeing what it was once
    given, after a transfer onwards (read-only: its steps need the ticket to be its own)."""
    qs = Ticket.objects.select_related("assigned_org", "topic", "answer_entry")
    if is_operator(user):
        return qs
    q = visibility_q(Ticket, user, org_field="assigned_org")
    if q is None:
        return qs.none()
    for o in department_orgs(user):
        q |= Q(pk__in=TicketEvent.objects.filter(kind=TicketEvent.Kind.TRANSFERRED)
               .filter(subtree_q(o.path, "to_org")).values("ticket_id"))
        # a supporting unit (协办) reads the ticket it helps with
        q |= Q(pk__in=Ticket.supporting_orgs.through.objects
               .filter(subtree_q(o.path, "orgunit")).values("ticket_id"))
    if not department_orgs(user):
        q &= Q(applicant=user)  # no desk or department role: only what they filed themselves
    return qs.filter(q)


def ticket_get(user, number: str) -> Ticket:
    t = tickets_visible(user).filter(number=number).first()
    if t is None:
        raise Http404("没有该工单，或您无权查看")
    return t


def ticket_lookup_public(number: str, check_code: str) -> Ticket:
    """A citizen follows up their own ticket: both the number and the check code must match."""
    t = Ticket.objects.select_related("assigned_org", "topic").filter(
        number=(number or "").strip()).first()
    if t is None or not hmac.compare_digest(t.check_code, (check_code or "").strip()):
        raise Http404("工单号或查询码不正确")
    return t


def ticket_events(ticket, *, fired: bool = True, written: list | None = None) -> list:
    """The ticket's whole history, in order: the desk's events, and the reminders and
    escalations the kernel's sweep fired on its reply period (its `Deadline` rows; not read
    with `fired=False`, for a ticket filed in this request, whose periods cannot have run).
    `written`: the ticket's every event, as this request has just written them (with their
    ids and units) — used instead of reading them back."""
    if written is not None:
        events = list(written)
        for e in events:  # the moment in UTC, as the database gives it back
            e.at = e.at.astimezone(dt.UTC)
    else:
        events = list(ticket.events.select_related("from_org", "to_org", "actor"))
    transfers = [e for e in events if e.kind == TicketEvent.Kind.TRANSFERRED]
    ct = ContentType.objects.get_for_model(Ticket)
    fired_rows = (Deadline.objects.filter(content_type=ct, object_id=ticket.pk,
                                          fired_at__isnull=False).select_related("target_org")
                  if fired else ())
    for d in fired_rows:
        # The department whose period ran out: the last transfer before it fired (a later
        # transfer would have cancelled it).
        dept = next((e.to_org for e in reversed(transfers) if e.at <= d.fired_at), None)
        ends = f"{calendar.local(d.period_ends_at):%Y-%m-%d %H:%M}"
        if d.kind == DeadlineKind.REMINDER:
            events.append(TicketEvent(ticket=ticket, at=d.fired_at, kind=TicketEvent.Kind.REMINDED,
                                      to_org=d.target_org, text=f"请于 {ends} 前回复",
                                      extra={"deadline": d.pk}))
        else:
            events.append(TicketEvent(ticket=ticket, at=d.fired_at, kind=TicketEvent.Kind.ESCALATED,
                                      from_org=dept, to_org=d.target_org, citation=d.citation,
                                      text=f"{dept or ''} 逾期未回复（期限 {ends}）",
                                      extra={"deadline": d.pk}))
    events.sort(key=lambda e: (e.at, e.pk is None, e.pk or 0))
    _with_files(ticket, events)
    return events


def _with_files(ticket, events) -> None:
    """Each reply event's documents as `files` (the kernel's attachments it names)."""
    from kmgov.procedures.models import Attachment

    pks = [pk for e in events for pk in (e.extra or {}).get("attachments", ())]
    found = {a.pk: a for a in Attachment.objects.filter(
        pk__in=pks, content_type=ticket.content_type, object_id=ticket.pk)} if pks else {}
    for e in events:
        e.files = [found[pk] for pk in (e.extra or {}).get("attachments", ()) if pk in found]
        e.for_caller = bool((e.extra or {}).get("for_caller"))


def caller_files(ticket) -> list:
    """The unit's reply documents it marked for the caller (the follow-up page offers them)."""
    out = []
    for e in ticket.events.filter(kind=TicketEvent.Kind.REPLIED).order_by("at", "id"):
        if (e.extra or {}).get("for_caller"):
            _with_files(ticket, [e])
            out.extend(e.files)
    return out


def caller_file(ticket, pk: int):
    a = next((a for a in caller_files(ticket) if a.pk == pk), None)
    if a is None:
        raise Http404("没有该附件，或它未提供给来电人")
    return a


def desk_queue(user):
    """The operator's queue: after-hours tickets first (cleared first thing in working hours,
    oldest first), then other tickets still at the desk."""
    if not is_operator(user):
        return Ticket.objects.none()
    return (Ticket.objects.filter(state__in=[TicketStatus.QUEUED, TicketStatus.OPEN])
            .select_related("topic")
            .order_by("-after_hours", "state", "received_at"))


def department_tickets(user, *, open_only=False):
    """A department's tickets, soonest reply due first; `escalated`: its reply period ran out
    and the kernel's sweep escalated it."""
    ct = ContentType.objects.get_for_model(Ticket)
    qs = tickets_visible(user).annotate(escalated=Exists(Deadline.objects.filter(
        content_type=ct, object_id=OuterRef("pk"), kind=DeadlineKind.ESCALATION,
        state=TicketStatus.TRANSFERRED, fired_at__isnull=False)))
    if open_only:
        qs = qs.filter(state=TicketStatus.TRANSFERRED)
    return qs.order_by("due_at", "received_at")


def entries_visible(user, *, include_inactive=True):
    qs = KbEntry.objects.select_related("org", "topic")
    if is_operator(user):
        return qs
    orgs = department_orgs(user)
    if not orgs:
        return qs.none()
    cond = Q()
    for o in orgs:
        cond |= Q(org__path__startswith=o.path)
    return qs.filter(cond)


# --- statistics (HL-6) -------------------------------------------------------------------


def _period(start: dt.date | None, end: dt.date | None):
    end = end or timezone.localdate()
    start = start or end.replace(month=1, day=1)
    return start, end


def stats(*, start: dt.date | None = None, end: dt.date | None = None, now=None) -> dict:
    """Volumes by channel, type, topic and department; answered directly vs transferred;
    on-time replies by department (for the yearly assessment, 116号 五(三)); backlog."""
    start, end = _period(start, end)
    now = now or timezone.now()
    lo = dt.datetime.combine(start, dt.time(0), tzinfo=calendar.TZ)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=calendar.TZ)
    qs = Ticket.objects.filter(received_at__gte=lo, received_at__lt=hi)

    def by(field, labels=None):
        rows = qs.values(field).annotate(n=Count("id")).order_by("-n")
        return [{"key": r[field] or "", "label": (labels or {}).get(r[field], r[field] or "（未定）"),
                 "count": r["n"]} for r in rows]

    from .models import Channel, RequestType

    transfers = TicketEvent.objects.filter(kind=TicketEvent.Kind.TRANSFERRED, ticket__in=qs)
    dept_rows = []
    for r in (Ticket.objects.filter(pk__in=transfers.values("ticket_id"))
              .exclude(assigned_org=None)
              .values("assigned_org__code", "assigned_org__name")
              .annotate(total=Count("id"),
                        replied=Count("id", filter=Q(replied_at__isnull=False)),
                        on_time=Count("id", filter=Q(reply_on_time=True)),
                        overdue_open=Count("id", filter=Q(state=TicketStatus.TRANSFERRED,
                                                          due_at__lt=now)),
                        satisfaction=Avg("satisfaction"))
              .order_by("-total")):
        dept_rows.append({
            "code": r["assigned_org__code"], "name": r["assigned_org__name"],
            "transferred": r["total"], "replied": r["replied"], "on_time": r["on_time"],
            "on_time_rate": round(r["on_time"] / r["replied"], 4) if r["replied"] else None,
            "overdue_open": r["overdue_open"],
            "satisfaction": round(r["satisfaction"], 2) if r["satisfaction"] else None,
        })
    backlog = Ticket.objects.filter(state__in=OPEN_STATUSES)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "total": qs.count(),
        "by_channel": by("channel", dict(Channel.choices)),
        "by_type": by("request_type", dict(RequestType.choices)),
        "by_topic": by("topic__name"),
        "by_department": dept_rows,
        "answered_directly": qs.filter(answer_entry__isnull=False).count(),
        "transferred": qs.filter(pk__in=transfers.values("ticket_id")).count(),
        "after_hours": qs.filter(after_hours=True).count(),
        "backlog": {
            "queued": backlog.filter(state=TicketStatus.QUEUED).count(),
            "at_desk": backlog.filter(state=TicketStatus.OPEN).count(),
            "awaiting_reply": backlog.filter(state=TicketStatus.TRANSFERRED).count(),
            "overdue": backlog.filter(state=TicketStatus.TRANSFERRED, due_at__lt=now).count(),
            "awaiting_callback": backlog.filter(state=TicketStatus.REPLIED).count(),
        },
    }


def daily(*, start: dt.date, end: dt.date) -> list[dict]:
    """Per day from `start` to `end` (both included): tickets by channel, and the mean
    satisfaction of the tickets called back that day (the dashboard's trends)."""
    from django.db.models.functions import TruncDate

    from .models import Channel

    lo = dt.datetime.combine(start, dt.time(0), tzinfo=calendar.TZ)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=calendar.TZ)
    qs = Ticket.objects.filter(received_at__gte=lo, received_at__lt=hi)
    counts = {(r["day"], r["channel"]): r["n"] for r in
              qs.annotate(day=TruncDate("received_at", tzinfo=calendar.TZ))
              .values("day", "channel").annotate(n=Count("id")).order_by()}
    sat = {r["day"]: r["s"] for r in
           qs.filter(satisfaction__isnull=False)
           .annotate(day=TruncDate("received_at", tzinfo=calendar.TZ))
           .values("day").annotate(s=Avg("satisfaction")).order_by()}
    out = []
    day = start
    while day <= end:
        out.append({"day": day,
                     "by_channel": {c: counts.get((day, c), 0) for c, _ in Channel.choices},
                     "satisfaction": round(sat[day], 2) if sat.get(day) is not None else None})
        day += dt.timedelta(days=1)
    return out


# --- the console and the desk ---------------------------------------------------------------

#: The groups of the unit picker, in the order shown (level and type of unit).
UNIT_GROUPS = (("city_department", "市级部门"), ("county", "县（市）区"),
               ("zone", "开发（度假）区及其他管委会"), ("county_department", "县级部门"),
               ("unit", "其他单位"))
UNIT_KINDS = ("department", "county", "zone", "other_body", "unit")


def _unit_group(o) -> str:
    if o.kind == "department":
        return "county_department" if o.parent_id and o.parent.kind != "city" else "city_department"
    if o.kind == "county":
        return "county"
    if o.kind in ("zone", "other_body"):
        return "zone"
    return "unit"


def units_search(q: str = "", *, limit: int = 30) -> list[dict]:
    """Units a ticket can go to whose name, short name or code contains `q`, grouped by level
    and type (city departments first), each {code, name, group, group_label}."""
    from kmgov.core.models import OrgUnit

    qs = OrgUnit.objects.filter(kind__in=UNIT_KINDS).select_related("parent")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))
    labels = dict(UNIT_GROUPS)
    order = {g: i for i, (g, _label) in enumerate(UNIT_GROUPS)}
    rows = [{"code": o.code, "name": o.name, "group": _unit_group(o),
             "group_label": labels[_unit_group(o)], "path": o.path} for o in qs]
    rows.sort(key=lambda r: (order[r["group"]], not r["name"].startswith(q) if q else 0,
                             r["path"]))
    for r in rows:
        del r["path"]
    return rows[:limit] if limit else rows


def units_grouped() -> list[tuple[str, list[dict]]]:
    """Every unit for the picker (no script): [(group label, units)]."""
    out: dict[str, list[dict]] = {}
    for r in units_search("", limit=0):
        out.setdefault(r["group_label"], []).append(r)
    return list(out.items())


def unit_resolve(text: str):
    """A unit from what the operator typed or picked: its code, its full or short name, or
    the only unit whose name contains the text."""
    from kmgov.core.models import OrgUnit

    text = (text or "").strip()
    if not text:
        return None
    qs = OrgUnit.objects.filter(kind__in=UNIT_KINDS)
    hit = (qs.filter(code=text).first() or qs.filter(name=text).first()
           or qs.filter(short_name=text).first())
    if hit is not None:
        return hit
    some = list(qs.filter(name__icontains=text)[:2])
    return some[0] if len(some) == 1 else None


def caller_history(user, ticket, *, limit: int = 20):
    """Earlier tickets of the same phone number that the user may read (newest first)."""
    if not ticket.caller_phone:
        return Ticket.objects.none()
    return (tickets_visible(user).filter(caller_phone=ticket.caller_phone)
            .exclude(pk=ticket.pk).order_by("-received_at")[:limit])


def missed_calls_open(user):
    """Missed calls not yet called back (oldest first): the operators' call-back list."""
    from .models import MissedCall

    if not is_operator(user):
        return MissedCall.objects.none()
    return MissedCall.objects.filter(called_back_at__isnull=True).order_by("at", "id")


#: The list filters of the console and the desk (value → label).
LIST_FILTERS = (("", N_("全部")), ("open", N_("办理中")), ("overdue", N_("已超期")), ("returned", N_("退单待审核")),
                ("extension", N_("延期待审批")), ("suspended", N_("挂起")), ("callback", N_("待回访")),
                ("closed", N_("已办结")))


def tickets_filtered(qs, status: str = "", *, now=None):
    """A ticket list narrowed by one of LIST_FILTERS (unknown values: unfiltered)."""
    now = now or timezone.now()
    if status == "open":
        return qs.filter(state__in=OPEN_STATUSES)
    if status == "overdue":
        return qs.filter(state=TicketStatus.TRANSFERRED, due_at__lt=now)
    if status == "returned":
        return qs.filter(state=TicketStatus.RETURNED)
    if status == "extension":
        return qs.filter(state=TicketStatus.TRANSFERRED, extension_days__isnull=False)
    if status == "suspended":
        return qs.filter(state=TicketStatus.SUSPENDED)
    if status == "callback":
        return qs.filter(Q(state__in=[TicketStatus.REPLIED, TicketStatus.ANSWERED])
                         | Q(state=TicketStatus.CLOSED, satisfaction__isnull=True,
                             merged_into__isnull=True, events__kind=TicketEvent.Kind.FINISHED)
                         ).distinct()
    if status == "closed":
        return qs.filter(state__in=[TicketStatus.CLOSED, TicketStatus.ANSWERED])
    return qs
