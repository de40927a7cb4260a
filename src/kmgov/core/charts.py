"""Charts as data: what a module declares, and the three ways the platform shows it.

A module builds `Chart`s from its selectors' data (scoped to the reader) and declares a
dashboard (`kmgov.core.contributions.Dashboard`) whose target returns them. The platform then
shows each chart three ways, all from this one object, so they can never disagree:

- in the browser, drawn by Apache ECharts (vendored at set-up, see docs/architecture.md) from
  `Chart.echarts_option()` — `kmgov.web`'s `{% chart %}` tag and dashboard pages;
- as an accessible table beside it (`Chart.table()`), and in the dashboard's xlsx
  (`charts_workbook`) with the same header and rows;
- as SVG/PNG for printed forms (`kmgov.core.chart_images`, matplotlib, no browser).

Kinds: `bar`, `line`, `stacked` (bars stacked per category), `gauge` (one value against a
maximum), `map` (a value per region, drawn on a GeoJSON the chart carries: the platform ships
no map of its own). Each chart names the provision its target comes from (`citation`) and may
carry a `note` (a discrepancy in the gazette, an interpretation used), shown under it.

This module is in `core` (it imports nothing of kmgov) so that policies, which may not import
a channel, can declare charts.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any, Literal

ChartKind = Literal["bar", "line", "stacked", "gauge", "map"]
KINDS = ("bar", "line", "stacked", "gauge", "map")

#: The site's palette (red of the header first), used by the browser and the printed images.
PALETTE = ("#a4161a", "#1d4e89", "#e09f3e", "#2a9d8f", "#6d597a", "#8d99ae", "#bc6c25",
           "#335c67")


@dataclass(frozen=True)
class Series:
    """One series of values, one per category (None: no value). `kind` draws this series
    differently from the chart (a `line` of targets over `bar`s of what was done)."""

    name: str
    values: tuple[float | None, ...]
    kind: Literal["bar", "line"] | None = None

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(_num(v) for v in self.values))


def _num(v) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise TypeError("a chart value must be a number, not a boolean")
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


@dataclass(frozen=True)
class Chart:
    """A chart: `categories` (counties, years, states) along one axis, `series` of values."""

    key: str
    title: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    #: The provision the target (or the counted thing) comes from, e.g. "昆政发〔2010〕61号 四(一)".
    citation: str = ""
    note: str = ""
    #: gauge: the full scale (the target); others: ignored.
    maximum: float | None = None
    #: map: a GeoJSON FeatureCollection whose features' `properties.name` are the categories.
    geojson: dict | None = None
    #: Shown on the city's overview as well as on its module's dashboard.
    headline: bool = False
    #: The first column's heading in the table and the xlsx.
    category_label: str = "项目"
    #: Bars along rows instead of columns; None: when there are more than 8 categories (county
    #: names stay readable on a phone). Days and years keep their columns (set False).
    horizontal: bool | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r} (one of {', '.join(KINDS)})")
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", self.key):
            raise ValueError(f"chart key {self.key!r}: lower-case letters, digits and '-' only")
        object.__setattr__(self, "categories", tuple(str(c) for c in self.categories))
        object.__setattr__(self, "series", tuple(self.series))
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(f"series {s.name!r} has {len(s.values)} values for "
                                 f"{len(self.categories)} categories")
        if self.kind == "gauge" and (len(self.series) != 1 or len(self.categories) != 1):
            raise ValueError("a gauge shows one value: one category, one series")
        if self.kind == "map" and not self.geojson:
            raise ValueError("a map chart needs the GeoJSON of its regions")

    # ------------------------------------------------------------------ the table

    def table(self) -> tuple[list[str], list[list]]:
        """The chart's data as a table: header, then one row per category."""
        header = [self.category_label] + [_with_unit(s.name, self.unit) for s in self.series]
        if self.kind == "gauge" and self.maximum is not None:
            header.append(_with_unit("目标", self.unit))
        rows = []
        for i, cat in enumerate(self.categories):
            row = [cat] + [s.values[i] for s in self.series]
            if self.kind == "gauge" and self.maximum is not None:
                row.append(_num(self.maximum))
            rows.append(row)
        return header, rows

    # ------------------------------------------------------------------ ECharts

    def echarts_option(self) -> dict:
        """The ECharts option drawing this chart (plain JSON, no functions)."""
        base: dict[str, Any] = {
            "color": list(PALETTE),
            "animation": False,
            "tooltip": {"trigger": "item" if self.kind in ("gauge", "map") else "axis"},
        }
        if self.kind == "gauge":
            s = self.series[0]
            maximum = self.maximum if self.maximum else max(s.values[0] or 0, 1)
            return {**base, "series": [{
                "type": "gauge", "name": s.name, "min": 0, "max": maximum, "splitNumber": 4,
                "radius": "90%", "center": ["50%", "60%"], "startAngle": 200, "endAngle": -20,
                "progress": {"show": True, "width": 14}, "pointer": {"show": False},
                "axisLine": {"lineStyle": {"width": 14}}, "axisTick": {"show": False},
                "splitLine": {"length": 6, "distance": -14},
                "axisLabel": {"distance": 20, "fontSize": 10},
                "title": {"offsetCenter": [0, "35%"], "fontSize": 13},
                "detail": {"offsetCenter": [0, "0%"], "fontSize": 18,
                           "formatter": "{value}" + (f" {self.unit}" if self.unit else "")},
                "data": [{"value": s.values[0] or 0, "name": self.categories[0]}],
            }]}
        if self.kind == "map":
            s = self.series[0]
            values = [v for v in s.values if v is not None] or [0]
            return {**base, "visualMap": {"min": 0, "max": max(values), "calculable": True,
                                          "inRange": {"color": ["#f6e7e8", PALETTE[0]]}},
                    "series": [{"type": "map", "map": self.key, "name": s.name,
                                "data": [{"name": c, "value": v}
                                         for c, v in zip(self.categories, s.values)]}]}
        horizontal = (self.horizontal if self.horizontal is not None
                      else self.kind != "line" and len(self.categories) > 8)
        cat_axis = {"type": "category", "data": list(self.categories),
                    "axisLabel": {"interval": 0, **({} if horizontal else {"rotate": 30})}}
        val_axis = {"type": "value", "name": self.unit, "axisLabel": {"hideOverlap": True}}
        series = []
        for s in self.series:
            kind = s.kind or ("line" if self.kind == "line" else "bar")
            item = {"type": kind, "name": s.name, "data": list(s.values)}
            if horizontal and s.kind == "line":
                # a target across many rows: a marker on each row, not a zig-zag line
                item = {"type": "scatter", "name": s.name, "data": list(s.values),
                        "symbol": "diamond", "symbolSize": 12, "z": 3}
            if self.kind == "stacked" and kind == "bar":
                item["stack"] = "total"
            series.append(item)
        return {**base,
                "legend": {"top": 0, "type": "scroll"},
                "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
                "xAxis": val_axis if horizontal else cat_axis,
                "yAxis": {**cat_axis, "inverse": True} if horizontal else val_axis,
                "series": series}


