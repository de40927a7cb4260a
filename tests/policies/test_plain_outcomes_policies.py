"""Plain outcomes (issue 13 item 2) of the rules of 59号 (agriculture), 61号 (forestry), 108号
(mediation), 62号 (buildings) and 60号 (carbon): for each rule a failing case whose sentence and
advice (`todo`) are asserted, and a passing one whose amount, grade or result is in the sentence.
Every expected value is worked by hand from the gazette, the provision beside it."""

from __future__ import annotations

import pytest

from kmgov.rules import decide
from kmgov.rules.plain import explain

AS_OF = "2011-01-01"  # all five documents (June 2010, 108号 May 2010) in force


def plain(rule: str, inputs: dict, as_of: str = AS_OF) -> dict:
    return explain(decide(rule, {**inputs, "as_of": as_of}).to_dict())


def todos(p: dict) -> list[str]:
    return [f["todo"] for f in p["findings"]]


# ---------------------------------------------------------------- 59号 agriculture

def test_conversion_subsidy():
    # 四(二): only 粮食、蔬菜、花卉 in the basin (一: 滇池流域2920平方公里). Outside the basin and
    # "其他" (烤烟) → two conditions unmet, each with where else to turn (四(三), 四(一)).
    p = plain("agriculture.conversion_subsidy", {"area_mu": 10, "from_use": "其他", "to_use": "苗木",
                                                 "in_dianchi_basin": False})
    assert p["sentence"] == "不能获得种植业结构调整补助：2项条件未满足（59号 四(二)）。"
    assert any("可申请租地种植补助（四(三)）" in t for t in todos(p))
    assert any("可申请贷款贴息（四(一)）" in t for t in todos(p))
    # 四(二): 12.5亩 × 1000元/亩 = 12500元 = 1.25万元
    p = plain("agriculture.conversion_subsidy", {"area_mu": 12.5, "from_use": "蔬菜", "to_use": "苗木"})
    assert p["sentence"] == "调整12.5亩，每亩一次性补助1,000元，可获补助1.25万元（59号 四(二)）。"
    assert not p["findings"]


def test_offsite_rent_subsidy():
    # 四(三): 连片5亩以上 (以上 includes 5): 4亩 is 1亩 short
    p = plain("agriculture.offsite_rent_subsidy", {"contiguous_area_mu": 4, "crop": "蔬菜", "outside_basin": True})
    assert p["sentence"] == "不能获得到滇池流域以外租地种植补助：1项条件未满足（59号 四(三)）。"
    assert todos(p) == ["再连片租种1亩，连片面积达到5亩后即可申请"]
    # 粮食 is not 蔬菜、花卉
    p = plain("agriculture.offsite_rent_subsidy", {"contiguous_area_mu": 8, "crop": "粮食", "outside_basin": True})
    assert todos(p) == ["改种蔬菜或花卉后再申请"]
    # 8亩 × 500元/亩/年 = 4000元/年 × 3年 = 12000元 = 1.2万元
    p = plain("agriculture.offsite_rent_subsidy", {"contiguous_area_mu": 8, "crop": "花卉", "outside_basin": True})
    assert p["sentence"] == "连片租地8亩，每亩每年补助500元，每年4,000元，补助3年共1.2万元（59号 四(三)）。"


def test_training_subsidy():
    # 四(四): nobody trained → nothing; 三(四) says what to do (培训转移)
    p = plain("agriculture.training_subsidy", {"people": 0})
    assert p["sentence"] == "未填报经技能培训并转移的劳动力，没有补助（59号 四(四)）。"
    assert todos(p) == ["组织滇池流域内的劳动力参加技能培训并转移就业后，按人数申报（三(四)）"]
    # 25人 × 800元/人 = 20000元 = 2万元
    assert plain("agriculture.training_subsidy", {"people": 25})["sentence"] == \
        "培训转移劳动力25人，按每人800元可获补助2万元（59号 四(四)）。"


