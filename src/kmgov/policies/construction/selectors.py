"""Reads of 建设工程质检全覆盖 (111号), scoped: a county's supervision unit (its 住建局) and
government see their county's projects and body; the inspection group (at 市住建局), the
city and the auditor see every county's."""

from __future__ import annotations

import datetime as dt

from django.http import Http404

from kmgov.procedures.declare import Participants
from kmgov.procedures.filings import Period, PeriodKind
from kmgov.procedures.models import FilingSlot
from kmgov.procedures.selectors import visibility_q
from kmgov.rules import decide

from .models import (
    CITY_HOUSING,
    ISSUED,
    MONTHLY,
    Inspection,
    InspectionState,
    Project,
    SupervisionBody,
)

ROUTE = Participants(units=(CITY_HOUSING,))


def _q(model, user):
    return visibility_q(model, user, participants=ROUTE, applicant_field=None)


def projects_visible(user, *, org: str | None = None, q: str = ""):
    cond = _q(Project, user)
    if cond is None:
        return Project.objects.none()
    qs = Project.objects.filter(cond).select_related("org", "org__parent")
    if org:
        qs = qs.filter(org__code=org if org.endswith("-housing") else f"{org}-housing")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.prefetch_related("parties").order_by("org__path", "code")


def project_get(user, code: str) -> Project:
    """A project the user may read, else 404 (its existence is not disclosed)."""
    project = projects_visible(user).filter(code=code).first()
    if project is None:
        raise Http404("没有该工程项目，或您无权查看")
    return project


def bodies_visible(user):
    cond = _q(SupervisionBody, user)
    if cond is None:
        return SupervisionBody.objects.none()
    return SupervisionBody.objects.filter(cond).select_related("org", "org__parent").order_by(
        "org__path")


def _done_periods(kind: PeriodKind, year: int, on: dt.date) -> list[Period]:
    """The periods of `year` that have ended by `on` (a quarter is checked once it is over)
    and began after the document was issued (no period before 2010-05-12 is owed)."""
    out, p = [], Period(year=year, index=1, kind=kind)
    while p.year == year and p.end() < on:
        if p.start() >= ISSUED:
            out.append(p)
        p = p.shift(1)
    return out


def body_check(body: SupervisionBody, *, year: int, on: dt.date):
    """`construction.supervision_check` on the register's data: the body's full-time staff,
    the quarters of `year` ended by `on` against the quarters of its recorded inspections,
    and the months whose filing window has closed against the months it filed."""
    quarters = [p.key for p in _done_periods(PeriodKind.QUARTER, year, on)]
    held = list(Inspection.objects.filter(org=body.org, state=InspectionState.RECORDED,
                                          quarter__startswith=str(year)).values_list(
        "quarter", flat=True))
    months = [p.key for p in _done_periods(PeriodKind.MONTH, year, on)
              if MONTHLY.window_dates(p)[1] < on]
    filed = list(FilingSlot.objects.filter(obligation=MONTHLY.code, org=body.org,
                                           period__startswith=str(year),
                                           filed_at__isnull=False).values_list("period", flat=True))
    inputs = {"as_of": on.isoformat(), "full_time_staff": body.full_time_staff,
              "quarters": quarters or None, "inspection_quarters": held if quarters else [],
              "months": months or None, "report_months": filed if months else []}
    return decide("construction.supervision_check", inputs)
