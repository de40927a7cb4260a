"""昆政发〔2010〕61号 关于加快推进中低产林改造的实施意见 — subsidy (四(三)), the criteria for a
low-yield stand (三(一)) and its exclusions (三(二)), the allowed methods (三(三)), the logging
quota (五(七)), the pilot area (四(二)) and the county tasks (四(一))."""

from __future__ import annotations

import enum

from django.utils.translation import gettext_noop as N_
from pydantic import Field, field_validator

from kmgov.rules import Ctx, RuleInput, amount_labels, rule

from . import plain as words

DOC = "昆政发〔2010〕61号"


class SubsidyInput(RuleInput):
    area_mu: float = Field(ge=0, description=N_("改造面积（亩）"))
    pilot: bool = Field(default=False, description=N_("试点项目"))


@rule(
    "forestry.transformation_subsidy",
    title="中低产林改造市级补助",
    inputs=SubsidyInput,
    outputs=("amount_yuan", "on_design_approval_yuan", "after_acceptance_yuan", "rate_yuan_per_mu"),
    cite=[(DOC, "四(三)", "试点项目每亩补助200元，正常改造项目每亩补助100元。设计批准后市财政根据设计下拨50%的补助资金，其余资金验收后拨付"),
          (DOC, "五(四)", "试点项目每亩补助200元，正常改造项目每亩补助100元")],
    plain=words.subsidy,
)
def transformation_subsidy(c: Ctx):
    """四(三)（五(四)重申）：试点每亩200元，正常改造每亩100元；设计批准后拨50%，其余验收后拨付。"""
    x = c.x
    pilot_rate = c.p("subsidy_pilot_per_mu")
    normal_rate = c.p("subsidy_normal_per_mu")
    rate = c.where(x.pilot, pilot_rate, normal_rate)
    c.step("每亩标准：试点200元，正常改造100元", rate, values={"pilot": x.pilot})
    amount = x.area_mu * rate
    c.step("补助 = 面积 × 每亩标准", amount, values={"area_mu": x.area_mu, "rate": rate})
    share = c.p("subsidy_on_design_share")
    first = c.round(amount * share, 2)
    rest = c.round(amount - first, 2)
    c.step("设计批准后拨付50%，其余验收（县自查、市抽检）后拨付", first,
           values={"on_design_approval_yuan": first, "after_acceptance_yuan": rest})
    return {"amount_yuan": amount, "on_design_approval_yuan": first, "after_acceptance_yuan": rest,
            "rate_yuan_per_mu": rate}


class AgeClass(str, enum.Enum):
    young = "young"
    middle = "middle"
    near_mature = "near_mature"
    mature = "mature"
    overmature = "overmature"
    unknown = "unknown"


_EXCLUSIONS = ("none", "nature_reserve", "primitive_natural_forest", "special_shrub", "protected_wild_plants",
               "biodiversity_typical_area", "fragile_public_welfare_land", "disputed_ownership", "excluded")


class Exclusion(str, enum.Enum):
    none = "none"
    nature_reserve = "nature_reserve"
    primitive_natural_forest = "primitive_natural_forest"
    special_shrub = "special_shrub"
    protected_wild_plants = "protected_wild_plants"
    biodiversity_typical_area = "biodiversity_typical_area"
    fragile_public_welfare_land = "fragile_public_welfare_land"
    disputed_ownership = "disputed_ownership"
    excluded = "excluded"


