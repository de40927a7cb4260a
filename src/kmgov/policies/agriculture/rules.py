"""昆政发〔2010〕59号 关于滇池流域农业产业结构调整的实施意见 — its computable provisions.

Each rule quotes, in brief, the provision it implements; every number is a parameter under
`parameters/` with its reference.
"""

from __future__ import annotations

import enum
import math

from django.utils.translation import gettext_noop as N_
from pydantic import Field

from kmgov.rules import Ctx, RuleInput, rule
from kmgov.rules.lazy import np

from . import plain as words

DOC = "昆政发〔2010〕59号"


class FromUse(str, enum.Enum):
    grain = "grain"
    vegetable = "vegetable"
    flower = "flower"
    other = "other"


class ToUse(str, enum.Enum):
    horticulture = "horticulture"
    nursery = "nursery"
    economic_forest = "economic_forest"
    wetland_park = "wetland_park"
    leisure_farming = "leisure_farming"
    other = "other"


class Crop(str, enum.Enum):
    vegetable = "vegetable"
    flower = "flower"
    grain = "grain"
    other = "other"


_USE_ALIASES = {
    "其他": "other", N_("粮食"): "grain", N_("蔬菜"): "vegetable", N_("花卉"): "flower", "vegetables": "vegetable", "flowers": "flower",
    "烤烟": "other", "tobacco": "other",
}
_TO_ALIASES = {
    "其他": "other", N_("园林园艺"): "horticulture", N_("苗木"): "nursery", N_("经济林木"): "economic_forest", "经济林木（果）": "economic_forest",
    "经济林": "economic_forest", N_("滇池湿地生态园区"): "wetland_park", "湿地生态园区": "wetland_park",
    N_("农业休闲观光园区"): "leisure_farming", "农业休闲观光区": "leisure_farming", "leisure": "leisure_farming",
    "wetland": "wetland_park", "economic_forestry": "economic_forest",
}


# --- 四(二) 种植业结构调整补助 --------------------------------------------------------------


class ConversionInput(RuleInput):
    ALIASES = {"from_use": _USE_ALIASES, "to_use": _TO_ALIASES}
    area_mu: float = Field(ge=0, description=N_("调整面积（亩）"))
    from_use: FromUse = Field(description=N_("原种植产业（粮食、蔬菜、花卉或其他）"))
    to_use: ToUse = Field(
        description=N_("调整后用途（园林园艺、苗木、经济林木（果）、滇池湿地生态园区、农业休闲观光园区或其他）")
    )
    in_dianchi_basin: bool = Field(default=True, description=N_("在滇池流域内"))


@rule(
    "agriculture.conversion_subsidy",
    title="种植业结构调整补助",
    inputs=ConversionInput,
    outputs=("amount_yuan",),
    outcomes=("eligible", "ineligible"),
    cite=[(DOC, "四(二)", "现有的粮食、蔬菜、花卉种植产业，调整为……的，每亩一次性给予补助1000元")],
    plain=words.conversion,
)
def conversion_subsidy(c: Ctx):
    """四(二)：现有粮食、蔬菜、花卉种植产业调整为园林园艺、苗木、经济林木（果）和滇池湿地生态
    园区、农业休闲观光园区的，每亩一次性补助1000元。"""
    x = c.x
    basin = c.condition(N_("在滇池流域内"), x.in_dianchi_basin, cite=(DOC, "一", "滇池流域2920平方公里范围内"),
                        values={"in_dianchi_basin": x.in_dianchi_basin}, field="in_dianchi_basin",
                        todo=N_("此项补助只适用于滇池流域内的调整；到滇池流域以外租地种植蔬菜、花卉的，"
                                "可申请租地种植补助（四(三)）"))
    allowed_from = c.p("conversion_from_uses")
    ok_from = c.condition(N_("原种植产业为粮食、蔬菜或花卉"), c.isin(x.from_use, allowed_from),
                          values={"from_use": x.from_use, "allowed": allowed_from}, field="from_use",
                          todo=N_("原种植粮食、蔬菜、花卉的才有此项补助；其他作物调整的不享受，但贷款发展园林园艺、"
                                  "苗木、经济林木（果）的可申请贷款贴息（四(一)）"))
    allowed_to = c.p("conversion_to_uses")
    ok_to = c.condition(N_("调整后用途在所列范围内"), c.isin(x.to_use, allowed_to),
                        values={"to_use": x.to_use, "allowed": allowed_to}, field="to_use",
                        todo=N_("改为园林园艺、苗木、经济林木（果）或滇池湿地生态园区、农业休闲观光园区后再申请"))
    eligible = c.all(basin, ok_from, ok_to)
    rate = c.p("conversion_subsidy_rate")
    amount = c.where(eligible, x.area_mu * rate, 0.0)
    c.step("补助 = 面积 × 每亩标准", amount, values={"area_mu": x.area_mu, "rate": rate, "eligible": eligible})
    return {"outcome": c.where(eligible, "eligible", "ineligible"), "amount_yuan": amount}


