"""The site on a phone (issue 13, "What it must show"), in Debian's Chromium at 390×844:

- the 96128 public page is one column with no horizontal scroll, its inputs and buttons at least
  44 px tall, ask → answer → "没有解决？提交诉求" in that order, no staff links for the public; a
  citizen files a request, sees the receipt panel (ticket number, follow-up code, follow-up
  link, print), and follows it up by number and code;
- the main pages of the public and of officials (demo data, each role its own pages) never
  scroll sideways: wide tables scroll inside their wrapper, not the page.

Screenshots go to var/screenshots/ (look at them)."""

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("KMGOV_SCREENSHOTS", "var/screenshots"))
TOUCH = 44  # px: the smallest target a finger hits reliably (design system; issue 13)

# Every control a person can press or type into, inside the page's main area and header.
CONTROLS = ("main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
            "main select, main textarea, main button, main .govuk-button, header button, "
            "header a.kmgov-header__link")


def _no_sideways_scroll(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def _too_small(page) -> list[str]:
    """The visible controls shorter than 44 px, named so a failure says which."""
    return page.evaluate("""([sel, least]) => [...document.querySelectorAll(sel)]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.id || e.name || e.textContent.trim().slice(0, 12) || e.tagName,
                   e.getBoundingClientRect().height])
        .filter(([, h]) => h < least)
        .map(([n, h]) => n + ':' + Math.round(h))""", [CONTROLS, TOUCH])


@pytest.fixture
def desk_site(live_server, org_tree, monkeypatch):
    from django.utils import timezone

    from kmgov.core.calendar import TZ
    from kmgov.hotline.services import kb_seed_load

    # A Wednesday morning in office hours, whatever the hour the suite runs.
    fixed = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    kb_seed_load()
    return live_server.url


def test_public_hotline_page_on_a_phone_ask_file_receipt_follow_up(desk_site, browser):
    site = desk_site
    ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = ctx.new_page()
    page.goto(f"{site}/hotline/")
    scroll_width, width = _no_sideways_scroll(page)
    assert scroll_width <= width == 390
    assert _too_small(page) == []
    # No staff links for the public: the console, desk and statistics are officials' pages.
    for staff in ("/hotline/console/", "/hotline/desk/", "/hotline/dashboard/"):
        assert page.locator(f"a[href^='{staff}']").count() == 0, staff
    # One column: the three sections stack, each as wide as the others, in this order.
    boxes = [page.locator(f"#{s}").bounding_box() for s in ("ask", "file", "follow")]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert len({round(b["x"]) for b in boxes}) == 1

    # Ask → the cited answer → "没有解决？提交诉求", the question carried into the request.
    question = "田里改种苗木，一亩能补多少钱？"
    page.fill("#ask-q", question)
    page.locator("#ask-form button[type=submit]").click()
    page.locator("#answers .answer").first.wait_for()
    assert "1000" in page.locator("#answers .answer").first.inner_text()  # 59号 四(二): 1000元/亩
    answers_y = page.locator("#answers").bounding_box()["y"]
    file_title = page.locator("#file-title")
    assert file_title.inner_text() == "没有解决？提交诉求"
    assert answers_y < file_title.bounding_box()["y"]
    assert page.locator("#file-text").input_value() == question
    assert _no_sideways_scroll(page)[0] <= 390 and _too_small(page) == []

    # File it: the receipt panel with the number, the code, a follow-up link and print.
    page.select_option("#file-type", "query")
    page.fill("#file-text", "改种苗木的补助什么时候发？地点：晋宁区")
    page.fill("#file-phone", "13800000000")
    page.locator("#file-submit").click()
    page.locator("#receipt").wait_for()
    number = page.locator("#ticket-number").inner_text().strip()
    code = page.locator("#check-code").inner_text().strip()
    assert re.fullmatch(r"\d+", number) and re.fullmatch(r"\d{8}", code)
    from kmgov.hotline.models import Ticket

    ticket = Ticket.objects.get(number=number)
    assert ticket.check_code == code and ticket.caller_phone == "13800000000"
    assert page.locator("#print-receipt").is_visible()
    # The step indicator says where the request stands (web/_steps.html).
    from kmgov.hotline.views import citizen_steps

    assert page.locator("#receipt .kmgov-steps__item").count() == 4
    from django.utils import translation

    # the page is Chinese; an earlier test's English request may have left English active here
    with translation.override("zh-hans"):
        current = [s["label"] for s in citizen_steps(ticket) if s["status"] == "current"]
    assert page.locator("#receipt [aria-current=step]").all_inner_texts() == current
    assert current == ["承办单位办理"]  # a query in office hours is transferred at once
    assert _no_sideways_scroll(page)[0] <= 390 and _too_small(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "hotline-receipt-phone.png"), full_page=True)
    # Printed, the receipt is all there is: the forms and the site's header are hidden.
    page.emulate_media(media="print")
    assert page.locator("#receipt").is_visible() and page.locator("#ticket-number").is_visible()
    for hidden in ("#ask-form", "#file-form", "#follow-form", "header", "#print-receipt"):
        assert not page.locator(hidden).first.is_visible(), hidden
    page.emulate_media(media="screen")

    # The follow-up link opens the ticket's progress.
    page.locator("#follow-link").click()
    page.locator("#follow-up").wait_for()
    assert number in page.locator("#follow-up").inner_text()
    assert page.locator("#follow-status").inner_text() == ticket.get_status_display()
    assert page.locator("#follow-up [aria-current=step]").count() == 1

    # And by typing the number and the code, as a citizen with the printed receipt would.
    page.goto(f"{site}/hotline/")
    page.fill("#follow-number", number)
    page.fill("#follow-code", code)
    page.locator("#follow-form button[type=submit]").click()
    page.locator("#follow-up").wait_for()
    assert "改种苗木的补助什么时候发" in page.locator("#follow-up").inner_text()
    # A wrong code shows the refusal beside the number field, nothing of the ticket.
    page.fill("#follow-number", number)
    page.fill("#follow-code", "00000000" if code != "00000000" else "11111111")
    page.locator("#follow-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#follow-up").count() == 0
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("#follow-number-error").is_visible()
    ctx.close()