class LowYieldInput(RuleInput):
    ALIASES = {
        "age_class": {N_("中龄"): "middle", N_("幼龄"): "young", N_("近熟"): "near_mature", N_("成熟"): "mature", N_("过熟"): "overmature",
                      "中龄林": "middle", "幼龄林": "young", "近熟林": "near_mature", "成熟林": "mature", "过熟林": "overmature",
                      "near-mature": "near_mature", "over_mature": "overmature", "over-mature": "overmature"},
        "excluded_area": {N_("自然保护区"): "nature_reserve", "自然保护区林木": "nature_reserve", "原始天然林": "primitive_natural_forest",
                          "特殊灌木林": "special_shrub", "国家和省级重点保护的野生植物": "protected_wild_plants",
                          "重点保护野生植物": "protected_wild_plants", "生物多样性典型区域": "biodiversity_typical_area",
                          "生态环境脆弱地的公益林地": "fragile_public_welfare_land", "权属不清或有争议的林地": "disputed_ownership",
                          "权属不清": "disputed_ownership", "有争议": "disputed_ownership"},
    }
    growth_shortfall_ratio: float = Field(default=0, ge=0, le=1, description=N_("生长量（树高、蓄积）较同类立地条件平均水平低的比例（0—1）"))
    canopy_density: float | None = Field(default=None, ge=0, le=1, description=N_("郁闭度（0—1）"))
    age_class: AgeClass = Field(default=AgeClass.unknown, description=N_("龄组：young/middle/near_mature/mature/overmature"))
    damaged_stem_ratio: float = Field(default=0, ge=0, le=1, description=N_("风倒木、病害木占单位面积株数比重（0—1）"))
    vegetation_cover: float | None = Field(default=None, ge=0, le=1, description=N_("植被覆盖度（0—1）"))
    target_species_ratio: float | None = Field(default=None, ge=0, le=1, description=N_("目的树种组成比重（0—1）"))
    merchantable_ratio: float | None = Field(default=None, ge=0, le=1, description=N_("商品材预期出材率（0—1）"))
    non_wood_shortfall_ratio: float = Field(default=0, ge=0, le=1, description=N_("非木质产品产量较平均水平低的比例（0—1）"))
    non_wood_shortfall_years: int = Field(default=0, ge=0, description=N_("非木质产品连续减产的年数"))
    degraded_stand: bool = Field(default=False, description=N_("林相残败、功能低下并导致森林生态系统退化"))
    unsuitable_species_or_provenance: bool = Field(default=False, description=N_("因未适地适树或种源不适而造成的低效林分"))
    protective_function_declined: bool = Field(default=False, description=N_("林分衰败、生态防护功能显著下降"))
    non_wood_variety_degraded: bool = Field(default=False, description=N_("非木质产品林木或品种退化，已不适应市场需求"))
    excluded_area: Exclusion = Field(default=Exclusion.none, description=N_("不纳入改造范围的林地类别（none 表示不属于）"))

    @field_validator("excluded_area", mode="before")
    @classmethod
    def _bool_exclusion(cls, v):
        if v is True:
            return "excluded"
        if v is False or v is None or v == "":
            return "none"
        return v


