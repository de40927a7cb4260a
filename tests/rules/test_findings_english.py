"""English decisions say their findings in English (issue 13 item 2): for an example of every
rule that can refuse, the plain outcome (`rules.plain.explain`) rendered with English chosen
has no Chinese character in its sentence or in any finding's text — units ("5 mu", "3
people"), option values (grain), punctuation, field names in the generic advice, and labels
that hold values (第%(q)s季度…) all come from the catalogue.

Two things stay as they are written, by decision (docs/rules.md → "English"): the gazette's
own addresses — document numbers (昆政发〔2010〕63号) and node paths (附件 第六条(三), 四(二)),
which are the link texts to the Chinese gazette and are what a reader searches it by — and
what the person typed (a county's name). Both are removed before the check, nothing else.

Each example's comment works the refusal out from the gazette, provision cited."""

import re

import pytest
from tsv_english import english_from_tsv

from kmgov.rules import RULES, decide
from kmgov.rules.plain import explain

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_NUM = "一二三四五六七八九十百"
#: One gazette address: a document number, an annex, an article, an item path such as
#: 四(二), 五(三)1, 三(四)2 or 五(九)1(2), or a lone item numeral in brackets; several joined by 、.
_ONE = (rf"(?:昆政[发办]〔\d{{4}}〕\d+号|附件\d*|第[{_NUM}]+条(?:\([{_NUM}\d]+\))*"
        rf"|[{_NUM}]+(?:\([{_NUM}\d]+\))+\d*(?:\(\d+\))*|(?<=[\s(])[{_NUM}]+(?=[\s)]))")
ADDRESS = re.compile(rf"{_ONE}(?:、{_ONE})*")

