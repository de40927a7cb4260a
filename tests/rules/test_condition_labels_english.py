"""Condition labels in the active language (issue 13 item 2): the label a rule gives
`c.threshold`/`c.condition` is marked with gettext_noop and shown through gettext by
`kmgov.rules.plain.finding`, so an English page words what the gazette requires in English,
while the Chinese explanation stays exactly as it was."""

import re

import pytest
from tsv_english import english_from_tsv, tsv_table

from kmgov.rules import decide
from kmgov.rules.plain import explain, finding

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

# 63号 附件: 第五条 basic conditions met; 第六条(一)(二) met (1.5亿元 ≥ 1亿元, 6亿元 ≥ 5亿元), but
# 第六条(三) last year's local share 2000万元 < 2500万元 → 综合型 not met (一般职能型 is).
HQ = {"registered_in_kunming": True, "pays_tax_in_kunming": True, "fits_industrial_policy": True,
      "clean_record": True, "revenue_share_from_subsidiaries": 0.5, "subsidiaries": 5,
      "capital_or_net_assets_yuan": 150_000_000, "revenue_last_year_yuan": 600_000_000,
      "local_tax_share_by_year_yuan": {"2025": 20_000_000}, "years_operating_in_kunming": 5,
      "as_of": "2026-03-10"}
# 59号 四(三): 到滇池流域以外租地、种植蔬菜或花卉、连片5亩以上 — all three missed: inside the
# basin, 粮食, 4亩.
RENT = {"contiguous_area_mu": 4, "crop": "粮食", "outside_basin": False, "as_of": "2011-01-01"}
# 107号 附件 五(三)2: 乡镇安全生产监管业务经费不低于3万元 — 2.5万元 is 5000元 short.
BUDGET = {"budget_yuan": 25000}
# 61号 五(五) (过半数, interpretation): 20 of 40 is not more than half.
VOTE = {"attendance": 40, "votes_for": 20, "as_of": "2011-01-01"}

FAILING = [
    ("headquarters.certification", HQ, "comprehensive"),
    ("agriculture.offsite_rent_subsidy", RENT, None),
    ("safety.township_budget", BUDGET, None),
    ("forestry.village_decision", VOTE, None),
]


def plain(rule_id, inputs, focus=None):
    return explain(decide(rule_id, inputs).to_dict(), focus=focus)


def test_the_chinese_explanation_is_unchanged():
    # the texts as the plain outcome gave them before the labels were marked (byte for byte)
    p = plain("headquarters.certification", HQ, "comprehensive")
    [f] = p["findings"]
    assert f["required"] == f["condition"] == "综合型：上一年度地方分成部分2500万元以上"
    assert p["text"] == (
        "申报的综合型总部：不符合认定条件，1项条件未满足；可改报一般职能型总部。 "
        "综合型：上一年度地方分成部分2500万元以上：实际为2000万元，低于要求的2500万元"
        "（昆政发〔2010〕63号 附件 第六条(三)）；可改报一般职能型总部。")
    p = plain("agriculture.offsite_rent_subsidy", RENT)
    assert [f["required"] for f in p["findings"]] == [
        "租地在滇池流域以外", "种植蔬菜或花卉", "连片面积达到5亩（以上，含5亩）"]
    assert p["findings"][2]["text"] == (
        "连片面积达到5亩（以上，含5亩）：实际为4亩，低于要求的5亩（昆政发〔2010〕59号 四(三)）；"
        "再连片租种1亩，连片面积达到5亩后即可申请")


@pytest.mark.parametrize("rule_id, inputs, focus", FAILING)
def test_english_words_each_unmet_condition_in_english(rule_id, inputs, focus):
    chinese = plain(rule_id, inputs, focus)
    with english_from_tsv():
        english = plain(rule_id, inputs, focus)
    assert english["findings"] and len(english["findings"]) == len(chinese["findings"])
    for e, c in zip(english["findings"], chinese["findings"]):
        assert CJK.search(c["required"])  # the Chinese label, so the English one is a translation
        for key in ("required", "condition"):
            assert e[key] and not CJK.search(e[key]), (key, e[key])


def test_the_english_labels_are_the_tsv_entries():
    with english_from_tsv() as table:
        hq = plain("headquarters.certification", HQ, "comprehensive")
        rent = plain("agriculture.offsite_rent_subsidy", RENT)
    assert hq["findings"][0]["required"] == table["综合型：上一年度地方分成部分2500万元以上"] == \
        "comprehensive: last year's local tax share at least 25 million yuan"
    assert rent["findings"][2]["required"] == "a contiguous area of at least 5 mu (5 mu included)"
    assert rent["findings"][2]["text"].startswith("a contiguous area of at least 5 mu (5 mu included)")


def test_an_unmarked_or_empty_label_is_shown_as_it_is():
    # a dynamic label (not in the catalogue) passes through; an empty one stays empty, never the
    # catalogue's header (gettext("") returns the .po header)
    assert "2015年目标：绿地率" not in tsv_table()
    with english_from_tsv():
        assert finding("carbon.greening_targets", {"condition": "2015年目标：绿地率"})["required"] == \
            "2015年目标：绿地率"
        assert finding("headquarters.certification", {"condition": ""})["required"] == ""
        assert finding("headquarters.certification", {})["required"] == ""


def test_amounts_in_english_are_whole_yuan():
    # 63号 附件 第六条(三): the comprehensive type's 2500万元 threshold; in English the amount is
    # written out (25,000,000 yuan), not 2500 followed by the words for 万元.
    from kmgov.rules.plain import fmt_money

    with english_from_tsv():
        assert fmt_money(25_000_000) == "25,000,000 yuan"
        assert fmt_money(500_000_000) == "500,000,000 yuan"
        assert fmt_money(3500.5) == "3,500.50 yuan"


def test_amounts_in_chinese_keep_wan_and_yi():
    from django.utils import translation

    from kmgov.rules.plain import fmt_money

    with translation.override("zh-hans"):
        assert fmt_money(25_000_000) == "2500万元"
        assert fmt_money(500_000_000) == "5亿元"
        assert fmt_money(3500.5) == "3,500.50元"
