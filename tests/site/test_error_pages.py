"""One way to show an error: Chinese pages in the site's layout (web/base.html) for 400, 403,
404, 422, 409 and 500 with DEBUG off, the status preserved; refusals rendered the same way by
the API; and the CLI's line with exit code 2."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kmgov.core.models import Role
from kmgov.core.services import org_tree_load, user_create

LAYOUT = "昆明市人民政府公报平台"  # the brand in the site's header
FOOTER = "依据《昆明市人民政府公报》2010年第15号"


@pytest.fixture
def county_user(db):
    org_tree_load()
    return user_create(username="panlong-ban", roles=[(Role.COUNTY_OFFICE, "panlong")],
                       display_name="盘龙区领导小组办公室")


def _page(resp) -> str:
    text = resp.content.decode()
    assert LAYOUT in text and FOOTER in text, text[:400]
    assert "Not Found" not in text and "Forbidden" not in text and "Server Error" not in text
    return text


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def test_missing_case_is_a_chinese_404_in_the_layout(client, county_user):
    client.force_login(county_user)
    resp = client.get("/cases/nope/x/")
    assert resp.status_code == 404
    text = _page(resp)
    assert "没有找到" in text
    assert "盘龙区领导小组办公室" in text or "panlong-ban" in text  # the layout knows the reader


def test_unknown_address_is_a_chinese_404_without_the_resolver_dump(client, db):
    resp = client.get("/no/such/page/")
    assert resp.status_code == 404
    text = _page(resp)
    assert "没有找到该页面" in text and "tried" not in text


def test_page_a_county_user_may_not_open_is_a_chinese_403(client, county_user):
    client.force_login(county_user)
    resp = client.get("/hotline/console/")
    assert resp.status_code == 403
    text = _page(resp)
    assert "无权访问" in text and "只有热线话务员可以使用话务台" in text


def test_anonymous_on_a_protected_page_still_goes_to_the_chinese_login(client, db):
    resp = client.get("/inbox/")
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/")
    login = client.get(resp["Location"])
    assert login.status_code == 200
    _page(login)


def test_the_navigation_is_discovered_and_follows_login(client, county_user):
    anon = client.get("/").content.decode()
    assert 'href="/gazette/"' in anon and 'href="/hotline/"' in anon
    assert 'href="/headquarters/"' not in anon and 'href="/inbox/"' not in anon
    client.force_login(county_user)
    text = client.get("/").content.decode()
    hrefs = ['href="/gazette/"', 'href="/gazette/search/"', 'href="/rules/"', 'href="/hotline/"',
             'href="/orgs/"', 'href="/inbox/"', 'href="/headquarters/"', 'href="/buildings/"',
             'href="/forestry/projects/"', 'href="/agriculture/claims/"',
             'href="/mediation/claims/"']
    positions = [text.index(h) for h in hrefs]
    assert positions == sorted(positions)  # in the declared order


def test_english_navigation_labels_are_translated(client, db):
    client.cookies["django_language"] = "en"
    text = client.get("/").content.decode()
    assert ">Gazette<" in text


@pytest.mark.urls("site_error_urls")
def test_input_refusal_is_a_422_page_naming_the_field(client, db):
    resp = client.get("/t/invalid/")
    assert resp.status_code == 422
    text = _page(resp)
    assert "提交的内容有误" in text and "面积（亩）" in text and "面积须为正数" in text


@pytest.mark.urls("site_error_urls")
def test_kernel_refusal_keeps_its_status_and_title(client, db):
    resp = client.get("/t/state-changed/")
    assert resp.status_code == 409
    assert "事项状态已变化" in _page(resp)


@pytest.mark.urls("site_error_urls")
def test_bad_request_is_a_chinese_400(client, db):
    resp = client.get("/t/suspicious/")
    assert resp.status_code == 400
    assert "请求有误" in _page(resp)


@pytest.mark.urls("site_error_urls")
def test_server_error_is_a_chinese_500_without_the_exception(db):
    client = Client(raise_request_exception=False)
    resp = client.get("/t/broken/")
    assert resp.status_code == 500
    text = _page(resp)
    assert "服务器内部错误" in text and "boom" not in text


def test_api_renders_a_refusal_as_detail_field_code(client, county_user):
    client.force_login(county_user)
    resp = client.get("/api/v1/cases/nope/x")
    assert resp.status_code == 404
    body = resp.json()
    assert set(body) == {"detail", "field", "code"} and body["code"] == "not_found"
    assert "没有" in body["detail"]


def test_cli_renders_a_refusal_as_its_line_with_exit_code_2(county_user, tmp_path):
    bad = tmp_path / "claim.xlsx"
    bad.write_bytes(b"not a spreadsheet")
    with pytest.raises(CommandError) as err:
        call_command("agriculture", "claim-import", str(bad), "--county", "nowhere",
                     "--year", "2011", "--user", "panlong-ban")
    assert err.value.returncode == 2
    assert str(err.value) == "county：没有代码为“nowhere”的单位"  # field：message, as on the page


def test_kmgov_exits_with_code_2_and_a_chinese_line_on_a_refusal(capsys):
    from kmgov.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["gazette", "ingest", "/nonexistent/issue.txt"])
    assert exit_.value.code == 2
    assert "找不到文件" in capsys.readouterr().err


def test_a_form_only_address_opened_with_get_is_a_405_page_in_the_layout(client, county_user):
    # the 96128 console's missed-calls address only takes the console's form (POST); opened
    # from the history it answered an empty 405
    client.force_login(county_user)
    resp = client.get("/hotline/console/missed/")
    assert resp.status_code == 405 and resp["Allow"] == "POST"
    text = _page(resp)
    assert "此地址不能直接打开" in text and "只接收表单的提交" in text
    # the API answers in its own format: its 405 is not made a page
    api = client.get("/api/v1/hotline/tickets/H-0/close")
    assert api.status_code == 405 and LAYOUT not in api.content.decode()
