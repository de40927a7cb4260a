"""Every declared dashboard, the city's overview, their xlsx and each chart's SVG/PNG, as the
demo's readers; refusals for readers who may not open one."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from kmgov.site.discovery import dashboards

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def demo(demo_committed, settings):
    settings.MEDIA_ROOT = demo_committed  # the demo, built once for this module (conftest)
    from kmgov.core.services import user_create

    return user_create(username="root-charts", is_superuser=True,
                       roles=[("administrator", "kunming")])


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_every_module_declares_its_dashboard():
    assert {"agriculture", "forestry", "headquarters", "mediation", "hotline", "buildings",
            "safety", "geohazards", "carbon"} <= {d.slug for d in dashboards()}


def test_each_dashboard_page_table_xlsx_and_images(demo):
    c = _client(demo)
    for slug in [d.slug for d in dashboards()] + ["city"]:
        r = c.get(f"/dashboards/{slug}/")
        assert r.status_code == 200, slug
        html = r.content.decode()
        assert 'class="chart"' in html and "<table class=\"chart-table\">" in html, slug
        assert "依据" in html, slug  # every chart cites its provision
        assert "web/vendor/echarts/echarts.min.js" in html, slug
        x = c.get(f"/dashboards/{slug}.xlsx")
        assert x.status_code == 200, slug
        wb = openpyxl.load_workbook(io.BytesIO(x.content))
        assert wb.sheetnames[0] == "目录" and len(wb.sheetnames) > 1, slug
    # the xlsx holds the page's table: 石林's 1200 亩 pilot on the forestry sheet (demo, 61号 四(二))
    wb = openpyxl.load_workbook(io.BytesIO(c.get("/dashboards/forestry.xlsx?on=2010-12-01").content))
    sheet = wb.worksheets[1]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert sheet.cell(1, 1).value == "县区"
    assert rows["石林彝族自治县"][1] == 1200 and rows["宜良县"][1] == 600
    assert rows["依据"][1] == "昆政发〔2010〕61号 四(二)"
    svg = c.get("/dashboards/forestry/pilot-by-county.svg?on=2010-12-01")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content and "石林彝族自治县".encode() in svg.content
    png = c.get("/dashboards/forestry/pilot-by-county.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = c.get("/dashboards/forestry.pdf?on=2010-12-01")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf.content.count(b"/Subtype /Image") >= 3
    assert c.get("/dashboards/forestry/no-such-chart.svg").status_code == 404
    assert c.get("/dashboards/forestry/pilot-by-county.gif").status_code == 404
    assert c.get("/dashboards/no-such-board/").status_code == 404


def test_the_city_overview_gathers_headline_charts(demo):
    html = _client(demo).get("/dashboards/city/").content.decode()
    for title in ("各县区调整面积：完成与附件1计划", "各县区改造面积与2010—2020年任务",
                  "奖励经费使用（对照总额600万元）", "每日来件（按渠道）"):
        assert title in html


def test_the_desk_dashboard_is_for_operators_and_the_overview_leaves_it_out(demo):
    county = _client(User.objects.get(username="demo-jinning-nyj"))
    assert county.get("/dashboards/hotline/").status_code == 403
    r = county.get("/dashboards/city/")
    assert r.status_code == 200 and "每日来件（按渠道）" not in r.content.decode()


def test_a_county_official_sees_no_other_countys_mediation_or_forestry(demo):
    shilin = _client(User.objects.get(username="demo-shilin-lyj"))
    html = shilin.get("/dashboards/forestry/").content.decode()
    assert "盘龙区" not in html
    wb = openpyxl.load_workbook(io.BytesIO(shilin.get("/dashboards/forestry.xlsx").content))
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "石林彝族自治县" in cells and "盘龙区" not in cells


def _sheets(client, slug) -> dict[str, dict]:
    """The dashboard's xlsx as {sheet title: {first cell: row}}."""
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/dashboards/{slug}.xlsx").content))
    return {ws.title: {r[0]: r for r in ws.iter_rows(values_only=True) if r and r[0]}
            for ws in wb.worksheets[1:]}


def _cells(client, slug) -> set[str]:
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/dashboards/{slug}.xlsx").content))
    return {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row}


def test_buildings_dashboard_is_scoped_to_the_county(demo):
    # the demo register (62号 七(三)): 盘龙区 three buildings, 五华区 two, each graded (附件1 第十二条)
    wuhua = _client(User.objects.get(username="demo-wuhua-ban"))
    html = wuhua.get("/dashboards/buildings/").content.decode()
    assert "各县区商务楼宇等级" in html and "盘龙区" not in html
    cells = _cells(wuhua, "buildings")
    assert "五华区" in cells and "盘龙区" not in cells
    grades = next(r for r in _sheets(wuhua, "buildings").values() if "甲级（幢）" in r.get("县区", ()))
    assert list(grades["县区"]) == ["县区", "甲级（幢）", "乙级（幢）", "丙级（幢）"]  # no codes
    assert sum(grades["五华区"][1:]) == 2


