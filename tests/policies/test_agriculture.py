"""昆政发〔2010〕59号 — expected values worked by hand from the gazette."""

import pytest

from kmgov.rules import RuleInputError, decide


def d(rule_id, **inputs):
    inputs.setdefault("as_of", "2011-03-15")
    return decide(rule_id, inputs).to_dict()


# 59号 四(二)：每亩一次性给予补助1000元
@pytest.mark.parametrize("from_use,to_use,amount,outcome", [
    ("grain", "horticulture", 12.5 * 1000, "eligible"),
    ("vegetable", "nursery", 12.5 * 1000, "eligible"),
    ("flower", "economic_forest", 12.5 * 1000, "eligible"),
    ("花卉", "滇池湿地生态园区", 12.5 * 1000, "eligible"),  # the gazette's own words are accepted
    ("vegetable", "leisure_farming", 12.5 * 1000, "eligible"),
    ("other", "nursery", 0, "ineligible"),  # e.g. 烤烟: not among 粮食、蔬菜、花卉
    ("grain", "other", 0, "ineligible"),
])
def test_conversion_subsidy(from_use, to_use, amount, outcome):
    r = d("agriculture.conversion_subsidy", area_mu=12.5, from_use=from_use, to_use=to_use)
    assert (r["outcome"], r["amount_yuan"]) == (outcome, amount)


# 59号 四(三)：连片5亩以上（以上含5亩），每亩500元/年，连续补助3年
@pytest.mark.parametrize("area,crop,outside,years,amount,outcome", [
    (5, "vegetable", True, 3, 5 * 500 * 3, "eligible"),      # 5亩 itself: 以上 includes
    (4.99, "vegetable", True, 3, 0, "ineligible"),
    (20, "flower", True, 5, 20 * 500 * 3, "eligible"),       # at most 3 years
    (20, "flower", True, 1, 20 * 500, "eligible"),
    (20, "grain", True, 3, 0, "ineligible"),                 # only 蔬菜、花卉
    (20, "vegetable", False, 3, 0, "ineligible"),            # 滇池流域以外
])
def test_offsite_rent(area, crop, outside, years, amount, outcome):
    r = d("agriculture.offsite_rent_subsidy", contiguous_area_mu=area, crop=crop, outside_basin=outside, years=years)
    assert r["outcome"] == outcome
    assert r["amount_yuan"] == pytest.approx(amount)


def test_offsite_refusal_names_threshold():
    r = d("agriculture.offsite_rent_subsidy", contiguous_area_mu=4, crop="flower", outside_basin=True)
    (u,) = r["unmet"]
    assert (u["field"], u["threshold"], u["comparison"], u["word"]) == ("contiguous_area_mu", 5, ">=", "以上")
    assert "59号 四(三)" in u["reference"]


# 59号 四(四)：800元/人
def test_training_subsidy():
    assert d("agriculture.training_subsidy", people=30000)["amount_yuan"] == 24_000_000
    assert d("agriculture.training_subsidy", people=0)["outcome"] == "ineligible"


# 59号 四(五)：1000—2000亩100元/亩；2000—3000亩150元/亩；3000亩以上200元/亩
# shared boundaries go to the higher tier (interpretation agriculture.land_transfer_shared_boundary)
@pytest.mark.parametrize("area,amount", [
    (0, 0), (999.9, 0),               # below 1000: nothing said → 0 (interpretation)
    (1000, 1000 * 100),               # 1000 is in the first tier
    (1999.5, 1999.5 * 100),
    (2000, 2000 * 150),               # shared boundary → higher tier
    (2999, 2999 * 150),
    (3000, 3000 * 200),               # 3000亩以上 includes 3000
    (10000, 10000 * 200),
])
def test_land_transfer_reward(area, amount):
    r = d("agriculture.land_transfer_reward", area_mu=area)
    assert r["amount_yuan"] == pytest.approx(amount)
    assert r["outcome"] == ("eligible" if amount else "ineligible")
    assert any(i["name"] == "agriculture.land_transfer_shared_boundary" for i in r["interpretations"])


def test_land_transfer_what_if_lower_boundary():
    r = decide("agriculture.land_transfer_reward", {"area_mu": 2000, "as_of": "2011-01-01"},
               overrides={"agriculture.land_transfer_shared_boundary": "lower"}).to_dict()
    assert r["amount_yuan"] == 2000 * 100
    r = decide("agriculture.land_transfer_reward", {"area_mu": 2500, "as_of": "2011-01-01"},
               overrides={"agriculture.land_transfer_reward[1].amount": 160}).to_dict()
    assert r["amount_yuan"] == 2500 * 160