# --- 四(三) 到滇池流域以外租地种植补助 ------------------------------------------------------


class OffsiteRentInput(RuleInput):
    ALIASES = {"crop": _USE_ALIASES}
    contiguous_area_mu: float = Field(ge=0, description=N_("连片租地面积（亩）"))
    crop: Crop = Field(description=N_("种植作物（蔬菜、花卉、粮食或其他）"))
    outside_basin: bool = Field(description=N_("租地在滇池流域以外"))
    years: int = Field(default=3, ge=0, description=N_("申请补助的年数（最多连续3年）"))


@rule(
    "agriculture.offsite_rent_subsidy",
    title="到滇池流域以外租地种植补助",
    inputs=OffsiteRentInput,
    outputs=("amount_yuan", "per_year_yuan", "years_subsidised"),
    outcomes=("eligible", "ineligible"),
    cite=[(DOC, "四(三)", "农户到滇池流域以外租用土地种植蔬菜、花卉连片5亩以上的，按每亩500元/年给予补助，连续补助3年")],
    plain=words.offsite_rent,
)
def offsite_rent_subsidy(c: Ctx):
    """四(三)：农户到滇池流域以外租地种植蔬菜、花卉，连片5亩以上的，每亩500元/年，连续补助3年。"""
    x = c.x
    outside = c.condition(N_("租地在滇池流域以外"), x.outside_basin, values={"outside_basin": x.outside_basin},
                          field="outside_basin", cite=(DOC, "四(三)", "到滇池流域以外租用土地"),
                          todo=N_("此项补助只适用于到滇池流域以外租地；在流域内调整为园林园艺、苗木等的，"
                                  "可申请种植业结构调整补助（四(二)）"))
    crops = c.p("offsite_rent_crops")
    ok_crop = c.condition(N_("种植蔬菜或花卉"), c.isin(x.crop, crops), values={"crop": x.crop, "allowed": crops}, field="crop",
                          todo=N_("改种蔬菜或花卉后再申请"))
    ok_area = c.threshold(N_("连片面积达到5亩（以上，含5亩）"), x.contiguous_area_mu, "offsite_rent_min_area",
                          field="contiguous_area_mu")
    eligible = c.all(outside, ok_crop, ok_area)
    max_years = c.p("offsite_rent_years")
    years = c.minimum(x.years, max_years)
    c.step("补助年数 = min(申请年数, 3)", years, values={"years": x.years, "max_years": max_years})
    rate = c.p("offsite_rent_rate")
    per_year = c.where(eligible, x.contiguous_area_mu * rate, 0.0)
    amount = per_year * years
    c.step("补助 = 面积 × 500元/亩/年 × 年数", amount,
           values={"contiguous_area_mu": x.contiguous_area_mu, "per_year_yuan": per_year, "years": years})
    return {
        "outcome": c.where(eligible, "eligible", "ineligible"),
        "amount_yuan": amount,
        "per_year_yuan": per_year,
        "years_subsidised": c.where(eligible, years, 0),
    }


# --- 四(四) 培训转移农村劳动力补助 ----------------------------------------------------------


class TrainingInput(RuleInput):
    people: int = Field(ge=0, description=N_("接受技能培训并转移的劳动力人数"))


