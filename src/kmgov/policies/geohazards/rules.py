"""昆政办〔2010〕109号 关于做好2010年度地质灾害防治工作的通知 — what each hazard point needs,
and whether a quick report was in time.

`point_requirements` is decided on the register's data: `selectors.point_facts(point)` turns a
`HazardPoint` (its monitors, 四包 chain, 三落实, cards, filed plans) into `PointInput`; the
typed booleans remain the rule's input so the rule page, API and batch runs keep working."""

from __future__ import annotations

import enum
from typing import Literal

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from pydantic import Field

from kmgov.rules import Ctx, RuleInput, rule
from kmgov.rules.plain import sep, trace_step

DOC = "昆政办〔2010〕109号"


class Scale(str, enum.Enum):
    small = "small"
    medium = "medium"
    large = "large"
    giant = "giant"


class PointInput(RuleInput):
    ALIASES = {"scale": {"小型": "small", "中型": "medium", "大型": "large", "特大型": "giant"}}
    scale: Scale = Field(description=N_("隐患点规模：small 小型 / medium 中型 / large 大型 / giant 特大型"))
    has_monitor: bool = Field(default=False, description=N_("已落实专人监测"))
    cards_issued: bool = Field(default=False, description=N_("已发放“两卡一书”"))
    has_emergency_plan: bool = Field(default=False, description=N_("已编制隐患点应急预案"))
    route_alarm_refuge_fixed: bool = Field(default=False, description=N_("已落实转移路线地点、报警人员及信号、避险场地（三落实）"))
    four_packages_fixed: bool = Field(default=False, description=N_("已落实“四包”：县领导包乡、乡干部包村、村干部包组（四包）"))


#: What a point lacks, in words (the rule's `missing` output codes).
MISSING_WORDS = {"monitor": N_("专人监测"), "two_cards_one_notice": N_("发放“两卡一书”"),
                 "three_assurances": N_("三落实"), "four_packages": N_("四包"),
                 "emergency_plan": N_("隐患点应急预案")}


def _point_plain(decision, result, focus) -> None:
    """二(四)、三(一)、三(五) in the county's terms: what the point still lacks."""
    missing = decision.get("missing") or []
    plan = gettext("、隐患点应急预案") if decision.get("emergency_plan_required") else ""
    if not missing:
        result["sentence"] = gettext("该隐患点已落实%(doc)s要求的防治措施：专人监测、“两卡一书”、“四包三落实”%(p)s。") % {
            "doc": DOC, "p": plan}
        return
    result["sentence"] = gettext("该隐患点有%(n)d项防治措施尚未落实：%(l)s（%(doc)s 二(四)、三(一)、三(五)）。") % {
        "n": len(missing), "l": sep("、").join(gettext(MISSING_WORDS.get(m, m)) for m in missing), "doc": DOC}


