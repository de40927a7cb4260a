"""昆政办〔2010〕108号 附件《昆明市人民调解“以奖代补”试行方案》 — rewards per mediated case."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_noop as N_
from pydantic import Field

from kmgov.rules import Ctx, RuleInput, amount_labels, rule

from . import plain as words

DOC = "昆政办〔2010〕108号"
A = "附件 "


class RewardInput(RuleInput):
    ordinary: int = Field(default=0, ge=0, description=N_("成功调解的普通矛盾纠纷件数（以签订人民调解协议书为依据）"))
    difficult: int = Field(default=0, ge=0, description=N_("成功调解的疑难矛盾纠纷件数"))
    major: int = Field(default=0, ge=0, description=N_("成功调解的重大矛盾纠纷件数"))
    county: str | None = Field(default=None, max_length=40, description=N_("县（市）区（可选；该县区自定标准的，按其标准）"))
    no_criminal_case: bool = Field(default=False, description=N_("责任范围内未发生刑事案件"))
    no_collective_petition: bool = Field(default=False, description=N_("未发生集体上访和群体性事件"))
    disputes_down_on_year: bool = Field(default=False, description=N_("各类纠纷减少且与上年同比下降"))


@rule(
    "mediation.reward",
    title="人民调解“以奖代补”计件奖励",
    inputs=RewardInput,
    outputs=("amount_yuan", "rates", "rate_source", "committee_reward_eligible", "committee_reward_yuan"),
    cite=[
        (DOC, A + "三(二)3", "可以参照以下标准执行：……普通矛盾纠纷，一次性奖励100元……疑难矛盾纠纷，一次性奖励300元……重大矛盾纠纷，一次性奖励500元"),
        (DOC, A + "三(二)2", "按照“谁调解、奖励谁”的原则，由政府出资实行计件奖励"),
    ],
    plain=words.reward,
)
def reward(c: Ctx):
    """三(二)3：参照标准，普通100元、疑难300元、重大500元每件；各县区可自定标准（解释性参数“各县区
    奖励标准”）。三(二)2：调解委员会的“适当奖励”未定金额。"""
    x = c.x
    r_o, r_d, r_m = c.p("reward_ordinary"), c.p("reward_difficult"), c.p("reward_major")
    county_rates = c.p("county_rates")
    source = "reference"
    if not c.vector and x.county:
        for row in county_rates:
            if row and row[0] == x.county:
                r_o, r_d, r_m = row[1], row[2], row[3]
                source = f"county:{x.county}"
        c.step("县区自定标准", source, values={"county": x.county, "county_rates_recorded": county_rates},
               note="未录入该县区自定标准的，参照市标准")
    elif c.vector and len(county_rates):
        rates = {row[0]: row[1:] for row in county_rates}
        import numpy as np

        ro = np.full(c.n, float(r_o))
        rd = np.full(c.n, float(r_d))
        rm = np.full(c.n, float(r_m))
        for name, (a, b, d_) in rates.items():
            m = x.county == name
            ro[m], rd[m], rm[m] = a, b, d_
        r_o, r_d, r_m = ro, rd, rm
    amount = x.ordinary * r_o + x.difficult * r_d + x.major * r_m
    c.step("奖励 = 普通件数×100 + 疑难件数×300 + 重大件数×500", amount,
           values={"ordinary": x.ordinary, "difficult": x.difficult, "major": x.major, "rates": [r_o, r_d, r_m]})
    committee = c.all(x.no_criminal_case, x.no_collective_petition, x.disputes_down_on_year)
    committee_amount = c.p("committee_reward_amount")
    c.step("调解委员会“适当奖励”的条件：未发生刑事案件、集体上访和群体性事件，纠纷同比下降", committee,
           values={"no_criminal_case": x.no_criminal_case, "no_collective_petition": x.no_collective_petition,
                   "disputes_down_on_year": x.disputes_down_on_year, "amount": committee_amount},
           cite=(DOC, A + "三(二)2", "对工作到位、防控措施有力、责任范围内未发生一起刑事案件、集体上访和群体性事件，各类纠纷减少及与上年同比下降的人民调解委员会给予适当奖励"),
           note="金额未规定（解释性参数），不计入amount_yuan")
    return {"amount_yuan": amount, "rates": {"ordinary": r_o, "difficult": r_d, "major": r_m},
            "rate_source": c.full(source), "committee_reward_eligible": committee,
            "committee_reward_yuan": c.full(float("nan"))}


class BudgetInput(RuleInput):
    total_rewards_yuan: float = Field(ge=0, description=N_("全市已支出（拟支出）奖励经费合计（元）"))
    city_funds_yuan: float = Field(default=0, ge=0, description=N_("其中市级财政资金（元）"))


@rule(
    "mediation.budget_check",
    title="“以奖代补”经费总额控制",
    inputs=BudgetInput,
    outputs=("remaining_yuan", "city_remaining_yuan"),
    outcomes=("within_budget", "over_budget"),
    refusals=("over_budget",),
    cite=[(DOC, A + "三(二)4", "奖励经费总额为600万元，由市、县两级财政分担……市级财政安排……试行经费300万元")],
    plain=words.budget,
)
def budget_check(c: Ctx):
    """三(二)4：奖励经费总额600万元，其中市级300万元；支出不得超过。"""
    x = c.x
    ok_total = c.threshold(N_("奖励经费合计不超过600万元"), x.total_rewards_yuan, "budget_total", field="total_rewards_yuan")
    ok_city = c.threshold(N_("市级资金不超过300万元"), x.city_funds_yuan, "budget_city", field="city_funds_yuan")
    ok = c.all(ok_total, ok_city)
    remaining = c.p("budget_total") - x.total_rewards_yuan
    city_remaining = c.p("budget_city") - x.city_funds_yuan
    c.step("剩余经费 = 600万元 − 合计；市级剩余 = 300万元 − 市级", remaining,
           values={"total_rewards_yuan": x.total_rewards_yuan, "city_funds_yuan": x.city_funds_yuan,
                   "city_remaining_yuan": city_remaining})
    return {"outcome": c.where(ok, "within_budget", "over_budget"),
            "remaining_yuan": remaining, "city_remaining_yuan": city_remaining}


class PhaseInput(RuleInput):
    on: dt.date = Field(description=N_("日期"))


@rule(
    "mediation.phase",
    title="试行工作所处阶段",
    inputs=PhaseInput,
    outputs=("phase", "phase_start", "phase_end"),
    cite=[(DOC, A + "三", "从2010年5月开始至2010年12月，具体分为三个阶段进行")],
    vectorised=False,
    plain=words.phase,
)
def phase(c: Ctx):
    """三：动员启动（5月1日—31日）、组织实施（6月1日—11月30日）、总结考核（12月1日—31日），均含首尾。"""
    d = c.x.on
    found = (None, None, None)
    for name, s, e in c.p("phases"):
        if dt.date.fromisoformat(s) <= d <= dt.date.fromisoformat(e):
            found = (name, s, e)
    c.step("所处阶段", found[0], values={"on": d.isoformat()})
    return {"phase": found[0], "phase_start": found[1], "phase_end": found[2]}


class SplitInput(RuleInput):
    amount_yuan: float = Field(ge=0, description=N_("奖励金额（元）"))


@rule(
    "mediation.reward_split",
    title="奖励经费的市、县分担",
    inputs=SplitInput,
    outputs=("city_yuan", "county_yuan", "city_share"),
    cite=[(DOC, A + "三(二)4", "奖励经费总额为600万元，由市、县两级财政分担……市级财政安排人民调解“以奖代补”工作试行经费300万元")],
    plain=words.split,
)
def reward_split(c: Ctx):
    """三(二)4：600万元由市、县两级分担，市级300万元；每笔的市级比例为解释性参数（300/600）。"""
    x = c.x
    share = c.p("city_share_of_rewards")
    city = c.round(x.amount_yuan * share, 2)
    county = c.round(x.amount_yuan - city, 2)
    c.step("市级 = 奖励 × 市级比例；县级 = 奖励 − 市级", city,
           values={"amount_yuan": x.amount_yuan, "city_share": share, "county_yuan": county})
    return {"city_yuan": city, "county_yuan": county, "city_share": share}


# Plain words for the amounts on case pages (kmgov.rules.labels)
amount_labels("mediation.reward", amount_yuan="奖励合计")
