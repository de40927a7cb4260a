"""`{% chart c %}`: one `kmgov.core.charts.Chart` drawn by ECharts, with its table beside it.

Any page may use it (`{% load charts %}`, plus `{% chart_scripts %}` once at the end): a policy
template included by a policy view draws a chart without importing a channel. `slug` (the
dashboard) adds the links to the chart's SVG/PNG."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders

register = template.Library()

ECHARTS = "web/vendor/echarts/echarts.min.js"


@lru_cache(maxsize=1)
def _echarts_present() -> bool:
    return finders.find(ECHARTS) is not None


@register.inclusion_tag("web/_chart.html")
def chart(c, slug: str = ""):
    header, rows = c.table()
    return {"c": c, "header": header, "rows": rows, "option": c.echarts_option(),
            "dom_id": f"chart-{c.key}", "option_id": f"chart-{c.key}-option",
            "geo_id": f"chart-{c.key}-geo", "slug": slug}


@register.inclusion_tag("web/_chart_scripts.html")
def chart_scripts():
    return {"present": _echarts_present(), "echarts": ECHARTS}
