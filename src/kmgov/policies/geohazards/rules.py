"""昆政办〔2010〕109号 关于做好2010年度地质灾害防治工作的通知 — what each hazard point needs,
and whether a quick report was in time.

`point_requirements` is decided on the register's data: `selectors.point_facts(point)` turns a
`HazardPoint` (its monitors, 四包 chain, 三落实, cards, filed plans) into `PointInput`; the
typed booleans remain the rule's input so the rule page, API and batch runs keep working."""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field

from kmgov.rules import Ctx, RuleInput, rule

DOC = "昆政办〔2010〕109号"


class Scale(str, enum.Enum):
    small = "small"
    medium = "medium"
    large = "large"
    giant = "giant"


class PointInput(RuleInput):
    ALIASES = {"scale": {"小型": "small", "中型": "medium", "大型": "large", "特大型": "giant"}}
    scale: Scale = Field(description="隐患点规模：small 小型 / medium 中型 / large 大型 / giant 特大型")
    has_monitor: bool = Field(default=False, description="已落实专人监测")
    cards_issued: bool = Field(default=False, description="已发放“两卡一书”")
    has_emergency_plan: bool = Field(default=False, description="已编制隐患点应急预案")
    route_alarm_refuge_fixed: bool = Field(default=False, description="已落实转移路线地点、报警人员及信号、避险场地（三落实）")
    four_packages_fixed: bool = Field(default=False, description="已落实“四包”：县领导包乡、乡干部包村、村干部包组（四包）")


@rule(
    "geohazards.point_requirements",
    title="地质灾害隐患点的防治要求",
    inputs=PointInput,
    outputs=("emergency_plan_required", "missing"),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
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
    if not c.condition("专人负责监测", x.has_monitor, field="has_monitor", values={"has_monitor": x.has_monitor}, cite=(DOC, "三(五)", "保证每一个隐患点都有专人负责监测")):
        missing.append("monitor")
    if not c.condition("发放“两卡一书”", x.cards_issued, field="cards_issued", values={"cards_issued": x.cards_issued}, cite=(DOC, "二(四)", "及时填写和发放“两卡一书”")):
        missing.append("two_cards_one_notice")
    if not c.condition("三落实：转移路线地点、报警人员及信号、避险场地", x.route_alarm_refuge_fixed, field="route_alarm_refuge_fixed",
                       values={"route_alarm_refuge_fixed": x.route_alarm_refuge_fixed}, cite=(DOC, "三(一)", "落实转移路线地点、落实报警人员及信号、落实避险场地")):
        missing.append("three_assurances")
    if not c.condition("四包：县（市）区领导包乡、乡干部包村、村干部包组", x.four_packages_fixed, field="four_packages_fixed",
                       values={"four_packages_fixed": x.four_packages_fixed}, cite=(DOC, "三(一)", "县（市）区领导包乡、乡干部包村、村干部包组、党员包群众")):
        missing.append("four_packages")
    if need_plan and not c.condition("编制隐患点应急预案", x.has_emergency_plan, field="has_emergency_plan",
                                     values={"has_emergency_plan": x.has_emergency_plan}, cite=(DOC, "二(四)", "要及时组织编制隐患点应急预案")):
        missing.append("emergency_plan")
    return {"outcome": "compliant" if not missing else "non_compliant", "emergency_plan_required": need_plan, "missing": missing}


class ReportInput(RuleInput):
    ALIASES = {"level": {"县级": "county", "市级": "city"}}
    level: Literal["county", "city"] = Field(description="报告层级：county 报县级 / city 报市级")
    hours_elapsed: float = Field(ge=0, le=100000, description="自灾害发生至报告的小时数")


@rule(
    "geohazards.quick_report_timeliness",
    title="地质灾害速报是否“第一时间”报告",
    inputs=ReportInput,
    outputs=("limit_hours",),
    outcomes=("in_time", "late"),
    refusals=("late",),
    cite=[(DOC, "三(四)", "地质灾害发生后……务必第一时间向上级人民政府和国土资源主管部门报告有关情况")],
    vectorised=False,
)
def quick_report_timeliness(c: Ctx):
    """三(四)：灾害发生后第一时间向上级人民政府和国土资源主管部门报告。“第一时间”未给时数：
    时限为解释性参数（报县级、报市级各一，小时，“以内”含本数）。"""
    x = c.x
    name = "quick_report_county_hours" if x.level == "county" else "quick_report_city_hours"
    label = "报县级" if x.level == "county" else "报市级"
    ok = c.threshold(f"{label}在时限以内（含本数）", x.hours_elapsed, name, field="hours_elapsed")
    return {"outcome": "in_time" if ok else "late", "limit_hours": c.p(name)}
