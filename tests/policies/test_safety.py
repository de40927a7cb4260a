"""昆政办〔2010〕106号、107号 附件 — expected values worked by hand."""

import pytest

from kmgov.rules import decide


def d(rule_id, **inputs):
    inputs.setdefault("as_of", "2010-07-01")
    return decide(rule_id, inputs).to_dict()


# 107号 附件 五(三)1
@pytest.mark.parametrize("industry,employees,req,min_staff", [
    ("mine", 100, "department", 3),             # 100人以上 includes 100
    ("mine", 99, "full_time_staff", 1),         # 不足100人：1-2名
    ("construction", 150, "department", 3),
    ("hazardous_goods", 0, "full_time_staff", 1),
    ("other", 300, "department", 3),            # 300人以上
    ("other", 299, "full_time_staff", 1),       # 人数未写：至少1名（interpretation）
])
def test_staffing(industry, employees, req, min_staff):
    r = d("safety.staffing_requirement", industry=industry, employees=employees)
    assert (r["requirement"], r["min_staff"]) == (req, min_staff)


def test_staffing_compliance():
    r = d("safety.staffing_requirement", industry="mine", employees=120, has_safety_department=True, safety_staff=2)
    assert r["outcome"] == "non_compliant" and r["unmet"][0]["field"] == "safety_staff"
    r = d("safety.staffing_requirement", industry="mine", employees=50, safety_staff=1)
    assert r["outcome"] == "compliant" and r["max_staff"] == 2


# 106号 附件 第四条—第九条
def test_warning_ladder():
    r = d("safety.warning_ladder", larger_accidents=1)  # 第六条(一)：1起较大以上
    assert r["actions"] == ["admonition"] and r["report_due_days"] == 15
    r = d("safety.warning_ladder", general_accidents_within_month=1)  # 2起以上: 1 is not enough
    assert r["actions"] == [] and r["highest_action"] is None
    r = d("safety.warning_ladder", general_accidents_within_month=2)
    assert r["actions"] == ["admonition"]
    r = d("safety.warning_ladder", criticisms_within_year=2, zero_report_inadequate=True)
    assert r["actions"] == ["notice", "admonition"] and r["grounds"]["notice"] == ["第五条(四)"]
    r = d("safety.warning_ladder", leader_dual_post_not_performed=True)
    assert r["actions"] == ["prompt"] and r["report_due_days"] is None
    # 第七条 only after an admonition
    r = d("safety.warning_ladder", zero_report_late_incomplete_or_untrue=True)
    assert r["actions"] == ["admonition"] and r["grounds"]["admonition"] == ["第七条(五)（尚未告诫：先行告诫）"]
    r = d("safety.warning_ladder", zero_report_late_incomplete_or_untrue=True, admonished_before=True)
    assert r["actions"] == ["disclosure"] and r["highest_action"] == "disclosure"
    r = d("safety.warning_ladder", no_effective_measures_after_all_warnings=True)
    assert r["actions"] == ["special_report"]


def test_answer_deadline():
    # 第九条：15日内（发出日不算入，第15日含）
    # 2010-06-01 + 15 = 06-16, 端午节 (6月14日–16日): the period ends 06-17 (民法通则 第154条)
    assert d("safety.admonition_answer_deadline", issued_on="2010-06-01", answered_on="2010-06-17")["outcome"] == "on_time"
    r = d("safety.admonition_answer_deadline", issued_on="2010-06-01", answered_on="2010-06-18")
    assert (r["outcome"], r["days_late"]) == ("late", 1)
    assert d("safety.admonition_answer_deadline", issued_on="2010-06-01", today="2010-06-20")["outcome"] == "overdue"


def test_township_budget():
    # 五(三)2：不低于3万元，每年在上年基础上增加10%
    assert d("safety.township_budget", budget_yuan=30000)["outcome"] == "compliant"
    assert d("safety.township_budget", budget_yuan=29999)["outcome"] == "non_compliant"
    r = d("safety.township_budget", budget_yuan=43999, previous_year_budget_yuan=40000)
    assert (r["outcome"], r["required_yuan"]) == ("non_compliant", 44000)


def test_drills_meetings_window():
    # 五(九)1(2)：政府至少1次，企业至少2次
    assert d("safety.drills", level="enterprise", drills_per_year=1)["outcome"] == "non_compliant"
    assert d("safety.drills", level="government", drills_per_year=1)["outcome"] == "compliant"
    # 五(一)4：常务会每年至少2次；每季度例会至少1次
    r = d("safety.meetings", executive_meetings_per_year=2, safety_meetings_by_quarter=[1, 1, 0, 2])
    assert r["outcome"] == "non_compliant" and r["short_quarters"] == ["safety.q3"]
    # 四(一)：1月1日—10日、7月1日—10日
    assert d("safety.zero_report_window", on="2011-01-10")["period"] == "previous_year"
    assert d("safety.zero_report_window", on="2011-01-11")["outcome"] == "closed"
    assert d("safety.zero_report_window", on="2011-07-01")["period"] == "first_half"
