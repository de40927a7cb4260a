"""Reads of scheduled filings, scoped by the caller: who has filed and who has not.

A slot is visible to a reader role held at a unit whose subtree contains the filer (a county
sees its townships and enterprises, the city everything), and to the receiver: the receiving
role at (or above) the slot's receiving unit (the city commerce bureau sees every HQ's slot).
Both are one SQL condition (`slots_visibility_q`), as `selectors.visibility_q` for cases.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from kmgov.core.models import OrgUnit
from kmgov.core.scope import subtree_q, user_assignments

from .filings import obligation
from .models import FilingSlot
from .selectors import CASE_READER_ROLES

STATUSES = {"filed": N_("已报送（含逾期报送）"), "late": N_("逾期报送"), "not_filed": N_("未报送"),
            "overdue": N_("逾期未报送")}


def slots_visibility_q(user) -> Q | None:
    """The SQL condition for the slots the user may read, or None for none."""
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return Q()
    cond = Q(pk__in=[])
    for a in user_assignments(user):
        if a.role not in CASE_READER_ROLES:
            continue
        cond |= subtree_q(a.org.path, "org")
        cond |= Q(receiver_role=a.role) & subtree_q(a.org.path, "receiver_org")
    return cond


def _status_q(status: str, now: dt.datetime) -> Q:
    return {"filed": Q(filed_at__isnull=False), "late": Q(late=True),
            "not_filed": Q(filed_at__isnull=True),
            "overdue": Q(filed_at__isnull=True, due_at__lte=now)}[status]


def slots_visible(user, *, obligation_code: str | None = None, period: str | None = None,
                  under: OrgUnit | str | None = None, status: str | None = None,
                  now: dt.datetime | None = None) -> QuerySet[FilingSlot]:
    """The slots the user may read, filtered by obligation, period, the filer's subtree
    (`under`, a unit or its code) and status (`STATUSES`); in tree order."""
    q = slots_visibility_q(user)
    if q is None:
        return FilingSlot.objects.none()
    qs = FilingSlot.objects.filter(q)
    if obligation_code:
        ob = obligation(obligation_code)
        qs = qs.filter(obligation=ob.code)
        if period:
            qs = qs.filter(period=ob.parse_period(period).key)
    elif period:
        qs = qs.filter(period=period)
    if under:
        unit = under if isinstance(under, OrgUnit) else OrgUnit.objects.get(code=under)
        qs = qs.filter(subtree_q(unit.path, "org"))
    if status:
        qs = qs.filter(_status_q(status, now or timezone.now()))
    return qs.select_related("org", "receiver_org").order_by("org__path", "pk")


def not_filed(user, obligation_code: str, period: str, *, under=None) -> QuerySet[FilingSlot]:
    """Who has not filed `period` of the obligation, among the units the user may read."""
    return slots_visible(user, obligation_code=obligation_code, period=period, under=under,
                         status="not_filed")


def filing_summary(user, obligation_code: str, period: str, *, under=None,
                   now: dt.datetime | None = None) -> dict:
    """Counts of the visible slots (one aggregate query): total, filed, late, not filed,
    overdue (not filed and the window's last day has passed)."""
    moment = now or timezone.now()
    qs = slots_visible(user, obligation_code=obligation_code, period=period, under=under)
    agg = qs.order_by().aggregate(
        total=Count("pk"), filed=Count("pk", filter=Q(filed_at__isnull=False)),
        late=Count("pk", filter=Q(late=True)),
        not_filed=Count("pk", filter=Q(filed_at__isnull=True)),
        overdue=Count("pk", filter=Q(filed_at__isnull=True, due_at__lte=moment)))
    return {k: int(v or 0) for k, v in agg.items()}


def rollup_progress(user, obligation_code: str, period: str, *, parent: OrgUnit) -> dict:
    """For a consolidation (`Obligation.rollup_of`): how the children under `parent` stand
    on the obligation it consolidates — what the parent sees before it files."""
    ob = obligation(obligation_code)
    if not ob.rollup_of:
        return {}
    return filing_summary(user, ob.rollup_of, period, under=parent)


def slot_out(s: FilingSlot) -> dict:
    """A slot as JSON (API and CLI)."""
    return {"obligation": s.obligation, "period": s.period, "org": s.org.code,
            "org_name": s.org.name, "window_opens": s.window_opens.isoformat(),
            "window_closes": s.window_closes.isoformat(), "receiver_role": s.receiver_role,
            "receiver_org": s.receiver_org.code, "status": s.status(),
            "status_label": s.status_label(), "case_reference": s.case_reference or None,
            "filed_at": s.filed_at.isoformat() if s.filed_at else None, "late": s.late,
            "reminded_at": s.reminded_at.isoformat() if s.reminded_at else None,
            "escalated_at": s.escalated_at.isoformat() if s.escalated_at else None}