def _with_unit(name: str, unit: str) -> str:
    return f"{name}（{unit}）" if unit else name


# ---------------------------------------------------------------------- xlsx

def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "图表"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]}({n})", n + 1
    used.add(name)
    return name


def charts_workbook(title: str, charts: list[Chart]) -> bytes:
    """An xlsx workbook: a contents sheet, then one sheet per chart holding the same table as
    the page (header and rows), its citation and note, and a native chart of the data."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference

    wb = Workbook()
    index = wb.active
    index.title = "目录"
    index.append([title])
    index.append(["图表", "依据", "说明"])
    used = {"目录"}
    for chart in charts:
        index.append([chart.title, chart.citation, chart.note])
        ws = wb.create_sheet(_sheet_title(chart.title, used))
        header, rows = chart.table()
        ws.append(header)
        for row in rows:
            ws.append(row)
        ws.append([])
        if chart.citation:
            ws.append(["依据", chart.citation])
        if chart.note:
            ws.append(["说明", chart.note])
        ws.column_dimensions["A"].width = 18
        if chart.kind in ("gauge", "map") or not rows:
            continue
        native = LineChart() if chart.kind == "line" else BarChart()
        if chart.kind == "stacked":
            native.grouping, native.overlap = "stacked", 100
        native.title = chart.title
        native.add_data(Reference(ws, min_col=2, max_col=1 + len(chart.series), min_row=1,
                                  max_row=1 + len(rows)), titles_from_data=True)
        native.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + len(rows)))
        ws.add_chart(native, f"{chr(ord('A') + len(header) + 1)}2")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
