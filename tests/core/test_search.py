import pytest

from kmgov.core import search
from kmgov.core.models import SearchEntry

pytestmark = pytest.mark.django_db


def _add(ref_id, title, body, source="test"):
    search.index_entries([SearchEntry(source=source, ref_id=ref_id, title=title, body=body,
                                      group="g1")])


def test_words_are_segmented_not_characters():
    w = search.words("鼓励开展碳汇造林的指导意见")
    assert "碳汇" in w and "造林" in w
    assert "碳" not in w  # words, not single characters


def test_ranking_prefers_the_text_about_the_query():
    _add(1, "碳汇造林", "开展碳汇造林，增加森林碳汇，设立碳汇基金。")
    _add(2, "农业结构调整", "滇池流域农业产业结构调整，碳汇基金中统筹安排贷款贴息。")
    _add(3, "楼宇经济", "商务楼宇认定，申报期限为每年3月1日至31日。")
    hits = search.search("碳汇")
    assert [h.entry.ref_id for h in hits][:2] == [1, 2]
    assert 3 not in [h.entry.ref_id for h in hits]


def test_exact_phrase_outranks_scattered_words():
    _add(1, "甲", "申报期限为每年3月1日至31日，逾期不予受理。")
    _add(2, "乙", "每年年初申报；期限届满前31日提醒。3月以后1日内办结。")
    hits = search.search("申报期限为每年3月1日至31日")
    assert hits[0].entry.ref_id == 1


def test_any_word_when_not_all_match_and_nothing_for_punctuation():
    _add(1, "甲", "中低产林改造补助每亩200元")
    assert [h.entry.ref_id for h in search.search("中低产林 火星")] == [1]
    assert search.search("，。！") == []
    assert search.search("") == []


def test_removing_a_group_removes_its_hits():
    _add(1, "甲", "以奖代补人民调解")
    search.remove_group("test", "g1")
    assert search.search("以奖代补") == []
    assert SearchEntry.objects.count() == 0


def test_an_entry_deleted_without_its_full_text_row_does_not_block_the_next_one():
    # A flush (or a delete that bypasses remove_group) leaves SQLite's full-text row behind;
    # the next entry given the same id replaces it.
    _add(1, "甲", "以奖代补人民调解")
    stale = SearchEntry.objects.get().id
    SearchEntry.objects.all().delete()  # the full-text row stays, as after a flush
    search.index_entries([SearchEntry(id=stale, source="test", ref_id=2, title="乙",
                                      body="碳汇造林", group="g1")])
    assert [h.entry.ref_id for h in search.search("碳汇造林")] == [2]
    assert search.search("以奖代补") == []


def test_query_with_quotes_and_operators_is_not_syntax():
    _add(1, "甲", "零申报 AND OR NOT 表")
    # FTS5 / tsquery operators typed by a user are searched as words, never parsed.
    assert [h.entry.ref_id for h in search.search('零申报" OR "*')] == [1]
    assert [h.entry.ref_id for h in search.search("零申报 NOT")] == [1]


def test_query_plan_never_matches_single_characters_of_a_nonsense_string():
    # Words of two or more characters: all of them, or any of them; never a lone character.
    assert search.query_plan("火锅总部") == (["火锅", "总部"], ["火锅", "总部"], "")
    # A word inside a longer word of the query is implied by it (the index holds both).
    assert search.query_plan("总部企业认定条件") == (["总部企业", "认定", "条件"],
                                                   ["总部企业", "认定", "条件"], "")
    # Only single characters: matched together, as typed; one character alone as itself.
    assert search.query_plan("啊 哦嗯") == (["啊", "哦", "嗯"], [], "啊哦嗯")
    assert search.query_plan("林") == (["林"], [], "")
    assert search.query_plan("，。") == ([], [], "")


def test_search_page_counts_every_match_and_pages_them():
    search.index_entries([SearchEntry(source="test", ref_id=i, title=f"条{i}",
                                      body=f"第{i}条 碳汇造林" + ("碳汇" * (i % 5)), group="g1")
                          for i in range(1, 46)])
    first = search.search_page("碳汇", limit=20)
    assert first.total == 45 and len(first.hits) == 20
    ids = [h.entry.ref_id for p in (0, 20, 40)
           for h in search.search_page("碳汇", offset=p, limit=20).hits]
    assert sorted(ids) == list(range(1, 46))
    scores = [h.score for h in first.hits]
    assert scores == sorted(scores, reverse=True)
    assert search.search_page("碳汇", groups=["g2"]).total == 0
    assert search.search_page("碳汇 火星").total == 45  # any word, said so
    assert search.search_page("碳汇 火星").any_word
    assert search.search_page("啊哦嗯").total == 0 and search.count(["碳汇"]) == 45
    assert search.count(["碳汇"], at_most=1) == 1 and search.count(["火星"], at_most=1) == 0


def test_search_page_within_a_set_of_ids():
    _add(1, "甲", "以奖代补人民调解")
    _add(2, "乙", "以奖代补")
    within = SearchEntry.objects.filter(ref_id=2).values("ref_id")
    page = search.search_page("以奖代补", within=within)
    assert page.total == 1 and [h.entry.ref_id for h in page.hits] == [2]
