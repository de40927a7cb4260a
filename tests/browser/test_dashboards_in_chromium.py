"""Every dashboard in Chromium with the network blocked (only the live test server answers):
each chart is drawn by the vendored ECharts (its SVG has shapes), its table is there, and the
xlsx download opens in openpyxl. Screenshots (desktop and phone) go to var/screenshots/."""

import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("KMGOV_SCREENSHOTS", "var/screenshots"))


@pytest.fixture
def site(live_server, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    from kmgov.core.services import user_create

    user_create(username="root-browser", password="root-pass-123", is_superuser=True,
                roles=[("administrator", "kunming")])
    return live_server.url


def _offline(ctx, site):
    """Abort every request that is not to the live server (no CDN, no fonts, nothing)."""
    blocked = []

    def route(r):
        if r.request.url.startswith(site):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    return blocked


def _log_in(page, site):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", "root-browser")
    page.fill("input[name=password]", "root-pass-123")
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_every_dashboard_draws_its_charts_offline(site, browser, viewport):
    from kmgov.site.discovery import dashboards

    ctx = browser.new_context(locale="zh-CN", viewport=viewport, accept_downloads=True)
    blocked = _offline(ctx, site)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _log_in(page, site)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for slug in ["city"] + [d.slug for d in dashboards()]:
        page.goto(f"{site}/dashboards/{slug}/?on=2010-12-01" if slug == "forestry"
                  else f"{site}/dashboards/{slug}/")
        charts = page.locator(".chart[data-chart]")
        n = charts.count()
        cards = page.locator("figure.chart-card").count()
        assert n >= 1 and cards >= n, slug  # a chart with no data yet says so instead
        for i in range(n):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            page.wait_for_function("el => el.dataset.drawn === '1'", arg=chart.element_handle(),
                                   timeout=10000)
            # drawn: ECharts' SVG with shapes in it, and room taken on the page
            assert chart.locator("svg path").count() > 0, (slug, i)
            box = chart.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 100, (slug, i, box)
            assert box["width"] <= viewport["width"], (slug, i, box)
        # the same data as a table under each chart
        assert page.locator("table.chart-table").count() == cards, slug
        page.screenshot(path=str(SHOTS / f"dashboard-{slug}-{viewport['width']}.png"),
                        full_page=True)
        with page.expect_download() as dl:
            page.locator("#xlsx").click()
        assert dl.value.suggested_filename == f"dashboard-{slug}.xlsx"
        wb = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
        assert wb.sheetnames[0] == "目录" and len(wb.sheetnames) == cards + 1, slug
    assert not errors, errors
    assert not blocked, blocked  # the pages asked for nothing outside the site
    ctx.close()
