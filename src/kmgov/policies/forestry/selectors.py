"""Reads of the forestry procedures, scoped to the reader through the procedures kernel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_noop

from kmgov.core.models import COUNTY_LEVEL_KINDS, OrgUnit
from kmgov.core.scope import user_assignments
from kmgov.procedures.selectors import cases_visible, visibility_q
from kmgov.rules import parameter_value, today

from .models import ForestProject, State

#: Approved and not abandoned: the area is under transformation (五(五) 审批 → 五(七) 验收).
UNDER_WAY = (State.DESIGN_APPROVED, State.IN_PROGRESS, State.SELF_CHECKED, State.ACCEPTED,
             State.COMPLETED)


def _county_units() -> dict[str, OrgUnit]:
    """Each county-level unit by every name the gazette uses for it (禄劝县 = 禄劝彝族苗族自治县)."""
    units = {}
    for u in OrgUnit.objects.filter(kind__in=COUNTY_LEVEL_KINDS):
        for name in (u.name, u.short_name, *(u.aliases or [])):
            if name:
                units[name] = u
    return units


def _reader_counties(user) -> set[str] | None:
    """County codes whose rows the reader may see; None: all (city level, route's city units)."""
    q = visibility_q(ForestProject, user)
    if q is None:
        return set()
    if q == Q():
        return None
    return {c.code for a in user_assignments(user) if (c := a.org.county_level()) is not None}


def progress(user, *, on: dt.date | None = None) -> dict:
    """Where each county stands on `on` (default today) against 61号 四(一) (its share of the
    2,000,000 亩) and 四(二) (a pilot of ≥ 1000 亩 done by 11-30): area accepted and under way,
    pilot area done by the deadline, and the counties behind it once the deadline has passed."""
    on = on or today()
    tasks = parameter_value("forestry.county_tasks_wan_mu", on)
    min_pilot = Decimal(str(parameter_value("forestry.pilot_min_area_mu", on)))
    deadline = dt.date.fromisoformat(str(parameter_value("forestry.pilot_deadline", on)))
    counting = parameter_value("forestry.pilot_area_counting", on)
    units = _county_units()
    allowed = _reader_counties(user)
    projects = list(cases_visible(ForestProject, user).filter(state__in=UNDER_WAY)
                    .select_related("org").order_by())
    by_county: dict[str, list[ForestProject]] = {}
    for p in projects:
        county = p.org.county_level()
        if county is not None:
            by_county.setdefault(county.code, []).append(p)
    rows, years = [], {}
    for name, wan in tasks:
        unit = units.get(name)
        if unit is None or (allowed is not None and unit.code not in allowed):
            continue
        mine = by_county.get(unit.code, [])
        accepted = [p for p in mine if p.accepted_on and p.accepted_on <= on]
        for p in accepted:
            years[p.accepted_on.year] = years.get(p.accepted_on.year, Decimal(0)) + p.area_mu
        # 四(二): "11月30日前完成" — done on the deadline day itself counts (docs/interpretations.md)
        pilots = [p.area_mu for p in mine
                  if p.pilot and p.work_done_on and p.work_done_on <= min(on, deadline)]
        pilot_mu = (sum(pilots, Decimal(0)) if counting == "sum" else max(pilots, default=Decimal(0)))
        rows.append({
            "code": unit.code, "name": unit.name, "task_mu": Decimal(str(wan)) * 10000,
            "accepted_mu": sum((p.area_mu for p in accepted), Decimal(0)),
            "under_way_mu": sum((p.area_mu for p in mine), Decimal(0)),
            "pilot_mu": pilot_mu, "pilot_target_mu": min_pilot,
            "pilot_met": pilot_mu >= min_pilot,  # 不得低于1000亩: 1000 itself meets it
        })
    behind = [r for r in rows if not r["pilot_met"]] if on > deadline else []
    return {"on": on, "deadline": deadline, "rows": rows, "behind": behind,
            "years": dict(sorted(years.items())), "all": allowed is None,
            "plan_total_wan_mu": parameter_value("forestry.plan_total_wan_mu", on),
            "pilot_total_mu": parameter_value("forestry.pilot_total_mu", on)}


def plan_filings(user, *, on: dt.date | None = None) -> list[dict]:
    """The 2010 plan and summary filings (四(一)、四(二)) as they stood at the end of `on`: for
    each, its deadline and who filed on time, late, or not at all (late once the day passed)."""
    from kmgov.core.calendar import TZ
    from kmgov.procedures.filing_selectors import slots_visible

    from .models import PILOT_SUMMARY, PLAN_FINAL, PLAN_REVIEW

    on = on or today()
    moment = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)
    out = []
    short = {PLAN_REVIEW.code: gettext_noop("规划评审"), PLAN_FINAL.code: gettext_noop("规划定稿"),
             PILOT_SUMMARY.code: gettext_noop("试点总结")}
    for ob in (PLAN_REVIEW, PLAN_FINAL, PILOT_SUMMARY):
        slots = list(slots_visible(user, obligation_code=ob.code, period="2010"))
        row = {"code": ob.code, "name": ob.name, "short": short[ob.code], "citation": ob.citation,
               "closes": slots[0].window_closes if slots else None,
               "on_time": [], "late": [], "missing": [], "pending": []}
        for s in slots:
            filed = s.filed_at is not None and s.filed_at < moment
            if filed:
                row["late" if s.late else "on_time"].append(s.org.name)
            elif s.due_at <= moment:
                row["missing"].append(s.org.name)
            else:
                row["pending"].append(s.org.name)
        out.append(row)
    return out
