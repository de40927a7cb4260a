"""The progress dashboard of 61号 (FO-1, FO-6): charts from `selectors.progress`, declared on
the AppConfig (`Contributions.dashboards`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kmgov.core.charts import Chart, Series

from .models import DOC
from .selectors import plan_filings, progress


def charts(user, on: dt.date | None = None) -> list[Chart]:
    p = progress(user, on=on)
    rows = p["rows"]
    names = [r["name"] for r in rows]
    deadline = f"{p['deadline'].month}月{p['deadline'].day}日"
    behind = "、".join(r["name"] for r in p["behind"])
    if p["behind"]:
        pilot_note = _("截至%(on)s，未按期（%(deadline)s前）完成1000亩试点的县区：%(names)s") % {
            "on": p["on"].isoformat(), "deadline": deadline, "names": behind}
    elif p["on"] > p["deadline"]:
        pilot_note = _("各县区均已按期完成试点。")
    else:
        pilot_note = _("试点完成期限：%(year)s年%(deadline)s（含当日）。") % {
            "year": p["deadline"].year, "deadline": deadline}
    out = [
        Chart(key="pilot-by-county", title=_("各县区改造试点：%(deadline)s前完成面积") % {"deadline": deadline},
              kind="bar", categories=names, unit=_("亩"), category_label=_("县区"), headline=True,
              series=[Series(_("已完成试点（县级自查合格）"), [float(r["pilot_mu"]) for r in rows]),
                      Series(_("目标（不得低于）"), [float(r["pilot_target_mu"]) for r in rows], kind="line")],
              citation=f"{DOC} 四(二)", note=pilot_note),
    ]
    if p["behind"]:
        out.append(Chart(
            key="pilot-behind", title=_("未按期完成试点的县区（差额）"), kind="bar",
            categories=[r["name"] for r in p["behind"]], unit=_("亩"), category_label=_("县区"),
            series=[Series(_("已完成"), [float(r["pilot_mu"]) for r in p["behind"]]),
                    Series(_("尚差"), [float(r["pilot_target_mu"] - r["pilot_mu"]) for r in p["behind"]])],
            citation=f"{DOC} 四(二)"))
    out.append(Chart(
        key="area-by-county", title=_("各县区改造面积与2010—2020年任务"), kind="bar",
        categories=names, unit=_("亩"), category_label=_("县区"), headline=True,
        series=[Series(_("验收合格"), [float(r["accepted_mu"]) for r in rows]),
                Series(_("已批准实施（含验收）"), [float(r["under_way_mu"]) for r in rows]),
                Series(_("改造任务"), [float(r["task_mu"]) for r in rows], kind="line")],
        citation=f"{DOC} 四(一)"))
    filings = [f for f in plan_filings(user, on=on) if f["closes"] is not None]
    if filings:
        late = "；".join(f"{f['name']}（{f['closes'].month}月{f['closes'].day}日）：" + "、".join(
            f["late"] + f["missing"]) for f in filings if f["late"] or f["missing"])
        out.append(Chart(
            key="plan-filings", title=_("2010年规划与试点总结报送"), kind="stacked",
            categories=[_(f["short"]) + f"（{f['closes'].month}-{f['closes'].day}）" for f in filings],
            unit=_("个县区"), category_label=_("报送事项"), horizontal=True,
            series=[Series(_("按期报送"), [len(f["on_time"]) for f in filings]),
                    Series(_("逾期报送"), [len(f["late"]) for f in filings]),
                    Series(_("逾期未报"), [len(f["missing"]) for f in filings]),
                    Series(_("未到期未报"), [len(f["pending"]) for f in filings])],
            citation=f"{DOC} 四(一)、四(二)",
            note=(_("逾期：%(late)s") % {"late": late}) if late else ""))
    if p["all"]:
        total, first, second = p["plan_total_wan_mu"]
        done = sum(float(r["accepted_mu"]) for r in rows)
        out.append(Chart(
            key="area-city", title=_("全市改造进度（验收合格面积）"), kind="gauge",
            categories=[_("全市")], series=[Series(_("验收合格"), [done])], unit=_("亩"),
            maximum=float(total) * 10000, citation=f"{DOC} 四(一)",
            note=_("“十二五”%(a)s万亩、“十三五”%(b)s万亩。") % {"a": first, "b": second}))
        years = [str(y) for y in p["years"]]
        out.append(Chart(
            key="area-by-year", title=_("逐年验收合格面积"), kind="bar", categories=years,
            unit=_("亩"), category_label=_("年度"),
            series=[Series(_("验收合格"), [float(v) for v in p["years"].values()])],
            citation=f"{DOC} 四(一)"))
    return out
