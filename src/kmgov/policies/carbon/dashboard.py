"""The carbon dashboard (60号 三(一)): the fund per year against the city's 1000万元 a year
(三(一)1) and the enterprises' start-up donations against 1000万元 (三(一)2) — the figures of
the public fund page (`selectors.fund_progress`, the ledger's totals, no donor named). The
fund is the city's, not a county's: every reader sees the same totals, as on that page."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kmgov.core.charts import Chart, Series
from kmgov.rules import parameter_value, today

from . import selectors
from .models import DOC


def charts(user, on: dt.date | None = None) -> list[Chart]:
    on = on or today()
    rows = selectors.fund_progress(on)
    per_year = float(parameter_value("carbon.city_budget_per_year", on))
    budget_years = {int(y) for y in parameter_value("carbon.city_budget_years", on)}
    target = float(parameter_value("carbon.enterprise_startup_target", on))
    startup = float(rows[-1]["startup_yuan"]) if rows else 0.0
    until = selectors.startup_until(on)
    return [
        Chart(key="fund-per-year", title=_("碳汇造林资金（按年度，对照市级每年1000万元）"),
              kind="bar", categories=[str(r["year"]) for r in rows], unit=_("元"),
              category_label=_("年度"), horizontal=False,
              series=[Series(_("市级财政"), [float(r["city_yuan"]) for r in rows]),
                      Series(_("企业捐资"), [float(r["enterprise_yuan"]) for r in rows]),
                      Series(_("个人捐资"), [float(r["individual_yuan"]) for r in rows]),
                      # 三(一)1: 从2010年起连续安排3年 — no target outside those years
                      Series(_("市级应安排"), [per_year if r["year"] in budget_years else None
                                               for r in rows], kind="line")],
              citation=f"{DOC} 三(一)1"),
        Chart(key="startup", title=_("企业捐赠启动资金（对照1000万元）"), kind="gauge",
              categories=[_("全市")], series=[Series(_("已到账企业捐资"), [startup])],
              unit=_("元"), maximum=target, headline=True, citation=f"{DOC} 三(一)2",
              note=_("计至%(until)s捐赠的企业捐资（专项正式成立之前）。") % {
                  "until": f"{until.year}年{until.month}月{until.day}日"}),
    ]
