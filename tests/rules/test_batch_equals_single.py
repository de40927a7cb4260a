"""One rule, two evaluation modes: the batch result equals the one-case result on every row."""

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kmgov.policies.headquarters.rules import CATEGORIES
from kmgov.rules import decide, run_batch

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
money = st.one_of(st.integers(0, 3_000_000_000).map(float), st.sampled_from([0.0, 1.5e6, 1.8e6, 2.5e6, 1e7, 2.5e7, 1e8, 5e8, 1e9]))
area = st.one_of(st.floats(0, 10_000, allow_nan=False), st.sampled_from([0.0, 5.0, 999.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0, 10000.0]))


def _rows(draw_rows):
    cols = {}
    for row in draw_rows:
        for k, v in row.items():
            cols.setdefault(k, []).append(v)
    return cols


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and (b is None or (isinstance(b, float) and np.isnan(b)))
        return abs(a - b) <= 1e-6 * max(1.0, abs(a))
    return a == b


def check(rule_id, rows, outputs, lists=None):
    res = run_batch(rule_id, _rows(rows))
    for i, row in enumerate(rows):
        one = decide(rule_id, row).to_dict()
        for k in outputs:
            v = res[k][i]
            v = v.item() if hasattr(v, "item") else v
            assert _same(one[k], v), (rule_id, row, k, one[k], v)
        for name, cats in (lists or {}).items():
            assert one[name] == [c for c in cats if res[f"{name}.{c}"][i]], (row, one[name])


hq_row = st.fixed_dictionaries({
    "registered_in_kunming": st.booleans(), "pays_tax_in_kunming": st.booleans(), "fits_industrial_policy": st.booleans(),
    "clean_record": st.booleans(), "revenue_share_from_subsidiaries": st.sampled_from([0.0, 0.29, 0.3, 0.31, 1.0]),
    "subsidiaries": st.integers(0, 6), "capital_or_net_assets_yuan": money, "revenue_last_year_yuan": money,
    "local_tax_share_by_year_yuan": st.dictionaries(st.integers(2005, 2012), st.sampled_from([0.0, 1.4e6, 1.5e6, 1.8e6, 2.2e6, 2.7e6, 3e6, 4e6, 1e7, 2.5e7]), max_size=6),
    "years_operating_in_kunming": st.sampled_from([0, 2.9, 3, 10]),
    "as_of": st.dates(dt.date(2010, 7, 1), dt.date(2013, 12, 31)),
    "modern_services_field": st.booleans(), "main_business_trade_circulation": st.booleans(),
    "mofcom_recognised_investment_company": st.booleans(), "financial_institution": st.booleans(),
    "high_tech_certified": st.booleans(), "high_tech_output_yuan": money, "key_logistics_enterprise": st.booleans(),
    "qualified_cultural_enterprise": st.booleans(), "traditional_advantage_industry": st.booleans(),
})


@SETTINGS
@given(st.lists(hq_row, min_size=1, max_size=8))
def test_headquarters(rows):
    check("headquarters.certification", rows, ["outcome"], {"qualifies_for": CATEGORIES})


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"area_mu": area, "as_of": st.just(dt.date(2011, 1, 1))}), min_size=1, max_size=10))
def test_land_transfer(rows):
    check("agriculture.land_transfer_reward", rows, ["outcome", "amount_yuan", "rate_yuan_per_mu", "tier"])


districts = st.sampled_from(["五华区", "盘龙区", "官渡区", "西山区", "呈贡县", "晋宁县", "晋宁", "经开区", "高新区", "度假区", "宜良县", "东川区"])


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"district": districts, "township": st.sampled_from([None, "滇源镇", "阿子营镇", "松华坝"]),
                                        "amount_yuan": st.floats(0, 1e9, allow_nan=False)}), min_size=1, max_size=10))
def test_cost_share(rows):
    check("agriculture.cost_share", [dict(r, as_of=dt.date(2011, 1, 1)) for r in rows], ["outcome", "city_yuan", "county_yuan"])


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"area_mu": area, "from_use": st.sampled_from(["grain", "vegetable", "flower", "other"]),
                                        "to_use": st.sampled_from(["nursery", "wetland_park", "other"]),
                                        "in_dianchi_basin": st.booleans()}), min_size=1, max_size=10))
def test_conversion(rows):
    check("agriculture.conversion_subsidy", [dict(r, as_of=dt.date(2011, 1, 1)) for r in rows], ["outcome", "amount_yuan"])


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"contiguous_area_mu": area, "crop": st.sampled_from(["vegetable", "flower", "grain"]),
                                        "outside_basin": st.booleans(), "years": st.integers(0, 6)}), min_size=1, max_size=10))
def test_offsite(rows):
    check("agriculture.offsite_rent_subsidy", [dict(r, as_of=dt.date(2011, 1, 1)) for r in rows], ["outcome", "amount_yuan", "years_subsidised"])


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"area_mu": area, "pilot": st.booleans()}), min_size=1, max_size=10))
def test_forestry_subsidy(rows):
    check("forestry.transformation_subsidy", [dict(r, as_of=dt.date(2011, 1, 1)) for r in rows],
          ["amount_yuan", "on_design_approval_yuan", "after_acceptance_yuan"])


ratio = st.sampled_from([0.0, 0.19, 0.2, 0.29, 0.3, 0.39, 0.4, 0.41, 0.49, 0.5, 0.9])


