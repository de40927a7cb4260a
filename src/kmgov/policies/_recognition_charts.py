"""Charts of a recognition procedure (62号 buildings, 63号 headquarters), for the dashboard
each of them declares: applications by county and state, recognitions filed per year, and the
payments of its ledger (rewards) per year. A policy declares its dashboard with:

    def charts(user, on=None):
        return recognition_charts(HeadquartersApplication, user, on=on, doc=DOC,
                                  route_citation="附件 第十二条、第十三条")
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from kmgov.core.calendar import local
from kmgov.core.charts import Chart, Series
from kmgov.core.models import OrgUnit
from kmgov.procedures.selectors import cases_visible, payments_visible
from kmgov.rules import today

from ._recognition import State


def recognition_charts(model, user, *, on: dt.date | None = None, doc: str,
                       route_citation: str, reward_citation: str = "") -> list[Chart]:
    on = on or today()
    code = model.procedure.code
    name = str(model.procedure.name)
    cases = cases_visible(model, user).filter(created_at__date__lte=on).order_by()
    rows = list(cases.values("org", "state").annotate(n=Count("id")))
    county_of = {u.pk: u.county_level() for u in OrgUnit.objects.filter(pk__in={r["org"] for r in rows})}
    by: dict[tuple[str, str], int] = {}
    for r in rows:
        county = county_of.get(r["org"])
        key = (county.name if county else _("（未定）"), r["state"])
        by[key] = by.get(key, 0) + r["n"]
    counties = sorted({c for c, _s in by})
    states = [(s, label) for s, label in State.choices if any(k[1] == s for k in by)]
    filed_years: dict[int, int] = {}
    for filed in cases.filter(state=State.FILED, filed_at__isnull=False).values_list("filed_at", flat=True):
        y = local(filed).year
        filed_years[y] = filed_years.get(y, 0) + 1
    paid: dict[int, Decimal] = {}
    for p in payments_visible(code, user).filter(paid_at__date__lte=on):
        paid[local(p.paid_at).year] = paid.get(local(p.paid_at).year, Decimal(0)) + p.amount
    out = [
        Chart(key="applications", title=_("%(name)s：各县区申报与办理状态") % {"name": name},
              kind="stacked", categories=counties, unit=_("件"), category_label=_("县区"),
              series=[Series(_(label), [by.get((c, s), 0) for c in counties]) for s, label in states],
              citation=f"{doc} {route_citation}", headline=True),
        Chart(key="filed-per-year", title=_("%(name)s：逐年认定（市级备案）") % {"name": name},
              kind="bar", categories=[str(y) for y in sorted(filed_years)], unit=_("家"),
              category_label=_("年度"),
              series=[Series(_("已认定"), [filed_years[y] for y in sorted(filed_years)])],
              citation=f"{doc} {route_citation}"),
    ]
    if reward_citation:
        out.append(Chart(
            key="rewards-per-year", title=_("%(name)s：逐年拨付奖励") % {"name": name}, kind="bar",
            categories=[str(y) for y in sorted(paid)], unit=_("元"), category_label=_("年度"),
            series=[Series(_("已拨付"), [float(paid[y]) for y in sorted(paid)])],
            citation=f"{doc} {reward_citation}"))
    return out
