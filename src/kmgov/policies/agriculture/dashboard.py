"""The plan-progress dashboard of 59号 (AG-1, AG-4, AG-9): charts built from
`selectors.plan_progress`, declared on the AppConfig (`Contributions.dashboards`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kmgov.core.charts import Chart, Series

from .models import DOC
from .selectors import plan_progress


def _f(v) -> float:
    return float(v)


def charts(user, on: dt.date | None = None) -> list[Chart]:
    p = plan_progress(user, on=on)
    years = [str(y) for y in p["years"]]
    basin = p["basin"]
    names = [d["name"] for d in p["districts"]]
    out = [
        Chart(key="area-by-district", title=_("各县区调整面积：完成与附件1计划"), kind="bar",
              categories=names, unit=_("亩"), category_label=_("县区"), headline=True,
              series=[Series(_("已完成（审核通过的报账）"), [_f(d["done_mu"]) for d in p["districts"]]),
                      Series(_("附件1计划（2010—2013合计）"), [_f(d["plan_mu"]) for d in p["districts"]])],
              citation=f"{DOC} 附件1；{DOC} 四(七)（报账制）"),
    ]
    out.append(Chart(
        key="area-by-district-year", title=_("各县区逐年完成调整面积"), kind="stacked",
        categories=names, unit=_("亩"), category_label=_("县区"),
        series=[Series(_("%(year)s年") % {"year": y}, [_f(d["years"][i]["done_mu"]) for d in p["districts"]])
                for i, y in enumerate(years)],
        citation=f"{DOC} 附件1"))
    # one county's reader gets its own year-by-year chart (the city's readers have the above)
    for d in ([] if p["all"] else p["districts"]):
        out.append(Chart(
            key=f"area-{d['code']}", title=_("%(name)s逐年调整面积") % {"name": d["name"]},
            kind="bar", categories=years, unit=_("亩"), category_label=_("年度"),
            series=[Series(_("已完成"), [_f(r["done_mu"]) for r in d["years"]]),
                    Series(_("附件1计划"), [_f(r["plan_mu"]) for r in d["years"]], kind="line"),
                    Series(_("按正文百分比"), [_f(r["text_plan_mu"]) for r in d["years"]],
                           kind="line")],
            citation=f"{DOC} 附件1；{DOC} 二(二)"))
    if p["all"]:
        shares = "、".join(f"{b['share_text']:.0%}" for b in basin)
        printed = "、".join(f"{b['plan_mu'] / sum(x['plan_mu'] for x in basin):.1%}" for b in basin)
        out.insert(1, Chart(
            key="area-basin", title=_("滇池流域逐年调整面积：完成、附件1与正文百分比"), kind="bar",
            categories=years, unit=_("亩"), category_label=_("年度"), headline=True,
            series=[Series(_("已完成"), [_f(b["done_mu"]) for b in basin]),
                    Series(_("附件1计划"), [_f(b["plan_mu"]) for b in basin], kind="line"),
                    Series(_("按正文百分比"), [_f(b["text_plan_mu"]) for b in basin], kind="line")],
            citation=f"{DOC} 附件1；{DOC} 二(二)",
            note=_("正文逐年调减比例为%(text)s，附件1各年合计占%(annex)s，两者不符；报账按附件1"
                   "控制（解释参数 agriculture.yearly_plan_source）。") % {"text": shares, "annex": printed}))
        out.append(Chart(
            key="training", title=_("培训转移劳动力：已补助人数与年度目标"), kind="bar",
            categories=years, unit=_("人"), category_label=_("年度"),
            series=[Series(_("已补助培训人数"), [_f(b["people"]) for b in basin]),
                    Series(_("技能培训目标"), [b["skills_target"] for b in basin], kind="line"),
                    Series(_("培训转移目标"), [b["transferred_target"] for b in basin], kind="line")],
            citation=f"{DOC} 三(四)"))
        out.append(Chart(
            key="money", title=_("资金：核定补助（市、县分担）与附件2测算"), kind="stacked",
            categories=years, unit=_("元"), category_label=_("年度"),
            series=[Series(_("市级承担"), [_f(b["city_yuan"]) for b in basin]),
                    Series(_("县级承担"), [_f(b["county_yuan"]) for b in basin]),
                    Series(_("附件2合计"), [_f(b["budget_total_yuan"]) for b in basin], kind="line")],
            citation=f"{DOC} 附件2；{DOC} 四(七)",
            note=_("市级资金已拨付%(paid)s元（支付台账）。") % {"paid": p["city_paid_yuan"]}))
    out.append(Chart(
        key="money-by-district", title=_("各县区核定补助（市、县分担）"), kind="stacked",
        categories=names, unit=_("元"), category_label=_("县区"),
        series=[Series(_("市级承担"), [_f(sum(r["city_yuan"] for r in d["years"])) for d in p["districts"]]),
                Series(_("县级承担"), [_f(sum(r["county_yuan"] for r in d["years"])) for d in p["districts"]])],
        citation=f"{DOC} 四(七)"))
    return out
