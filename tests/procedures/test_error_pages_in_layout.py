"""403 and 404 as people meet them (issue 13, "What it must show"): Chinese pages inside the
site's layout (header with the site name, navigation, footer, the design system's styles),
English when chosen, never Django's bare English pages. Scope refusals are 404 by design
(docs/architecture.md: the existence of another county's case is not disclosed), so a county
official opening another county's case gets the Chinese 404 page; a page their role may not
use is a 403."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SITE_NAME = "昆明市人民政府公报平台"
FOOTER = "依据《昆明市人民政府公报》2010年第15号"


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def _client(user, lang=None):
    c = Client()
    c.force_login(user)
    if lang:
        c.cookies["django_language"] = lang
    return c


def _in_layout(text: str) -> None:
    assert SITE_NAME in text and FOOTER in text
    assert 'class="govuk-skip-link"' in text and "web/vendor/govuk/kmgov.css" in text
    assert 'id="main-content"' in text
    for bare in ("Not Found", "Forbidden", "Page not found</h1>", "The requested resource"):
        assert bare not in text


def test_another_countys_case_is_a_chinese_404_in_the_layout(people, new_case):
    case = new_case()  # the Dianchi enterprise's application, at 盘龙区
    own = _client(people.office).get(f"/cases/sample/{case.reference}/")
    assert own.status_code == 200  # the county's own official sees it
    resp = _client(people.wuhua_office).get(f"/cases/sample/{case.reference}/")
    assert resp.status_code == 404
    text = resp.content.decode()
    _in_layout(text)
    assert "没有找到" in text and "不在您的查看范围内" in text
    assert "昆明滇池示例有限公司" not in text and "100.00" not in text  # nothing of the case


def test_an_enterprise_sees_only_its_own_case(people, new_case):
    case = new_case()
    resp = _client(people.other_enterprise).get(f"/cases/sample/{case.reference}/")
    assert resp.status_code == 404
    _in_layout(resp.content.decode())


def test_a_page_the_role_may_not_use_is_a_chinese_403_in_the_layout(people):
    resp = _client(people.wuhua_office).get("/hotline/console/")
    assert resp.status_code == 403
    text = resp.content.decode()
    _in_layout(text)
    assert "无权访问" in text and "只有热线话务员可以使用话务台" in text
    assert 'data-status="403"' in text


def test_a_missing_page_is_a_chinese_404_for_anyone(db):
    resp = Client().get("/no/such/page/")
    assert resp.status_code == 404
    text = resp.content.decode()
    _in_layout(text)
    assert "没有找到该页面" in text and 'lang="zh-CN"' in text


def test_the_error_pages_follow_the_english_toggle(people):
    resp = _client(people.wuhua_office, "en").get("/hotline/console/")
    assert resp.status_code == 403
    text = resp.content.decode()
    assert 'lang="en"' in text and "Back to the home page" in text and "返回首页" not in text
