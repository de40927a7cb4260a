"""Issue 15 item 6: under the site's Content Security Policy (no inline script), the pages with
charts, the offline map, the hotline console and the API's own documentation load in Chromium
and draw what they draw with no policy violation reported by the browser."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

# Collected before any page script runs (an init script is not subject to the page's policy).
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
"""

PAGES = [
    ("/", None),
    ("/dashboards/city/", ".chart[data-chart]"),
    ("/dashboards/agriculture/", ".chart[data-chart]"),
    ("/geohazards/map/", "svg"),
    ("/hotline/", None),
    ("/hotline/console/", None),
    ("/carbon/fund/", "svg.chart"),
    ("/api/v1/docs", "#swagger-ui .information-container"),
]


@pytest.fixture
def site(live_server, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    from kmgov.core.services import user_create

    user_create(username="root-csp", password="root-pass-123", is_superuser=True,
                roles=[("administrator", "kunming"), ("hotline_operator", "city-mayors-hotline")])
    return live_server.url


def test_pages_load_with_no_csp_violation(site, browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    ctx.add_init_script(LISTEN)
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site) else r.abort())
    ctx.set_default_timeout(120000)  # the live server shares the machine with the suite
    ctx.set_default_navigation_timeout(120000)
    page = ctx.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text
            else None)
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", "root-csp")
    page.fill("input[name=password]", "root-pass-123")
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()
    for path, drawn in PAGES:
        resp = page.goto(f"{site}{path}")
        assert resp.status == 200, path
        assert "script-src 'self'" in resp.headers["content-security-policy"], path
        try:
            if drawn == ".chart[data-chart]":
                chart = page.locator(drawn).first
                page.wait_for_function("el => el.dataset.drawn === '1'",
                                       arg=chart.element_handle(), timeout=60000)
                assert chart.locator("svg path").count() > 0, path
            elif drawn:
                page.locator(drawn).first.wait_for(timeout=60000)
            page.wait_for_load_state("networkidle")
        finally:  # a violation is the likeliest reason for something not drawn: name it
            assert page.evaluate("window.__csp") == [], (path, page.evaluate("window.__csp"))
    assert console == []
    ctx.close()