@rule(
    "agriculture.training_subsidy",
    title="培训转移农村劳动力补助",
    inputs=TrainingInput,
    outputs=("amount_yuan",),
    outcomes=("eligible", "ineligible"),
    cite=[(DOC, "四(四)", "区域内劳动力技能培训转移补助增加到800元/人")],
    plain=words.training,
)
def training_subsidy(c: Ctx):
    """四(四)：滇池流域内劳动力技能培训转移补助800元/人。"""
    x = c.x
    c.condition(N_("接受技能培训并转移的劳动力人数大于0"), x.people > 0, field="people", values={"people": x.people},
                todo=N_("组织滇池流域内的劳动力参加技能培训并转移就业后，按人数申报（三(四)）"))
    rate = c.p("training_subsidy_rate")
    amount = x.people * rate
    c.step("补助 = 人数 × 800元/人", amount, values={"people": x.people, "rate": rate})
    return {"outcome": c.where(x.people > 0, "eligible", "ineligible"), "amount_yuan": amount}


# --- 四(五) 土地流转一次性奖励 --------------------------------------------------------------


class LandTransferInput(RuleInput):
    area_mu: float = Field(ge=0, description=N_("土地承包经营权流转面积（亩）"))


@rule(
    "agriculture.land_transfer_reward",
    title="土地承包经营权流转一次性奖励",
    inputs=LandTransferInput,
    outputs=("amount_yuan", "rate_yuan_per_mu", "tier"),
    outcomes=("eligible", "ineligible"),
    cite=[(DOC, "四(五)", "1000亩—2000亩的按每亩100元；2000亩—3000亩按每亩150元；3000亩以上按每亩200元")],
    plain=words.land_transfer,
)
def land_transfer_reward(c: Ctx):
    """四(五)（依昆政发〔2010〕8号）：流转1000—2000亩每亩100元，2000—3000亩每亩150元，3000亩以上
    每亩200元。共用边界与1000亩以下为解释性参数。"""
    x = c.x
    area = x.area_mu
    brackets = c.p("land_transfer_reward")
    boundary = c.p("land_transfer_shared_boundary")
    below = c.p("land_transfer_below_minimum_rate")
    c.step("档次表与边界解释", boundary, values={"brackets": brackets, "shared_boundary_goes_to": boundary},
           note="共用边界归较高档（upper）或较低档（lower）；最低档门槛1000亩总含本数")
    ascending = all(brackets[i][0] < brackets[i + 1][0] for i in range(len(brackets) - 1))
    if c.vector and ascending and len(brackets) < 255:
        # a table: the tier is the number of thresholds reached (they are in ascending order, so
        # the last one reached is the highest), counted in one byte per row; the rate is then
        # one look-up. The same as the loop below, in fewer passes.
        count = np.zeros(c.n, dtype=np.uint8)
        for i, (threshold, _amount) in enumerate(brackets):
            count += (area >= threshold) if (i == 0 or boundary == "upper") else (area > threshold)
        rate = np.array([float(below)] + [float(a) for _t, a in brackets])[count]
        tier = count.astype(np.int64)
    else:
        rate = c.full(float(below))
        tier = c.full(0)
        for i, (threshold, amount) in enumerate(brackets):
            if i == 0 or boundary == "upper":
                hit = area >= threshold
            else:
                hit = area > threshold
            rate = c.where(hit, float(amount), rate)
            tier = c.where(hit, i + 1, tier)
    if not c.vector:
        lo = brackets[0][0]
        if area < lo:
            c.step(f"流转面积不足{lo}亩：公报未规定（按解释取每亩{below}元）", rate,
                   values={"area_mu": area, "threshold": lo, "comparison": "<", "word": "不足"}, ok=False)
            c.unmet.append({"group": None, "condition": f"流转面积达到{lo}亩", "field": "area_mu", "value": area,
                            "comparison": ">=", "threshold": lo, "word": "1000亩—2000亩",
                            "reference": f"{DOC} 四(五)",
                            "label": N_("流转面积达到%(n)s亩"), "words": {"n": lo}})
        else:
            c.step(f"流转面积{area}亩落在第{tier}档", rate, values={"area_mu": area, "tier": tier, "rate": rate},
                   cite=(DOC, "四(五)", ""))
    amount = area * rate
    c.step("奖励 = 流转面积 × 所在档次每亩标准", amount, values={"area_mu": area, "rate": rate})
    return {
        "outcome": c.where(amount > 0, "eligible", "ineligible"),
        "amount_yuan": amount,
        "rate_yuan_per_mu": rate,
        "tier": tier,
    }


# --- 四(七) 资金承担比例 ---------------------------------------------------------------------


