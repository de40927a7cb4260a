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


def test_query_with_quotes_and_operators_is_not_syntax():
    _add(1, "甲", "零申报 AND OR NOT 表")
    # FTS5 / tsquery operators typed by a user are searched as words, never parsed.
    assert [h.entry.ref_id for h in search.search('零申报" OR "*')] == [1]
    assert [h.entry.ref_id for h in search.search("零申报 NOT")] == [1]