def test_land_transfer_reward():
    # 四(五): the lowest tier starts at 1000亩; 800亩 is 200亩 short of 每亩100元
    p = plain("agriculture.land_transfer_reward", {"area_mu": 800})
    assert p["sentence"] == "流转800亩，不足1000亩，不能获得土地流转一次性奖励（59号 四(五)）。"
    assert todos(p) == ["再流转200亩，流转面积达到1000亩即可按每亩100元获得一次性奖励"]
    # 2000亩—3000亩 每亩150元: 2500 × 150 = 375000元 = 37.5万元
    assert plain("agriculture.land_transfer_reward", {"area_mu": 2500})["sentence"] == \
        "流转2500亩，按每亩150元，可获一次性奖励37.5万元（59号 四(五)）。"
    # 3000亩以上 每亩200元: 3500 × 200 = 700000元 = 70万元
    assert "可获一次性奖励70万元" in plain("agriculture.land_transfer_reward", {"area_mu": 3500})["sentence"]


def test_cost_share():
    # 四(七) lists the basin's counties only; 嵩明县 is where crops move to (三(一)1), 四(六)
    p = plain("agriculture.cost_share", {"district": "嵩明县", "amount_yuan": 10000})
    assert p["sentence"] == "嵩明县不在59号所列市、县分担范围内，市级不承担（59号 四(七)）。"
    assert "农业基础设施建设由所在县区按项目争取扶持（四(六)）" in todos(p)[0]
    # 盘龙区滇源镇 8:2: 10000元 → 市8000元、县2000元; 晋宁县 7:3 → 7000元、3000元
    assert plain("agriculture.cost_share", {"district": "盘龙区", "township": "滇源镇", "amount_yuan": 10000})[
        "sentence"] == "盘龙区滇源镇：市、县按8：2分担，1万元中市级承担8,000元，县级承担2,000元（59号 四(七)）。"
    assert "按7：3分担" in plain("agriculture.cost_share", {"district": "晋宁县", "amount_yuan": 10000})["sentence"]


def test_loan_interest_subsidy():
    # 四(一): nothing borrowed → no interest, and what to fill in
    p = plain("agriculture.loan_interest_subsidy", {"principal_yuan": 0, "loan_rate": 0.06,
                                                    "benchmark_rate": 0.0531, "years": 2})
    assert p["sentence"].startswith("按所填本金、利率和年数，贴息为0元（59号 四(一)）")
    # 100万元 × min(6%, 5.31%) × min(5, 3)年 = 159300元 = 15.93万元
    p = plain("agriculture.loan_interest_subsidy", {"principal_yuan": 1_000_000, "loan_rate": 0.06,
                                                    "benchmark_rate": 0.0531, "years": 5})
    assert p["sentence"] == ("贷款本金100万元，贴息率5.31%，贴息3年，可获贴息15.93万元（59号 四(一)）；"
                             "贷款利率高于基准利率，按基准利率贴息；贴息期限最长3年。")


def test_annex_checks_list_each_place():
    # 二(二) 10%、20%、40%、30% against 附件1's years, and 34.3万亩 against 附件1's 342473.6亩
    p = plain("agriculture.annex1_check", {})
    assert p["sentence"] == "附件1计划表的复核：发现2处数字不一致，逐项列在下面。"
    assert "印刷为34.3万亩" in p["findings"][1]["found"]
    # 附件2: the total area and 2010—2013 plus the 合计 row of 结构调整补助资金 (rounded areas)
    p = plain("agriculture.annex2_check", {})
    assert "发现6处" in p["sentence"] and "附件2 合计 结构调整补助资金" in [f["required"] for f in p["findings"]]
    assert "发现7处" in plain("agriculture.annex_check", {})["sentence"]


# ---------------------------------------------------------------- 61号 forestry

