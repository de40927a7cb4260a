"""昆政发〔2010〕60号 — expected values worked by hand."""

import pytest

from kmgov.rules import RuleInputError, decide


def d(rule_id, **inputs):
    inputs.setdefault("as_of", "2011-03-15")
    return decide(rule_id, inputs).to_dict()


def test_fuel():
    # 三(二)：100升 × 2.7公斤 = 270公斤 = 0.27吨；÷0.5吨/亩/年 = 0.54亩·年；× 1000元/吨 = 270元
    r = d("carbon.offset", fuel_litres=100)
    assert r["co2_tonnes"] == pytest.approx(0.27)
    assert r["mu_years"] == pytest.approx(0.54)
    assert r["cost_yuan"] == pytest.approx(270)
    assert r["trees"] is None and r["sign_eligible"] is False


def test_tonnes_and_donation():
    r = d("carbon.offset", co2_tonnes=5)
    assert (r["mu_years"], r["cost_yuan"], r["area_mu"]) == (10, 5000, 10)
    assert r["sign_eligible"] is True  # 10亩及以上
    r = d("carbon.offset", donation_yuan=4999)
    assert r["co2_tonnes"] == pytest.approx(4.999) and r["sign_eligible"] is False


def test_km_trees():
    # 三(一)4：出游10公里，请种1棵树；不足10公里的部分也种1棵（interpretation carbon.trees_rounding）
    assert d("carbon.offset", km_travelled=100)["trees"] == 10
    assert d("carbon.offset", km_travelled=101)["trees"] == 11
    assert d("carbon.offset", km_travelled=0)["trees"] == 0


def test_exactly_one_source():
    with pytest.raises(RuleInputError) as e:
        d("carbon.offset", fuel_litres=1, km_travelled=1)
    assert "exactly one" in str(e.value)
    with pytest.raises(RuleInputError):
        d("carbon.offset")


@pytest.mark.parametrize("money,outcome", [(5000, "eligible"), (4999.99, "ineligible"), (20000, "eligible")])
def test_donor_sign(money, outcome):
    # 三(一)：捐资达到营建10亩及以上（500元/亩 → 5000元）
    assert d("carbon.donor_sign", donation_yuan=money)["outcome"] == outcome


def test_forest_growth():
    r = d("carbon.forest_growth", volume_m3=10)  # 一(一)：1.83 / 1.62 吨每立方米
    assert (r["co2_tonnes"], r["o2_tonnes"]) == (18.3, 16.2)


def test_greening_targets():
    r = d("carbon.greening_targets", forest_cover_rate=0.47, tree_cover_rate=0.5699)
    assert r["met"] == ["forest_cover_rate"] and r["not_met"] == ["tree_cover_rate"]


def test_funding_progress():
    # 三(一)1：2010—2012年每年1000万元
    assert d("carbon.funding_progress", year=2011, city_funds_yuan=10_000_000)["outcome"] == "met"
    assert d("carbon.funding_progress", year=2012, city_funds_yuan=9_999_999)["outcome"] == "not_met"
    assert d("carbon.funding_progress", year=2013, city_funds_yuan=0)["outcome"] == "not_applicable"
