"""The gazette pages through the Django test client (the browser test covers what is seen)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_render_for_anonymous_readers(ingested):
    c = Client()
    assert "昆明市人民政府公报" in c.get("/gazette/").content.decode()
    issue = c.get("/gazette/2010/15/").content.decode()
    assert "关于加快发展总部经济的意见" in issue and "（32）" in issue
    doc = c.get("/gazette/doc/昆政发〔2010〕63号/")
    assert doc.status_code == 200
    html = doc.content.decode()
    assert "昆明市总部企业认定管理办法" in html and "附件 第七条(二)" in html
    node = c.get("/gazette/doc/昆政发〔2010〕63号/node/", {"path": "附件 第十一条"})
    assert "每年3月1日至31日" in node.content.decode()
    assert c.get("/gazette/doc/昆政发〔2010〕63号/node/", {"path": "不存在"}).status_code == 404
    assert c.get("/gazette/doc/昆政发〔2099〕1号/").status_code == 404
    # 109号: the table of contents and the body print different titles; both are shown.
    doc109 = c.get("/gazette/doc/昆政办〔2010〕109号/").content.decode()
    assert "关于做好2010年度地质灾害防治工作的通知" in doc109
    assert "关于切实做好2010年度地质灾害防治工作的通知" in doc109


def test_search_page_escapes_the_query_and_marks_hits(ingested):
    c = Client()
    html = c.get("/gazette/search/", {"q": "零申报<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    html = c.get("/gazette/search/", {"q": "零申报"}).content.decode()
    assert "<mark>零申报</mark>" in html


def test_chinese_by_default_english_when_chosen(ingested):
    c = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    r = c.get("/gazette/")
    assert r.headers["Content-Language"] == "zh-hans"
    c.cookies["django_language"] = "en"
    r = c.get("/gazette/")
    assert r.headers["Content-Language"] == "en"
    assert 'lang="en"' in r.content.decode()