def test_safety_dashboard_counts_the_latest_zero_reports_per_county(demo):
    # demo 2010年上半年 (107号 四(一)): the mine files 9 forms, 滇源镇 9, the builder 表三 only: 19
    office = _client(User.objects.get(username="demo-panlong-awb"))
    html = office.get("/dashboards/safety/").content.decode()
    assert "2010年上半年零申报：各县区报送情况" in html and "107号 附件 四(一)" in html
    rows = _sheets(office, "safety")
    zero = next(r for r in rows.values() if "已报送（份）" in r.get("县区", ()))
    assert zero["盘龙区"][1] == 19 and zero["盘龙区"][2] > 0  # filed; overdue (化工厂, 阿子营镇)
    other = _client(User.objects.get(username="demo-wuhua-ban"))
    assert "盘龙区" not in other.get("/dashboards/safety/").content.decode()
    assert "盘龙区" not in _cells(other, "safety")


def test_geohazards_dashboard_counts_points_per_county(demo):
    # demo register (109号 三(一)): 东川区 DC-001 泥石流 大型, DC-002 崩塌 中型, DC-003 地面塌陷 小型
    rows = _sheets(_client(demo), "geohazards")
    by_type = next(r for r in rows.values() if "泥石流（处）" in r.get("县区", ()))
    header = list(by_type["县区"])
    assert by_type["东川区"][header.index("泥石流（处）")] == 1
    assert sum(by_type["东川区"][1:]) == 3 and sum(by_type["盘龙区"][1:]) == 2
    county = _client(User.objects.get(username="demo-panlong-gtj"))
    cells = _cells(county, "geohazards")
    assert "盘龙区" in cells and "东川区" not in cells
    assert "landslide" not in cells and "滑坡（处）" in cells


def test_carbon_dashboard_shows_the_fund_against_its_targets(demo):
    rows = _sheets(_client(User.objects.get(username="demo-wuhua-ban")), "carbon")
    per_year = next(r for r in rows.values() if "2010" in r)
    header = list(per_year["年度"])
    # 60号 三(一)1: 市级每年1000万元 2010—2012; demo: 2012 appropriates 600万 (short of it)
    assert per_year["2012"][header.index("市级财政（元）")] == 6000000
    assert per_year["2012"][header.index("市级应安排（元）")] == 10000000
    # demo 2011: 滇池总部 500000 (enterprise); 张明 5000 + 李华 300 (persons)
    assert per_year["2011"][header.index("企业捐资（元）")] == 500000
    assert per_year["2011"][header.index("个人捐资（元）")] == 5300
    # 三(一)2: start-up donations up to 2010-12-31 (carbon.startup_until): 3000000 + 4000
    gauge = next(r for r in rows.values() if "全市" in r)
    assert gauge["全市"][1] == 3004000 and gauge["全市"][2] == 10000000


def test_the_dashboard_command(demo, tmp_path):
    from django.core.management import CommandError

    out = io.StringIO()
    call_command("dashboard", "forestry", "--as", "demo-shi-lyj", "--on", "2010-12-01", "--json",
                 "--xlsx", str(tmp_path / "f.xlsx"), stdout=out)
    import json

    data = json.loads(out.getvalue())
    pilot = next(c for c in data["charts"] if c["key"] == "pilot-by-county")
    rows = {r[0]: r[1] for r in pilot["rows"]}
    assert rows["石林彝族自治县"] == 1200 and pilot["citation"] == "昆政发〔2010〕61号 四(二)"
    assert openpyxl.load_workbook(tmp_path / "f.xlsx").sheetnames[0] == "目录"
    text = io.StringIO()
    call_command("dashboard", "forestry", "--as", "demo-shi-lyj", "--on", "2010-12-01", stdout=text)
    assert "石林彝族自治县 | 1200 | 1000" in text.getvalue()
    with pytest.raises(CommandError, match="--on"):
        call_command("dashboard", "forestry", "--as", "demo-shi-lyj", "--on", "12/01/2010")
    with pytest.raises(CommandError, match="slug"):
        call_command("dashboard", "nowhere", "--as", "demo-shi-lyj")


def test_two_apps_may_not_claim_one_slug(monkeypatch):
    from kmgov.core.contributions import Contributions, Dashboard
    from kmgov.site import discovery

    twice = [(None, Contributions(dashboards=[Dashboard("x", "甲", "m:f")])),
             (None, Contributions(dashboards=[Dashboard("x", "乙", "m:g")]))]
    monkeypatch.setattr(discovery, "contributions", lambda: iter(twice))
    with pytest.raises(ValueError, match="same dashboard slug"):
        discovery.dashboards()


def test_the_views_name_no_module():
    """The dashboards' channel keeps no list of apps: it reads the contributions."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src/kmgov/web/views_dashboards.py"
    assert "kmgov.policies" not in src.read_text() and "kmgov.hotline" not in src.read_text()
