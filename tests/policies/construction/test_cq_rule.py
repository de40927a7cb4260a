"""construction.supervision_check (111号 附件 四(三), 五(一), 五(二)) — expected values worked by
hand from the gazette, the periods given as inputs."""

import pytest

from kmgov.rules import decide
from kmgov.rules.errors import RuleInputError

YEAR_2011 = ["2011Q1", "2011Q2", "2011Q3", "2011Q4"]


def check(**inputs):
    inputs.setdefault("as_of", "2011-12-31")
    inputs.setdefault("full_time_staff", 5)
    return decide("construction.supervision_check", inputs)


def test_four_inspections_all_in_the_first_quarter_are_non_compliant():
    # 五(一)：督查组每个季度……全面督查 — 4 inspections a year, all in Q1, leave Q2–Q4 without one
    d = check(quarters=YEAR_2011, inspection_quarters=["2011Q1"] * 4)
    assert d.outcome == "non_compliant"
    assert d.outputs["checks"]["inspections"] is False
    assert d.outputs["quarters_without_inspection"] == ["2011Q2", "2011Q3", "2011Q4"]
    # the trace shows each quarter's count against 五(一)'s minimum of 1
    q2 = [s for s in d.steps if s.check.startswith("2011Q2")]
    assert q2 and q2[0].result is False and "五(一)" in str(q2[0].citation)


def test_one_inspection_a_quarter_is_compliant():
    d = check(quarters=YEAR_2011, inspection_quarters=YEAR_2011)
    assert d.outcome == "compliant"
    assert d.outputs["quarters_without_inspection"] == []


def test_four_full_time_staff_are_non_compliant_five_compliant():
    # 四(三)：做到人员专职（不少于5人）— 不少于 includes 5
    assert check(full_time_staff=4).outcome == "non_compliant"
    assert check(full_time_staff=4).outputs["checks"]["staff"] is False
    assert check(full_time_staff=5).outcome == "compliant"


def test_monthly_reports_are_checked_month_by_month():
    # 五(二)：每月要向督查组申报 — twelve reports filed in six months leave the other six short
    months = [f"2011-{m:02d}" for m in range(1, 13)]
    d = check(months=months, report_months=months[:6] * 2)
    assert d.outcome == "non_compliant"
    assert d.outputs["months_without_report"] == months[6:]
    assert check(months=months, report_months=months).outcome == "compliant"


def test_a_period_key_of_the_wrong_shape_is_refused_naming_the_field():
    with pytest.raises(RuleInputError) as exc:
        check(quarters=["2011-Q5"])
    assert "quarters" in str(exc.value.errors if hasattr(exc.value, "errors") else exc.value)
