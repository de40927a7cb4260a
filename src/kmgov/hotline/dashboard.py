"""The 96128 dashboard (116号): volume by day and channel, on-time replies and satisfaction
by department, built from `selectors.stats` and `selectors.daily` for the 30 days ending on the
dashboard's date. For the desk's operators, like its statistics page."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kmgov.core.charts import Chart, Series
from kmgov.rules import today

from . import selectors
from .models import Channel
from .permissions import require_operator

DOC = "昆政办〔2010〕116号"
DAYS = 30  # the window shown; a display choice, not a provision


def charts(user, on: dt.date | None = None) -> list[Chart]:
    require_operator(user)
    end = on or today()
    start = end - dt.timedelta(days=DAYS - 1)
    s = selectors.stats(start=start, end=end)
    days = selectors.daily(start=start, end=end)
    labels = [f"{d['day'].month}-{d['day'].day:02d}" for d in days]
    depts = s["by_department"]
    return [
        Chart(key="volume", title=_("每日来件（按渠道）"), kind="stacked", categories=labels,
              unit=_("件"), category_label=_("日期"), headline=True, horizontal=False,
              series=[Series(_(label), [d["by_channel"][code] for d in days])
                      for code, label in Channel.choices],
              citation=f"{DOC} 三(二)：由原来的5×8小时延伸为7×24小时"),
        Chart(key="on-time", title=_("各部门按时回复率"), kind="bar",
              categories=[r["name"] for r in depts], unit="%", category_label=_("部门"),
              headline=True,
              series=[Series(_("按时回复率"), [round(100 * r["on_time_rate"], 1)
                                               if r["on_time_rate"] is not None else None
                                               for r in depts])],
              citation=f"{DOC} 三(二)；{DOC} 五(三)（纳入目标考核）"),
        Chart(key="by-department", title=_("各部门转办、回复与超期"), kind="bar",
              categories=[r["name"] for r in depts], unit=_("件"), category_label=_("部门"),
              series=[Series(_("转办"), [r["transferred"] for r in depts]),
                      Series(_("已回复"), [r["replied"] for r in depts]),
                      Series(_("超期未回复"), [r["overdue_open"] for r in depts])],
              citation=f"{DOC} 三(二)"),
        Chart(key="satisfaction", title=_("满意度趋势（回访评分均值）"), kind="line",
              categories=labels, unit=_("分"), category_label=_("日期"),
              series=[Series(_("满意度"), [d["satisfaction"] for d in days])],
              citation=f"{DOC} 五(三)"),
        Chart(key="satisfaction-dept", title=_("各部门满意度"), kind="bar",
              categories=[r["name"] for r in depts], unit=_("分"), category_label=_("部门"),
              series=[Series(_("满意度"), [r["satisfaction"] for r in depts])],
              citation=f"{DOC} 五(三)"),
    ]
