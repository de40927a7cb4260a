"""The checks 107号 makes computable, run on a filed zero report's answers (SPEC ZR-5).

Each check is a rule of `rules.py` run on the figures filed beside an item; it is shown with
its provision, and when the rule finds the requirement unmet while the item was answered
落实, the report is flagged as not matching the facts (106号 第七条(五) “不符合事实”)."""

from __future__ import annotations

import datetime as dt

from kmgov.rules import decide

OUTCOME_LABELS = {"compliant": "符合", "non_compliant": "不符合"}


def _check(rule_id: str, inputs: dict, *, on: dt.date, row: str, title: str, values: dict) -> dict:
    decision = decide(rule_id, {**inputs, "as_of": on.isoformat()})
    ok = decision.outcome == "compliant"
    citation = ""
    for s in decision.steps:
        if s.citation is not None:
            citation = s.citation.to_dict().get("reference", "").split("：")[0]
            break
    return {"rule": rule_id, "row": row, "title": title, "citation": citation,
            "outcome": decision.outcome, "outcome_label": OUTCOME_LABELS.get(decision.outcome or "", ""),
            "ok": ok, "answer": values.get(row), "reasons": decision.reasons()[:4],
            "contradiction": (not ok) and values.get(row) == "落实"}


def run_checks(case, values: dict, *, on: dt.date) -> list[dict]:
    n = type(case).form_no
    org = case.org
    out = []
    if n == 1 and values.get("executive_meetings") is not None and values.get("safety_meetings_by_quarter"):
        out.append(_check("safety.meetings", {
            "executive_meetings_per_year": values["executive_meetings"],
            "safety_meetings_by_quarter": values["safety_meetings_by_quarter"][:4]},
            on=on, row="item_4", title="会议：常务会每年至少2次、例会每季度至少1次", values=values))
    if n == 3 and values.get("employees") is not None and org.kind == "enterprise":
        from .models import SafetyEnterprise, industry

        profile = SafetyEnterprise.objects.filter(org=org).first()
        found = industry(profile.industry, on) if profile else None
        out.append(_check("safety.staffing_requirement", {
            "industry": found["staffing"] if found else "other", "employees": values["employees"],
            "has_safety_department": bool(values.get("has_safety_department")),
            "safety_staff": values.get("safety_staff") or 0},
            on=on, row="item_1_4", title="安全生产管理机构和人员配备（按从业人员数）", values=values))
    if n == 3 and values.get("budget_yuan") is not None and org.kind in ("township", "subdistrict"):
        out.append(_check("safety.township_budget", {
            "budget_yuan": values["budget_yuan"],
            "previous_year_budget_yuan": values.get("previous_year_budget_yuan")},
            on=on, row="item_2", title="乡镇（街道）监管经费：不低于3万元，每年增加10%", values=values))
    if n == 9 and values.get("drills_per_year") is not None:
        level = {"enterprise": "enterprise", "department": "department"}.get(org.kind, "government")
        out.append(_check("safety.drills", {"level": level, "drills_per_year": values["drills_per_year"]},
                          on=on, row="item_2", title="应急预案演练次数", values=values))
    return out