@rule(
    "forestry.low_yield_classification",
    title="中低产林界定",
    inputs=LowYieldInput,
    outputs=("criteria_met",),
    outcomes=("low_yield", "not_low_yield", "excluded"),
    refusals=("not_low_yield", "excluded"),
    cite=[(DOC, "三(一)", "参照国家林业局发布的《低效林改造技术规程》和以下标准之一界定"),
          (DOC, "三(二)", "自然保护区林木、原始天然林……权属不清或有争议的林地，不纳入改造范围")],
    list_outputs={"criteria_met": ("general.degraded", "general.growth", "general.canopy", "general.damaged",
                                   "general.unsuitable", "ecological.vegetation", "ecological.declining",
                                   "economic.growth", "economic.target_species", "economic.merchantable",
                                   "economic.non_wood_yield", "economic.non_wood_variety")},
    plain=words.low_yield,
)
def low_yield_classification(c: Ctx):
    """三(一)：符合总体、生态、经济标准之一即界定为中低产林（以上、以下含本数；小于、低于不含）；
    三(二)：所列林地不纳入改造范围。"""
    x = c.x
    T = (DOC, "三(一)", "")
    excl_list = c.p("excluded_areas")
    excluded = c.isin(x.excluded_area, excl_list)
    c.step("是否属于不纳入改造范围的林地", excluded, values={"excluded_area": x.excluded_area},
           cite=(DOC, "三(二)", "自然保护区林木、原始天然林、特殊灌木林、国家和省级重点保护的野生植物、生物多样性典型区域、生态环境脆弱地的公益林地、权属不清或有争议的林地，不纳入改造范围"))
    crit = {}
    crit["general.degraded"] = c.condition(N_("总体：林相残败，功能低下，并导致森林生态系统退化"), x.degraded_stand,
                                           values={"degraded_stand": x.degraded_stand}, cite=T)
    crit["general.growth"] = c.threshold(N_("总体：生长量或生物量较同类立地条件平均水平低30%以上"), x.growth_shortfall_ratio,
                                         "general_growth_shortfall", field="growth_shortfall_ratio")
    canopy = c.num(x.canopy_density)
    low_canopy = c.threshold(N_("总体：郁闭度小于0.3"), c.where(c.isnan(canopy), 1.0, canopy), "general_canopy_density",
                             field="canopy_density")
    old_enough = c.isin(x.age_class, c.p("general_canopy_age_classes"))
    c.step("总体：龄组为中龄以上（含中龄）", old_enough, values={"age_class": x.age_class}, cite=T, ok=old_enough)
    crit["general.canopy"] = c.all(low_canopy, old_enough)
    crit["general.damaged"] = c.threshold(N_("总体：风倒木、病害木比重占单位面积株数20%以上"), x.damaged_stem_ratio,
                                          "general_damaged_stem_ratio", field="damaged_stem_ratio")
    crit["general.unsuitable"] = c.condition(N_("总体：因未适地适树或种源不适而造成的低效林分"), x.unsuitable_species_or_provenance,
                                             values={"unsuitable_species_or_provenance": x.unsuitable_species_or_provenance}, cite=T)
    veg = c.num(x.vegetation_cover)
    crit["ecological.vegetation"] = c.threshold(N_("生态：植被覆盖度小于40%"), c.where(c.isnan(veg), 1.0, veg), "eco_vegetation_cover",
                                                field="vegetation_cover")
    mature = c.isin(x.age_class, c.p("eco_declining_age_classes"))
    crit["ecological.declining"] = c.all(mature, x.protective_function_declined)
    c.step("生态：林分衰败、防护功能显著下降的成熟林和过熟林", crit["ecological.declining"],
           values={"age_class": x.age_class, "protective_function_declined": x.protective_function_declined}, cite=T,
           ok=crit["ecological.declining"])
    crit["economic.growth"] = c.threshold(N_("经济：树高、蓄积生长量较同类立地条件平均水平低30%以上"), x.growth_shortfall_ratio,
                                          "econ_growth_shortfall", field="growth_shortfall_ratio")
    tsr = c.num(x.target_species_ratio)
    crit["economic.target_species"] = c.threshold(N_("经济：目的树种组成比重占40%以下（含40%）"), c.where(c.isnan(tsr), 1.0, tsr),
                                                  "econ_target_species_ratio", field="target_species_ratio")
    mr = c.num(x.merchantable_ratio)
    crit["economic.merchantable"] = c.threshold(N_("经济：商品材预期出材率低于50%"), c.where(c.isnan(mr), 1.0, mr),
                                                "econ_merchantable_ratio", field="merchantable_ratio")
    crit["economic.non_wood_yield"] = c.all(
        c.threshold(N_("经济：非木质产品产量较平均水平低30%以上"), x.non_wood_shortfall_ratio, "econ_non_wood_shortfall",
                    field="non_wood_shortfall_ratio"),
        c.threshold(N_("经济：连续3年"), x.non_wood_shortfall_years, "econ_non_wood_years", field="non_wood_shortfall_years"),
    )
    crit["economic.non_wood_variety"] = c.condition(N_("经济：非木质产品林木或品种退化，已不适应市场需求"), x.non_wood_variety_degraded,
                                                    values={"non_wood_variety_degraded": x.non_wood_variety_degraded}, cite=T)
    any_met = c.any(*crit.values())
    if not c.vector:
        c.step("符合以上标准之一", [k for k, v in crit.items() if v], cite=(DOC, "三(一)", "以下标准之一界定"), ok=any_met)
    outcome = c.where(excluded, "excluded", c.where(any_met, "low_yield", "not_low_yield"))
    return {"outcome": outcome, "criteria_met": crit}


class Method(str, enum.Enum):
    harvest_regeneration = "harvest_regeneration"
    species_replacement = "species_replacement"
    tending = "tending"
    rejuvenation = "rejuvenation"
    comprehensive = "comprehensive"
    replanting = "replanting"
    closure = "closure"
    structure_improvement = "structure_improvement"
    clear_cutting = "clear_cutting"


def _method_words() -> dict[str, str]:
    """The methods' Chinese names (the project model's choices, the one catalogue) as aliases."""
    from .models import Method as MethodChoice

    return {str(m.label): m.value for m in MethodChoice}


