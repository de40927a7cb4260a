"""The safety dashboard (106号, 107号): the zero reports of the latest period per county
(filed / overdue / still open, 107号 四(一)、四(二)) and the warnings issued per county and
action (106号 附件 第四条至第八条). Both read through the kernel's scoped selectors
(`slots_visible`, `warnings_visible`): a county office sees its county only."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kmgov.core.calendar import TZ
from kmgov.core.charts import Chart, Series
from kmgov.procedures.filing_selectors import slots_visible
from kmgov.rules import today

from .models import D6, ZR_OBLIGATIONS, ZR_WINDOW, Action, WState, period_label
from .selectors import warnings_visible

UNDECIDED = "（未定）"


def charts(user, on: dt.date | None = None) -> list[Chart]:
    on = on or today()
    return [_zero_reports(user, on), _warnings(user, on)]


def _county_name(unit) -> str:
    county = unit.county_level()
    return county.name if county else _(UNDECIDED)


def _zero_reports(user, on: dt.date) -> Chart:
    # the end of the dashboard's day: a slot whose window (四(一)) has closed by then and is
    # not filed is overdue; one filed after that moment is not yet filed on that day
    moment = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=TZ)
    slots = slots_visible(user).filter(obligation__in=list(ZR_OBLIGATIONS),
                                       window_opens__lte=on).select_related("org")
    period = slots.order_by("-period").values_list("period", flat=True).first()
    by: dict[tuple[str, str], int] = {}
    for s in slots.filter(period=period) if period else []:
        if s.filed_at is not None and s.filed_at < moment:
            status = "filed"
        elif s.due_at <= moment:
            status = "missing"
        else:
            status = "pending"
        key = (_county_name(s.org), status)
        by[key] = by.get(key, 0) + 1
    counties = sorted({c for c, _s in by})
    labels = (("filed", _("已报送")), ("missing", _("逾期未报")), ("pending", _("待报送")))
    title = (_("%(period)s零申报：各县区报送情况") % {"period": period_label(period)} if period
             else _("零申报：各县区报送情况"))
    return Chart(key="zero-reports", title=title, kind="stacked", categories=counties,
                 unit=_("份"), category_label=_("县区"), headline=True,
                 series=[Series(label, [by.get((c, s), 0) for c in counties])
                         for s, label in labels],
                 citation=f"{ZR_WINDOW}、四(二)")


def _warnings(user, on: dt.date) -> Chart:
    qs = (warnings_visible(user).exclude(state__in=(WState.DRAFT, WState.WITHDRAWN))
          .filter(issued_on__lte=on))
    by: dict[tuple[str, str], int] = {}
    for w in qs:
        key = (_county_name(w.org), w.level)
        by[key] = by.get(key, 0) + 1
    counties = sorted({c for c, _l in by})
    levels = [(code, label) for code, label in Action.choices if any(k[1] == code for k in by)]
    return Chart(key="warnings", title=_("安全生产警示：各县区警示措施"), kind="stacked",
                 categories=counties, unit=_("次"), category_label=_("县区"),
                 series=[Series(_(label), [by.get((c, code), 0) for c in counties])
                         for code, label in levels],
                 citation=f"{D6} 附件 第四条至第八条")