def test_transformation_subsidy():
    p = plain("forestry.transformation_subsidy", {"area_mu": 0})
    assert p["sentence"] == "正常改造项目未填报改造面积，没有市级补助（61号 四(三)）；按设计面积填报后再计算。"
    # 四(三): 试点 1500亩 × 200元 = 30万元, 50% 设计批准后 = 15万元, 其余15万元验收后
    assert plain("forestry.transformation_subsidy", {"area_mu": 1500, "pilot": True})["sentence"] == (
        "试点项目改造1500亩，每亩补助200元，市级补助共30万元：设计批准后拨付15万元，其余15万元验收后拨付（61号 四(三)）。")


def test_low_yield_classification():
    # 三(一): growth only 10% below average (30%以上 needed), canopy 0.5 (小于0.3 needed) …
    p = plain("forestry.low_yield_classification", {"growth_shortfall_ratio": 0.1, "canopy_density": 0.5,
                                                    "age_class": "中龄"})
    assert p["sentence"].startswith("不属于中低产林：总体、生态、经济标准没有一项符合（61号 三(一)）")
    assert "按森林资源调查结果核实后重新界定" in p["sentence"]
    assert set(todos(p)) == {"此项不符合；以下标准符合任一项即可"}
    # 三(二): 权属不清或有争议的林地 is not transformed; once settled it can be classed again
    p = plain("forestry.low_yield_classification", {"excluded_area": "权属不清"})
    assert p["sentence"].startswith("该林地属于权属不清或有争议的林地，不纳入中低产林改造范围（61号 三(二)）。")
    assert "权属明确、争议解决后" in p["sentence"] and not p["findings"]
    # 35% below the average: 30%以上 → 总体 and 经济 standards met
    p = plain("forestry.low_yield_classification", {"growth_shortfall_ratio": 0.35})
    assert p["sentence"].startswith("属于中低产林，可纳入改造范围：符合“生长量或生物量较同类立地条件平均水平低30%以上”")


def test_allowed_methods():
    # 三(三): 公益林 禁止皆伐性改造 → the other eight methods
    p = plain("forestry.allowed_methods", {"public_welfare_forest": True, "method": "皆伐性改造"})
    assert p["sentence"].startswith("该林地不能采用皆伐性改造；可采用的改造方式：采伐更新、树种更替")
    assert todos(p) == ["可改用采伐更新、树种更替、森林抚育、复壮改造、综合改造、补植补造、封山育林、改善林分结构"]
    assert "clear_cutting" not in p["text"]
    # 滇池流域: 森林抚育 is one of the five
    assert plain("forestry.allowed_methods", {"dianchi_basin": True, "method": "森林抚育"})["sentence"] == \
        "该林地可以采用森林抚育（61号 三(三)）。"


def test_logging_quota():
    # 五(七): 胸径小于10厘米（含10厘米）: 8 → only the quota; 12 → also the production plan
    assert plain("forestry.logging_quota", {"dbh_cm": 8})["sentence"] == \
        "胸径8厘米的抚育间伐人工用材林林木，只纳入采伐限额管理，不纳入年度木材生产计划（61号 五(七)）。"
    assert "也须纳入年度木材生产计划" in plain("forestry.logging_quota", {"dbh_cm": 12})["sentence"]


def test_pilot_requirement():
    # 四(二): 不得低于1000亩 → 800亩 is 200亩 short; 11月30日前完成; 设计须报批
    p = plain("forestry.pilot_requirement", {"pilot_area_mu": 800})
    assert p["sentence"] == "试点面积800亩，低于1000亩，不符合试点要求（61号 四(二)）。"
    assert todos(p)[0].startswith("将试点面积扩大200亩，达到1000亩以上，并在2010年11月30日前完成")
    assert plain("forestry.pilot_requirement", {"pilot_area_mu": 1000})["sentence"] == \
        "试点面积1000亩，达到不低于1000亩的要求；须在2010年11月30日前完成（61号 四(二)）。"


def test_county_tasks_check():
    # 四(一): 5+10+5+8+10+14+3+13+11+40+10+30+18+20+2+1 = 200万亩 = the plan
    assert plain("forestry.county_tasks_check", {})["sentence"] == \
        "各县（市）区改造任务之和200万亩，与全市规划200万亩一致（61号 四(一)）。"