class MethodsInput(RuleInput):
    ALIASES = {"method": _method_words()}
    public_welfare_forest: bool = Field(default=False, description=N_("公益林"))
    key_water_conservation: bool = Field(default=False, description=N_("重点水源涵养区的森林"))
    key_water_source: bool = Field(default=False, description=N_("重点水源区"))
    city_facing_mountain: bool = Field(default=False, description=N_("城镇面山"))
    road_facing_mountain: bool = Field(default=False, description=N_("主要交通沿线面山"))
    dianchi_basin: bool = Field(default=False, description=N_("滇池流域"))
    method: Method | None = Field(default=None, description=N_("拟采用的改造方式（可选）"))


@rule(
    "forestry.allowed_methods",
    title="中低产林改造方式",
    inputs=MethodsInput,
    outputs=("allowed_methods",),
    outcomes=("allowed", "forbidden"),
    refusals=("forbidden",),
    cite=[(DOC, "三(三)", "公益林及重点水源涵养区的森林禁止实施皆伐性改造。重点水源区、城镇面山、主要交通沿线面山、滇池流域等选择森林抚育、复壮改造、补植补造、封山育林、改善林分结构等方式改造")],
    vectorised=False,
    plain=words.methods,
)
def allowed_methods(c: Ctx):
    """三(三)：公益林、重点水源涵养区禁止皆伐性改造；重点水源区、城镇面山、交通沿线面山、滇池流域只选
    森林抚育、复壮改造、补植补造、封山育林、改善林分结构。"""
    x = c.x
    methods = list(c.p("methods"))
    no_clear = [a for a in c.p("clear_cut_forbidden_areas") if x[a]]
    if no_clear:
        methods = [m for m in methods if m != "clear_cutting"]
        c.step("禁止皆伐性改造", no_clear, values={k: True for k in no_clear}, cite=(DOC, "三(三)", "公益林及重点水源涵养区的森林禁止实施皆伐性改造"))
    restricted = [a for a in c.p("restricted_areas") if x[a]]
    if restricted:
        allowed = c.p("restricted_area_methods")
        methods = [m for m in methods if m in allowed]
        c.step("限定改造方式", allowed, values={k: True for k in restricted})
    c.step("允许的改造方式", methods)
    outcome = None
    if x.method is not None:
        ok = c.condition(N_("拟采用的%(m)s在允许的改造方式之列"), x.method in methods,
                         field="method", values={"method": x.method},
                         words={"m": words.method_word(x.method)})
        outcome = "allowed" if ok else "forbidden"
    return {"outcome": outcome, "allowed_methods": methods}


class LoggingInput(RuleInput):
    dbh_cm: float = Field(ge=0, description=N_("胸径（厘米）"))
    plantation_timber_thinning: bool = Field(default=True, description=N_("抚育间伐人工用材林"))


@rule(
    "forestry.logging_quota",
    title="抚育间伐林木是否纳入年度木材生产计划",
    inputs=LoggingInput,
    outputs=("in_logging_quota", "in_timber_production_plan"),
    cite=[(DOC, "五(七)", "对抚育间伐人工用材林胸径小于10厘米（含10厘米）的林木，只纳入采伐限额管理，不纳入年度木材生产计划")],
    plain=words.logging_quota,
)
def logging_quota(c: Ctx):
    """五(七)：抚育间伐人工用材林胸径10厘米以下（含10厘米）的林木只纳入采伐限额，不纳入年度木材生产计划。"""
    x = c.x
    small = c.threshold(N_("胸径小于10厘米（含10厘米）"), x.dbh_cm, "logging_dbh_max_cm", field="dbh_cm")
    only_quota = c.all(small, x.plantation_timber_thinning)
    c.step("抚育间伐人工用材林", x.plantation_timber_thinning, values={"plantation_timber_thinning": x.plantation_timber_thinning},
           cite=(DOC, "五(七)", "抚育间伐人工用材林"))
    return {"in_logging_quota": c.full(True), "in_timber_production_plan": c.not_(only_quota)}


class PilotInput(RuleInput):
    pilot_area_mu: float = Field(ge=0, description=N_("县（市）区改造试点面积（亩）"))


