"""Small inline SVG charts (SPEC X-8: numbers compared over time are also shown as charts);
drawn on the server, no script and no CDN. Each has a <title> and an aria-label, and scales to
the width of the page (viewBox)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

W, H, L, R, T, B = 640, 260, 70, 16, 16, 40
PALETTE = ("#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#c62828", "#558b2f", "#4e342e")


def _fmt(v: float) -> str:
    if abs(v) >= 10000:
        return f"{v / 10000:g}万"
    return f"{v:.4g}"


def _scale(v: float) -> tuple[float, int]:
    """(top, ticks): a round step (1, 2, 2.5 or 5 × 10^k) near a quarter of v, and the top as
    the first multiple of it not below v — so that the axis reads 0, 10, 20 … 50."""
    import math

    raw = v / 4 if v > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    step = max(m * mag for m in (1, 2, 2.5, 5) if m * mag <= raw)
    n = max(1, math.ceil(v / step - 1e-9))
    return n * step, n


def _frame(label: str, top: float, n: int, body: list[str], legend: list[tuple[str, str]]) -> str:
    ticks = []
    for i in range(n + 1):
        v = top * i / n
        y = H - B - (H - T - B) * i / n
        ticks.append(f'<line x1="{L}" x2="{W - R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="15">{escape(_fmt(v))}</text>')
    keys = "".join(  # four to a row, as many rows as needed
        f'<rect x="{L + i % 4 * 140}" y="{H - 14 + i // 4 * 16}" width="10" height="10" fill="{c}"/>'
        f'<text x="{L + i % 4 * 140 + 14}" y="{H - 5 + i // 4 * 16}" font-size="15">{escape(n)}</text>'
        for i, (n, c) in enumerate(legend))
    height = H + max(0, (len(legend) - 1) // 4) * 16
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(label)}</title>{"".join(ticks)}{"".join(body)}{keys}</svg>')


def bars(label: str, groups: list[tuple[str, list[float]]], series: list[str],
         target: float | None = None, target_label: str = "") -> str:
    """Grouped bars (one group per year, one bar per series) with an optional target line."""
    top, n = _scale(max([v for _, vs in groups for v in vs] + [target or 0, 1]) * 1.05)
    slot = (W - L - R) / max(1, len(groups))
    bw = slot * 0.8 / max(1, len(series))
    body = []
    for gi, (name, vs) in enumerate(groups):
        x0 = L + gi * slot + slot * 0.1
        for si, v in enumerate(vs):
            h = (H - T - B) * v / top
            body.append(f'<rect x="{x0 + si * bw:.1f}" y="{H - B - h:.1f}" width="{bw - 2:.1f}" '
                        f'height="{h:.1f}" fill="{PALETTE[si % len(PALETTE)]}">'
                        f'<title>{escape(name)} {escape(series[si])}：{escape(_fmt(v))}</title></rect>')
        body.append(f'<text x="{x0 + slot * 0.4:.1f}" y="{H - B + 14}" text-anchor="middle" '
                    f'font-size="15">{escape(name)}</text>')
    legend = [(s, PALETTE[i % len(PALETTE)]) for i, s in enumerate(series)]
    if target:
        y = H - B - (H - T - B) * target / top
        body.append(f'<line x1="{L}" x2="{W - R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c62828" '
                    f'stroke-dasharray="6 4"/>')
        legend.append((target_label, "#c62828"))
    return _frame(label, top, n, body, legend)


def lines(label: str, years: list[int], series: list[tuple[str, dict[int, float]]],
          target: float | None = None, target_label: str = "") -> str:
    """One line per unit over the years, with the target as a dashed line."""
    values = [v for _, pts in series for v in pts.values()]
    top, n = _scale(max(values + [target or 0, 0.0001]) * 1.05)
    span = max(1, len(years) - 1)

    def xy(year, v):
        x = L + (W - L - R) * (years.index(year) / span if len(years) > 1 else 0.5)
        return x, H - B - (H - T - B) * v / top

    body = [f'<text x="{xy(y, 0)[0]:.1f}" y="{H - B + 14}" text-anchor="middle" font-size="15">{y}</text>'
            for y in years]
    legend = []
    for i, (name, pts) in enumerate(series):
        c = PALETTE[i % len(PALETTE)]
        ps = [xy(y, pts[y]) for y in years if y in pts]
        if len(ps) > 1:
            body.append(f'<polyline fill="none" stroke="{c}" stroke-width="2" points="'
                        + " ".join(f"{x:.1f},{y:.1f}" for x, y in ps) + '"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{c}"/>' for x, y in ps]
        legend.append((name, c))
    if target:
        y = H - B - (H - T - B) * target / top
        body.append(f'<line x1="{L}" x2="{W - R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c62828" '
                    f'stroke-dasharray="6 4"/>')
        legend.append((target_label, "#c62828"))
    return _frame(label, top, n, body, legend)
