import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_english_is_available_when_chosen():
    c = Client()
    c.cookies["django_language"] = "en"
    html = c.get("/gazette/search/", {"q": "没有这个词语啊"}).content.decode()
    assert "Search the gazette" in html and "Nothing found" in html
    zh = Client().get("/gazette/search/").content.decode()
    assert "公报全文检索" in zh
