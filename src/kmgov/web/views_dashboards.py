"""Dashboards: the charts each app declares (`Contributions.dashboards`), as a page (ECharts
drawing, a table per chart), an xlsx of the same tables, and each chart as SVG/PNG.

The city's overview (`/dashboards/city/`) gathers the charts every dashboard marks `headline`.
Every page is for logged-in readers; each app's target builds its charts for the reader, through
its scoped selectors, so a county official sees their county's numbers only.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kmgov.core.chart_images import render as chart_render
from kmgov.core.charts import charts_workbook
from kmgov.core.contributions import resolve
from kmgov.core.errors import Forbidden, InvalidInput
from kmgov.core.replica import reads_from_replica
from kmgov.site.discovery import dashboards

CITY = "city"
CITY_TITLE = gettext_noop("全市总览")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _declared(slug: str):
    for d in dashboards():
        if d.slug == slug:
            return d
    raise Http404(_("没有这个统计看板"))


def _on(request) -> dt.date | None:
    """The date the dashboard shows (`?on=YYYY-MM-DD`; default: today)."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("统计日期须写作“2010-12-01”这样的日期"), field="on") from None
    if not 2000 <= day.year <= 2099:
        raise InvalidInput(_("统计日期的年份须在2000年至2099年之间"), field="on")
    return day


def _charts(request, slug: str):
    """(title, charts) of a dashboard for this reader, on the date asked for."""
    on = _on(request)
    if slug == CITY:
        charts = []
        for d in dashboards():
            try:
                charts += [c for c in resolve(d.target)(request.user, on=on) if c.headline]
            except (PermissionDenied, Forbidden):
                continue  # a dashboard this reader may not open (the desk's, for operators)
        return _(CITY_TITLE), charts
    d = _declared(slug)
    return str(d.title), list(resolve(d.target)(request.user, on=on))


@login_required
def index(request):
    return render(request, "web/dashboards.html",
                  {"boards": dashboards(), "city": CITY, "city_title": _(CITY_TITLE)})


@login_required
@reads_from_replica
def dashboard(request, slug: str):
    title, charts = _charts(request, slug)
    return render(request, "web/dashboard.html",
                  {"title": title, "charts": charts, "slug": slug, "boards": dashboards(),
                   "on": request.GET.get("on", ""),
                   "city": CITY, "city_title": _(CITY_TITLE)})


@login_required
@reads_from_replica
def dashboard_xlsx(request, slug: str):
    title, charts = _charts(request, slug)
    resp = HttpResponse(charts_workbook(title, charts), content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="dashboard-{slug}.xlsx"'
    return resp


@login_required
@reads_from_replica
def dashboard_pdf(request, slug: str):
    from .dashboard_pdf import render as pdf_render

    title, charts = _charts(request, slug)
    on = _on(request)
    label = _("统计日期：%(on)s") % {"on": (on.isoformat() if on else _("今天"))}
    resp = HttpResponse(pdf_render(title, charts, on_label=label), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="dashboard-{slug}.pdf"'
    return resp


@login_required
@reads_from_replica
def chart_image(request, slug: str, key: str, fmt: str):
    if fmt not in ("svg", "png"):
        raise Http404(_("图表只提供 SVG 或 PNG"))
    _title, charts = _charts(request, slug)
    chart = next((c for c in charts if c.key == key), None)
    if chart is None:
        raise Http404(_("没有这个图表"))
    content_type = "image/svg+xml" if fmt == "svg" else "image/png"
    return HttpResponse(chart_render(chart, fmt), content_type=content_type)