def test_village_decision():
    # 五(五) with the majority of those present (interpretation): 20 of 40 is not more than half
    p = plain("forestry.village_decision", {"attendance": 40, "votes_for": 20})
    assert p["sentence"] == "到会40人，同意20人（50%），未超过半数：集体林地改造未经民主决策同意（61号 五(五)）。"
    assert todos(p)[0].startswith("同意人数须超过到会人数的半数，还需1人同意")
    assert "报县级林业行政主管部门审批" in plain("forestry.village_decision",
                                                 {"attendance": 40, "votes_for": 21})["sentence"]


# ---------------------------------------------------------------- 108号 mediation

def test_mediation_reward():
    # nothing mediated: 0元, and 三(二)2's basis (人民调解协议书); the committee's conditions
    p = plain("mediation.reward", {})
    assert p["sentence"].startswith("未填报成功调解的纠纷件数，计件奖励为0元（108号 附件 三(二)2）")
    assert "“责任范围内未发生刑事案件”" in p["sentence"]
    # 三(二)3: 3 × 100 + 2 × 300 + 1 × 500 = 1400元
    p = plain("mediation.reward", {"ordinary": 3, "difficult": 2, "major": 1, "no_criminal_case": True,
                                   "no_collective_petition": True, "disputes_down_on_year": True})
    assert p["sentence"].startswith("成功调解普通纠纷3件、疑难纠纷2件、重大纠纷1件，按市参照标准（每件100元、300元、500元）"
                                    "奖励合计1,400元（108号 附件 三(二)3）。")
    assert "调解委员会还符合“适当奖励”的条件" in p["sentence"]


def test_mediation_budget_check():
    # 三(二)4: 600万元 and 市级300万元: 650万 is 50万 over, 320万 is 20万 over
    p = plain("mediation.budget_check", {"total_rewards_yuan": 6_500_000, "city_funds_yuan": 3_200_000})
    assert p["sentence"] == "奖励经费超出额度：2项超过三(二)4所定的数额（108号 附件 三(二)4）。"
    assert todos(p) == ["奖励经费总额以600万元为限，超出50万元，须核减后再兑现（三(二)4）",
                        "市级财政安排以300万元为限，超出的20万元应由县（市）区财政分担（三(二)4）"]
    assert plain("mediation.budget_check", {"total_rewards_yuan": 4_000_000, "city_funds_yuan": 2_000_000})[
        "sentence"] == "奖励经费合计400万元，未超过600万元，尚余200万元；其中市级200万元，尚余100万元（108号 附件 三(二)4）。"


def test_mediation_phase():
    # 三: 组织实施阶段 6月1日—11月30日; 2011 is after the trial
    assert plain("mediation.phase", {"on": "2010-07-01"})["sentence"] == \
        "2010年7月1日处于组织实施阶段（2010年6月1日至2010年11月30日）（108号 附件 三）。"
    assert plain("mediation.phase", {"on": "2011-07-01"})["sentence"] == \
        "2011年7月1日不在试行工作期间（2010年5月至12月）内（108号 附件 三）。"


def test_mediation_reward_split():
    # 三(二)4: 300万 of 600万 = 50% → 1400元: 700元 each
    assert plain("mediation.reward_split", {"amount_yuan": 1400})["sentence"] == \
        "奖励1,400元由市、县两级分担：市级700元（50%），县级700元（108号 附件 三(二)4）。"


# ---------------------------------------------------------------- 62号 buildings

B_AS_OF = "2025-12-31"