# 59号 四(七)：市:县 2:8（五华、盘龙、官渡、西山、呈贡、三个开发（度假）区）；晋宁 7:3；盘龙区滇源镇、阿子营镇 8:2
@pytest.mark.parametrize("district,township,city,county", [
    ("五华区", None, 200_000, 800_000),
    ("盘龙区", None, 200_000, 800_000),
    ("官渡区", None, 200_000, 800_000),
    ("西山区", None, 200_000, 800_000),
    ("呈贡县", None, 200_000, 800_000),
    ("经开区", None, 200_000, 800_000),
    ("高新区", None, 200_000, 800_000),
    ("度假区", None, 200_000, 800_000),
    ("晋宁县", None, 700_000, 300_000),
    ("盘龙区", "滇源镇", 800_000, 200_000),   # township overrides its district
    ("盘龙区", "阿子营镇", 800_000, 200_000),
    ("盘龙区", "松华坝", 200_000, 800_000),   # other townships: the district's ratio
    ("晋宁", None, 700_000, 300_000),         # short name accepted
    ("滇源镇", None, 800_000, 200_000),       # the township written where the district goes
])
def test_cost_share(district, township, city, county):
    r = d("agriculture.cost_share", district=district, township=township, amount_yuan=1_000_000)
    assert (r["outcome"], r["city_yuan"], r["county_yuan"]) == ("covered", city, county)


def test_cost_share_outside_basin():
    r = d("agriculture.cost_share", district="宜良县", amount_yuan=100)
    assert r["outcome"] == "not_covered" and r["city_yuan"] == 0 and r["unmet"][0]["field"] == "district"


# 59号 四(一)：贴息期限3年，贴息率不高于同期基准利率
def test_loan_interest():
    r = d("agriculture.loan_interest_subsidy", principal_yuan=1_000_000, loan_rate=0.0600, benchmark_rate=0.0531, years=5)
    assert r["amount_yuan"] == pytest.approx(1_000_000 * 0.0531 * 3)
    r = d("agriculture.loan_interest_subsidy", principal_yuan=1_000_000, loan_rate=0.05, benchmark_rate=0.0531, years=2)
    assert r["amount_yuan"] == pytest.approx(1_000_000 * 0.05 * 2)


# AG-1 / AG-9: 附件1 totals and 附件2 recomputed; SPEC §13 inconsistencies reported
def test_annex_check_reproduces_annexes_and_reports_inconsistencies():
    r = d("agriculture.annex_check")
    a1 = r["annex1_recomputed"]["total"]
    # 附件1 合计: 342473.6 / 18579.5 / 82237 / 165028.1 / 76629
    assert a1["farmland_mu"] == 342473.6
    assert [a1[y] for y in (2010, 2011, 2012, 2013)] == [18579.5, 82237, 165028.1, 76629]
    a2 = r["annex2_recomputed"]
    # 附件2: 1.9/8.2/16.5/7.7 万亩; 1900/8200/16500/7700 + 800/2400/2400/2400 = 2700/10600/18900/10100; 合计 42300
    assert [a2[y]["area_wan_mu"] for y in (2010, 2011, 2012, 2013)] == [1.9, 8.2, 16.5, 7.7]
    assert [a2[y]["total_wan_yuan"] for y in (2010, 2011, 2012, 2013)] == [2700, 10600, 18900, 10100]
    assert a2["total"]["total_wan_yuan"] == 42300 and a2["total"]["area_wan_mu"] == 34.3
    kinds = {i.get("kind") for i in r["inconsistencies"]}
    assert {"yearly_percentages", "area_rounding", "total_area"} <= kinds
    pct = next(i for i in r["inconsistencies"] if i.get("kind") == "yearly_percentages")
    assert pct["printed"] == [0.1, 0.2, 0.4, 0.3] and pct["recomputed"] == [0.054, 0.24, 0.482, 0.224]
    y2013 = next(i for i in r["inconsistencies"] if i["where"] == "附件2 2013 结构调整补助资金")
    assert (y2013["printed"], y2013["recomputed"]) == (7700, 7662.9)
    assert r["outcome"] == "inconsistent"
    # no printed total disagrees with its own rows
    assert not [i for i in r["inconsistencies"] if i["where"].startswith("附件1")]


def test_validation_names_the_field():
    with pytest.raises(RuleInputError) as e:
        decide("agriculture.land_transfer_reward", {"area_mu": -1})
    assert e.value.errors()[0]["field"] == "area_mu"
    with pytest.raises(RuleInputError) as e:
        decide("agriculture.conversion_subsidy", {"area_mu": 1, "from_use": "grain"})
    assert e.value.errors()[0]["field"] == "to_use"
    with pytest.raises(RuleInputError) as e:
        decide("agriculture.land_transfer_reward", {"area_mu": "lots"})
    assert e.value.errors()[0]["field"] == "area_mu"
    with pytest.raises(RuleInputError) as e:
        decide("agriculture.land_transfer_reward", {"area_mu": 1, "as_of": "2009-01-01"})
    assert e.value.errors()[0]["field"] == "as_of"  # before 59号 took effect


def test_annex1_and_annex2_checks_separately():
    a1 = d("agriculture.annex1_check")
    assert a1["annex1_recomputed"]["total"]["farmland_mu"] == 342473.6
    assert {i.get("kind") for i in a1["inconsistencies"]} == {"yearly_percentages", "total_area"}
    a2 = d("agriculture.annex2_check")
    assert a2["annex2_recomputed"]["total"]["total_wan_yuan"] == 42300
    assert any(i["where"] == "附件2 2013 结构调整补助资金" and i["recomputed"] == 7662.9 for i in a2["inconsistencies"])
