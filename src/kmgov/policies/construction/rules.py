"""昆政办〔2010〕111号 附件《昆明市建设工程质检“全覆盖”工作实施方案》 — checks on supervision bodies."""

from __future__ import annotations

from pydantic import Field

from kmgov.rules import Ctx, RuleInput, rule

DOC = "昆政办〔2010〕111号"
A = "附件 "


class SupervisionInput(RuleInput):
    full_time_staff: int = Field(ge=0, description="县（市、区）工程建设质量安全监督机构专职人员数")
    trainings_per_year: int | None = Field(default=None, ge=0, description="本年组织的质量安全监督管理培训期数")
    inspections_per_year: int | None = Field(default=None, ge=0, description="督查组本年全面督查次数")
    monthly_reports_per_year: int | None = Field(default=None, ge=0, description="本年向督查组申报的月报次数")


@rule(
    "construction.supervision_check",
    title="工程质量安全监督机构与督查的要求",
    inputs=SupervisionInput,
    outputs=("checks",),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
    cite=[(DOC, A + "四(三)", "县（市、区）应当成立专职的工程建设质量安全监督机构，做到人员专职（不少于5人）"),
          (DOC, A + "五(一)", "督查组每个季度有计划、有重点地对辖区内的工程进行全面督查"),
          (DOC, A + "五(二)", "各级工程质量安全监管部门每月要向督查组申报"),
          (DOC, A + "五(三)", "每年组织1~2期质量安全监督管理培训")],
    vectorised=False,
)
def supervision_check(c: Ctx):
    """四(三)：县级监督机构专职人员不少于5人；五(一)每季度督查；五(二)每月申报；五(三)每年培训1~2期。"""
    x = c.x
    checks = {"staff": bool(c.threshold("专职人员不少于5人", x.full_time_staff, "supervision_min_staff", field="full_time_staff"))}
    if x.trainings_per_year is not None:
        lo = c.threshold("每年培训至少1期", x.trainings_per_year, "trainings_per_year_min", field="trainings_per_year")
        hi = c.p("trainings_per_year_max")
        c.step("每年1~2期（超过2期不违反要求，仅提示）", x.trainings_per_year, values={"max": hi},
               note="多于2期不视为不符合" if x.trainings_per_year > hi else None)
        checks["trainings"] = bool(lo)
    if x.inspections_per_year is not None:
        checks["inspections"] = bool(c.threshold("每个季度督查（每年至少4次）", x.inspections_per_year, "inspections_per_year_min", field="inspections_per_year"))
    if x.monthly_reports_per_year is not None:
        checks["monthly_reports"] = bool(c.threshold("每月申报（每年12次）", x.monthly_reports_per_year, "reports_per_year_min", field="monthly_reports_per_year"))
    ok = all(checks.values())
    return {"outcome": "compliant" if ok else "non_compliant", "checks": checks}
