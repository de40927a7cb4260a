"""昆政办〔2010〕111号 附件《昆明市建设工程质检“全覆盖”工作实施方案》 — checks on supervision bodies.

五(一) says 每个季度 and 五(二) 每月: the check is made per period, on the periods under review
given as inputs (quarter keys 2011Q1, month keys 2011-07), not as counts per year — four
inspections held in one quarter leave the other three quarters without one."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from kmgov.rules import Ctx, RuleInput, rule

DOC = "昆政办〔2010〕111号"
A = "附件 "

QuarterKey = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^20\d\dQ[1-4]$")]
MonthKey = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]


class SupervisionInput(RuleInput):
    full_time_staff: int = Field(ge=0, description="县（市、区）工程建设质量安全监督机构专职人员数")
    trainings_per_year: int | None = Field(default=None, ge=0, description="本年组织的质量安全监督管理培训期数")
    quarters: list[QuarterKey] | None = Field(
        default=None, max_length=12, description="检查的季度（如2010Q3），每个季度须有督查")
    inspection_quarters: list[QuarterKey] = Field(
        default_factory=list, max_length=60, description="督查组每次全面督查所在的季度（每次一项）")
    months: list[MonthKey] | None = Field(
        default=None, max_length=36, description="检查的月份（如2010-07），每月须有申报")
    report_months: list[MonthKey] = Field(
        default_factory=list, max_length=120, description="已向督查组申报的月份（每份月报一项）")


@rule(
    "construction.supervision_check",
    title="工程质量安全监督机构与督查的要求",
    inputs=SupervisionInput,
    outputs=("checks", "quarters_without_inspection", "months_without_report"),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
    cite=[(DOC, A + "四(三)", "县（市、区）应当成立专职的工程建设质量安全监督机构，做到人员专职（不少于5人）"),
          (DOC, A + "五(一)", "督查组每个季度有计划、有重点地对辖区内的工程进行全面督查"),
          (DOC, A + "五(二)", "各级工程质量安全监管部门每月要向督查组申报"),
          (DOC, A + "五(三)", "每年组织1~2期质量安全监督管理培训")],
    vectorised=False,
)
def supervision_check(c: Ctx):
    """四(三)：县级监督机构专职人员不少于5人（“不少于”含5人）；五(一)每个季度督查；五(二)每月申报；
    五(三)每年培训1~2期。每个季度、每个月分别计数：一个季度内的多次督查不能补另一个季度。"""
    x = c.x
    checks = {"staff": bool(c.threshold("专职人员不少于5人", x.full_time_staff, "supervision_min_staff",
                                        field="full_time_staff"))}
    if x.trainings_per_year is not None:
        lo = c.threshold("每年培训至少1期", x.trainings_per_year, "trainings_per_year_min", field="trainings_per_year")
        hi = c.p("trainings_per_year_max")
        c.step("每年1~2期（超过2期不违反要求，仅提示）", x.trainings_per_year, values={"max": hi},
               note="多于2期不视为不符合" if x.trainings_per_year > hi else None)
        checks["trainings"] = bool(lo)
    missing_q: list[str] = []
    if x.quarters is None and x.inspection_quarters:
        c.step("未给出检查的季度：不检查督查", len(x.inspection_quarters))
    if x.quarters is not None:
        for q in sorted(set(x.quarters)):
            held = x.inspection_quarters.count(q)
            if not c.threshold(f"{q}季度全面督查次数", held, "inspections_per_quarter_min", field="inspection_quarters"):
                missing_q.append(q)
        checks["inspections"] = not missing_q
    missing_m: list[str] = []
    if x.months is None and x.report_months:
        c.step("未给出检查的月份：不检查月报", len(x.report_months))
    if x.months is not None:
        for m in sorted(set(x.months)):
            filed = x.report_months.count(m)
            if not c.threshold(f"{m}月向督查组申报次数", filed, "reports_per_month_min", field="report_months"):
                missing_m.append(m)
        checks["monthly_reports"] = not missing_m
    ok = all(checks.values())
    return {"outcome": "compliant" if ok else "non_compliant", "checks": checks,
            "quarters_without_inspection": missing_q, "months_without_report": missing_m}