class CostShareInput(RuleInput):
    ALIASES = {"district": {}, "township": {}}  # filled below
    district: str = Field(min_length=1, max_length=40, description=N_("县区，按公报写法，如 晋宁县、盘龙区、经开区"))
    township: str | None = Field(default=None, max_length=40, description=N_("乡镇（可选），如 滇源镇"))
    amount_yuan: float = Field(ge=0, description=N_("应分担的资金（元）"))


_DISTRICT_ALIASES = {
    "五华": "五华区", "盘龙": "盘龙区", "官渡": "官渡区", "西山": "西山区", "呈贡": "呈贡县", "呈贡区": "呈贡县",
    "晋宁": "晋宁县", "晋宁区": "晋宁县", "经济技术开发区": "经开区", "昆明经济技术开发区": "经开区", "经开": "经开区",
    "高新技术产业开发区": "高新区", "昆明高新技术产业开发区": "高新区", "高新": "高新区",
    "滇池国家旅游度假区": "度假区", "滇池度假区": "度假区", "度假": "度假区",
}
_TOWNSHIP_ALIASES = {"滇源": "滇源镇", "阿子营": "阿子营镇"}
CostShareInput.ALIASES = {"district": _DISTRICT_ALIASES, "township": _TOWNSHIP_ALIASES}


def _canon_district(name):
    return _DISTRICT_ALIASES.get(name, name)


def _prepare_cost_share(cols):
    cols = dict(cols)
    cols["township"] = cols["township"].relabel(lambda v: v or "")
    return cols


@rule(
    "agriculture.cost_share",
    title="市、县两级资金承担比例",
    inputs=CostShareInput,
    outputs=("city_yuan", "county_yuan", "city_share"),
    outcomes=("covered", "not_covered"),
    refusals=("not_covered",),
    cite=[(DOC, "四(七)", "市级与五华区、盘龙区、官渡区、西山区、呈贡县、三个开发（度假）区管委会2：8；与晋宁县为7：3；与盘龙区滇源镇、阿子营镇为8：2")],
    prepare_vector=_prepare_cost_share,
    plain=words.cost_share,
)
def cost_share(c: Ctx):
    """四(七)：市、县分担：五华、盘龙、官渡、西山、呈贡、三个开发（度假）区 2:8；晋宁 7:3；
    盘龙区滇源镇、阿子营镇 8:2（乡镇的比例优先于所在区）。"""
    x = c.x
    district = x.district
    township = x.township
    if not c.vector:
        district = _canon_district(district)
        township = _TOWNSHIP_ALIASES.get(township or "", township or "")
    basin = c.p("cost_share_basin_counties")
    jinning = c.p("cost_share_jinning_counties")
    towns = c.p("cost_share_townships")
    town_district = c.p("cost_share_township_district")
    in_basin = c.isin(district, basin)
    in_jinning = c.isin(district, jinning)
    # a township overrides its district; a township written in the district field counts too
    in_town = c.any(c.all(c.isin(township, towns), c.any(district == town_district, district == "")),
                    c.isin(district, towns))
    s_basin = c.p("cost_share_basin_city_share")
    s_jin = c.p("cost_share_jinning_city_share")
    s_town = c.p("cost_share_township_city_share")
    share = c.where(in_town, s_town, c.where(in_jinning, s_jin, c.where(in_basin, s_basin, 0.0)))
    covered = c.any(in_town, in_jinning, in_basin)
    if not c.vector:
        if in_town:
            c.step(f"{district}{township}：乡镇比例 8:2 优先于所在区", share,
                   values={"district": district, "township": township, "city_share": share})
        elif in_jinning:
            c.step(f"{district}：7:3", share, values={"district": district, "city_share": share})
        elif in_basin:
            c.step(f"{district}：2:8", share, values={"district": district, "city_share": share}
                   , note=("乡镇 " + township + " 不在8:2之列，适用所在区比例") if township else None)
        else:
            c.condition(N_("县区在59号所列分担范围内"), False, values={"district": district, "listed": basin + jinning},
                        field="district")
    city = c.round(x.amount_yuan * share, 2)
    county = c.where(covered, c.round(x.amount_yuan - city, 2), 0.0)
    c.step("市级 = 金额 × 市级比例；县级 = 金额 − 市级", city,
           values={"amount_yuan": x.amount_yuan, "city_share": share, "city_yuan": city, "county_yuan": county})
    return {
        "outcome": c.where(covered, "covered", "not_covered"),
        "city_yuan": city,
        "county_yuan": county,
        "city_share": share,
    }