def test_building_qualification():
    # 附件1 第二条: 9000㎡ < 1万 and 3000㎡ < 5000/4000; 第三条: not paying tax in Kunming
    p = plain("buildings.qualification", {"total_floor_area_m2": 9000, "commercial_floor_area_m2": 3000,
                                          "in_kunming": True, "pays_tax_in_kunming": False}, B_AS_OF)
    assert p["sentence"] == "不能认定为商务楼宇：5项条件未满足（62号 附件1 第二条、第三条、第七条）。"
    assert "在昆明市区属地纳税后方可适用本办法（第三条）" in todos(p)
    assert any("纯商务楼宇可按纯商务楼宇认定" in t for t in todos(p))
    p = plain("buildings.qualification", {"total_floor_area_m2": 12000, "commercial_floor_area_m2": 6000,
                                          "in_kunming": True, "pays_tax_in_kunming": True}, B_AS_OF)
    assert p["sentence"].startswith("符合商务楼宇认定条件，属综合商务楼宇（总建筑面积12000平方米，商务建筑面积6000平方米）")


def test_building_reward_cap():
    # 附件1 第二十条: 300万 − 280万 = 20万 increase; 50万 asked → 20万
    p = plain("buildings.reward_cap", {"requested_reward_yuan": 500_000, "contribution_this_year_yuan": 3_000_000,
                                       "contribution_last_year_yuan": 2_800_000}, B_AS_OF)
    assert p["sentence"] == "拟奖励50万元超过企业当年对县（市）区财力贡献的同比增量20万元，奖励以20万元为限（62号 附件1 第二十条）。"
    assert "新办或成长性好的企业可适当放宽（第二十条）" in todos(p)[0]
    assert "可全额给予" in plain("buildings.reward_cap", {
        "requested_reward_yuan": 100_000, "contribution_this_year_yuan": 3_000_000,
        "contribution_last_year_yuan": 2_800_000}, B_AS_OF)["sentence"]


def test_building_best_single_policy():
    # 附件1 第二十一条: 50万 > 30万 → the 50万 one only
    p = plain("buildings.best_single_policy", {"options": [{"policy": "楼宇奖励", "amount_yuan": 300_000},
                                                           {"policy": "总部奖励", "amount_yuan": 500_000}]}, B_AS_OF)
    assert p["sentence"] == "2项政策只能择优享受一项：享受总部奖励，50万元；不再享受楼宇奖励（62号 附件1 第二十一条）。"


def test_building_index_check():
    # 附件2 一(二)1 says 12 indicators, the table lists 11; indicator 11's unit is printed 人/平方米
    p = plain("buildings.index_check", {}, B_AS_OF)
    assert p["sentence"] == "楼宇经济发展指数指标体系的复核：发现2处数字不一致，逐项列在下面。"
    assert p["findings"][0]["todo"] == "说明称12项，表中只列11项；以表为准"


def test_building_application_window():
    # 附件1 第九条: 3月1日至31日 — 4月2日 is late, the next window is next March
    p = plain("buildings.application_window", {"filed_on": "2026-04-02"}, B_AS_OF)
    assert p["sentence"].startswith("2026年4月2日不在申报期内：商务楼宇奖励扶持每年3月1日至31日申报（62号 附件1 第九条）")
    assert todos(p) == ["请在2027年3月1日至2027年3月31日申报"]
    assert plain("buildings.application_window", {"filed_on": "2026-03-31"}, B_AS_OF)["sentence"] == \
        "2026年3月31日在申报期内（2026年3月1日至2026年3月31日）（62号 附件1 第九条）。"


def test_building_grade():
    # 附件1 第十二条 (lines: interpretations): tax 2000万 (> 1000万 → 乙), 3万㎡ (≥1万 → 乙), 5 facilities
    # (≥4 → 乙), 一级资质 (甲) → 乙级; for 甲级 the three at 乙 must reach 1亿元 / 5万㎡ / 6项
    p = plain("buildings.grade", {"tax_yuan": 20_000_000, "total_floor_area_m2": 30_000, "facilities_count": 5,
                                  "management_level": "level1"}, B_AS_OF)
    assert p["sentence"].startswith("该楼宇评为乙级：税收贡献乙级、建设规模乙级、设备设施乙级、管理服务甲级，取四项中最低的一项")
    assert [f["required"] for f in p["findings"]] == [
        "甲级的税收贡献：楼宇内企业年度税收达到1亿元", "甲级的建设规模：总建筑面积50000平方米以上",
        "甲级的设备设施：具备配套设施6项以上"]
    assert "停车场、餐饮、会展" in p["findings"][2]["todo"]
    p = plain("buildings.grade", {"tax_yuan": 200_000_000, "total_floor_area_m2": 60_000, "facilities_count": 7,
                                  "management_level": "level1"}, B_AS_OF)
    assert p["sentence"].startswith("该楼宇评为甲级") and not p["findings"]


