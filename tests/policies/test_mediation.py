"""昆政办〔2010〕108号 附件 — expected values worked by hand."""

from kmgov.rules import decide


def d(rule_id, **inputs):
    inputs.setdefault("as_of", "2010-07-01")
    return decide(rule_id, inputs).to_dict()


def test_reward():
    # 三(二)3：普通100、疑难300、重大500元/件 → 10×100 + 3×300 + 2×500 = 2900
    r = d("mediation.reward", ordinary=10, difficult=3, major=2)
    assert r["amount_yuan"] == 2900 and r["rate_source"] == "reference"
    r = d("mediation.reward", ordinary=1, county="寻甸县")  # no county rates recorded → reference rates
    assert r["amount_yuan"] == 100


def test_county_rates_override():
    r = decide("mediation.reward", {"ordinary": 2, "major": 1, "county": "五华区", "as_of": "2010-07-01"},
               overrides={"mediation.county_rates": [["五华区", 150, 400, 800]]}).to_dict()
    assert r["amount_yuan"] == 2 * 150 + 800 and r["rate_source"] == "county:五华区"


def test_committee_reward_has_no_amount():
    r = d("mediation.reward", no_criminal_case=True, no_collective_petition=True, disputes_down_on_year=True)
    assert r["committee_reward_eligible"] is True and r["committee_reward_yuan"] is None
    assert any(i["name"] == "mediation.committee_reward_amount" for i in r["interpretations"])


def test_budget():
    # 三(二)4：总额600万元，市级300万元
    assert d("mediation.budget_check", total_rewards_yuan=6_000_000, city_funds_yuan=3_000_000)["outcome"] == "within_budget"
    assert d("mediation.budget_check", total_rewards_yuan=6_000_001)["outcome"] == "over_budget"


def test_phase():
    assert d("mediation.phase", on="2010-05-31")["phase"] == "mobilisation"
    assert d("mediation.phase", on="2010-11-30")["phase"] == "implementation"
    assert d("mediation.phase", on="2010-12-31")["phase"] == "assessment"