@rule(
    "geohazards.point_requirements",
    title="地质灾害隐患点的防治要求",
    inputs=PointInput,
    outputs=("emergency_plan_required", "missing"),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
    plain=_point_plain,
    cite=[(DOC, "二(四)", "及时填写和发放“两卡一书”……对排查出的中型以上地质灾害隐患点……要及时组织编制隐患点应急预案"),
          (DOC, "三(五)", "保证每一个隐患点都有专人负责监测"),
          (DOC, "三(一)", "落实转移路线地点、落实报警人员及信号、落实避险场地")],
    vectorised=False,
)
def point_requirements(c: Ctx):
    """二(四)：每个隐患点发放“两卡一书”；中型以上（含中型）隐患点编制应急预案。三(五)：每个隐患点专人监测。
    三(一)：“四包三落实”。"""
    x = c.x
    scales = c.p("scales")
    min_scale = c.p("emergency_plan_min_scale")
    need_plan = scales.index(x.scale) >= scales.index(min_scale)
    c.step("中型以上（含中型）隐患点须编制应急预案", need_plan, values={"scale": x.scale, "min_scale": min_scale, "comparison": ">=", "word": "以上"})
    missing = []
    if not c.condition(N_("专人负责监测"), x.has_monitor, field="has_monitor", values={"has_monitor": x.has_monitor}, cite=(DOC, "三(五)", "保证每一个隐患点都有专人负责监测"),
                       todo=N_("落实专人负责监测，并登记监测人姓名和电话")):
        missing.append("monitor")
    if not c.condition(N_("发放“两卡一书”"), x.cards_issued, field="cards_issued", values={"cards_issued": x.cards_issued}, cite=(DOC, "二(四)", "及时填写和发放“两卡一书”"),
                       todo=N_("填写并发放“两卡一书”（明白卡、避险卡和隐患点通知书），登记发放日期")):
        missing.append("two_cards_one_notice")
    if not c.condition(N_("三落实：转移路线地点、报警人员及信号、避险场地"), x.route_alarm_refuge_fixed, field="route_alarm_refuge_fixed",
                       values={"route_alarm_refuge_fixed": x.route_alarm_refuge_fixed}, cite=(DOC, "三(一)", "落实转移路线地点、落实报警人员及信号、落实避险场地"),
                       todo=N_("落实转移路线地点、报警人员及信号和避险场地，并登记")):
        missing.append("three_assurances")
    if not c.condition(N_("四包：县（市）区领导包乡、乡干部包村、村干部包组"), x.four_packages_fixed, field="four_packages_fixed",
                       values={"four_packages_fixed": x.four_packages_fixed}, cite=(DOC, "三(一)", "县（市）区领导包乡、乡干部包村、村干部包组、党员包群众"),
                       todo=N_("明确包乡的县级领导、包村的乡镇干部和包组的村干部，并登记")):
        missing.append("four_packages")
    if need_plan and not c.condition(N_("编制隐患点应急预案"), x.has_emergency_plan, field="has_emergency_plan",
                                     values={"has_emergency_plan": x.has_emergency_plan}, cite=(DOC, "二(四)", "要及时组织编制隐患点应急预案"),
                                     todo=N_("及时组织编制隐患点应急预案，批准后备案")):
        missing.append("emergency_plan")
    return {"outcome": "compliant" if not missing else "non_compliant", "emergency_plan_required": need_plan, "missing": missing}


class ReportInput(RuleInput):
    ALIASES = {"level": {"县级": "county", "市级": "city"}}
    level: Literal["county", "city"] = Field(description=N_("报告层级：county 报县级 / city 报市级"))
    hours_elapsed: float = Field(ge=0, le=100000, description=N_("自灾害发生至报告的小时数"))


def _report_plain(decision, result, focus) -> None:
    """三(四) in the reporter's terms: hours after the event against the hours allowed."""
    county = trace_step(decision, "报县级", "value")
    s = county or trace_step(decision, "报市级", "value")
    words = {"h": f"{float(s['values']['value']):g}" if s else "—",
             "lim": f"{float(decision.get('limit_hours') or 0):g}",
             "lvl": gettext("县级") if county else gettext("市级"), "doc": DOC}
    if decision.get("outcome") == "in_time":
        t = gettext("灾害发生后%(h)s小时报%(lvl)s，在规定的%(lim)s小时以内（%(doc)s 三(四)“第一时间”报告）。")
    else:
        t = gettext("灾害发生后%(h)s小时才报%(lvl)s，超过规定的%(lim)s小时（%(doc)s 三(四)“第一时间”报告）。")
    result["sentence"] = t % words


@rule(
    "geohazards.quick_report_timeliness",
    title="地质灾害速报是否“第一时间”报告",
    inputs=ReportInput,
    outputs=("limit_hours",),
    outcomes=("in_time", "late"),
    refusals=("late",),
    plain=_report_plain,
    cite=[(DOC, "三(四)", "地质灾害发生后……务必第一时间向上级人民政府和国土资源主管部门报告有关情况")],
    vectorised=False,
)
def quick_report_timeliness(c: Ctx):
    """三(四)：灾害发生后第一时间向上级人民政府和国土资源主管部门报告。“第一时间”未给时数：
    时限为解释性参数（报县级、报市级各一，小时，“以内”含本数）。"""
    x = c.x
    name = "quick_report_county_hours" if x.level == "county" else "quick_report_city_hours"
    label = N_("报县级") if x.level == "county" else N_("报市级")
    ok = c.threshold(N_("%(level)s在时限以内（含本数）"), x.hours_elapsed, name, field="hours_elapsed",
                     words={"level": label},
                     todo=N_("灾害发生后务必第一时间向上级人民政府和国土资源主管部门报告；请说明本次迟报的原因"))
    return {"outcome": "in_time" if ok else "late", "limit_hours": c.p(name)}
