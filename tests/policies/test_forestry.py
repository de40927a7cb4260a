"""昆政发〔2010〕61号 — expected values worked by hand."""

import pytest

from kmgov.rules import decide


def d(rule_id, **inputs):
    inputs.setdefault("as_of", "2011-03-15")
    return decide(rule_id, inputs).to_dict()


@pytest.mark.parametrize("pilot,area,total,first", [(True, 1000, 200_000, 100_000), (False, 1000, 100_000, 50_000), (False, 333, 33_300, 16_650)])
def test_subsidy(pilot, area, total, first):
    # 四(三)：试点200元/亩，正常100元/亩；设计批准后拨50%，其余验收后拨付
    r = d("forestry.transformation_subsidy", area_mu=area, pilot=pilot)
    assert (r["amount_yuan"], r["on_design_approval_yuan"], r["after_acceptance_yuan"]) == (total, first, total - first)


@pytest.mark.parametrize("kw,outcome,criteria", [
    (dict(growth_shortfall_ratio=0.30), "low_yield", ["general.growth", "economic.growth"]),   # 低30%以上 includes 30%
    (dict(growth_shortfall_ratio=0.29), "not_low_yield", []),
    (dict(canopy_density=0.29, age_class="middle"), "low_yield", ["general.canopy"]),          # 小于0.3, 中龄以上 includes middle
    (dict(canopy_density=0.30, age_class="middle"), "not_low_yield", []),                      # 0.3 is not 小于0.3
    (dict(canopy_density=0.2, age_class="young"), "not_low_yield", []),                        # young is below 中龄
    (dict(damaged_stem_ratio=0.2), "low_yield", ["general.damaged"]),                          # 20%以上
    (dict(vegetation_cover=0.39), "low_yield", ["ecological.vegetation"]),                     # 小于40%
    (dict(vegetation_cover=0.40), "not_low_yield", []),
    (dict(target_species_ratio=0.40), "low_yield", ["economic.target_species"]),               # 40%以下 includes 40%
    (dict(target_species_ratio=0.41), "not_low_yield", []),
    (dict(merchantable_ratio=0.49), "low_yield", ["economic.merchantable"]),                   # 低于50%
    (dict(merchantable_ratio=0.50), "not_low_yield", []),
    (dict(non_wood_shortfall_ratio=0.3, non_wood_shortfall_years=3), "low_yield", ["economic.non_wood_yield"]),
    (dict(non_wood_shortfall_ratio=0.3, non_wood_shortfall_years=2), "not_low_yield", []),
    (dict(age_class="overmature", protective_function_declined=True), "low_yield", ["ecological.declining"]),
    (dict(growth_shortfall_ratio=0.5, excluded_area="nature_reserve"), "excluded", ["general.growth", "economic.growth"]),
    (dict(growth_shortfall_ratio=0.5, excluded_area=True), "excluded", ["general.growth", "economic.growth"]),
])
def test_low_yield(kw, outcome, criteria):
    r = d("forestry.low_yield_classification", **kw)
    assert (r["outcome"], r["criteria_met"]) == (outcome, criteria)


def test_allowed_methods():
    # 三(三)：公益林禁止皆伐；滇池流域等只选抚育、复壮、补植、封育、改善结构
    r = d("forestry.allowed_methods", public_welfare_forest=True, method="clear_cutting")
    assert r["outcome"] == "forbidden" and "clear_cutting" not in r["allowed_methods"]
    r = d("forestry.allowed_methods", dianchi_basin=True, method="species_replacement")
    assert r["outcome"] == "forbidden"
    assert r["allowed_methods"] == ["tending", "rejuvenation", "replanting", "closure", "structure_improvement"]
    assert d("forestry.allowed_methods", method="clear_cutting")["outcome"] == "allowed"


@pytest.mark.parametrize("dbh,in_plan", [(10, False), (10.01, True), (8, False)])
def test_logging_quota(dbh, in_plan):
    # 五(七)：胸径小于10厘米（含10厘米）只纳入采伐限额
    assert d("forestry.logging_quota", dbh_cm=dbh)["in_timber_production_plan"] is in_plan


def test_pilot_and_tasks():
    assert d("forestry.pilot_requirement", pilot_area_mu=1000)["outcome"] == "compliant"  # 不得低于1000亩
    assert d("forestry.pilot_requirement", pilot_area_mu=999)["outcome"] == "non_compliant"
    r = d("forestry.county_tasks_check")
    assert (r["outcome"], r["sum_wan_mu"]) == ("consistent", 200)


def test_gazette_words_accepted():
    assert d("forestry.low_yield_classification", excluded_area="自然保护区", growth_shortfall_ratio=0.5)["outcome"] == "excluded"
    assert d("forestry.low_yield_classification", canopy_density=0.2, age_class="中龄林")["outcome"] == "low_yield"