#: rule → (inputs, focus). The refusal of each, worked from the gazette:
EXAMPLES = {
    # 59号 四(二): the new use must be 园林园艺、苗木、经济林木（果）、滇池湿地生态园区 or 农业休闲观光园区
    "agriculture.conversion_subsidy": ({"area_mu": 20, "from_use": "grain", "to_use": "other",
                                        "as_of": "2011-01-01"}, None),
    # 59号 四(七): only 五华、盘龙、官渡、西山、呈贡、晋宁 and the three zones share costs; 宜良县 is not one
    "agriculture.cost_share": ({"district": "宜良县", "amount_yuan": 100_000, "as_of": "2011-01-01"}, None),
    # 59号 四(五): the one-off reward starts at 1000亩; 800亩 is below it
    "agriculture.land_transfer_reward": ({"area_mu": 800, "as_of": "2011-01-01"}, None),
    # 59号 四(三): outside the basin, vegetables or flowers, 5亩 contiguous — inside, 粮食, 4亩
    "agriculture.offsite_rent_subsidy": ({"contiguous_area_mu": 4, "crop": "grain",
                                          "outside_basin": False, "as_of": "2011-01-01"}, None),
    # 59号 四(四): the subsidy is per worker trained and moved; none entered
    "agriculture.training_subsidy": ({"people": 0, "as_of": "2011-01-01"}, None),
    # 59号 四(一): no principal, so no interest subsidy
    "agriculture.loan_interest_subsidy": ({"principal_yuan": 0, "loan_rate": 0.06,
                                           "benchmark_rate": 0.0531, "years": 2,
                                           "as_of": "2011-01-01"}, None),
    # 62号 附件1 第九条: applications from 1 to 31 March; 15 April is outside
    "buildings.application_window": ({"filed_on": "2011-04-15", "as_of": "2011-04-15"}, None),
    # 62号 附件1 第二条: mixed ≥ 1万 m² in all and ≥ 5000 m² commercial; pure ≥ 4000 m² — 8000/3000
    "buildings.qualification": ({"total_floor_area_m2": 8000, "commercial_floor_area_m2": 3000,
                                 "purely_commercial": False, "in_kunming": True,
                                 "pays_tax_in_kunming": True, "as_of": "2011-01-01"}, None),
    # 62号 附件1 第二十条: 50万元 asked, the contribution grew by 20万元 (300 − 280): capped
    "buildings.reward_cap": ({"requested_reward_yuan": 500_000, "contribution_this_year_yuan": 3_000_000,
                              "contribution_last_year_yuan": 2_800_000, "as_of": "2011-03-15"}, None),
    # 62号 附件1 第二十一条: one policy only, the better of 30万 and 50万
    "buildings.best_single_policy": ({"options": [{"policy": "楼宇奖励", "amount_yuan": 300_000},
                                                  {"policy": "总部奖励", "amount_yuan": 500_000}],
                                      "as_of": "2011-03-15"}, None),
    # 62号 二(三): by 2012, 60 buildings paying over 1000万元 and 10 paying 1亿元; 1 and 1 here
    "buildings.targets_from_register": ({"period_end": 2012, "building_taxes_yuan": [20_000_000, 150_000_000],
                                         "as_of": "2012-12-31"}, None),
    # 60号 三(一): 500元 plant 1亩; the sign needs 10亩 — 3000元 plant 6亩
    "carbon.donor_sign": ({"donation_yuan": 3000, "as_of": "2011-01-01"}, None),
    # 60号 三(一)1: the city puts in at least 1000万元 a year; 800万元 in 2011
    "carbon.funding_progress": ({"year": 2011, "city_funds_yuan": 8_000_000, "as_of": "2011-12-31"}, None),
    # 60号 二(二): the built-up area's green-space rate reaches 38% by 2015; 35% reported
    "carbon.greening_targets": ({"green_space_rate": 0.35, "as_of": "2015-12-31"}, None),
    # 60号 三(二): no growth of stock entered (0 m³), so nothing absorbed
    "carbon.forest_growth": ({"volume_m3": 0, "as_of": "2011-01-01"}, None),
    # 60号 三(二): 1000 l of fuel ≈ 2.7 t CO2 → 2,700元, short of the 5,000元 sign
    "carbon.offset": ({"fuel_litres": 1000, "as_of": "2011-01-01"}, None),
    # 111号 附件 四(三): at least 5 full-time staff; 3
    "construction.supervision_check": ({"full_time_staff": 3, "as_of": "2011-01-01"}, None),
    # 61号 三(三): in the Dianchi basin, harvest and regeneration is not among the allowed methods
    "forestry.allowed_methods": ({"method": "harvest_regeneration", "dianchi_basin": True,
                                  "as_of": "2011-01-01"}, None),
    # 61号 三(一): canopy 0.6 (not < 0.3), cover 80% (not < 40%), no other criterion
    "forestry.low_yield_classification": ({"canopy_density": 0.6, "vegetation_cover": 0.8,
                                           "as_of": "2011-01-01"}, None),
    # 61号 四(二): a pilot of at least 1000亩; 800亩
    "forestry.pilot_requirement": ({"pilot_area_mu": 800, "as_of": "2010-09-01"}, None),
    # 61号 五(五) (过半数): 20 of 40 is not more than half
    "forestry.village_decision": ({"attendance": 40, "votes_for": 20, "as_of": "2011-01-01"}, None),
    # 61号 五(七): dbh 8 cm — quota only, not the timber production plan
    "forestry.logging_quota": ({"dbh_cm": 8, "as_of": "2011-01-01"}, None),
    # 61号 四(三): no area, no subsidy
    "forestry.transformation_subsidy": ({"area_mu": 0, "as_of": "2011-01-01"}, None),
    # 109号 二(四), 三(一), 三(五): a small point with none of the measures in place
    "geohazards.point_requirements": ({"scale": "small", "as_of": "2011-01-01"}, None),
    # 109号 三(四) (interpretation: 2 hours to the county): reported after 5
    "geohazards.quick_report_timeliness": ({"level": "county", "hours_elapsed": 5, "as_of": "2011-01-01"}, None),
    # 63号 附件 第十一条: applications from 1 to 31 March; 15 April is outside
    "headquarters.application_window": ({"filed_on": "2011-04-15", "as_of": "2011-04-15"}, None),
    # 63号 附件 第六条(三): the comprehensive type needs 2500万元 of last year's local share; 2000万元
    "headquarters.certification": ({"registered_in_kunming": True, "pays_tax_in_kunming": True,
                                    "fits_industrial_policy": True, "clean_record": True,
                                    "revenue_share_from_subsidiaries": 0.5, "subsidiaries": 5,
                                    "capital_or_net_assets_yuan": 150_000_000,
                                    "revenue_last_year_yuan": 600_000_000,
                                    "local_tax_share_by_year_yuan": {"2025": 20_000_000},
                                    "years_operating_in_kunming": 5, "as_of": "2026-03-10"},
                                   "comprehensive"),
    # 116号 三(一): neither a 123 line nor a single service number: the third kind of platform
    "hotline.platform_type": ({"has_123_line": False, "has_unified_service": False,
                               "as_of": "2011-01-01"}, None),
    # 116号 三(四)3 and 三(二): a complaint out of hours goes to 12345, recorded
    "hotline.route": ({"request_type": "complaint", "working_hours": False, "as_of": "2011-01-01"}, None),
    # 108号 附件 三(二)4: rewards up to 600万元 in all; 700万元
    "mediation.budget_check": ({"total_rewards_yuan": 7_000_000, "as_of": "2010-12-01"}, None),
    # 108号 附件 三: the trial runs May to December 2010; 1 July 2011 is outside
    "mediation.phase": ({"on": "2011-07-01", "as_of": "2011-07-01"}, None),
    # 108号 附件 三(二)2: no dispute entered, no reward
    "mediation.reward": ({"as_of": "2010-07-01"}, None),
    # 108号 附件 三(二)4: 1,400元 shared half and half
    "mediation.reward_split": ({"amount_yuan": 1400, "as_of": "2010-07-01"}, None),
    # 106号 附件 第九条: an answer within 15 days of 1 July; none by 1 August
    "safety.admonition_answer_deadline": ({"issued_on": "2010-07-01", "today": "2010-08-01",
                                           "as_of": "2010-08-01"}, None),
    # 107号 附件 五(九)1(2): a government holds at least 1 drill a year; none
    "safety.drills": ({"level": "government", "drills_per_year": 0, "as_of": "2011-01-01"}, None),
    # 107号 附件 五(一)4: 2 executive meetings a year and a safety meeting each quarter; 1, and none in Q2
    "safety.meetings": ({"executive_meetings_per_year": 1, "safety_meetings_by_quarter": [1, 0, 1, 1],
                         "as_of": "2011-01-01"}, None),
    # 107号 附件 五(三)1: a mine of 150 (≥ 100) needs a department of at least 3; none, 2 staff
    "safety.staffing_requirement": ({"industry": "mine", "employees": 150, "has_safety_department": False,
                                     "safety_staff": 2, "as_of": "2011-06-01"}, None),
    # 107号 附件 五(三)2: at least 3万元; 2.5万元
    "safety.township_budget": ({"budget_yuan": 25_000, "as_of": "2011-01-01"}, None),
    # 106号 附件 第六条(二): 2 general accidents within a month → admonition
    "safety.warning_ladder": ({"general_accidents_within_month": 2, "as_of": "2011-06-01"}, None),
}