def test_building_targets():
    # 二(三) 2012 targets 60栋 / 10栋 / 5个 / 35% / 90%; found 2栋 (both > 1000万) / 1栋 (1.2亿) / 2个 /
    # (2000万 + 1.2亿) ÷ 10亿 = 14% / 800 ÷ 1000 = 80% → all five short
    p = plain("buildings.targets_from_register", {
        "period_end": 2012, "building_taxes_yuan": [20_000_000, 120_000_000], "district_tax_total_yuan": 1e9,
        "office_floor_area_m2": 1000, "occupied_floor_area_m2": 800, "clusters": 2}, B_AS_OF)
    assert p["sentence"] == "对照2012年目标，5项尚未达到（62号 二(三)）：税收过千万元的商务楼宇2栋，税收亿元楼1栋。"
    assert todos(p)[0].startswith("还差58栋税收超过1000万元的商务楼宇")
    assert "楼宇税收占比还差21个百分点" in todos(p)  # 35% − 14%
    assert todos(p)[-1].startswith("入驻率还差10个百分点")  # 90% − 80%
    # 2015: 100栋 过千万 (all above 1000万), 15栋 亿元楼 (达到1亿元), 10 clusters → met
    p = plain("buildings.targets_from_register", {
        "period_end": 2015, "building_taxes_yuan": [100_000_000] * 15 + [20_000_000] * 85, "clusters": 10}, B_AS_OF)
    assert p["sentence"] == "2015年目标已全部达到（62号 二(三)）：税收过千万元的商务楼宇100栋，税收亿元楼15栋。"


# ---------------------------------------------------------------- 60号 carbon

def test_carbon_offset():
    # 三(二): 1000升 × 2.7公斤 = 2.7吨; × 1000元/吨 = 2700元; ÷ 500元/亩 = 5.4亩 < 10亩 (三(一))
    p = plain("carbon.offset", {"fuel_litres": 1000})
    assert p["sentence"] == ("消耗燃油1000升，排放约2.7吨二氧化碳；按吸收1吨二氧化碳的造林成本1,000元，"
                             "需捐资2,700元抵消，可营建碳汇林5.4亩（60号 三(二)）。")
    assert todos(p) == ["再捐资2,300元，累计达到5,000元（营建10亩）即可挂牌"]  # 5000 − 2700
    # 2000升 → 5.4吨 → 5400元 → 10.8亩 ≥ 10亩: the sign
    p = plain("carbon.offset", {"fuel_litres": 2000})
    assert "排放约5.4吨二氧化碳" in p["sentence"] and "需捐资5,400元抵消" in p["sentence"]
    assert "可挂“××碳汇林”标牌" in p["sentence"] and not p["findings"]
    # 三(一)4: 95公里 → 9.5 → 10棵 (rounded up, interpretation)
    assert "请种10棵树" in plain("carbon.offset", {"km_travelled": 95})["sentence"]


def test_carbon_donor_sign():
    # 三(一): 3000元 ÷ 500元/亩 = 6亩 < 10亩; 2000元 more reaches 5000元
    p = plain("carbon.donor_sign", {"donation_yuan": 3000})
    assert p["sentence"] == "捐资3,000元可营建碳汇林6亩，不足10亩，尚不能挂“××碳汇林”标牌（60号 三(一)）。"
    assert todos(p) == ["再捐资2,000元，累计达到5,000元（营建10亩）即可挂牌"]
    assert plain("carbon.donor_sign", {"donation_yuan": 5000})["sentence"] == \
        "捐资5,000元可营建碳汇林10亩，达到10亩及以上，出资造林的林木挂“××碳汇林”标牌（60号 三(一)）。"