@rule(
    "forestry.pilot_requirement",
    title="县级改造试点面积",
    inputs=PilotInput,
    outputs=("deadline",),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
    cite=[(DOC, "四(二)", "各县(市)区必须在今年11月30日前完成一个改造试点,面积不得低于1000亩")],
    plain=words.pilot,
)
def pilot_requirement(c: Ctx):
    """四(二)：各县（市）区在2010年11月30日前完成一个改造试点，面积不得低于1000亩（含1000亩）。"""
    ok = c.threshold(N_("试点面积不得低于1000亩"), c.x.pilot_area_mu, "pilot_min_area_mu", field="pilot_area_mu")
    deadline = c.p("pilot_deadline")
    c.step("完成期限", deadline)
    return {"outcome": c.where(ok, "compliant", "non_compliant"), "deadline": c.full(deadline)}


class TasksInput(RuleInput):
    pass


@rule(
    "forestry.county_tasks_check",
    title="各县区改造任务与全市规划的复核",
    inputs=TasksInput,
    outputs=("sum_wan_mu", "plan_wan_mu", "inconsistencies"),
    outcomes=("consistent", "inconsistent"),
    refusals=(),
    cite=[(DOC, "四(一)", "2010—2020年全市规划改造任务200万亩"), (DOC, "四(二)", "计划试点完成40000亩,其中,中幼林抚育20000亩,树种更替20000亩")],
    vectorised=False,
    plain=words.county_tasks,
)
def county_tasks_check(c: Ctx):
    """四(一)：各县区任务之和应等于全市200万亩，“十二五”“十三五”各100万亩；四(二)：试点40000亩 = 抚育20000 + 更替20000。"""
    tasks = c.p("county_tasks_wan_mu")
    total, p1, p2 = c.p("plan_total_wan_mu")
    s = sum(v for _, v in tasks)
    issues = []
    ok = s == total
    c.step("各县区任务之和 = 全市任务", ok, values={"sum": s, "plan": total}, ok=ok)
    if not ok:
        issues.append({"where": "61号 四(一)", "printed": total, "recomputed": s})
    ok2 = p1 + p2 == total
    c.step("“十二五” + “十三五” = 全市任务", ok2, values={"first": p1, "second": p2, "plan": total}, ok=ok2)
    if not ok2:
        issues.append({"where": "61号 四(一) 分期", "printed": total, "recomputed": p1 + p2})
    pt, a, b = c.p("pilot_total_mu")
    ok3 = a + b == pt
    c.step("试点 = 中幼林抚育 + 树种更替", ok3, values={"total": pt, "tending": a, "replacement": b}, ok=ok3)
    if not ok3:
        issues.append({"where": "61号 四(二)", "printed": pt, "recomputed": a + b})
    return {"outcome": "consistent" if not issues else "inconsistent", "sum_wan_mu": s, "plan_wan_mu": total,
            "inconsistencies": issues}


class VillageDecisionInput(RuleInput):
    attendance: int = Field(ge=1, description=N_("到会人数（村民会议或村民代表会议）"))
    votes_for: int = Field(ge=0, description=N_("同意人数"))


@rule(
    "forestry.village_decision",
    title="集体林地改造的村民民主决策",
    inputs=VillageDecisionInput,
    outputs=("share_for",),
    outcomes=("agreed", "not_agreed"),
    refusals=("not_agreed",),
    cite=[(DOC, "五(五)", "属集体经营的林地，须按村民委员会组织法的有关规定，经民主决策同意，并报县级林业行政主管部门审批")],
    vectorised=False,
    plain=words.village,
)
def village_decision(c: Ctx):
    """五(五)：集体经营的林地须经民主决策同意；按村民委员会组织法取到会人员过半数（解释性参数）。"""
    x = c.x
    share = x.votes_for / x.attendance
    ok = c.threshold(N_("同意人数超过到会人数的半数"), share, "village_decision_majority", field="votes_for")
    c.condition(N_("同意人数不超过到会人数"), x.votes_for <= x.attendance, field="votes_for",
                values={"votes_for": x.votes_for, "attendance": x.attendance})
    ok = ok and x.votes_for <= x.attendance
    return {"outcome": "agreed" if ok else "not_agreed", "share_for": share}


# Plain words for the amounts on case pages (kmgov.rules.labels)
amount_labels("forestry.transformation_subsidy", amount_yuan="核定补助")
