"""昆政发〔2010〕60号 关于鼓励开展碳汇造林的指导意见 — the carbon footprint calculator the
gazette asks for (三(一)5), the donors' sign (三(一)), and the growth-to-CO₂ figures (一(一))."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_
from pydantic import Field, model_validator

from kmgov.rules import Ctx, RuleInput, rule

from . import plain as words

DOC = "昆政发〔2010〕60号"
_SOURCES = ("fuel_litres", "km_travelled", "co2_tonnes", "donation_yuan")


class OffsetInput(RuleInput):
    fuel_litres: float | None = Field(default=None, ge=0, description=N_("消耗燃油（升）"))
    km_travelled: float | None = Field(default=None, ge=0, description=N_("出行里程（公里）"))
    co2_tonnes: float | None = Field(default=None, ge=0, description=N_("二氧化碳排放（吨）"))
    donation_yuan: float | None = Field(default=None, ge=0, description=N_("捐资（元）"))

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k in _SOURCES if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of fuel_litres, km_travelled, co2_tonnes, donation_yuan"
                             + (f" (got {', '.join(given)})" if given else ""))
        return self


def _one_source(cols):
    import numpy as np

    from kmgov.rules import RuleInputError

    given = sum((~np.isnan(cols[k])).astype(int) for k in _SOURCES)
    bad = np.flatnonzero(given != 1)
    if len(bad):
        raise RuleInputError([{"field": "|".join(_SOURCES),
                               "message": f"row {bad[0] + 1}: give exactly one of {', '.join(_SOURCES)}"}])
    return cols


@rule(
    "carbon.offset",
    title="碳足迹与碳补偿计算",
    inputs=OffsetInput,
    outputs=("co2_tonnes", "mu_years", "area_mu", "trees", "cost_yuan", "sign_eligible"),
    cite=[
        (DOC, "三(二)", "车辆每消耗1公升燃油，平均排放2.7公斤二氧化碳，每亩人工林每年平均大约可吸收0.5吨二氧化碳，人工林从栽种到后期管养费用为500元/亩，经测算，吸收1吨二氧化碳的造林成本为1000元"),
        (DOC, "三(一)4", "出游10公里，请种1棵树"),
        (DOC, "三(一)5", "通过使用网上的碳足迹计算器计算人们生产生活产生的二氧化碳，需要多少面积的造林才能抵消"),
        (DOC, "三(一)", "若捐资数额达到营建10亩及以上碳汇林者，对其出资造林的林木挂以“**碳汇林”标牌"),
    ],
    prepare_vector=_one_source,
    plain=words.offset,
)
def offset(c: Ctx):
    """三(二)：燃油2.7公斤CO₂/升；人工林每亩每年吸收0.5吨；造林500元/亩；吸收1吨的造林成本1000元。
    三(一)4：出游10公里种1棵树（公报未给出里程与CO₂、树与面积的换算，里程只换算为棵数）。
    三(一)：捐资达到营建10亩及以上碳汇林者挂牌。"""
    x = c.x
    fuel, km, co2_in, money = c.num(x.fuel_litres), c.num(x.km_travelled), c.num(x.co2_tonnes), c.num(x.donation_yuan)
    kg_per_l = c.p("fuel_co2_kg_per_litre")
    per_tonne = c.p("cost_per_tonne")
    co2 = c.where(c.not_(c.isnan(fuel)), fuel * kg_per_l / 1000.0,
                  c.where(c.not_(c.isnan(co2_in)), co2_in,
                          c.where(c.not_(c.isnan(money)), money / per_tonne, float("nan"))))
    c.step("二氧化碳（吨）：燃油×2.7公斤/升，或捐资÷1000元/吨", co2,
           values={"fuel_litres": x.fuel_litres, "co2_tonnes": x.co2_tonnes, "donation_yuan": x.donation_yuan},
           note=None if c.vector or x.km_travelled is None else "公报未给出里程与二氧化碳的换算")
    absorb = c.p("absorption_t_per_mu_year")
    mu_years = co2 / absorb
    c.step("抵消所需造林（亩·年）= 吨 ÷ 0.5吨/亩/年", mu_years, values={"co2_tonnes": co2, "absorption": absorb})
    cost = c.where(c.not_(c.isnan(money)), money, co2 * per_tonne)
    c.step("造林成本（元）= 吨 × 1000元/吨", cost, values={"co2_tonnes": co2, "cost_per_tonne": per_tonne})
    per_mu = c.p("afforestation_cost_per_mu")
    area = cost / per_mu
    c.step("可营建碳汇林面积（亩）= 成本 ÷ 500元/亩", area, values={"cost_yuan": cost, "cost_per_mu": per_mu})
    km_per_tree = c.p("km_per_tree")
    rounding = c.p("trees_rounding")
    exact = km / km_per_tree
    trees = c.ceil(exact) if rounding == "ceil" else exact
    c.step("树（棵）= 公里 ÷ 10（“出游10公里，请种1棵树”）", trees,
           values={"km_travelled": x.km_travelled, "km_per_tree": km_per_tree, "rounding": rounding})
    sign = c.threshold(N_("出资营建10亩及以上碳汇林：挂“××碳汇林”标牌"), c.where(c.isnan(area), 0.0, area), "sign_min_area_mu")
    return {"co2_tonnes": co2, "mu_years": mu_years, "area_mu": area, "trees": trees, "cost_yuan": cost,
            "sign_eligible": sign}


class DonorSignInput(RuleInput):
    donation_yuan: float = Field(ge=0, description=N_("捐资（元）"))
    donor_type: str = Field(default="individual", pattern="^(enterprise|individual)$", description=N_("enterprise 企业 / individual 个人"))


@rule(
    "carbon.donor_sign",
    title="捐资者“××碳汇林”标牌",
    inputs=DonorSignInput,
    outputs=("area_mu", "co2_tonnes"),
    outcomes=("eligible", "ineligible"),
    cite=[(DOC, "三(一)", "若捐资数额达到营建10亩及以上碳汇林者，对其出资造林的林木挂以“**碳汇林”标牌")],
    plain=words.donor_sign,
)
def donor_sign(c: Ctx):
    """三(一)：捐资数额达到营建10亩及以上碳汇林（500元/亩，即5000元及以上）的，挂“××碳汇林”标牌。"""
    x = c.x
    per_mu = c.p("afforestation_cost_per_mu")
    area = x.donation_yuan / per_mu
    c.step("出资可营建面积（亩）= 捐资 ÷ 500元/亩", area, values={"donation_yuan": x.donation_yuan, "cost_per_mu": per_mu},
           cite=(DOC, "三(二)", "人工林从栽种到后期管养费用为500元/亩"))
    ok = c.threshold(N_("营建10亩及以上碳汇林"), area, "sign_min_area_mu", field="donation_yuan")
    co2 = x.donation_yuan / c.p("cost_per_tonne")
    c.step("对应吸收二氧化碳（吨）= 捐资 ÷ 1000元/吨", co2, values={"donation_yuan": x.donation_yuan})
    return {"outcome": c.where(ok, "eligible", "ineligible"), "area_mu": area, "co2_tonnes": co2}


class GrowthInput(RuleInput):
    volume_m3: float = Field(ge=0, description=N_("森林蓄积生长量（立方米）"))


@rule(
    "carbon.forest_growth",
    title="森林蓄积生长的固碳释氧",
    inputs=GrowthInput,
    outputs=("co2_tonnes", "o2_tonnes"),
    cite=[(DOC, "一(一)", "森林每生长1立方米蓄积量，平均能吸收1.83吨二氧化碳，释放1.62吨氧气")],
    plain=words.growth,
)
def forest_growth(c: Ctx):
    """一(一)：每生长1立方米蓄积量吸收1.83吨二氧化碳、释放1.62吨氧气。"""
    v = c.x.volume_m3
    co2 = c.round(v * c.p("growth_co2_t_per_m3"), 6)
    c.step("吸收二氧化碳 = 立方米 × 1.83", co2, values={"volume_m3": v})
    o2 = c.round(v * c.p("growth_o2_t_per_m3"), 6)
    c.step("释放氧气 = 立方米 × 1.62", o2, values={"volume_m3": v})
    return {"co2_tonnes": co2, "o2_tonnes": o2}


_TARGETS = ("green_space_rate", "green_coverage_rate", "public_green_per_person_m2",
            "centre_public_green_per_person_m2", "forest_cover_rate", "tree_cover_rate")


class GreeningInput(RuleInput):
    green_space_rate: float | None = Field(default=None, ge=0, le=1, description=N_("建成区绿地率（0—1）"))
    green_coverage_rate: float | None = Field(default=None, ge=0, le=1, description=N_("绿化覆盖率（0—1）"))
    public_green_per_person_m2: float | None = Field(default=None, ge=0, description=N_("人均公共绿地（平方米）"))
    centre_public_green_per_person_m2: float | None = Field(default=None, ge=0, description=N_("城市中心区人均公共绿地（平方米）"))
    forest_cover_rate: float | None = Field(default=None, ge=0, le=1, description=N_("森林覆盖率（0—1）"))
    tree_cover_rate: float | None = Field(default=None, ge=0, le=1, description=N_("林木绿化率（0—1）"))


@rule(
    "carbon.greening_targets",
    title="2015年绿化目标的达成",
    inputs=GreeningInput,
    outputs=("met", "not_met", "not_reported"),
    outcomes=("met", "not_met"),
    refusals=("not_met",),
    cite=[(DOC, "二(二)", "到2015年，……绿地率达到38%以上，绿化覆盖率达到45%以上，人均公共绿地达到12平方米以上，城市中心区人均公共绿地面积6平方米以上；全市森林覆盖率达到47%以上，林木绿化率达到57%以上")],  # noqa: E501 (the gazette quoted whole)
    vectorised=False,
    plain=words.greening,
)
def greening_targets(c: Ctx):
    """二(二)：2015年目标（以上，含本数）。只比较已报告的指标。"""
    met, not_met, missing = [], [], []
    for key in _TARGETS:
        v = c.x[key]
        if v is None:
            missing.append(key)
            continue
        label = GreeningInput.model_fields[key].description.split("（")[0]
        (met if c.threshold(N_("2015年目标：%(i)s"), v, f"target_2015_{key}", field=key, words={"i": label})
         else not_met).append(key)
    return {"outcome": "met" if not not_met else "not_met", "met": met, "not_met": not_met, "not_reported": missing}


class FundingInput(RuleInput):
    year: int = Field(ge=2000, le=2100, description=N_("年度"))
    city_funds_yuan: float = Field(ge=0, description=N_("当年市级财政安排的碳汇造林资金（元）"))
    enterprise_startup_donations_yuan: float | None = Field(default=None, ge=0, description=N_("专项成立前募集的企业捐赠启动资金（元，可选）"))


@rule(
    "carbon.funding_progress",
    title="碳汇专项资金安排的达成（CS-3）",
    inputs=FundingInput,
    outputs=("city_funds_required_yuan", "startup_target_met"),
    outcomes=("met", "not_met", "not_applicable"),
    refusals=("not_met",),
    cite=[(DOC, "三(一)1", "市级财政每年安排资金1000万元，从2010年起连续安排3年"),
          (DOC, "三(一)2", "力争在专项正式成立之前募集企业捐赠启动资金1000万元")],
    plain=words.funding,
)
def funding_progress(c: Ctx):
    """三(一)1：市级财政2010—2012年每年1000万元；三(一)2：企业捐赠启动资金力争1000万元。"""
    x = c.x
    years = c.p("city_budget_years")
    per_year = c.p("city_budget_per_year")
    applies = c.isin(x.year, years)
    required = c.where(applies, float(per_year), 0.0)
    c.step("当年应安排的市级资金（2010—2012年每年1000万元）", required, values={"year": x.year, "years": years})
    ok = x.city_funds_yuan >= required
    c.condition(N_("市级财政安排不低于1000万元"), c.any(ok, c.not_(applies)), field="city_funds_yuan",
                values={"city_funds_yuan": x.city_funds_yuan, "required": required})
    target = c.p("enterprise_startup_target")
    donations = c.num(x.enterprise_startup_donations_yuan)
    startup = c.where(c.isnan(donations), float("nan"), c.where(donations >= target, 1.0, 0.0))
    c.step("企业捐赠启动资金达到1000万元（力争）", startup, values={"donations": x.enterprise_startup_donations_yuan, "target": target})
    outcome = c.where(applies, c.where(ok, "met", "not_met"), "not_applicable")
    return {"outcome": outcome, "city_funds_required_yuan": required,
            "startup_target_met": c.where(c.isnan(startup), float("nan"), startup)}