@SETTINGS
@given(st.lists(st.fixed_dictionaries({
    "growth_shortfall_ratio": ratio, "canopy_density": ratio, "age_class": st.sampled_from(["young", "middle", "mature", "overmature", "unknown"]),
    "damaged_stem_ratio": ratio, "vegetation_cover": ratio, "target_species_ratio": ratio, "merchantable_ratio": ratio,
    "non_wood_shortfall_ratio": ratio, "non_wood_shortfall_years": st.integers(0, 4), "protective_function_declined": st.booleans(),
    "excluded_area": st.sampled_from(["none", "nature_reserve", "disputed_ownership"]),
}), min_size=1, max_size=10))
def test_low_yield(rows):
    from kmgov.rules import get_rule

    cats = get_rule("forestry.low_yield_classification").list_outputs["criteria_met"]
    check("forestry.low_yield_classification", [dict(r, as_of=dt.date(2011, 1, 1)) for r in rows], ["outcome"], {"criteria_met": cats})


@SETTINGS
@given(st.lists(st.one_of(
    st.fixed_dictionaries({"fuel_litres": st.floats(0, 1e5, allow_nan=False)}),
    st.fixed_dictionaries({"km_travelled": st.floats(0, 1e5, allow_nan=False)}),
    st.fixed_dictionaries({"co2_tonnes": st.floats(0, 1e3, allow_nan=False)}),
    st.fixed_dictionaries({"donation_yuan": st.floats(0, 1e6, allow_nan=False)}),
), min_size=1, max_size=8))
def test_carbon_offset(rows):
    # a batch table has every column; a row gives one of them
    full = [{k: r.get(k) for k in ("fuel_litres", "km_travelled", "co2_tonnes", "donation_yuan")} for r in rows]
    res = run_batch("carbon.offset", {k: [np.nan if r[k] is None else r[k] for r in full] for k in full[0]},
                    at=dt.date(2011, 1, 1))
    for i, r in enumerate(rows):
        one = decide("carbon.offset", dict(r, as_of="2011-01-01")).to_dict()
        for k in ("co2_tonnes", "mu_years", "trees", "cost_yuan", "sign_eligible"):
            v = res[k][i].item()
            assert _same(one[k], v), (r, k, one[k], v)


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"industry": st.sampled_from(["mine", "construction", "hazardous_goods", "other"]),
                                        "employees": st.sampled_from([0, 1, 99, 100, 101, 299, 300, 301, 5000])}), min_size=1, max_size=10))
def test_staffing(rows):
    check("safety.staffing_requirement", [dict(r, as_of=dt.date(2011, 1, 1)) for r in rows], ["requirement", "min_staff"])


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"ordinary": st.integers(0, 1000), "difficult": st.integers(0, 100), "major": st.integers(0, 50)}),
                min_size=1, max_size=10))
def test_mediation(rows):
    check("mediation.reward", [dict(r, as_of=dt.date(2010, 7, 1)) for r in rows], ["amount_yuan"])


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"total_floor_area_m2": area, "commercial_floor_area_m2": area, "purely_commercial": st.booleans(),
                                        "in_kunming": st.booleans(), "pays_tax_in_kunming": st.booleans(), "clean_record": st.booleans()}),
                min_size=1, max_size=10))
def test_buildings(rows):
    check("buildings.qualification", [dict(r, as_of=dt.date(2011, 1, 1)) for r in rows], ["outcome", "route"])


flags = st.booleans()


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"larger_accidents": st.integers(0, 2), "general_accidents_within_month": st.integers(0, 3),
                                        "criticisms_within_year": st.integers(0, 3), "zero_report_inadequate": flags,
                                        "leader_dual_post_not_performed": flags, "gaps_remain": flags, "admonished_before": flags,
                                        "needs_principal_leader": flags}), min_size=1, max_size=10))
def test_warning_ladder(rows):
    from kmgov.policies.safety.rules import ACTIONS

    check("safety.warning_ladder", [dict(r, as_of=dt.date(2011, 1, 1)) for r in rows], [], {"actions": ACTIONS})


def test_what_if_applies_to_batch_and_single_alike():
    rows = [{"area_mu": a, "as_of": dt.date(2011, 1, 1)} for a in (500, 1500, 2000, 2500, 3000)]
    over = {"agriculture.land_transfer_reward[1].amount": 160, "agriculture.land_transfer_shared_boundary": "lower"}
    res = run_batch("agriculture.land_transfer_reward", _rows(rows), overrides=over)
    for i, r in enumerate(rows):
        assert decide("agriculture.land_transfer_reward", r, overrides=over).to_dict()["amount_yuan"] == res["amount_yuan"][i]
    assert list(res["amount_yuan"]) == [0, 150_000, 200_000, 400_000, 480_000]


def test_headquarters_wide_columns():
    # the CSV form: one column per year (local_tax_share_by_year_yuan.2010 …)
    res = run_batch("headquarters.certification", {
        "registered_in_kunming": [True], "pays_tax_in_kunming": [True], "fits_industrial_policy": [True], "clean_record": [True],
        "revenue_share_from_subsidiaries": [0.5], "subsidiaries": [1], "capital_or_net_assets_yuan": [1e6],
        "revenue_last_year_yuan": [6e7], "years_operating_in_kunming": [5], "financial_institution": [True],
        "as_of": ["2011-03-15"],
        "local_tax_share_by_year_yuan": {2010: [2.6e6], 2009: [2.1e6], 2008: [1.7e6], 2007: [1.4e6]},
    })
    assert res["qualifies_for.growth.finance"][0] and res["outcome"][0] == "eligible"