# --- 四(一) 贷款贴息 --------------------------------------------------------------------------


class LoanInterestInput(RuleInput):
    principal_yuan: float = Field(ge=0, description=N_("贷款本金（元）"))
    loan_rate: float = Field(ge=0, le=1, description=N_("贷款年利率（小数，如0.0531）"))
    benchmark_rate: float = Field(ge=0, le=1, description=N_("同期人民银行同档次贷款基准利率（小数）"))
    years: float = Field(ge=0, description=N_("申请贴息年数"))


@rule(
    "agriculture.loan_interest_subsidy",
    title="农业结构调整贷款贴息",
    inputs=LoanInterestInput,
    outputs=("amount_yuan", "subsidy_rate", "years_subsidised"),
    outcomes=("eligible", "ineligible"),
    cite=[(DOC, "四(一)", "贷款贴息期限3年，贴息资金的贴息率不高于同期人民银行同档次贷款基准利率")],
    plain=words.loan_interest,
)
def loan_interest_subsidy(c: Ctx):
    """四(一)：碳汇基金贷款贴息，期限3年，贴息率不高于同期人民银行同档次贷款基准利率。"""
    x = c.x
    c.p("loan_interest_rate_cap")
    rate = c.minimum(x.loan_rate, x.benchmark_rate)
    c.step("贴息率 = min(贷款利率, 基准利率)（不高于基准利率）", rate,
           values={"loan_rate": x.loan_rate, "benchmark_rate": x.benchmark_rate})
    max_years = c.p("loan_interest_max_years")
    years = c.minimum(x.years, max_years)
    c.step("贴息年数 = min(申请年数, 3)", years, values={"years": x.years, "max_years": max_years})
    method = c.p("loan_interest_method")
    amount = c.round(x.principal_yuan * rate * years, 2)
    c.step("贴息额 = 本金 × 贴息率 × 年数（单利，解释）", amount,
           values={"principal_yuan": x.principal_yuan, "rate": rate, "years": years, "method": method})
    return {"outcome": c.where(amount > 0, "eligible", "ineligible"), "amount_yuan": amount,
            "subsidy_rate": rate, "years_subsidised": years}


# --- 附件1、附件2 的核对（AG-1、AG-9） -----------------------------------------------------


class AnnexCheckInput(RuleInput):
    pass


_ANNEX1_ROWS = ["wuhua", "panlong", "guandu", "xishan", "chenggong", "jinning", "dujiaqu", "jingkaiqu", "gaoxinqu"]


def _half_up(value: float, decimals: int) -> float:
    q = 10**decimals
    return math.floor(value * q + 0.5 + 1e-9) / q


