"""Charts of a run, drawn server-side with matplotlib: SVG for the pages (text kept as text, so
the browser draws the Chinese with its own fonts), PNG for the PDF report (drawn with Debian's
Noto CJK, the font the printed forms use). No script, no CDN."""

from __future__ import annotations

import functools
import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from kmgov.procedures.tableforms import CJKFontMissing, cjk_font_path  # noqa: E402

BAR = "#2a6f97"
MUTED = "#9aa9b5"
MARK = "#c0392b"

KIND_TITLES = {"weights": "权重扰动下的排名（中位数及5%—95%区间）",
               "methods": "方法选择下的排名（中位数及5%—95%区间）",
               "removal": "逐一剔除指标后的排名（中位数及5%—95%区间）"}


@functools.cache
def _font_family() -> list[str]:
    try:
        path = cjk_font_path()
    except CJKFontMissing:
        return ["sans-serif"]
    font_manager.fontManager.addfont(str(path))
    return [font_manager.FontProperties(fname=str(path)).get_name(), "sans-serif"]


def _figure(n_rows: int) -> Figure:
    fig = Figure(figsize=(7.2, max(2.4, 0.34 * n_rows + 1.1)), dpi=100)
    return fig


def _output(fig: Figure, fmt: str) -> bytes:
    buf = io.BytesIO()
    rc = {"svg.fonttype": "none", "font.family": _font_family(), "axes.unicode_minus": False}
    with matplotlib.rc_context(rc):
        fig.savefig(buf, format=fmt, bbox_inches="tight", dpi=150 if fmt == "png" else 100)
    return buf.getvalue()


def _names(run) -> list[str]:
    return run.inputs.get("unit_names") or run.result["units"]


def index_chart(run, fmt: str = "svg") -> bytes:
    """The index of each county, best on top."""
    names, scores = _names(run), run.result["index"]
    pairs = sorted(((s if s is not None else float("-inf"), n) for n, s in zip(names, scores)))
    with matplotlib.rc_context({"font.family": _font_family(), "axes.unicode_minus": False}):
        fig = _figure(len(pairs))
        ax = fig.add_subplot()
        ax.barh([n for _s, n in pairs], [max(s, 0) if s != float("-inf") else 0 for s, _n in pairs], color=BAR)
        for i, (s, _n) in enumerate(pairs):
            if s != float("-inf"):
                ax.text(s, i, f" {s:.1f}", va="center", fontsize=8)
        ax.set_xlabel("指数")
        ax.set_title(f"{run.year}年楼宇经济发展指数")
        ax.spines[["top", "right"]].set_visible(False)
        return _output(fig, fmt)


def rank_chart(run, kind: str, fmt: str = "svg") -> bytes:
    """Per county: its rank in the run (red dot) and the median rank with its 5–95 % interval
    over the scenarios of one analysis (grey bar, blue dot)."""
    analysis = (run.sensitivity or {}).get(kind)
    names = _names(run)
    with matplotlib.rc_context({"font.family": _font_family(), "axes.unicode_minus": False}):
        fig = _figure(len(names))
        ax = fig.add_subplot()
        if not analysis:
            ax.text(0.5, 0.5, "本次计算未做该项分析", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            return _output(fig, fmt)
        s = analysis["summary"]
        order = sorted(range(len(names)), key=lambda i: (run.result["rank"][i] or 1e9), reverse=True)
        y = list(range(len(order)))
        for yi, i in zip(y, order):
            lo, hi = s["p05"][i], s["p95"][i]
            if lo is not None and hi is not None:
                ax.plot([lo, hi], [yi, yi], color=MUTED, linewidth=6, solid_capstyle="round")
            if s["median"][i] is not None:
                ax.plot([s["median"][i]], [yi], "o", markerfacecolor="none", markeredgecolor=BAR,
                        markersize=9, markeredgewidth=1.6)
            if run.result["rank"][i] is not None:
                ax.plot([run.result["rank"][i]], [yi], "D", color=MARK, markersize=4)
        ax.set_yticks(y, [names[i] for i in order])
        n = len(names)
        ax.set_xlim(0.5, n + 0.5)
        ax.invert_xaxis()
        ax.set_xticks(range(1, n + 1))
        ax.set_xlabel("排名（1 为最好）　○ 中位数　◆ 本次排名　▬ 5%—95%区间")
        ax.set_title(KIND_TITLES.get(kind, kind))
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#eeeeee")
        return _output(fig, fmt)
