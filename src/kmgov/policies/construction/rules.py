"""昆政办〔2010〕111号 附件《昆明市建设工程质检“全覆盖”工作实施方案》 — checks on supervision bodies.

五(一) says 每个季度 and 五(二) 每月: the check is made per period, on the periods under review
given as inputs (quarter keys 2011Q1, month keys 2011-07), not as counts per year — four
inspections held in one quarter leave the other three quarters without one."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from pydantic import Field, StringConstraints

from kmgov.rules import Ctx, RuleInput, rule
from kmgov.rules.plain import sep

DOC = "昆政办〔2010〕111号"
A = "附件 "

QuarterKey = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^20\d\dQ[1-4]$")]
MonthKey = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]


class SupervisionInput(RuleInput):
    full_time_staff: int = Field(ge=0, description=N_("县（市、区）工程建设质量安全监督机构专职人员数"))
    trainings_per_year: int | None = Field(default=None, ge=0, description=N_("本年组织的质量安全监督管理培训期数"))
    quarters: list[QuarterKey] | None = Field(
        default=None, max_length=12, description=N_("检查的季度（如2010Q3），每个季度须有督查"))
    inspection_quarters: list[QuarterKey] = Field(
        default_factory=list, max_length=60, description=N_("督查组每次全面督查所在的季度（每次一项）"))
    months: list[MonthKey] | None = Field(
        default=None, max_length=36, description=N_("检查的月份（如2010-07），每月须有申报"))
    report_months: list[MonthKey] = Field(
        default_factory=list, max_length=120, description=N_("已向督查组申报的月份（每份月报一项）"))


def _quarter_words(key: str) -> str:
    return gettext("%(y)s年第%(q)s季度") % {"y": key[:4], "q": key[-1]}


def _month_words(key: str) -> str:
    return gettext("%(y)s年%(m)d月") % {"y": key[:4], "m": int(key[5:7])}


def _check_plain(decision, result, focus) -> None:
    """四(三)、五(一)—(三) in the supervision body's terms: what falls short, periods in words
    (never 2011Q1)."""
    from kmgov.rules.plain import trace_step

    staff = trace_step(decision, "专职人员不少于5人", "value")
    checks = decision.get("checks") or {}
    short = []
    if checks.get("staff") is False:
        short.append(gettext("专职人员%(n)d人，少于5人（四(三)）") % {"n": int(staff["values"]["value"]) if staff else 0})
    if checks.get("trainings") is False:
        short.append(gettext("本年未组织质量安全监督管理培训（五(三)）"))
    q = decision.get("quarters_without_inspection") or []
    if q:
        short.append(gettext("%(l)s未全面督查（五(一)）") % {"l": sep("、").join(map(_quarter_words, q))})
    m = decision.get("months_without_report") or []
    if m:
        short.append(gettext("%(l)s未向督查组申报（五(二)）") % {"l": sep("、").join(map(_month_words, m))})
    for f in result["findings"]:  # the period keys of the conditions, in words
        key = (f.get("required") or "")[:7]
        if f.get("field") == "inspection_quarters" and len(key) >= 6 and key[4] == "Q":
            f["required"] = gettext("%(p)s全面督查至少1次") % {"p": _quarter_words(key[:6])}
        elif f.get("field") == "report_months" and key[4:5] == "-":
            f["required"] = gettext("%(p)s向督查组申报至少1次") % {"p": _month_words(key)}
    if decision.get("outcome") == "compliant":
        result["sentence"] = gettext("符合%(doc)s的要求：专职人员不少于5人，已检查的季度均有督查、月份均已申报。") % {"doc": DOC}
    else:
        result["sentence"] = gettext("不符合%(doc)s的要求：%(l)s。") % {"doc": DOC, "l": sep("；").join(short)}


@rule(
    "construction.supervision_check",
    title="工程质量安全监督机构与督查的要求",
    inputs=SupervisionInput,
    outputs=("checks", "quarters_without_inspection", "months_without_report"),
    outcomes=("compliant", "non_compliant"),
    refusals=("non_compliant",),
    plain=_check_plain,
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
    checks = {"staff": bool(c.threshold(N_("专职人员不少于5人"), x.full_time_staff, "supervision_min_staff",
                                        field="full_time_staff",
                                        todo=N_("配足专职监督人员（不少于5人），并更新监督机构登记")))}
    if x.trainings_per_year is not None:
        lo = c.threshold(N_("每年培训至少1期"), x.trainings_per_year, "trainings_per_year_min", field="trainings_per_year",
                         todo=N_("年内组织1~2期质量安全监督管理培训"))
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
            if not c.threshold(f"{q}季度全面督查次数", held, "inspections_per_quarter_min", field="inspection_quarters",
                               todo=N_("督查组每个季度须对辖区工程全面督查：安排督查并登记结果")):
                missing_q.append(q)
        checks["inspections"] = not missing_q
    missing_m: list[str] = []
    if x.months is None and x.report_months:
        c.step("未给出检查的月份：不检查月报", len(x.report_months))
    if x.months is not None:
        for m in sorted(set(x.months)):
            filed = x.report_months.count(m)
            if not c.threshold(f"{m}月向督查组申报次数", filed, "reports_per_month_min", field="report_months",
                               todo=N_("补报该月的工程质量安全监管申报（新开工项目、发现的质量安全问题及处理措施）")):
                missing_m.append(m)
        checks["monthly_reports"] = not missing_m
    ok = all(checks.values())
    return {"outcome": "compliant" if ok else "non_compliant", "checks": checks,
            "quarters_without_inspection": missing_q, "months_without_report": missing_m}
