"""昆政发〔2010〕62号 关于促进楼宇经济发展的指导意见 and its annexes:
附件1《昆明市楼宇企业认定管理办法》, 附件2《昆明市楼宇经济发展指数评价体系》."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.utils.translation import gettext_noop as N_
from pydantic import BaseModel, ConfigDict, Field

from kmgov.rules import Ctx, RuleInput, amount_labels, outcome_labels, rule

from . import plain as words

DOC = "昆政发〔2010〕62号"


class QualificationInput(RuleInput):
    total_floor_area_m2: float = Field(ge=0, description=N_("总建筑面积（平方米）"))
    commercial_floor_area_m2: float = Field(ge=0, description=N_("商务建筑面积（平方米）"))
    purely_commercial: bool = Field(default=False, description=N_("纯商务楼宇"))
    in_kunming: bool = Field(description=N_("在昆明市辖区范围内"))
    pays_tax_in_kunming: bool = Field(description=N_("在昆明市区属地纳税"))
    clean_record: bool = Field(default=True, description=N_("当年内无重大安全生产事故、质量、环保、假冒伪劣、欺诈等违法行为（第七条）"))


@rule(
    "buildings.qualification",
    title="商务楼宇认定",
    inputs=QualificationInput,
    outputs=("route",),
    outcomes=("eligible", "ineligible"),
    cite=[
        (DOC, "附件1 第二条", "总建筑面积在1万平方米及以上并且商务建筑面积在5000平方米及以上的综合商务楼宇或商务建筑面积在4000平方米及以上的纯商务楼宇"),
        (DOC, "附件1 第三条", "在昆明市区属地纳税的商务楼宇产权单位"),
        (DOC, "附件1 第七条", "在当年内无重大安全生产事故……及其他违法行为的"),
    ],
    plain=words.qualification,
)
def qualification(c: Ctx):
    """附件1 第二条：综合商务楼宇（总建筑面积1万平方米及以上且商务建筑面积5000平方米及以上）或纯商务
    楼宇（商务建筑面积4000平方米及以上）；第三条：在昆明属地纳税；第七条：当年无违法记录。"""
    x = c.x
    where = c.condition(N_("在昆明市辖区范围内"), x.in_kunming, field="in_kunming", values={"in_kunming": x.in_kunming},
                        cite=(DOC, "附件1 第二条", "在昆明市辖区范围内"),
                        todo=N_("本办法只适用于昆明市辖区范围内的商务楼宇（第二条）"))
    tax = c.condition(N_("在昆明市区属地纳税"), x.pays_tax_in_kunming, field="pays_tax_in_kunming",
                      values={"pays_tax_in_kunming": x.pays_tax_in_kunming},
                      cite=(DOC, "附件1 第三条", "在昆明市区属地纳税的商务楼宇产权单位"),
                      todo=N_("在昆明市区属地纳税后方可适用本办法（第三条）"))
    clean = c.condition(N_("当年内无重大安全生产事故、质量、环保、假冒伪劣、欺诈等违法行为"), x.clean_record, field="clean_record",
                        values={"clean_record": x.clean_record},
                        cite=(DOC, "附件1 第七条", "在当年内无重大安全生产事故，产品质量达到标准、符合环保要求，无经营假冒伪劣产品，无欺诈损害消费者及其他违法行为的"),
                        todo=N_("当年内有此类行为的，当年不能申请认定；此后无此类行为的年度可再申请（第七条）"))
    c.section("comprehensive_building")
    big = c.threshold(N_("综合商务楼宇：总建筑面积1万平方米及以上"), x.total_floor_area_m2, "min_total_floor_area", field="total_floor_area_m2",
                      todo=N_("总建筑面积不足1万平方米的，不能按综合商务楼宇认定；商务建筑面积4000平方米及以上的纯商务楼宇可按纯商务楼宇认定（第二条）"))
    com = c.threshold(N_("综合商务楼宇：商务建筑面积5000平方米及以上"), x.commercial_floor_area_m2, "min_commercial_floor_area",
                      field="commercial_floor_area_m2",
                      todo=N_("综合商务楼宇的商务建筑面积须达到5000平方米；达到后再申请认定（第二条）"))
    route1 = c.all(big, com)
    c.section("purely_commercial_building")
    pure = c.condition(N_("纯商务楼宇"), x.purely_commercial, field="purely_commercial", values={"purely_commercial": x.purely_commercial},
                       cite=(DOC, "附件1 第二条", "纯商务楼宇"),
                       todo=N_("不是纯商务楼宇的，按综合商务楼宇的面积标准认定（第二条）"))
    pure_area = c.threshold(N_("纯商务楼宇：商务建筑面积4000平方米及以上"), x.commercial_floor_area_m2, "min_pure_commercial_floor_area",
                            field="commercial_floor_area_m2",
                            todo=N_("纯商务楼宇的商务建筑面积须达到4000平方米；达到后再申请认定（第二条）"))
    route2 = c.all(pure, pure_area)
    c.section(None)
    size = c.any(route1, route2)
    c.step("面积条件：综合商务楼宇或纯商务楼宇之一", size,
           values={"comprehensive_building": route1, "purely_commercial_building": route2,
                   "total_floor_area_m2": x.total_floor_area_m2, "commercial_floor_area_m2": x.commercial_floor_area_m2},
           cite=(DOC, "附件1 第二条", ""), ok=size)
    ok = c.all(where, tax, clean, size)
    route = c.where(route1, "comprehensive_building", c.where(route2, "purely_commercial_building", ""))
    return {"outcome": c.where(ok, "eligible", "ineligible"), "route": route}


class RewardCapInput(RuleInput):
    requested_reward_yuan: float = Field(ge=0, description=N_("拟给予的奖励（元）"))
    contribution_this_year_yuan: float = Field(ge=0, description=N_("企业当年对县（市）区财力的贡献（元，按会计年度）"))
    contribution_last_year_yuan: float = Field(ge=0, description=N_("企业上年对县（市）区财力的贡献（元）"))
    new_or_fast_growing: bool = Field(default=False, description=N_("新办或成长性好的企业（可适当放宽）"))


@rule(
    "buildings.reward_cap",
    title="奖励资金以财力贡献同比增量为限",
    inputs=RewardCapInput,
    outputs=("amount_yuan", "cap_yuan", "capped", "relaxable"),
    cite=[
        (DOC, "附件1 第二十条", "奖励资金额度原则上以企业当年对各县（市）区财力贡献的同比增量为限，对新办和成长性好的企业可适当放宽"),
        (DOC, "附件1 第二十二条", "楼宇和企业的对各县（市）区财力贡献以每一会计年度计算"),
    ],
    plain=words.reward_cap,
)
def reward_cap(c: Ctx):
    """附件1 第二十条（BE-6）：奖励以企业当年对县区财力贡献的同比增量为限；新办、成长性好的企业
    可适当放宽（放宽幅度未规定，解释性参数）。第二十二条：按会计年度计算。"""
    x = c.x
    c.p("reward_cap_basis")
    increase = c.maximum(x.contribution_this_year_yuan - x.contribution_last_year_yuan, 0.0)
    c.step("上限 = max(当年贡献 − 上年贡献, 0)", increase,
           values={"this_year": x.contribution_this_year_yuan, "last_year": x.contribution_last_year_yuan})
    automatic = c.p("reward_cap_relaxation_automatic")
    relax = c.all(x.new_or_fast_growing, automatic)
    c.step("新办或成长性好的企业：可适当放宽", x.new_or_fast_growing,
           values={"new_or_fast_growing": x.new_or_fast_growing, "relaxation_automatic": automatic},
           cite=(DOC, "附件1 第二十条", "对新办和成长性好的企业可适当放宽"))
    amount = c.where(relax, x.requested_reward_yuan, c.minimum(x.requested_reward_yuan, increase))
    capped = amount < x.requested_reward_yuan
    c.step("奖励 = min(拟奖励, 上限)", amount, values={"requested": x.requested_reward_yuan, "cap": increase, "capped": capped})
    return {"amount_yuan": amount, "cap_yuan": increase, "capped": capped, "relaxable": x.new_or_fast_growing}


class PolicyOption(BaseModel):
    model_config = ConfigDict(extra="forbid")
    policy: str = Field(min_length=1, max_length=200, description=N_("政策名称"))
    amount_yuan: float = Field(ge=0, description=N_("按该政策可得金额（元）"))


class BestPolicyInput(RuleInput):
    options: list[PolicyOption] = Field(min_length=1, max_length=100, description=N_("同一企业同一项目可享受的各项政策"))


@rule(
    "buildings.best_single_policy",
    title="多项政策择优享受一项",
    inputs=BestPolicyInput,
    outputs=("chosen_policy", "amount_yuan", "forgone"),
    cite=[
        (DOC, "附件1 第二十一条", "只能择优享受一项，不得重复享受"),
        (DOC, "附件1 第六条", "按最优惠政策享受，原则上不重复享受同类政策"),
        ("昆政发〔2010〕63号", "附件 第十三条(三)", "按最优惠政策享受，原则上不重复享受同类政策"),
    ],
    vectorised=False,
    plain=words.best_single,
)
def best_single_policy(c: Ctx):
    """附件1 第二十一条（及第六条、63号附件第十三条(三)）：可享受多项政策的，只能择优享受一项。"""
    opts = c.x.options
    n = c.p("best_single_policy")
    best = max(opts, key=lambda o: o["amount_yuan"])
    c.step("择优：取金额最高的一项", best["policy"], values={"options": opts, "max_policies": n})
    forgone = [o["policy"] for o in opts if o is not best]
    return {"chosen_policy": best["policy"], "amount_yuan": best["amount_yuan"], "forgone": forgone}


class IndexCheckInput(RuleInput):
    pass


@rule(
    "buildings.index_check",
    title="楼宇经济发展指数指标体系的复核",
    inputs=IndexCheckInput,
    outputs=("inconsistencies",),
    outcomes=("consistent", "inconsistent"),
    refusals=(),
    cite=[(DOC, "附件2 一(二)", "4个子系统14个方面共47个评价指标")],
    vectorised=False,
    plain=words.index_check,
)
def index_check(c: Ctx):
    """附件2 一(二)：4个子系统14个方面47个指标；核对各子系统说明所称指标数与表中所列数、指标11的单位
    。"""
    names = c.p("index_subsystem_names")
    stated = c.p("index_stated_counts")
    ranges = c.p("index_table_ranges")
    listed = [b - a + 1 for a, b in ranges]
    total = c.p("index_total_indicators")
    domains = c.p("index_total_domains")
    table_domains = c.p("index_table_domains")
    issues = []
    ok = sum(listed) == total
    c.step("表中指标数之和 = 47", ok, values={"listed": listed, "total": total}, ok=ok)
    if not ok:
        issues.append({"where": "附件2 表", "printed": total, "recomputed": sum(listed)})
    ok = sum(table_domains) == domains
    c.step("表中方面数之和 = 14", ok, values={"listed": table_domains, "total": domains}, ok=ok)
    if not ok:
        issues.append({"where": "附件2 表 方面", "printed": domains, "recomputed": sum(table_domains)})
    source = c.p("index_subsystem_count_source")
    for i, (name, s, n) in enumerate(zip(names, stated, listed)):
        ok = s == n
        c.step(f"{name}子系统：说明所称指标数 = 表中所列", ok, values={"stated": s, "listed": n},
               cite=(DOC, f"附件2 一(二){i + 1}", f"共{s}项"), ok=ok)
        if not ok:
            issues.append({"where": f"附件2 一(二){i + 1} {name}子系统", "kind": "indicator_count", "printed": s,
                           "recomputed": n, "note": f"说明称{s}项，表中只列{n}项；以{'表' if source == 'table' else '说明'}为准"})
    printed_unit = c.p("index_housing_unit_printed")
    unit = c.p("index_housing_unit")
    ok = printed_unit == unit
    c.step("指标11“人均住房使用面积”的单位", ok, values={"printed": printed_unit, "used": unit}, ok=ok)
    if not ok:
        issues.append({"where": "附件2 表 指标11 人均住房使用面积", "kind": "unit", "printed": printed_unit,
                       "recomputed": unit, "note": "人均面积的单位应为平方米/人"})
    return {"outcome": "consistent" if not issues else "inconsistent", "inconsistencies": issues}


class WindowInput(RuleInput):
    filed_on: dt.date = Field(description=N_("申报日期"))


@rule(
    "buildings.application_window",
    title="商务楼宇奖励扶持申报期限",
    inputs=WindowInput,
    outputs=("window_start", "window_end"),
    outcomes=("open", "closed"),
    refusals=("closed",),
    cite=[(DOC, "附件1 第九条", "商务楼宇奖励扶持的申报期限为每年3月1日至31日")],
    vectorised=False,
    plain=words.window,
)
def application_window(c: Ctx):
    """附件1 第九条：每年3月1日至31日申报（含首尾两日）。"""
    start, end = c.p("application_window")
    d = c.x.filed_on
    s = dt.date.fromisoformat(f"{d.year}-{start}")
    e = dt.date.fromisoformat(f"{d.year}-{end}")
    ok = c.condition(N_("申报日期在每年3月1日至31日之间（含）"), s <= d <= e, field="filed_on",
                     values={"filed_on": d.isoformat(), "start": s.isoformat(), "end": e.isoformat()})
    return {"outcome": "open" if ok else "closed", "window_start": s.isoformat(), "window_end": e.isoformat()}


def _target_check(c: Ctx, met: list, not_met: list, key, label, value, target, cite_quote):
    """二(三): one target, reached when the value is at least the target (栋数“达到”, 比重“以上”:
    both include the number)."""
    ok = value >= target
    c.step(label, ok, values={"实际": value, "目标": target, "比较": "达到或以上（含本数）"},
           cite=(DOC, "二(三)", cite_quote), ok=ok)
    (met if ok else not_met).append(key)
    if not ok:
        c.unmet.append({"group": None, "condition": label, "field": key, "value": value, "comparison": ">=",
                        "threshold": target, "word": "达到/以上", "reference": f"{DOC} 二(三)"})


# Plain words for the amounts on case pages (kmgov.rules.labels)
amount_labels("buildings.reward_cap", amount_yuan="上限内的奖励", cap_yuan="奖励上限（财力贡献同比增量）")
amount_labels("buildings.best_single_policy", amount_yuan="择优享受的金额",
              reward_yuan="本项奖励（择优后）")


# ---------------------------------------------------------------- BE-4 grading (附件1 第十二条)

#: The facilities the gazette names for a commercial building: 四(二) “完善商务楼宇停车场、餐饮、
#: 会展、娱乐休闲及周边交通等……配套服务设施” and 三(四) “提高楼宇内部智能化、信息化和便捷化程度”.
FACILITIES = {
    "parking": "停车场",
    "catering": "餐饮",
    "conference": "会展",
    "leisure": "娱乐休闲",
    "transport": "周边交通",
    "intelligent": "楼宇智能化",
    "network": "信息化（通信网络）",
}
FACILITIES_CITATION = f"{DOC} 四(二)、三(四)"

#: 物业管理水准 (附件1 第十八条) measured by the property-management firm's qualification level.
MANAGEMENT_LEVELS = {"level1": N_("一级资质"), "level2": N_("二级资质"), "level3": N_("三级资质"),
                     "none": N_("无资质或未评定")}
GRADE_LABELS = {"A": "甲级", "B": "乙级", "C": "丙级"}
CRITERION_WORDS = {"tax_level": "税收贡献", "scale_level": "建设规模", "facilities_level": "设备设施",
                   "management_grade": "管理服务"}


class GradeInput(RuleInput):
    tax_yuan: float = Field(ge=0, description=N_("楼宇内企业年度税收合计（元）"))
    total_floor_area_m2: float = Field(ge=0, description=N_("总建筑面积（平方米）"))
    facilities_count: int = Field(ge=0, le=len(FACILITIES), description=N_("具备的配套设施项数"))
    management_level: Literal["level1", "level2", "level3", "none"] = Field(
        description=N_("物业服务企业资质等级"))

    ALIASES = {"management_level": {label: code for code, label in MANAGEMENT_LEVELS.items()}}


def _level_label(code: str) -> str:
    return GRADE_LABELS[code]


@rule(
    "buildings.grade",
    title="商务楼宇分级定等（BE-4）",
    inputs=GradeInput,
    outputs=("grade", "tax_level", "scale_level", "facilities_level", "management_grade"),
    outcomes=("grade_a", "grade_b", "grade_c"),
    refusals=(),
    cite=[(DOC, "附件1 第十二条", "以税收贡献、建设规模、设备设施、管理服务等指标作为楼宇分级的主要标准，对商务楼宇实行分级定等管理")],
    vectorised=False,
    plain=words.grade,
)
def grade(c: Ctx):
    """附件1 第十二条：按税收贡献、建设规模、设备设施、管理服务四项标准分级定等。第十二条不给分级线：
    各项分级线是管理员可调整的解释性参数；楼宇的等级取四项中最低的一项（四项都须达到该等级）。"""
    x = c.x
    criteria = c.p("grade_criteria")
    c.step("分级的主要标准", "、".join(criteria))
    levels = {}

    a_tax, b_tax = c.p("grade_tax_yuan")
    tax = "A" if x.tax_yuan >= a_tax else ("B" if x.tax_yuan > b_tax else "C")
    c.step(f"税收贡献：{_level_label(tax)}", _level_label(tax),
           values={"楼宇税收（元）": x.tax_yuan, "甲级（达到，含本数）": a_tax, "乙级（超过，不含本数）": b_tax})
    levels["tax_level"] = tax

    a_m2, b_m2 = c.p("grade_scale_m2")
    scale = "A" if x.total_floor_area_m2 >= a_m2 else ("B" if x.total_floor_area_m2 >= b_m2 else "C")
    c.step(f"建设规模：{_level_label(scale)}", _level_label(scale),
           values={"总建筑面积（平方米）": x.total_floor_area_m2, "甲级（以上，含本数）": a_m2,
                   "乙级（以上，含本数）": b_m2})
    levels["scale_level"] = scale

    a_n, b_n = c.p("grade_facilities_min")
    fac = "A" if x.facilities_count >= a_n else ("B" if x.facilities_count >= b_n else "C")
    c.step(f"设备设施：{_level_label(fac)}", _level_label(fac),
           values={"具备的设施（项）": x.facilities_count, "设施清单（项）": len(FACILITIES), "甲级（以上，含本数）": a_n,
                   "乙级（以上，含本数）": b_n},
           note=f"设施清单见{FACILITIES_CITATION}")
    levels["facilities_level"] = fac

    a_q, b_q = c.p("grade_management")
    held = MANAGEMENT_LEVELS[x.management_level]
    mgmt = "A" if held == a_q else ("B" if held == b_q else "C")
    c.step(f"管理服务：{_level_label(mgmt)}", _level_label(mgmt),
           values={"物业服务企业资质": held, "甲级": a_q, "乙级": b_q})
    levels["management_grade"] = mgmt

    final = max(levels.values())  # "A" < "B" < "C": the lowest grade of the four
    c.step(f"等级：四项中最低者，{_level_label(final)}", _level_label(final),
           values={word: _level_label(levels[k]) for k, word in CRITERION_WORDS.items()})
    return {"outcome": f"grade_{final.lower()}", "grade": final, **levels}


outcome_labels("buildings.grade", grade_a="甲级楼宇", grade_b="乙级楼宇", grade_c="丙级楼宇")


# ---------------------------------------------------------------- BE-5 targets from the register

class RegisterTargetsInput(RuleInput):
    period_end: int = Field(ge=2012, le=2015, description=N_("目标期末年份：2012（2009—2012年目标）或 2015（2013—2015年目标）"))
    building_taxes_yuan: list[Annotated[float, Field(ge=0, le=1e14)]] = Field(
        max_length=100000, description=N_("各商务楼宇的年度税收（元），取自楼宇经济信息管理系统"))
    district_tax_total_yuan: float | None = Field(default=None, ge=0, le=1e14, description=N_("市区（县（市）区）税收总额（元）"))
    office_floor_area_m2: float = Field(default=0, ge=0, le=1e10, description=N_("各楼宇商务（办公）面积合计（平方米）"))
    occupied_floor_area_m2: float = Field(default=0, ge=0, le=1e10, description=N_("各楼宇已入驻面积合计（平方米）"))
    clusters: int = Field(default=0, ge=0, description=N_("特色楼宇经济聚集区（个）"))


@rule(
    "buildings.targets_from_register",
    title="楼宇经济发展目标：由楼宇经济信息管理系统计算（BE-5）",
    inputs=RegisterTargetsInput,
    outputs=("buildings_tax_over_10m", "buildings_tax_over_100m", "building_tax_yuan",
             "building_tax_share", "occupancy_rate", "met", "not_met"),
    outcomes=("met", "not_met"),
    refusals=("not_met",),
    cite=[(DOC, "二(三)", "培育税收过千万元的商务楼宇60栋，税收亿元楼10栋，楼宇税收占市区税收总额35%以上；市区主要楼宇入驻率提高到90%以上")],
    vectorised=False,
    plain=words.targets,
)
def targets_from_register(c: Ctx):
    """二(三)：从登记的各楼宇年度税收数出“税收过千万元”（超过1000万元，不含本数）和“税收亿元楼”
    （按解释参数，默认达到1亿元、含本数）的楼宇，算出楼宇税收占税收总额的比重和入驻率，再对照
    2012年或2015年目标。"""
    x = c.x
    taxes = [float(t) for t in x.building_taxes_yuan]
    over_10m_par = c.param("tax_over_10m")
    t10 = c.p("tax_over_10m")
    n10 = sum(1 for t in taxes if t > t10)
    c.step("税收过千万元的商务楼宇（栋）：税收超过1000万元，不含本数", n10,
           values={"标准（元）": t10, "比较": f"{over_10m_par.comparison or '>'}（超过，不含本数）",
                   "登记楼宇（栋）": len(taxes)})
    t100 = c.p("tax_100m")
    op100 = c.p("tax_100m_comparison")
    n100 = sum(1 for t in taxes if (t >= t100 if op100 == ">=" else t > t100))
    c.step("税收亿元楼（栋）", n100,
           values={"标准（元）": t100,
                   "比较": "达到1亿元，含本数" if op100 == ">=" else "超过1亿元，不含本数"})
    total = sum(taxes)
    c.step("楼宇税收合计（元）", total, values={"登记楼宇（栋）": len(taxes)})
    share = None
    if x.district_tax_total_yuan and x.district_tax_total_yuan >= 1:  # below 1元: no total entered
        share = round(total / x.district_tax_total_yuan, 6)  # to a millionth: no float noise at 35 %
        c.step("楼宇税收占税收总额的比重", round(share, 4),
               values={"楼宇税收（元）": total, "税收总额（元）": x.district_tax_total_yuan})
    occupancy = None
    if x.office_floor_area_m2 >= 1:  # below 1 m²: no office area registered
        occupancy = round(x.occupied_floor_area_m2 / x.office_floor_area_m2, 6)
        c.step("楼宇入驻率 = 已入驻面积 ÷ 商务面积", round(occupancy, 4),
               values={"已入驻面积（平方米）": x.occupied_floor_area_m2,
                       "商务面积（平方米）": x.office_floor_area_m2})
    met, not_met = [], []

    def check(key, label, value, target, quote):
        _target_check(c, met, not_met, key, label, value, target, quote)

    if x.period_end <= 2012:
        g10, g100, g_share, g_occ, g_clusters = c.p("targets_2012")
        check("buildings_tax_over_10m", N_("税收过千万元的商务楼宇60栋"), n10, g10, "培育税收过千万元的商务楼宇60栋")
        check("buildings_tax_over_100m", N_("税收亿元楼10栋"), n100, g100, "税收亿元楼10栋")
        check("clusters", N_("建成5个特色楼宇经济聚集区"), x.clusters, g_clusters, "建成5个特色楼宇经济聚集区")
        if share is not None:
            check("building_tax_share", N_("楼宇税收占市区税收总额35%以上"), share, g_share, "楼宇税收占市区税收总额35%以上")
        if occupancy is not None:
            check("occupancy_rate", N_("市区主要楼宇入驻率90%以上"), occupancy, g_occ, "市区主要楼宇入驻率提高到90%以上")
    else:
        g10, g100, g_clusters = c.p("targets_2015")
        check("buildings_tax_over_10m", N_("税收过千万的商务楼宇达到100栋"), n10, g10, "税收过千万的商务楼宇达到100栋")
        check("buildings_tax_over_100m", N_("税收亿元楼达到15栋"), n100, g100, "税收亿元楼达到15栋")
        check("clusters", N_("形成10个特色楼宇经济聚集区"), x.clusters, g_clusters, "形成10个特色楼宇经济聚集区")
    return {"outcome": "met" if not not_met else "not_met", "buildings_tax_over_10m": n10,
            "buildings_tax_over_100m": n100, "building_tax_yuan": total, "building_tax_share": share,
            "occupancy_rate": occupancy, "met": met, "not_met": not_met}


outcome_labels("buildings.targets_from_register", met="已达到目标", not_met="尚未达到目标")
