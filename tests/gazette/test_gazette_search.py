"""Gazette search (issue 13 item 7): true totals and pages, 无结果 with suggestions, filters by
document and issue, nonsense never matched, the page's labels in the English catalogue.

Expected totals are counted from the gazette's own text: the nodes whose indexed text holds
the word as typed (the oracle is plain substring search over the stored text, independent of
the word segmentation and the full-text index)."""

import csv
import re
from pathlib import Path

import pytest
from django.test import Client

from kmgov.core.models import SearchEntry
from kmgov.gazette import selectors

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _holding(word, docno=None):
    qs = SearchEntry.objects.filter(source="gazette.node")
    if docno:
        qs = qs.filter(title__startswith=f"{docno} ")
    return {e.ref_id for e in qs if word in re.sub(r"\s+", "", e.title + e.body)}


def _hit_paths(html):
    return re.findall(r'<div class="hit">\s*<div><a href="[^"]*">([^<]+)</a>', html)


@pytest.mark.parametrize("q", ["啊哦嗯呃", "qzxjvkwp", "量子纠缠火锅", "鑫垚淼焱"])
def test_nonsense_shows_no_results_with_suggestions(ingested, q):
    html = Client().get("/gazette/search/", {"q": q}).content.decode()
    assert "无结果" in html and _hit_paths(html) == []
    assert "条结果" not in html
    # Suggestions: the gazette's own terms (each of which finds something), and its contents.
    none = html[html.index('id="search-none"'):]
    words = re.findall(r'<a href="\?q=[^"]+">([^<]+)</a>', none)
    assert words and all(selectors.search_page(w).total > 0 for w in words)
    assert 'href="/gazette/2010/15/"' in none
    assert "昆政发〔2010〕63号 关于加快发展总部经济的意见" in none


def test_nonsense_of_single_characters_is_not_matched_character_by_character(ingested):
    # Each of 的, 是, 和, 在 stands in many nodes; together, as typed, in none.
    for ch in "的是和在":
        assert selectors.search_page(ch).total > 10
    assert selectors.search_page("的是和在").total == 0
    # Characters that do stand together as typed are found there (and only there).
    assert selectors.search_page("滇池").total == len(_holding("滇池"))


def test_zongbu_shows_its_true_total_and_pages(ingested):
    expected = _holding("总部")
    assert len(expected) == 83  # nodes of 63号 (and others) holding 总部: > one page of 20
    c = Client()
    html = c.get("/gazette/search/", {"q": "总部"}).content.decode()
    assert "“总部”：83 条结果" in html and "第 1 / 5 页" in html
    assert 'aria-current="page"' in html and "page=5" in html and 'rel="next"' in html
    seen = []
    for page in range(1, 6):
        r = selectors.search_page("总部", page=page)
        assert r.total == 83 and r.page == page and r.pages == 5
        seen += [n.pk for n, _, _ in r.rows]
    assert len(seen) == len(set(seen)) == 83 and set(seen) == expected
    last = c.get("/gazette/search/", {"q": "总部", "page": 5}).content.decode()
    assert len(_hit_paths(last)) == 3 and 'rel="prev"' in last and 'rel="next"' not in last
    # A page past the end shows the last page, not an empty one.
    assert [n.pk for n, _, _ in selectors.search_page("总部", page=99).rows] == seen[-3:]


def test_filter_by_document(ingested):
    in_62 = _holding("总部", "昆政发〔2010〕62号")
    in_63 = _holding("总部", "昆政发〔2010〕63号")
    assert in_62 and in_63 and len(in_62) + len(in_63) <= 83
    r = selectors.search_page("总部", docno="昆政发〔2010〕62号")
    assert r.total == len(in_62) and {n.pk for n, _, _ in r.rows} <= in_62
    assert all(n.document.docno == "昆政发〔2010〕62号" for n, _, _ in r.rows)
    html = Client().get("/gazette/search/", {"q": "总部", "doc": "昆政发〔2010〕63号"}).content.decode()
    assert f"“总部”：{len(in_63)} 条结果" in html
    assert '<option value="昆政发〔2010〕63号" selected>' in html
    assert all(p.startswith("昆政发〔2010〕63号 ") for p in _hit_paths(html))


def test_filter_by_issue_when_there_are_several(ingested, seed_path):
    from kmgov.gazette.services import issue_ingest

    html = Client().get("/gazette/search/", {"q": "碳汇"}).content.decode()
    assert 'name="issue"' not in html  # one issue: no issue filter
    one = selectors.search_page("碳汇").total
    text = seed_path.read_text(encoding="utf-8")
    issue_ingest(data=text.replace("2010 年 8 月 10 日 第 15 号", "2010 年 8 月 10 日 第 16 号", 1)
                 .replace("(总号: 142)", "(总号: 143)", 1).encode("utf-8"), source_name="copy")
    assert selectors.search_page("碳汇").total == 2 * one
    html = Client().get("/gazette/search/", {"q": "碳汇", "issue": "2010-16"}).content.decode()
    assert '<option value="2010-16" selected>' in html and f"“碳汇”：{one} 条结果" in html
    r = selectors.search_page("碳汇", issue=selectors.search_issue("2010-16"))
    assert r.total == one and {n.document.issue.number for n, _, _ in r.rows} == {16}


def test_partial_match_is_said_so(ingested):
    html = Client().get("/gazette/search/", {"q": "火锅总部"}).content.decode()
    assert "“火锅总部”：83 条结果" in html and "以下为包含其中部分词语的结果" in html
    full = Client().get("/gazette/search/", {"q": "总部企业认定条件"}).content.decode()
    assert "部分词语" not in full and "附件 第六条" in full


def test_every_label_of_the_search_page_has_its_english():
    template = (ROOT / "src/kmgov/gazette/templates/gazette/search.html").read_text()
    labels = set(re.findall(r'{% translate "([^"]+)" %}', template))
    labels |= set(re.findall(r"{% translate '([^']+)' %}", template))
    labels |= {re.sub(r"{{ (\w+) }}", r"%(\1)s", m) for m in re.findall(
        r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate)", template)}
    with open(ROOT / "docs/ui-strings-en.tsv", encoding="utf-8") as f:
        english = {row[0]: row[1] for row in csv.reader(f, delimiter="\t") if len(row) > 1
                   and not row[0].startswith("#")}
    assert len(labels) >= 20
    missing = sorted(label for label in labels if not english.get(label))
    assert missing == []


def test_english_page_labels(ingested):
    c = Client()
    c.cookies["django_language"] = "en"
    html = c.get("/gazette/search/", {"q": "总部"}).content.decode()
    assert "Search the gazette" in html and "“总部”: 83 results" in html
    assert "Next page" in html and "检索词" not in html
