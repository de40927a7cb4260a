"""kmgov.core.charts: one Chart, shown three ways (ECharts option, table/xlsx, matplotlib image),
and the vendored ECharts the set-up brings from the npm registry."""

import io
import re
from pathlib import Path

import openpyxl
import pytest

from kmgov.core.chart_images import render
from kmgov.core.charts import Chart, Series, charts_workbook

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src/kmgov/web/static/web/vendor/echarts"

# A square split in two regions, for the map kind (the platform ships no map of its own).
GEO = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "甲"},
     "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}},
    {"type": "Feature", "properties": {"name": "乙"},
     "geometry": {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}},
]}


def pilot_chart(**over):
    kw = dict(key="pilot", title="各县区试点面积", kind="bar", categories=["五华区", "盘龙区"],
              series=[Series("已完成", [100, 1200.5]), Series("目标", [1000, 1000], kind="line")],
              unit="亩", citation="昆政发〔2010〕61号 四(二)", category_label="县区")
    kw.update(over)
    return Chart(**kw)


def test_the_table_is_the_charts_data():
    header, rows = pilot_chart().table()
    assert header == ["县区", "已完成（亩）", "目标（亩）"]
    assert rows == [["五华区", 100, 1000], ["盘龙区", 1200.5, 1000]]


@pytest.mark.parametrize("bad, message", [
    (dict(kind="pie"), "unknown chart kind"),
    (dict(key="Pilot Chart"), "lower-case"),
    (dict(series=[Series("已完成", [1])]), "1 values for 2 categories"),
    (dict(kind="gauge"), "one value"),
    (dict(kind="map", categories=["甲"], series=[Series("x", [1])]), "GeoJSON"),
])
def test_a_wrong_declaration_is_refused_when_made(bad, message):
    with pytest.raises(ValueError, match=message):
        pilot_chart(**bad)


def test_booleans_are_not_numbers():
    with pytest.raises(TypeError):
        Series("x", [True])


def test_echarts_options_per_kind():
    bar = pilot_chart().echarts_option()
    assert [s["type"] for s in bar["series"]] == ["bar", "line"]
    assert bar["xAxis"]["data"] == ["五华区", "盘龙区"] and bar["yAxis"]["name"] == "亩"
    stacked = pilot_chart(kind="stacked", series=[Series("a", [1, 2]), Series("b", [3, 4])])
    assert all(s["stack"] == "total" for s in stacked.echarts_option()["series"])
    many = pilot_chart(categories=[str(i) for i in range(9)],
                       series=[Series("a", range(9)), Series("t", [5] * 9, kind="line")])
    opt = many.echarts_option()  # more than 8 rows: horizontal bars, the target as markers
    assert opt["yAxis"]["type"] == "category" and opt["series"][1]["type"] == "scatter"
    gauge = Chart(key="g", title="完成", kind="gauge", categories=["全市"],
                  series=[Series("验收", [1200])], maximum=2_000_000, unit="亩")
    g = gauge.echarts_option()["series"][0]
    assert g["type"] == "gauge" and g["max"] == 2_000_000 and g["data"][0]["value"] == 1200
    assert gauge.table() == (["项目", "验收（亩）", "目标（亩）"], [["全市", 1200, 2000000]])
    m = Chart(key="m", title="分布", kind="map", categories=["甲", "乙"],
              series=[Series("件数", [3, None])], geojson=GEO).echarts_option()
    assert m["series"][0]["map"] == "m" and m["series"][0]["data"][1] == {"name": "乙", "value": None}


def test_the_workbook_holds_each_table_with_its_citation():
    charts = [pilot_chart(), pilot_chart(key="pilot2", title="各县区试点面积")]
    wb = openpyxl.load_workbook(io.BytesIO(charts_workbook("中低产林改造进度", charts)))
    assert wb.sheetnames == ["目录", "各县区试点面积", "各县区试点面积(2)"]
    ws = wb["各县区试点面积"]
    assert [c.value for c in ws[1]] == ["县区", "已完成（亩）", "目标（亩）"]
    assert [c.value for c in ws[3]] == ["盘龙区", 1200.5, 1000]
    assert ws.cell(5, 1).value == "依据" and ws.cell(5, 2).value == "昆政发〔2010〕61号 四(二)"
    assert len(ws._charts) == 1  # a native chart of the same cells


@pytest.mark.parametrize("chart", [
    pilot_chart(),
    pilot_chart(kind="line"),
    pilot_chart(kind="stacked"),
    Chart(key="g", title="完成", kind="gauge", categories=["全市"], series=[Series("验收", [1200])],
          maximum=40000, unit="亩"),
    Chart(key="m", title="分布", kind="map", categories=["甲", "乙"], series=[Series("件数", [3, 1])],
          geojson=GEO),
], ids=["bar", "line", "stacked", "gauge", "map"])
def test_server_side_images(chart):
    svg = render(chart, "svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert chart.title in svg  # text stays text (svg.fonttype none)
    assert "<path" in svg
    png = render(chart, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    with pytest.raises(ValueError):
        render(chart, "gif")


def test_echarts_is_vendored_pinned_with_its_licence():
    pinned = re.search(r"^ECHARTS_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert (VENDOR / "VERSION").read_text().strip() == pinned
    assert "Apache License" in (VENDOR / "LICENSE").read_text()
    assert (VENDOR / "NOTICE").exists()
    js = (VENDOR / "echarts.min.js").read_text(errors="replace")
    assert len(js) > 500_000 and "echarts" in js[:5000].lower()
