"""昆政发〔2010〕62号 附件1/附件2 — expected values worked by hand."""

import pytest

from kmgov.rules import decide


def d(rule_id, **inputs):
    inputs.setdefault("as_of", "2011-03-15")
    return decide(rule_id, inputs).to_dict()


OK = dict(in_kunming=True, pays_tax_in_kunming=True, clean_record=True)


# 附件1 第二条：总建筑面积1万平方米及以上且商务建筑面积5000平方米及以上；或纯商务楼宇商务建筑面积4000平方米及以上
@pytest.mark.parametrize("total,commercial,pure,outcome", [
    (10000, 5000, False, "eligible"),       # both at threshold: 及以上 includes
    (9999.99, 5000, False, "ineligible"),
    (10000, 4999.99, False, "ineligible"),
    (4000, 4000, True, "eligible"),         # purely commercial at 4000
    (4000, 3999.9, True, "ineligible"),
    (30000, 4500, False, "ineligible"),     # big but too little commercial area, not purely commercial
    (30000, 4500, True, "eligible"),        # … unless purely commercial
])
def test_qualification(total, commercial, pure, outcome):
    r = d("buildings.qualification", total_floor_area_m2=total, commercial_floor_area_m2=commercial, purely_commercial=pure, **OK)
    assert r["outcome"] == outcome


@pytest.mark.parametrize("flag", ["in_kunming", "pays_tax_in_kunming", "clean_record"])
def test_qualification_needs_place_tax_and_record(flag):
    r = d("buildings.qualification", total_floor_area_m2=20000, commercial_floor_area_m2=8000, **{**OK, flag: False})
    assert r["outcome"] == "ineligible" and any(u["field"] == flag for u in r["unmet"])


def test_refusal_lists_area_thresholds():
    r = d("buildings.qualification", total_floor_area_m2=9000, commercial_floor_area_m2=3000, **OK)
    thresholds = {(u["field"], u["threshold"]) for u in r["unmet"] if "threshold" in u}
    assert {("total_floor_area_m2", 10000), ("commercial_floor_area_m2", 5000), ("commercial_floor_area_m2", 4000)} <= thresholds


# 附件1 第二十条（BE-6）：以当年对县区财力贡献的同比增量为限
def test_reward_cap():
    r = d("buildings.reward_cap", requested_reward_yuan=800_000, contribution_this_year_yuan=5_500_000, contribution_last_year_yuan=5_000_000)
    assert (r["amount_yuan"], r["cap_yuan"], r["capped"]) == (500_000, 500_000, True)
    r = d("buildings.reward_cap", requested_reward_yuan=300_000, contribution_this_year_yuan=5_500_000, contribution_last_year_yuan=5_000_000)
    assert (r["amount_yuan"], r["capped"]) == (300_000, False)
    r = d("buildings.reward_cap", requested_reward_yuan=300_000, contribution_this_year_yuan=4_000_000, contribution_last_year_yuan=5_000_000)
    assert r["amount_yuan"] == 0  # contribution fell: no increase, no reward
    r = d("buildings.reward_cap", requested_reward_yuan=300_000, contribution_this_year_yuan=0, contribution_last_year_yuan=0,
          new_or_fast_growing=True)
    assert r["relaxable"] is True and r["amount_yuan"] == 0  # relaxation is the county's call (interpretation)


# 附件1 第二十一条：只能择优享受一项
def test_best_single_policy():
    r = d("buildings.best_single_policy", options=[{"policy": "楼宇租金补贴", "amount_yuan": 200_000},
                                                   {"policy": "总部企业奖励", "amount_yuan": 350_000},
                                                   {"policy": "服务外包资金", "amount_yuan": 100_000}])
    assert (r["chosen_policy"], r["amount_yuan"]) == ("总部企业奖励", 350_000)
    assert r["forgone"] == ["楼宇租金补贴", "服务外包资金"]


# 附件2：发展基础子系统称12项只列11项；指标11单位 人/平方米（SPEC §13）
def test_index_check_reports_section13():
    r = d("buildings.index_check")
    kinds = {(i.get("kind"), i["printed"], i["recomputed"]) for i in r["inconsistencies"]}
    assert ("indicator_count", 12, 11) in kinds
    assert ("unit", "人/平方米", "平方米/人") in kinds
    assert len(r["inconsistencies"]) == 2  # 47 and 14 are right


def test_application_window():
    assert d("buildings.application_window", filed_on="2012-02-29")["outcome"] == "closed"
    assert d("buildings.application_window", filed_on="2012-03-01")["outcome"] == "open"


def test_development_targets():
    # 二(三)：2012年 60栋 / 10栋 / 5个聚集区 / 35%以上 / 90%以上；2015年 100 / 15 / 10.
    # Counted from the register's taxes: 50 buildings at 14,000,000 (过千万) and 10 at
    # 140,000,000 (亿元楼 and 过千万) → 60 and 10; tax 700,000,000 + 1,400,000,000 =
    # 2,100,000,000 of 6,000,000,000 → 0.35 (以上 includes it); occupancy 90 of 100 m² = 90 %.
    taxes = [14_000_000] * 50 + [140_000_000] * 10
    r = d("buildings.targets_from_register", period_end=2012, building_taxes_yuan=taxes, clusters=5,
          district_tax_total_yuan=6_000_000_000, office_floor_area_m2=100,
          occupied_floor_area_m2=90)
    assert (r["buildings_tax_over_10m"], r["buildings_tax_over_100m"]) == (60, 10)
    assert r["outcome"] == "met", r["not_met"]
    # one building fewer above 1000万 (exactly 10,000,000 is not 过千万) → 99 < 100 (2015)
    taxes = [10_000_000.01] * 84 + [10_000_000] + [100_000_000] * 15
    r = d("buildings.targets_from_register", period_end=2015, building_taxes_yuan=taxes, clusters=10)
    assert r["not_met"] == ["buildings_tax_over_10m"] and r["unmet"][0]["threshold"] == 100