def test_carbon_forest_growth():
    # 一(一): 100立方米 × 1.83 = 183吨 CO₂, × 1.62 = 162吨 O₂; nothing grown, nothing absorbed
    assert plain("carbon.forest_growth", {"volume_m3": 100})["sentence"] == \
        "森林蓄积生长100立方米，约吸收183吨二氧化碳、释放162吨氧气（60号 一(一)）。"
    assert "约吸收0吨二氧化碳" in plain("carbon.forest_growth", {"volume_m3": 0})["sentence"]


def test_carbon_greening_targets():
    # 二(二): 绿地率38%以上 (35% is 3 points short), 人均公共绿地12平方米以上 (10 is 2 short)
    p = plain("carbon.greening_targets", {"green_space_rate": 0.35, "public_green_per_person_m2": 10,
                                          "forest_cover_rate": 0.5})
    assert p["sentence"].startswith("2项指标未达到2015年目标（60号 二(二)）；尚未报告：绿化覆盖率")
    assert todos(p)[0].startswith("距2015年目标还差3个百分点")
    assert todos(p)[1].startswith("距2015年目标还差2平方米/人")
    # 森林覆盖率 50% ≥ 47%
    assert plain("carbon.greening_targets", {"forest_cover_rate": 0.5})["sentence"].startswith(
        "已报告的1项指标均达到2015年目标（60号 二(二)）")


def test_carbon_funding_progress():
    # 三(一)1: 1000万元 a year 2010—2012: 800万 in 2011 is 200万 short; 三(一)2: 300万 of 1000万
    p = plain("carbon.funding_progress", {"year": 2011, "city_funds_yuan": 8_000_000,
                                          "enterprise_startup_donations_yuan": 3_000_000})
    assert p["sentence"] == ("2011年市级财政安排800万元，低于每年1000万元（60号 三(一)1）。"
                             "企业捐赠启动资金300万元，尚未达到力争的1000万元（三(一)2）。")
    assert todos(p) == ["还差200万元，应在2011年度内补足（三(一)1）"]
    assert plain("carbon.funding_progress", {"year": 2010, "city_funds_yuan": 10_000_000})["sentence"] == \
        "2010年市级财政安排1000万元，达到每年1000万元的要求（60号 三(一)1）。"
    assert "不在2010—2012年市级财政安排期内" in plain("carbon.funding_progress",
                                                   {"year": 2014, "city_funds_yuan": 0})["sentence"]


@pytest.mark.parametrize("rule", [
    "agriculture.conversion_subsidy", "agriculture.offsite_rent_subsidy", "agriculture.training_subsidy",
    "agriculture.land_transfer_reward", "agriculture.cost_share", "agriculture.loan_interest_subsidy",
    "agriculture.annex_check", "agriculture.annex1_check", "agriculture.annex2_check",
    "forestry.transformation_subsidy", "forestry.low_yield_classification", "forestry.allowed_methods",
    "forestry.logging_quota", "forestry.pilot_requirement", "forestry.county_tasks_check",
    "forestry.village_decision", "mediation.reward", "mediation.budget_check", "mediation.phase",
    "mediation.reward_split", "buildings.qualification", "buildings.reward_cap",
    "buildings.best_single_policy", "buildings.index_check", "buildings.application_window",
    "buildings.grade", "buildings.targets_from_register", "carbon.offset", "carbon.donor_sign",
    "carbon.forest_growth", "carbon.greening_targets", "carbon.funding_progress"])
def test_every_rule_has_its_own_words(rule):
    from kmgov.rules import get_rule

    assert get_rule(rule).plain is not None
