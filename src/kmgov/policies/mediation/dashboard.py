"""The mediation dashboard (108号 "以奖代补"): cases recorded and claimed by county and grade,
rewards approved and paid against the 600万元 budget (300万元 of it the city's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from kmgov.core.charts import Chart, Series
from kmgov.procedures.selectors import cases_visible
from kmgov.rules import parameter_value, today

from .models import DOC, ClaimState, Grade, MediationClaim
from .selectors import records_visible

COUNTED = (ClaimState.APPROVED, ClaimState.PAID)


def charts(user, on: dt.date | None = None) -> list[Chart]:
    on = on or today()
    records = records_visible(user).filter(agreement_signed_on__lte=on)
    by = {(r["county__name"], r["grade"]): r["n"] for r in
          records.values("county__name", "grade").annotate(n=Count("id")).order_by()}
    counties = sorted({c for c, _g in by})
    claims = cases_visible(MediationClaim, user).filter(state__in=COUNTED).order_by()
    money = {r["org__name"]: r for r in claims.values("org__name").annotate(
        total=Sum("total_yuan"), city=Sum("city_yuan"), county=Sum("county_yuan")).order_by()}
    claim_counties = sorted(money)
    total = sum((r["total"] for r in money.values()), Decimal(0))
    city = sum((r["city"] for r in money.values()), Decimal(0))
    budget_total = parameter_value("mediation.budget_total", on)
    budget_city = parameter_value("mediation.budget_city", on)
    return [
        Chart(key="cases", title=_("调解案件（按县区、等级）"), kind="stacked",
              categories=counties, unit=_("件"), category_label=_("县区"),
              series=[Series(_(label), [by.get((c, g), 0) for c in counties])
                      for g, label in Grade.choices],
              citation=f"{DOC} 附件 三(二)"),
        Chart(key="rewards", title=_("核定奖励（市、县分担）"), kind="stacked",
              categories=claim_counties, unit=_("元"), category_label=_("申报单位"),
              series=[Series(_("市级承担"), [float(money[c]["city"]) for c in claim_counties]),
                      Series(_("县级承担"), [float(money[c]["county"]) for c in claim_counties])],
              citation=f"{DOC} 附件 三(二)4"),
        Chart(key="budget", title=_("奖励经费使用（对照总额600万元）"), kind="gauge",
              categories=[_("全市")], series=[Series(_("已核定奖励"), [float(total)])],
              unit=_("元"), maximum=float(budget_total), headline=True,
              citation=f"{DOC} 附件 三(二)4",
              note=_("其中市级已核定%(city)s元，市级试行经费%(budget)s元。") % {
                  "city": city, "budget": budget_city}),
    ]
