"""The HQ application as a person fills it (issue 13, items 3 and 4): the window and the
conditions before the form, tax by year entered as rows with a unit, an error in Chinese beside
the rows that keeps the type chosen and every row typed, then a failing condition said as one
plain sentence with its provision and what to apply for instead (昆政发〔2010〕63号 附件
第六条(三)、第七条(一)、第十一条、第十二条(一))."""

import pytest
from policies.recognition_fixtures import march, people  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_tax_rows_error_keeps_the_choice_and_the_outcome_is_a_sentence(live_server, people,  # noqa: F811
                                                                      march, browser):  # noqa: F811
    people.applicant.set_password("pw-123456")
    people.applicant.save()
    site = live_server.url
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(f"{site}/accounts/login/?next=/headquarters/new/")
    page.fill("#id_username", "qiye")
    page.fill("#id_password", "pw-123456")
    page.get_by_role("button", name="登录").last.click()
    page.wait_for_url(f"{site}/headquarters/new/")
    # before the form: 第十一条's window and the conditions of each type
    before = page.locator("#before-form").inner_text()
    assert "每年的申报期为" in before and "3月1日" in before and "3月31日" in before
    assert page.locator("#before-form").bounding_box()["y"] < page.locator("#application-form").bounding_box()["y"]

    page.select_option("#id_hq_type", "comprehensive")
    for name in ("registered_in_kunming", "pays_tax_in_kunming", "fits_industrial_policy",
                 "clean_record"):
        page.check(f"#id_{name}")
    page.fill("#id_revenue_share_from_subsidiaries", "0.5")
    page.fill("#id_subsidiaries", "5")
    # 1.5亿元 in 万元, 6亿元 in 元: the unit chosen beside each amount
    page.fill("#id_capital_or_net_assets_yuan", "15000")
    page.select_option("#id_capital_or_net_assets_yuan__unit", "wan")
    page.fill("#id_revenue_last_year_yuan", "600000000")
    page.fill("#id_years_operating_in_kunming", "5")
    # tax by year as rows: 2025 typed wrongly first (Chinese numerals are not a number)
    page.fill("#id_local_tax_share_by_year_yuan__year_0", "2025")
    page.fill("#id_local_tax_share_by_year_yuan__amount_0", "两千万")
    page.fill("#id_local_tax_share_by_year_yuan__year_1", "2024")
    page.fill("#id_local_tax_share_by_year_yuan__amount_1", "1800")
    page.click("#save")
    error = page.locator("#error_local_tax_share_by_year_yuan")
    error.wait_for()
    assert "第1行：2025年的金额须为不小于0的数字" in error.inner_text()
    # nothing typed is lost: the type, the unit, every row
    assert page.locator("#id_hq_type").input_value() == "comprehensive"
    assert page.locator("#id_capital_or_net_assets_yuan__unit").input_value() == "wan"
    assert page.locator("#id_local_tax_share_by_year_yuan__amount_0").input_value() == "两千万"
    assert page.locator("#id_local_tax_share_by_year_yuan__amount_1").input_value() == "1800"

    # 2000万元 last year: below 综合型's 2500万元 (第六条(三)), enough for 一般职能型 (第七条(一))
    page.fill("#id_local_tax_share_by_year_yuan__amount_0", "2000")
    page.click("#save")
    page.wait_for_selector("#plain-outcome")
    sentence = page.locator("#plain-outcome .sentence").inner_text()
    assert sentence == "申报的综合型总部：不符合认定条件，1项条件未满足；可改报一般职能型总部。"
    finding = page.locator("#plain-outcome .finding").first.inner_text()
    assert "实际为2000万元，低于要求的2500万元" in finding and "附件 第六条(三)" in finding
    link = page.locator("#plain-outcome .finding a").first.get_attribute("href")
    assert link.startswith("/gazette/doc/")
    # the full trace is folded below
    assert not page.locator("#decision-trace").evaluate("d => d.open")
    ctx.close()
