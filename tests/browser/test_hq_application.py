"""An enterprise applies for HQ certification in a real browser (fills the form, sees the
decision trace, attaches the documents, submits); the county reviewer logs in, opens the case
and sees the same decision trace (昆政发〔2010〕63号 附件 第六条、第十条至第十二条)."""

import pytest
from policies.recognition_fixtures import HQ_DOCS, MARCH, PDF, march, people  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, site, username, password="pw-123456"):
    page.goto(f"{site}/accounts/login/?next=/headquarters/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").last.click()
    page.wait_for_url(f"{site}/headquarters/")


def test_enterprise_applies_and_reviewer_sees_the_trace(live_server, people, march, browser,  # noqa: F811
                                                       tmp_path):
    for user in (people.applicant, people.office):
        user.set_password("pw-123456")
        user.save()
    site = live_server.url
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    login(page, site, "qiye")
    page.click("#apply")
    page.select_option("#id_hq_type", "comprehensive")
    for name in ("registered_in_kunming", "pays_tax_in_kunming", "fits_industrial_policy",
                 "clean_record"):
        page.check(f"#id_{name}")
    # 第五条、第六条: 40% ≥ 30%, 5 ≥ 3, 1.2亿 ≥ 1亿, 6亿 ≥ 5亿, 3000万 ≥ 2500万.
    page.fill("#id_revenue_share_from_subsidiaries", "0.4")
    page.fill("#id_subsidiaries", "5")
    page.fill("#id_capital_or_net_assets_yuan", "120000000")
    page.fill("#id_revenue_last_year_yuan", "600000000")
    page.fill("#id_local_tax_share_by_year_yuan__year_0", "2025")
    page.fill("#id_local_tax_share_by_year_yuan__amount_0", "3000")  # 万元, the rows' default unit
    page.fill("#id_years_operating_in_kunming", "8")
    page.click("#save")
    page.wait_for_selector("#decision")
    page.click("#decision-trace summary")  # the full trace is folded below the sentence
    trace = page.locator("#decision").inner_text()
    assert "申报的综合型总部：符合认定条件" in trace and "综合型：注册资本或净资产1亿元以上" in trace
    assert "规则判定符合该类型" in page.locator("#hq-type").inner_text()
    reference = page.locator("h1").inner_text().split()[0]
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(PDF)
    for key in HQ_DOCS:
        page.select_option("#id_key", key)
        page.set_input_files("#id_file", str(pdf))
        page.click("#upload")
        page.wait_for_selector("#documents")
    page.locator("#step-submit button").click()
    page.wait_for_selector("#state[data-state=submitted]")
    page.screenshot(path=str(tmp_path / "applicant.png"), full_page=True)
    ctx.close()

    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    login(page, site, "panlong-ban")
    page.get_by_role("link", name=reference).click()
    page.wait_for_selector("#decision")
    page.click("#decision-trace summary")
    trace = page.locator("#decision").inner_text()
    assert "综合型：注册资本或净资产1亿元以上" in trace and "昆政发〔2010〕63号" in trace
    assert page.locator("#step-pass_to_meeting").count() == 1
    assert page.locator("#state").get_attribute("data-state") == "submitted"
    ctx.close()
