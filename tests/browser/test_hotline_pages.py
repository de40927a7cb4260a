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
    # the rule's form, filled with the facts of the question (一亩, 苗木: 59号 四(二))
    assert first.locator("a.rule").get_attribute("href") == (
        "/rules/agriculture.conversion_subsidy/?area_mu=1&to_use=nursery")


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
    page.fill("#lead", "昆明市林业局")
    page.fill("#dispatch-note", "请林业局答复")
    page.locator("#dispatch-form button[type=submit]").click()
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
    row.get_by_role("link", name=number).click()
    page.wait_for_load_state()
    page.fill("#reply-text", "防火期进山须持乡镇林业站开具的入山证明。")
    page.get_by_role("button", name="提交回复").click()
    page.wait_for_load_state()
    page.goto(f"{site}/hotline/desk/")
    assert "部门已回复" in page.locator(f"tr.ticket[data-number='{number}']").inner_text()
    ctx.close()


def test_operator_answers_notes_transfers_by_typing_and_closes(desk_site, browser):
    """Issue 13, "What it must show": an operator answers (from the knowledge base, edited),
    notes, transfers by typing part of a unit's name, and closes a ticket; the citizen receives
    the reply through the outbox; the liaison's desk shows the caller's phone."""
    from kmgov.hotline import services
    from kmgov.hotline.models import Ticket
    from kmgov.procedures.models import Delivery

    site, users = desk_site
    t1 = services.ticket_create(channel="phone", request_type="query", text="问个补助的事",
                                actor=users["operator"], route=False, caller_name="李先生",
                                caller_phone="13800007777", caller_email="li@example.cn")
    t2 = services.ticket_create(channel="phone", request_type="other",
                                text="林区边上有人烧荒，想问归谁管", actor=users["operator"],
                                route=False, caller_name="赵女士", caller_phone="13900008888")
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    _log_in(page, site, "op", "op-pass-123")

    # Answer: pick a suggested entry, the text is prefilled, edit it, send it.
    page.goto(f"{site}/hotline/console/t/{t1.number}/")
    page.locator("#suggestions .pick-answer").first.click()
    page.wait_for_load_state()
    box = page.locator("#answer-text-input")
    assert box.input_value().strip()
    box.fill(box.input_value() + " 具体请咨询所在乡镇。")
    page.get_by_role("button", name="答复来电人").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "已直接答复"
    assert page.locator("#answer-text").inner_text().endswith("具体请咨询所在乡镇。")

    # Note, then transfer by typing part of a unit's name and choosing it from the matches.
    page.goto(f"{site}/hotline/console/t/{t2.number}/")
    page.fill("#note-text", "来电人说烧荒在下午")
    page.get_by_role("button", name="添加备注").click()
    page.wait_for_load_state()
    assert "来电人说烧荒在下午" in page.locator("#history").inner_text()
    page.locator("#lead").press_sequentially("林业", delay=50)
    match = page.locator("#lead ~ .unit-matches .unit-match", has_text="昆明市林业局").first
    match.wait_for()
    match.click()
    assert page.locator("#lead").input_value() == "昆明市林业局"
    page.locator("#dispatch-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#assigned").inner_text() == "昆明市林业局"
    assert "剩余 10 个工作日" in page.locator("#deadline").inner_text()

    # The liaison's desk shows the caller's phone; the unit replies.
    ctx2 = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    desk = ctx2.new_page()
    _log_in(desk, site, "lin", "lin-pass-123")
    desk.goto(f"{site}/hotline/desk/")
    row = desk.locator(f"#dept-tickets tr[data-number='{t2.number}']")
    assert "13900008888" in row.inner_text()
    row.get_by_role("link", name=t2.number).click()
    desk.wait_for_load_state()
    assert desk.locator("#caller-phone").inner_text() == "13900008888"
    desk.fill("#reply-text", "已派护林员到场制止，并告知村委会加强巡查。")
    desk.get_by_role("button", name="提交回复").click()
    desk.wait_for_load_state()
    assert desk.locator("#status").inner_text() == "部门已回复，待回访"
    ctx2.close()

    # Close with the result (prefilled with the unit's reply): sent to the caller by SMS.
    page.goto(f"{site}/hotline/console/t/{t2.number}/")
    assert page.locator("#result").input_value().startswith("已派护林员")
    page.locator("#finish-form button").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "已办结"
    ctx.close()

    t2 = Ticket.objects.get(pk=t2.pk)
    closing = Delivery.objects.get(notification__ref=t2.number, channel="sms",
                                   notification__subject__contains="已办结")
    assert closing.address == "13900008888" and closing.status == "sent"
    assert closing.notification.body == t2.result
    answer = Delivery.objects.get(notification__ref=t1.number, channel="email",
                                  notification__subject__contains="答复")
    assert answer.address == "li@example.cn" and answer.status == "sent"
    assert answer.notification.body.endswith("具体请咨询所在乡镇。")
