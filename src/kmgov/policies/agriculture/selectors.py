"""Reads of the agriculture claim (scope through the procedures kernel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum

from kmgov.core.models import OrgUnit
from kmgov.core.scope import user_assignments
from kmgov.procedures.selectors import case_get, cases_visible, payments_visible, visibility_q
from kmgov.rules import parameter_value, today

from .models import ANNEX1_ROW, AgricultureClaim, ClaimLine, LineKind, State


def claim_get(reference: str, user) -> AgricultureClaim:
    return case_get(procedure=AgricultureClaim.procedure.code, reference=reference, user=user)


# --- plan progress (AG-1, AG-4, AG-9): what was done, against Annex 1, the text and Annex 2 ---

#: Claims whose lines count as done: approved by the city office (the city's share may still be
#: unpaid) or paid. Earlier states are not yet checked against the plan by the city (四(七)).
DONE_STATES = (State.APPROVED, State.PAID)


def _p(name: str, on):
    return parameter_value(f"agriculture.{name}", on)


def _reader_counties(user) -> set[str] | None:
    """The county codes whose rows the reader may see, or None for all of them (city level,
    the route's city units, administrators)."""
    q = visibility_q(AgricultureClaim, user)
    if q is None:
        return set()
    if q == Q():
        return None
    codes = set()
    for a in user_assignments(user):
        county = a.org.county_level()
        if county is not None:
            codes.add(county.code)
    return codes


def plan_progress(user, *, on: dt.date | None = None) -> dict:
    """Per district (Annex 1 rows the reader may see) and year: the area adjusted by the
    accepted conversion lines of approved/paid claims, Annex 1's plan, the plan the text's
    yearly percentages give (二(二), §13 discrepancy), labour trained and money, and the basin."""
    on = on or today()
    years = [int(y) for y in _p("plan_years", on)]
    shares = [float(s) for s in _p("yearly_cut_shares", on)]
    done = (cases_visible(AgricultureClaim, user).filter(state__in=DONE_STATES)
            .order_by())
    lines = (ClaimLine.objects.filter(claim__in=done.values("pk"), accepted=True)
             .values("claim__org", "claim__year", "kind")
             .annotate(qty=Sum("quantity"), city=Sum("city_yuan"), county=Sum("county_yuan"),
                       total=Sum("computed_yuan")))
    county_of = {u.pk: u.county_level() for u in OrgUnit.objects.filter(
        pk__in={row["claim__org"] for row in lines})}
    sums: dict[tuple, dict] = {}
    for row in lines:
        county = county_of[row["claim__org"]]
        key = (county.code if county else "", row["claim__year"])
        acc = sums.setdefault(key, {"area": Decimal(0), "people": Decimal(0), "city": Decimal(0),
                                    "county": Decimal(0), "total": Decimal(0)})
        if row["kind"] == LineKind.CONVERSION:
            acc["area"] += row["qty"]
        if row["kind"] == LineKind.TRAINING:
            acc["people"] += row["qty"]
        acc["city"] += row["city"]
        acc["county"] += row["county"]
        acc["total"] += row["total"]
    zero = {"area": Decimal(0), "people": Decimal(0), "city": Decimal(0), "county": Decimal(0),
            "total": Decimal(0)}
    allowed = _reader_counties(user)
    names = {u.code: u.name for u in OrgUnit.objects.filter(code__in=list(ANNEX1_ROW))}
    districts = []
    for code, row in ANNEX1_ROW.items():
        if allowed is not None and code not in allowed:
            continue
        farmland = Decimal(str(_p(f"annex1.{row}.farmland_mu", on)))
        per_year = []
        for i, y in enumerate(years):
            plan = Decimal(str(_p(f"annex1.{row}.adjust_{y}_mu", on)))
            got = sums.get((code, y), zero)
            per_year.append({"year": y, "plan_mu": plan,
                             "text_plan_mu": round(farmland * Decimal(str(shares[i])), 1),
                             "done_mu": got["area"], "people": got["people"],
                             "city_yuan": got["city"], "county_yuan": got["county"]})
        districts.append({"code": code, "name": names.get(code, code), "farmland_mu": farmland,
                          "plan_mu": sum(r["plan_mu"] for r in per_year),
                          "done_mu": sum(r["done_mu"] for r in per_year),
                          "years": per_year})
    basin = []
    for i, y in enumerate(years):
        basin.append({
            "year": y,
            "plan_mu": Decimal(str(_p(f"annex1.total.adjust_{y}_mu", on))),
            "text_plan_mu": round(Decimal(str(_p("annex1.total.farmland_mu", on)))
                                  * Decimal(str(shares[i])), 1),
            "share_text": shares[i],
            "done_mu": sum(d["years"][i]["done_mu"] for d in districts),
            "skills_target": int(_p("training_skills_by_year", on)[i]),
            "transferred_target": int(_p("training_transferred_by_year", on)[i]),
            "people": sum(d["years"][i]["people"] for d in districts),
            "budget_structure_yuan": _wan(_p(f"annex2.y{y}.structure_subsidy_wan_yuan", on)),
            "budget_training_yuan": _wan(_p(f"annex2.y{y}.training_wan_yuan", on)),
            "budget_total_yuan": _wan(_p(f"annex2.y{y}.total_wan_yuan", on)),
            "accepted_yuan": sum(sums.get((d["code"], y), zero)["total"] for d in districts),
            "city_yuan": sum(d["years"][i]["city_yuan"] for d in districts),
            "county_yuan": sum(d["years"][i]["county_yuan"] for d in districts),
        })
    paid = payments_visible(AgricultureClaim.procedure.code, user).aggregate(s=Sum("amount"))["s"]
    return {"years": years, "districts": districts, "basin": basin, "all": allowed is None,
            "city_paid_yuan": paid or Decimal(0)}


def _wan(value) -> Decimal:
    """万元 → 元."""
    return Decimal(str(value)) * 10000
