"""Reads of the desk, scoped: an operator sees the whole desk; a department (liaison or staff)
only the tickets transferred to it and its own entries; a citizen only their own ticket, by
number and check code."""

from __future__ import annotations

import datetime as dt
import hmac

from django.db.models import Avg, Count, Q
from django.http import Http404
from django.utils import timezone

from kmgov.core import calendar

from .models import OPEN_STATUSES, KbEntry, Ticket, TicketEvent, TicketStatus
from .permissions import department_orgs, is_operator


def tickets_visible(user):
    qs = Ticket.objects.select_related("assigned_org", "topic", "answer_entry")
    if is_operator(user):
        return qs
    orgs = department_orgs(user)
    if not orgs:
        return qs.none()
    cond = Q()
    for o in orgs:
        cond |= Q(assigned_org__path__startswith=o.path)
    # A department keeps seeing what it was once given, even after a transfer onwards.
    for o in orgs:
        cond |= Q(events__to_org__path__startswith=o.path)
    return qs.filter(cond).distinct()


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


def ticket_events(ticket):
    return ticket.events.select_related("from_org", "to_org", "actor").order_by("at", "id")


def desk_queue(user):
    """The operator's queue: after-hours tickets first (cleared first thing in working hours,
    oldest first), then other tickets still at the desk."""
    if not is_operator(user):
        return Ticket.objects.none()
    return (Ticket.objects.filter(status__in=[TicketStatus.QUEUED, TicketStatus.OPEN])
            .select_related("topic")
            .order_by("-after_hours", "status", "received_at"))


def department_tickets(user, *, open_only=False):
    qs = tickets_visible(user)
    if open_only:
        qs = qs.filter(status=TicketStatus.TRANSFERRED)
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
                        overdue_open=Count("id", filter=Q(status=TicketStatus.TRANSFERRED,
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
    backlog = Ticket.objects.filter(status__in=OPEN_STATUSES)
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
            "queued": backlog.filter(status=TicketStatus.QUEUED).count(),
            "at_desk": backlog.filter(status=TicketStatus.OPEN).count(),
            "awaiting_reply": backlog.filter(status=TicketStatus.TRANSFERRED).count(),
            "overdue": backlog.filter(status=TicketStatus.TRANSFERRED, due_at__lt=now).count(),
            "awaiting_callback": backlog.filter(status=TicketStatus.REPLIED).count(),
        },
    }