def _typed(value) -> list[str]:
    """The Chinese texts the person typed, at any depth (a policy's name in a list of options)."""
    if isinstance(value, str):
        return [value] if CJK.search(value) else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [t for v in value for t in _typed(v)]
    return []


def _residue(text: str, inputs: dict) -> str:
    for v in _typed(inputs):
        text = text.replace(v, "")
    return ADDRESS.sub("", text)


def test_every_rule_that_can_refuse_has_an_example():
    assert {r.id for r in RULES.values() if r.refusals} <= set(EXAMPLES)


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_an_english_decision_has_no_chinese_outside_gazette_addresses(rule_id):
    inputs, focus = EXAMPLES[rule_id]
    decision = decide(rule_id, inputs).to_dict()
    chinese = explain(decision, focus=focus)
    with english_from_tsv():
        english = explain(decision, focus=focus)
    assert CJK.search(chinese["sentence"])  # a Chinese sentence, so the English is a translation
    texts = [english["sentence"]] + [f["text"] for f in english["findings"]]
    for text in texts:
        left = _residue(text, inputs)
        assert not CJK.search(left), f"{rule_id}: {text!r} → {CJK.findall(left)}"
    assert len(english["findings"]) == len(chinese["findings"])


def test_units_counted_and_spaced_in_english():
    # 107号 附件 五(三)1: 2 staff against the 3 a mine of 150 needs (a count: "2 people");
    # 59号 四(三): 4亩 against 5亩 (a unit: "4 mu", spaced, never "4mu")
    with english_from_tsv():
        staff = explain(decide("safety.staffing_requirement",
                               EXAMPLES["safety.staffing_requirement"][0]).to_dict())
        rent = explain(decide("agriculture.offsite_rent_subsidy",
                              EXAMPLES["agriculture.offsite_rent_subsidy"][0]).to_dict())
    from kmgov.rules.plain import fmt_value

    with english_from_tsv():
        assert fmt_value(1, "person") == "1 person"
        assert fmt_value(12, "person") == "12 people"
        assert fmt_value(4, "mu") == "4 mu"
        assert fmt_value(2.5, "10k mu") == "25,000 mu"  # no 万 in English: the whole area
    assert "found 4 mu, below the required 5 mu" in rent["findings"][-1]["text"]
    assert any("people" in f["text"] or "person" in f["text"] for f in staff["findings"]) or \
        "people" in staff["sentence"] or "officers" in staff["sentence"]


def test_the_chinese_wording_is_unchanged_by_the_catalogue():
    # the same separators and units as before the change (59号 四(三), 63号 附件 第六条(三))
    p = explain(decide("agriculture.offsite_rent_subsidy",
                       EXAMPLES["agriculture.offsite_rent_subsidy"][0]).to_dict())
    assert p["findings"][2]["text"] == (
        "连片面积达到5亩（以上，含5亩）：实际为4亩，低于要求的5亩（昆政发〔2010〕59号 四(三)）；"
        "再连片租种1亩，连片面积达到5亩后即可申请")
    from kmgov.rules.plain import fmt_value

    assert fmt_value(2.5, "10k mu") == "2.5万亩"
    assert fmt_value(3, "person") == "3人"
    assert fmt_value(["a", "b"]) == "a、b"


def test_a_kept_decisions_unmet_text_is_the_findings_wording():
    # procedures.decisions words an unmet condition of a kept record as rules.plain.finding
    # does (without the citation, shown beside it): 59号 四(三), 4亩 against 5亩
    from kmgov.procedures.decisions import _unmet_text

    unmet = decide("agriculture.offsite_rent_subsidy",
                   EXAMPLES["agriculture.offsite_rent_subsidy"][0]).to_dict()["unmet"][-1]
    assert _unmet_text("agriculture.offsite_rent_subsidy", unmet) == \
        "连片面积达到5亩（以上，含5亩）：实际为4亩，低于要求的5亩"
    with english_from_tsv():
        assert _unmet_text("agriculture.offsite_rent_subsidy", unmet) == \
            "a contiguous area of at least 5 mu (5 mu included): found 4 mu, below the required 5 mu"