@rule(
    "agriculture.annex_check",
    title="附件1计划表与附件2经费测算表的复核",
    inputs=AnnexCheckInput,
    outputs=("annex1_recomputed", "annex2_recomputed", "inconsistencies"),
    outcomes=("consistent", "inconsistent"),
    refusals=(),
    cite=[(DOC, "附件1 表", "滇池流域各县区耕地面积及年度调整计划表"), (DOC, "附件2 表", "经费测算表")],
    vectorised=False,
    plain=words.annex_check,
)
def annex_check(c: Ctx):
    """AG-1 / AG-9：由附件1分县分年数字重算合计行；由附件1面积和补助标准（1000元/亩、800元/人）
    重算附件2；与印刷数字比较，并报告公报数字之间的不一致。"""
    years = c.p("plan_years")
    rows = {}
    for key in _ANNEX1_ROWS:
        rows[key] = {
            "farmland_mu": c.p(f"annex1.{key}.farmland_mu"),
            **{y: c.p(f"annex1.{key}.adjust_{y}_mu") for y in years},
        }
    c.step("读取附件1各县区耕地面积与年度调整面积", len(rows), values={"rows": rows}, cite=(DOC, "附件1 表", ""))
    issues: list[dict] = []
    # row sums: each district's yearly adjustments add up to its farmland
    for key, r in rows.items():
        s = round(sum(r[y] for y in years), 1)
        ok = abs(s - r["farmland_mu"]) < 1e-6
        c.step(f"{key}：各年调整面积之和 = 耕地面积", ok, values={"sum": s, "farmland_mu": r["farmland_mu"]},
               cite=(DOC, "附件1 表", ""), ok=ok)
        if not ok:
            issues.append({"where": f"附件1 {key}", "printed": r["farmland_mu"], "recomputed": s})
    total = {"farmland_mu": round(sum(r["farmland_mu"] for r in rows.values()), 1)}
    for y in years:
        total[y] = round(sum(r[y] for r in rows.values()), 1)
    printed = {"farmland_mu": c.p("annex1.total.farmland_mu"), **{y: c.p(f"annex1.total.adjust_{y}_mu") for y in years}}
    for k in total:
        ok = abs(total[k] - printed[k]) < 1e-6
        c.step(f"附件1合计行 {k}：重算 = 印刷", ok, values={"recomputed": total[k], "printed": printed[k]},
               cite=(DOC, "附件1 表", "合计"), ok=ok)
        if not ok:
            issues.append({"where": f"附件1 合计 {k}", "printed": printed[k], "recomputed": total[k]})
    # §13: yearly percentages in the text vs the annex
    shares_text = c.p("yearly_cut_shares")
    source = c.p("yearly_plan_source")
    shares_annex = [round(total[y] / total["farmland_mu"], 3) for y in years]
    ok = all(abs(a - b) < 0.005 for a, b in zip(shares_annex, shares_text))
    c.step("正文年度比例（10%、20%、40%、30%）与附件1比例一致", ok,
           values={"text": shares_text, "annex1": shares_annex, "plan_source": source},
           cite=(DOC, "二(二)", "按年度分别调减现有耕地面积10%、20%、40%和30%"), ok=ok,
           note="计划以附件1为准（解释参数 yearly_plan_source）")
    if not ok:
        issues.append({"where": "59号 二(二) 与 附件1", "kind": "yearly_percentages", "printed": shares_text,
                       "recomputed": shares_annex, "note": "正文百分比与附件1分年面积不符"})
    text_total = c.p("total_farmland_text_wan_mu")
    exact_wan = total["farmland_mu"] / 10000
    ok = abs(_half_up(exact_wan, 1) - text_total) < 1e-9
    c.step("正文耕地面积34.3万亩与附件1合计", ok, values={"text_wan_mu": text_total, "annex1_mu": total["farmland_mu"],
           "annex1_wan_mu_rounded": _half_up(exact_wan, 1)}, cite=(DOC, "二(二)", "34.3万亩"), ok=ok)
    if not ok:
        issues.append({"where": "59号 二(二)/附件2 合计 与 附件1 合计", "kind": "total_area", "printed": text_total,
                       "recomputed": round(exact_wan, 4),
                       "note": "34.3万亩是各年取整之和；附件1合计342473.6亩约为34.2万亩"})
    text_years = c.p("yearly_plan_text_wan_mu")
    for y, tv in zip(years, text_years):
        ok = abs(_half_up(total[y] / 10000, 1) - tv) < 1e-9
        c.step(f"正文{y}年调整面积与附件1一致（取一位小数）", ok, values={"text_wan_mu": tv, "annex1_mu": total[y]},
               cite=(DOC, "二(二)", ""), ok=ok)
        if not ok:
            issues.append({"where": f"59号 二(二) {y}", "printed": tv, "recomputed": total[y] / 10000})
    # Annex 2
    decimals = c.p("annex2_area_decimals")
    rate = c.p("conversion_subsidy_rate")
    train_rate = c.p("training_subsidy_rate")
    skills = c.p("training_skills_by_year")
    annex2 = {}
    for y, people in zip(years, skills):
        area_wan = _half_up(total[y] / 10000, decimals)
        sub = round(area_wan * 10000 * rate / 10000, 4)
        tr = round(people * train_rate / 10000, 4)
        annex2[y] = {"area_wan_mu": area_wan, "structure_subsidy_wan_yuan": sub, "training_wan_yuan": tr,
                     "total_wan_yuan": round(sub + tr, 4),
                     "structure_subsidy_exact_wan_yuan": round(total[y] * rate / 10000, 4)}
    annex2["total"] = {
        k: round(sum(annex2[y][k] for y in years), 4)
        for k in ("area_wan_mu", "structure_subsidy_wan_yuan", "training_wan_yuan", "total_wan_yuan",
                  "structure_subsidy_exact_wan_yuan")
    }
    c.step("由附件1面积（取整到0.1万亩）× 1000元/亩、技能培训人数 × 800元/人 重算附件2", True,
           values={"recomputed": annex2, "decimals": decimals}, cite=(DOC, "附件2 表", "按1000元/亩补助……800元/人计"))
    for y in [*years, "total"]:
        key = f"y{y}" if y != "total" else "total"
        for col in ("area_wan_mu", "structure_subsidy_wan_yuan", "training_wan_yuan", "total_wan_yuan"):
            pv = c.p(f"annex2.{key}.{col}")
            rv = annex2[y][col]
            ok = abs(pv - rv) < 1e-6
            c.step(f"附件2 {y} {col}：重算 = 印刷", ok, values={"recomputed": rv, "printed": pv},
                   cite=(DOC, "附件2 表", ""), ok=ok)
            if not ok:
                issues.append({"where": f"附件2 {y} {col}", "printed": pv, "recomputed": rv})
        exact = annex2[y]["structure_subsidy_exact_wan_yuan"]
        printed_sub = annex2[y]["structure_subsidy_wan_yuan"]
        if abs(exact - printed_sub) > 1e-6:
            issues.append({"where": f"附件2 {y} 结构调整补助资金", "kind": "area_rounding",
                           "printed": c.p(f"annex2.{key}.structure_subsidy_wan_yuan"), "recomputed": exact,
                           "note": f"附件2按{annex2[y]['area_wan_mu']}万亩计；附件1面积精确计算为{exact}万元"})
    people_total = c.p("annex2_training_total_people")
    ok = sum(skills) == people_total
    c.step("附件2备注：4年技能培训10万人 = 正文各年技能培训人数之和", ok,
           values={"sum": sum(skills), "annex2": people_total}, cite=(DOC, "附件2 表", "4年培训10万人"), ok=ok)
    if not ok:
        issues.append({"where": "附件2 备注2", "printed": people_total, "recomputed": sum(skills)})
    c.step("不一致之处", len(issues), values={"count": len(issues)})
    return {
        "outcome": "consistent" if not issues else "inconsistent",
        "annex1_recomputed": {"rows": rows, "total": total, "shares": shares_annex},
        "annex2_recomputed": annex2,
        "inconsistencies": issues,
    }