def test_a_request_without_text_is_refused_beside_the_field_and_nothing_typed_is_lost(
        desk_site, browser):
    ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = ctx.new_page()
    page.goto(f"{desk_site}/hotline/")
    page.fill("#file-name", "李女士")
    page.locator("#file-submit").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    link = summary.locator("a[href='#file-text']")
    assert link.inner_text() == "请填写诉求内容"  # hotline.services: text is required
    assert page.locator("#file-text-error").inner_text().endswith("请填写诉求内容")
    assert "file-text-error" in page.locator("#file-text").get_attribute("aria-describedby")
    assert page.locator("#file-name").input_value() == "李女士"
    from kmgov.hotline.models import Ticket

    assert Ticket.objects.count() == 0
    ctx.close()


# --- the main pages, each role its own -------------------------------------------------

PUBLIC_PAGES = ["/", "/gazette/2010/15/", "/gazette/doc/昆政发〔2010〕63号/",
                "/gazette/search/?q=碳汇", "/rules/", "/rules/agriculture.land_transfer_reward/",
                "/hotline/", "/carbon/public/", "/accounts/login/", "/no/such/page/"]
STAFF_PAGES = {
    "demo-panlong-ban": ["/inbox/", "/headquarters/", "/cases/hq/", "/filings/", "/orgs/",
                         "/agriculture/claims/", "/forestry/projects/", "/mediation/claims/",
                         "/safety/", "/geohazards/points/", "/geohazards/map/", "/construction/",
                         "/dashboards/",
                         "/notifications/"],
    "demo-shi-ban": ["/inbox/", "/dashboards/city/", "/buildings/register/",
                     "/buildings/targets/", "/buildings-index/", "/carbon/",
                     "/filings/hq-statistics/", "/headquarters/ZB-2026-00001/"],
    "demo-qiye": ["/headquarters/", "/inbox/", "/headquarters/new/"],
}

# A form laid out as rows of label + control (the rules' forms, the HQ application): on a
# phone each label stands above its control, so no control is cut off at the page's edge
# (the HQ application's inputs used to sit beyond the edge, in a table scrolled sideways).
CUT_OFF = """() => [...document.querySelectorAll('form.rule-form input:not([type=hidden]), form.rule-form select, form.rule-form textarea')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > window.innerWidth)
    .map(e => e.name)"""


@pytest.fixture
def demo_site(live_server, settings, tmp_path, monkeypatch, seed_path):
    from kmgov.gazette.services import issue_ingest

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    issue_ingest(data=seed_path.read_bytes(), source_name=seed_path.name)
    return live_server.url


def _log_in(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-pass-for-tests")
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, username


def test_main_pages_do_not_scroll_sideways_on_a_phone(demo_site, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    wide = []
    for who, paths in [(None, PUBLIC_PAGES), *STAFF_PAGES.items()]:
        ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
        page = ctx.new_page()
        if who:
            _log_in(page, demo_site, who)
        for path in paths:
            resp = page.goto(f"{demo_site}{path}")
            assert resp.status < 500, (who, path, resp.status)
            assert path == "/no/such/page/" or resp.status == 200, (who, path, resp.status)
            scroll_width, width = _no_sideways_scroll(page)
            cut_off = page.evaluate(CUT_OFF)
            if cut_off:
                wide.append(f"{who or '公众'} {path}: cut off {cut_off[:3]}")
            if scroll_width > width:
                wide.append(f"{who or '公众'} {path}: {scroll_width}px")
                name = re.sub(r"\W+", "_", f"{who or 'public'}{path}").strip("_")
                page.screenshot(path=str(SHOTS / f"wide-{name}.png"), full_page=True)
        ctx.close()
    assert wide == []
