"""The buildings dashboard (62号): the shared recognition charts (applications by county and
state, recognitions per year, `policies._recognition_charts`) and the register's grades per
county for the last full year (七(三)), read through `register.register_rows` (scoped to the
reader like the register's list)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kmgov.core.charts import Chart, Series
from kmgov.policies._recognition_charts import recognition_charts
from kmgov.rules import today

from .models import DOC, BuildingApplication, GradeCode
from .register import register_rows


def charts(user, on: dt.date | None = None) -> list[Chart]:
    on = on or today()
    return [*recognition_charts(BuildingApplication, user, on=on, doc=DOC,
                                route_citation="附件1 第八条至第十一条"),
            _grades(user, on)]


def _grades(user, on: dt.date) -> Chart:
    # 七(三): the register is of the last full year (as the demo and the register's list use)
    year = on.year - 1
    by: dict[tuple[str, str], int] = {}
    for row in register_rows(user, year=year):
        r = row["record"]
        if r is None or not r.grade:
            continue
        key = (row["building"].county.name, r.grade)
        by[key] = by.get(key, 0) + 1
    counties = sorted({c for c, _g in by})
    return Chart(
        key="grades-by-county", title=_("%(year)s年度各县区商务楼宇等级") % {"year": year},
        kind="stacked", categories=counties, unit=_("幢"), category_label=_("县区"),
        series=[Series(_(label), [by.get((c, g), 0) for c in counties])
                for g, label in GradeCode.choices],
        citation=f"{DOC} 七(一)、七(三)，附件1 第十二条")