@rule(
    "agriculture.annex1_check",
    title="附件1计划表的复核（AG-1）",
    inputs=AnnexCheckInput,
    outputs=("annex1_recomputed", "inconsistencies"),
    outcomes=("consistent", "inconsistent"),
    refusals=(),
    cite=[(DOC, "附件1 表", "滇池流域各县区耕地面积及年度调整计划表"), (DOC, "二(二)", "按年度分别调减现有耕地面积10%、20%、40%和30%")],
    vectorised=False,
    plain=words.annex1_check,
)
def annex1_check(c: Ctx):
    """AG-1：附件1 的分县分年数字重算合计行，并与正文的年度比例和面积比较。"""
    out = annex_check(c)
    issues = [i for i in out["inconsistencies"] if not i["where"].startswith("附件2")]
    return {"outcome": "consistent" if not issues else "inconsistent",
            "annex1_recomputed": out["annex1_recomputed"], "inconsistencies": issues}


@rule(
    "agriculture.annex2_check",
    title="附件2经费测算表的复核（AG-9）",
    inputs=AnnexCheckInput,
    outputs=("annex2_recomputed", "inconsistencies"),
    outcomes=("consistent", "inconsistent"),
    refusals=(),
    cite=[(DOC, "附件2 表", "经费测算表"), (DOC, "四(二)", "每亩一次性给予补助1000元"), (DOC, "四(四)", "800元/人")],
    vectorised=False,
    plain=words.annex2_check,
)
def annex2_check(c: Ctx):
    """AG-9：由附件1面积与补助标准重算附件2（按年预算），并报告取整造成的差额。"""
    out = annex_check(c)
    issues = [i for i in out["inconsistencies"] if i["where"].startswith("附件2") or i.get("kind") == "total_area"]
    return {"outcome": "consistent" if not issues else "inconsistent",
            "annex2_recomputed": out["annex2_recomputed"], "inconsistencies": issues}
