"""A `Chart` drawn on the server, as SVG or PNG, for printed forms (PDF) and e-mail.

matplotlib (Agg, no display) draws the same data as the browser's ECharts: the same series,
kinds, palette and title, the citation under it. Chinese text needs a CJK font: Debian's
fonts-noto-cjk (installed by `make browser`, also used by the printed forms); without it the
image is still drawn, with missing glyphs, rather than refused.
"""

from __future__ import annotations

import io
import threading

from .charts import PALETTE, Chart

_LOCK = threading.Lock()  # pyplot's state is global; one figure at a time
_CJK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Noto Serif CJK JP",
                 "WenQuanYi Zen Hei", "DejaVu Sans"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = _CJK_FAMILIES
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.fonttype"] = "none"  # text stays text in the SVG (searchable, small)
    return plt


def render(chart: Chart, fmt: str = "svg", *, width: float = 8.0, height: float = 4.5,
           dpi: int = 120) -> bytes:
    """The chart as `svg` or `png` bytes."""
    if fmt not in ("svg", "png"):
        raise ValueError("format must be svg or png")
    with _LOCK:
        plt = _plt()
        fig, ax = plt.subplots(figsize=(width, height), dpi=dpi)
        try:
            _draw(chart, ax)
            title = chart.title + (f"（{chart.unit}）" if chart.unit and chart.kind != "gauge" else "")
            ax.set_title(title, fontsize=12)
            foot = "  ".join(x for x in (f"依据：{chart.citation}" if chart.citation else "",
                                         chart.note) if x)
            if foot:
                fig.text(0.01, 0.01, foot, fontsize=7, color="#555555", wrap=True)
            fig.tight_layout(rect=(0, 0.05 if foot else 0, 1, 1))
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt)
            return buf.getvalue()
        finally:
            plt.close(fig)


def _draw(chart: Chart, ax) -> None:
    if chart.kind == "gauge":
        _gauge(chart, ax)
    elif chart.kind == "map":
        _map(chart, ax)
    else:
        _axes(chart, ax)


def _axes(chart: Chart, ax) -> None:
    cats = list(chart.categories)
    xs = list(range(len(cats)))
    bars = [s for s in chart.series if (s.kind or ("line" if chart.kind == "line" else "bar")) == "bar"]
    width = 0.8 if chart.kind == "stacked" else 0.8 / max(len(bars), 1)
    bottom = [0.0] * len(cats)
    b = 0
    for i, s in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        vals = [v if v is not None else 0 for v in s.values]
        kind = s.kind or ("line" if chart.kind == "line" else "bar")
        if kind == "line":
            ax.plot(xs, [v if v is not None else float("nan") for v in s.values], marker="o",
                    color=colour, label=s.name)
        elif chart.kind == "stacked":
            ax.bar(xs, vals, width, bottom=bottom, color=colour, label=s.name)
            bottom = [a + v for a, v in zip(bottom, vals)]
        else:
            offset = (b - (len(bars) - 1) / 2) * width
            ax.bar([x + offset for x in xs], vals, width, color=colour, label=s.name)
            b += 1
    ax.set_xticks(xs)
    ax.set_xticklabels(cats, rotation=30 if len(cats) > 4 else 0, ha="right" if len(cats) > 4 else "center",
                       fontsize=8)
    if len(chart.series) > 1:
        ax.legend(fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)


def _gauge(chart: Chart, ax) -> None:
    """A half ring filled to value / maximum, the value written in the middle."""
    from matplotlib.patches import Wedge

    value = chart.series[0].values[0] or 0
    maximum = chart.maximum or max(value, 1)
    share = max(0.0, min(1.0, value / maximum))
    ax.add_patch(Wedge((0, 0), 1, 0, 180, width=0.3, color="#e5e5e5"))
    ax.add_patch(Wedge((0, 0), 1, 180 - 180 * share, 180, width=0.3, color=PALETTE[0]))
    unit = f" {chart.unit}" if chart.unit else ""
    ax.text(0, 0.15, f"{value:g}{unit}", ha="center", fontsize=16)
    ax.text(0, -0.15, f"{chart.categories[0]}：{share:.0%}（目标 {maximum:g}{unit}）", ha="center",
            fontsize=9)
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-0.3, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")


def _map(chart: Chart, ax) -> None:
    """Each region's polygons filled by its value (light to the palette's red)."""
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Polygon

    values = dict(zip(chart.categories, chart.series[0].values))
    top = max([v for v in values.values() if v is not None] or [1]) or 1
    cmap = LinearSegmentedColormap.from_list("kmgov", ["#f6e7e8", PALETTE[0]])
    for feature in chart.geojson.get("features", []):
        name = feature.get("properties", {}).get("name")
        v = values.get(name)
        colour = cmap(v / top) if v is not None else "#ffffff"
        geom = feature.get("geometry") or {}
        polys = geom.get("coordinates", [])
        if geom.get("type") == "Polygon":
            polys = [polys]
        for poly in polys:
            ax.add_patch(Polygon(poly[0], closed=True, facecolor=colour, edgecolor="#555555",
                                 linewidth=0.5))
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.axis("off")
