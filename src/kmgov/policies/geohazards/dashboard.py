"""The geohazards dashboard (109号): the hazard points of the register (三(一)) per county, by
type and by scale, read through `selectors.points_visible` (scoped like the register's list:
a county's land office sees its county only)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kmgov.core.charts import Chart, Series
from kmgov.rules import today

from .models import DOC, HazardType, Scale
from .selectors import points_visible

CITATION = f"{DOC} 三(一)"


def charts(user, on: dt.date | None = None) -> list[Chart]:
    on = on or today()
    points = points_visible(user).filter(created_at__date__lte=on)
    by_type: dict[tuple[str, str], int] = {}
    by_scale: dict[tuple[str, str], int] = {}
    for p in points:
        county = p.org.county_level()
        name = county.name if county else _("（未定）")
        by_type[(name, p.hazard_type)] = by_type.get((name, p.hazard_type), 0) + 1
        by_scale[(name, p.scale)] = by_scale.get((name, p.scale), 0) + 1
    counties = sorted({c for c, _k in by_type})
    return [_stacked("points-by-type", _("各县区地质灾害隐患点（按灾害类型）"), counties, by_type,
                     HazardType.choices, headline=True),
            _stacked("points-by-scale", _("各县区地质灾害隐患点（按规模）"), counties, by_scale,
                     Scale.choices)]


def _stacked(key, title, counties, by, choices, *, headline=False) -> Chart:
    present = [(code, label) for code, label in choices if any(k[1] == code for k in by)]
    return Chart(key=key, title=title, kind="stacked", categories=counties, unit=_("处"),
                 category_label=_("县区"), headline=headline, citation=CITATION,
                 series=[Series(_(label), [by.get((c, code), 0) for c in counties])
                         for code, label in present])
