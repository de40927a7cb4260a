"""What a person sees of the gazette library in a real browser (SPEC GZ-7)."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, org_tree, seed_path):
    from kmgov.gazette.services import issue_ingest

    issue_ingest(data=seed_path.read_bytes(), source_name=seed_path.name)
    return live_server.url


def test_issue_document_and_search_pages(site, page, tmp_path):
    page.goto(f"{site}/gazette/2010/15/")
    assert page.locator("h1").inner_text() == "昆明市人民政府公报"
    # The Chinese font is really there, so the text renders as characters, not boxes.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
    zh_toc = page.locator("section[lang=zh-CN] li")
    assert zh_toc.count() == 12
    assert "（32）" in zh_toc.nth(4).inner_text()
    assert page.locator("section[lang=en] li").count() == 12
    page.screenshot(path=str(tmp_path / "issue.png"), full_page=True)

    page.get_by_role("link", name="昆明市人民政府关于鼓励开展碳汇造林的指导意见").first.click()
    page.wait_for_url(re.compile(r".*/gazette/doc/.*60.*"))
    assert "昆政发〔2010〕60号" in page.locator("main").inner_text()
    assert page.locator(".node-section").count() >= 3

    page.goto(f"{site}/gazette/search/")
    page.get_by_role("searchbox").fill("碳汇")
    page.get_by_role("button", name="检索").click()
    first = page.locator(".hit").first
    assert "昆政发〔2010〕60号" in first.locator("a").first.inner_text()
    assert "碳汇造林" in first.locator(".where").inner_text()
    assert first.locator("mark").count() >= 1
    first.locator("a").first.click()
    assert "昆政发〔2010〕60号" in page.locator("h1").inner_text()
    assert page.locator(".node .head").count() == 1
