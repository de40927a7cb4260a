"""Reads of the 109号 module, scoped to the caller.

Who reads a point: roles held at its unit or above (a township's monitor staff their township,
a county government its county, the city everything) — and the land bureaus, which sit beside
the townships in the tree: 109号 二(二) makes 国土资源管理部门 responsible for 调查、监测、预警,
so a role at `<county>-land` reaches its county's points and one at `city-land` every point;
the city general office (市政府办公厅, which 三(四) makes the receiver of rosters and contacts)
reads every county as well."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from kmgov.core.geomap import COUNTY_ADCODES
from kmgov.core.models import READ_ONLY_ROLES, AuditEntry, OrgKind, OrgUnit
from kmgov.core.scope import subtree_q, user_assignments
from kmgov.procedures.errors import CaseNotFound
from kmgov.rules import decide, parameter_value

from .models import DutyShift, HazardPoint, RosterReport, WeatherWarning

LAND = "land"
# 三(四): 监测、值班人员电话及时上报市政府办公厅 — the city's duty office reads every county.
DUTY_OFFICE = "city-general-office"


def _land_paths(user, *, writable: bool = False) -> list[str]:
    out = []
    for a in user_assignments(user):
        if writable and a.role in READ_ONLY_ROLES:
            continue
        code = a.org.code
        if a.org.kind == OrgKind.DEPARTMENT and a.org.parent_id and (
                code.endswith(f"-{LAND}") or code == DUTY_OFFICE):
            out.append(a.org.parent.path)
    return out


def reach(user, *, writable: bool = False) -> list[str]:
    """The org paths whose points the user reads (or, `writable`, may change)."""
    if getattr(user, "is_superuser", False):
        return ["/"]
    paths = [a.org.path for a in user_assignments(user)
             if not (writable and a.role in READ_ONLY_ROLES)]
    return sorted(set(paths + _land_paths(user, writable=writable)))


def reach_q(user, field: str = "org", *, writable: bool = False) -> Q | None:
    """A condition on `field` (an OrgUnit) for the user's reach; None means everything."""
    paths = reach(user, writable=writable)
    if "/" in paths or "/kunming/" in paths:
        return None
    cond = Q(pk__in=[])
    for p in paths:
        cond |= subtree_q(p, field)
    return cond


def can_change(user, org: OrgUnit) -> bool:
    return any(org.path.startswith(p) for p in reach(user, writable=True))


def points_visible(user, *, county: str = "", hazard_type: str = "", scale: str = "", q: str = ""):
    qs = HazardPoint.objects.select_related("org", "org__parent")
    cond = reach_q(user)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if cond is not None:
        qs = qs.filter(cond)
    if county:
        unit = OrgUnit.objects.filter(code=county).first()
        qs = qs.filter(subtree_q(unit.path)) if unit else qs.none()
    if hazard_type:
        qs = qs.filter(hazard_type=hazard_type)
    if scale:
        qs = qs.filter(scale=scale)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(location__icontains=q))
    return qs


def point_get(user, code: str) -> HazardPoint:
    """One point, or 404 when it does not exist or lies outside the caller's reach."""
    p = points_visible(user).filter(code=code).first()
    if p is None:
        raise CaseNotFound("没有这个隐患点，或您无权查看", field="code")
    return p


def point_history(point: HazardPoint):
    return AuditEntry.objects.filter(object_type="geohazards.hazardpoint",
                                     object_id=str(point.pk)).select_related("actor")


def point_facts(point: HazardPoint) -> dict:
    """The rule's input read from the register (109号 二(四)、三(一)、三(五))."""
    return {
        "scale": point.scale,
        "has_monitor": any(m.get("name") and m.get("phone") for m in point.monitors),
        "cards_issued": point.cards_issued_on is not None,
        "has_emergency_plan": point.plans.exists(),
        "route_alarm_refuge_fixed": all([point.evacuation_route, point.evacuation_place,
                                         point.alarm_person, point.alarm_signal, point.refuge]),
        "four_packages_fixed": all([point.county_leader, point.township_leader,
                                    point.village_cadre]),
    }


def point_decision(point: HazardPoint):
    return decide("geohazards.point_requirements", point_facts(point))


def warnings_visible(user):
    qs = WeatherWarning.objects.prefetch_related("areas").select_related("issued_by_org", "notification")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    paths = reach(user)
    if "/" in paths or "/kunming/" in paths:
        return qs
    # A warning concerns a reader when one of its areas is in the reader's reach or above it.
    cond = Q(pk__in=[])
    for p in paths:
        cond |= Q(areas__path__startswith=p)
        for anc in _ancestors(p):
            cond |= Q(areas__path=anc)
    return qs.filter(cond).distinct()


def _ancestors(path: str) -> list[str]:
    parts = [x for x in path.split("/") if x]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


# ---------------------------------------------------------------- the flood-season roster

def season(year: int, on: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The flood season of `year` (interpretation parameter `geohazards.flood_season`)."""
    first, last = parameter_value("geohazards.flood_season", on or dt.date(year, 6, 1))
    m1, d1 = (int(x) for x in first.split("-"))
    m2, d2 = (int(x) for x in last.split("-"))
    return dt.date(year, m1, d1), dt.date(year, m2, d2)


def duty_counties():
    """The units bound to the 24-hour roster: 109号 三(二) 各县（市）区 — the 14 counties."""
    return OrgUnit.objects.filter(code__in=list(COUNTY_ADCODES), kind=OrgKind.COUNTY).order_by("path")


def counties_visible(user):
    paths = reach(user)
    qs = duty_counties()
    if "/" in paths or "/kunming/" in paths:
        return qs
    return qs.filter(pk__in=[c.pk for c in qs if any(c.path.startswith(p) or p.startswith(c.path)
                                                      for p in paths)])


def roster(county: OrgUnit, year: int):
    start, end = season(year)
    return DutyShift.objects.filter(org=county, day__range=(start, end)).order_by("day")


def roster_gaps(county: OrgUnit, year: int, *, start: dt.date | None = None,
                end: dt.date | None = None) -> list[dt.date]:
    """Days of the season (or of [start, end] inside it) with no one on duty."""
    s, e = season(year)
    s, e = max(s, start or s), min(e, end or e)
    have = set(DutyShift.objects.filter(org=county, day__range=(s, e)).values_list("day", flat=True))
    out, d = [], s
    while d <= e:
        if d not in have:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def roster_report_of(county: OrgUnit, year: int):
    return RosterReport.objects.filter(org=county, season=year).first()
