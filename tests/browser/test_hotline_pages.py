"""The 96128 desk in a real browser (issue 5): a citizen asks and sees a cited answer; an
operator files a ticket, sees live suggestions, and transfers it; the department sees it."""

import datetime as dt
import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk_site(live_server, org_tree, monkeypatch):
    from django.utils import timezone

    from kmgov.core.calendar import TZ
    from kmgov.core.services import user_create
    from kmgov.hotline.services import kb_seed_load

    # A Wednesday morning in office hours, whatever the hour the suite runs.
    fixed = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    kb_seed_load()
    users = {
        "operator": user_create(username="op", password="op-pass-123",
                                roles=[("hotline_operator", "city-mayors-hotline")],
                                display_name="话务员"),
        "liaison": user_create(username="lin", password="lin-pass-123",
                               roles=[("department_liaison", "city-forestry")],
                               display_name="林业局联络员"),
    }
    return live_server.url, users


def _log_in(page, site, username, password):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()


def test_citizen_asks_and_sees_a_cited_answer(desk_site, page):
    site, _ = desk_site
    page.goto(f"{site}/hotline/")
    page.get_by_role("searchbox").fill("田里改种苗木，一亩能补多少钱？")
    page.get_by_role("button", name="查询").first.click()
    first = page.locator("#answers .answer").first
    first.wait_for()
    assert "1000" in first.inner_text()
    assert first.locator("a.citation").inner_text() == "昆政发〔2010〕59号 四(二)"
    assert "市农业局" in first.inner_text() or "昆明市农业局" in first.inner_text()
    assert first.locator("a.rule").get_attribute("href") == "/rules/agriculture.conversion_subsidy/"


def test_operator_files_and_transfers_and_the_department_sees_it(desk_site, browser):
    site, users = desk_site
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    _log_in(page, site, "op", "op-pass-123")
    page.goto(f"{site}/hotline/console/")
    # Live answer suggestions while the operator types.
    page.fill("#intake-text", "碳汇林挂牌要捐多少")
    page.locator("#suggestions .suggestion").first.wait_for()
    assert "碳汇林" in page.locator("#suggestions").inner_text()
    page.fill("#intake-text", "防火期进山要带什么证件？<b>急</b>")
    page.select_option("select[name=request_type]", "query")
    page.fill("input[name=name]", "王先生")
    page.get_by_role("button", name="受理并分流").click()
    page.wait_for_url(re.compile(r".*/hotline/console/t/\d+/"))
    number = page.locator("#number").inner_text()
    assert "<b>急</b>" in page.locator("#ticket-text").inner_text()  # shown as typed, escaped
    page.select_option("#to-org", "city-forestry")
    page.fill("#transfer-form input[name=note]", "请林业局答复")
    page.locator("#transfer-form button").click()
    page.wait_for_load_state()
    assert page.locator("#assigned").inner_text() == "昆明市林业局"
    assert "转办" in page.locator("#history").inner_text()
    ctx.close()

    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    _log_in(page, site, "lin", "lin-pass-123")
    page.goto(f"{site}/hotline/desk/")
    row = page.locator(f"tr.ticket[data-number='{number}']")
    assert row.count() == 1 and "防火期进山" in row.inner_text()
    row.locator("input[name=text]").fill("防火期进山须持乡镇林业站开具的入山证明。")
    row.locator("button").click()
    page.wait_for_load_state()
    assert "部门已回复" in page.locator(f"tr.ticket[data-number='{number}']").inner_text()
    ctx.close()
