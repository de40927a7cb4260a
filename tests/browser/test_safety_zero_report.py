"""An enterprise's safety manager fills 表三 of 107号 in a real browser inside the window
(四(一): 7月1日–10日); the county 安委会办公室 logs in and sees it in its consolidated table
(四(二)), with the 不落实 item counted; pages checked on a desktop and a 390×844 phone."""

import datetime as dt

import pytest
from django.utils import timezone
from policies.safety.conftest import sp  # noqa: F401

from kmgov.core.calendar import TZ
from kmgov.policies.safety.models import obligation_code
from kmgov.procedures.filing_services import slots_open

pytestmark = pytest.mark.django_db(transaction=True)

JULY_5 = dt.datetime(2010, 7, 5, 10, tzinfo=TZ)


def login(page, site, username, next_url):
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456")
    page.get_by_role("button", name="登录").last.click()
    page.wait_for_url(f"{site}{next_url}")


def test_enterprise_files_and_the_office_sees_it(live_server, sp, browser, monkeypatch,  # noqa: F811
                                                 tmp_path):
    monkeypatch.setattr(timezone, "now", lambda: JULY_5)
    for user in (sp.mine, sp.office):
        user.set_password("pw-123456")
        user.save()
    for n in range(1, 10):
        for level in ("ent", "town"):
            slots_open(obligation_code(n, level), "2010H1", now=JULY_5)
    site = live_server.url
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    login(page, site, "meikuang", "/safety/?period=2010H1")
    row = page.locator("tr", has_text="人员、经费、装备").first
    row.get_by_role("button", name="填报").click()
    page.wait_for_selector("#step-submit")
    f = "#step-submit-"
    page.fill(f + "report_date", "2010-07-05")
    for name, value in (("unit_name", "盘龙示例煤矿有限公司"), ("principal", "张矿长"),
                        ("leader_in_charge", "李副矿长"), ("filled_by", "王安全"),
                        ("reviewed_by", "赵审核"), ("phone", "0871-65000001")):
        page.fill(f + name, value)
    for item in ("item_1", "item_1_2", "item_1_3", "item_1_4", "item_2", "item_3_2"):
        page.select_option(f + item, "落实")
    page.select_option(f + "item_3", "不落实")
    page.fill(f + "item_3_note", "检测设备尚缺一台，已列入下季度采购")
    page.fill(f + "employees", "120")
    page.check(f + "has_safety_department")
    page.fill(f + "safety_staff", "3")
    page.screenshot(path="/tmp/safety-form.png", full_page=True)
    invalid = page.evaluate("""() => [...document.querySelectorAll('#step-submit :invalid')]
        .map(e => e.name)""")
    assert not invalid, invalid
    page.locator("h1").click()  # closes the date input's picker, which takes the next click
    with page.expect_navigation():
        page.locator("#step-submit button[name=step]").click()
    errors = page.locator(".error").all_inner_texts()
    assert not errors, errors
    assert page.locator(".badge").first.inner_text() == "已报送"
    ctx.close()

    for viewport in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        ctx = browser.new_context(locale="zh-CN", viewport=viewport)
        page = ctx.new_page()
        login(page, site, "panlong-awb", "/safety/consolidated/?period=2010H1")
        mine = page.locator("tr", has_text="盘龙示例煤矿有限公司")
        cells = mine.locator("td").all_inner_texts()
        # columns: unit, level, 表一…表九 → 表三 is the fifth cell: filed with one 不落实 item
        assert cells[4].startswith("已报送") and "1" in cells[4]
        assert mine.locator("td").nth(2).inner_text().startswith("待报送")  # 表一: in the window
        assert page.locator("tr", has_text="盘龙示例建筑工程公司").count() == 1
        page.screenshot(path=f"/tmp/safety-consolidated-{viewport['width']}.png",
                        full_page=True)
        ctx.close()
