"""昆政办〔2010〕109号、111号、116号 — expected values worked by hand."""

import pytest

from kmgov.rules import decide


def d(rule_id, **inputs):
    inputs.setdefault("as_of", "2010-07-01")
    return decide(rule_id, inputs).to_dict()


@pytest.mark.parametrize("scale,required", [("small", False), ("medium", True), ("large", True), ("中型", True)])
def test_geohazard_emergency_plan(scale, required):
    # 109号 二(四)：中型以上（含中型）隐患点编制应急预案
    assert d("geohazards.point_requirements", scale=scale)["emergency_plan_required"] is required


def test_geohazard_compliance():
    r = d("geohazards.point_requirements", scale="small", has_monitor=True, cards_issued=True, route_alarm_refuge_fixed=True,
          four_packages_fixed=True)
    assert r["outcome"] == "compliant"


def test_construction():
    # 111号 附件 四(三)：专职人员不少于5人；五(三)：每年1~2期培训
    assert d("construction.supervision_check", full_time_staff=5)["outcome"] == "compliant"
    assert d("construction.supervision_check", full_time_staff=4)["outcome"] == "non_compliant"
    assert d("construction.supervision_check", full_time_staff=6, trainings_per_year=0)["outcome"] == "non_compliant"


@pytest.mark.parametrize("kw,dest", [
    (dict(request_type="query", faq_authorised=True), "answer_directly"),
    (dict(request_type="query", public_utility=True), "answer_directly"),
    (dict(request_type="query"), "access_platform_or_liaison"),
    (dict(request_type="approval"), "government_service_bureau"),
    (dict(request_type="complaint"), "mayors_hotline_12345"),
    (dict(request_type="report"), "mayors_hotline_12345"),
    (dict(request_type="suggestion"), "mayors_hotline_12345"),
    (dict(request_type="other"), "access_platform_or_liaison"),
])
def test_hotline_route(kw, dest):
    # 116号 三(四)1—4
    assert d("hotline.route", **kw)["destination"] == dest


def test_platform_type():
    # 116号 三(一)
    assert d("hotline.platform_type", has_123_line=True, has_unified_service=True)["platform_type"] == "type1"
    assert d("hotline.platform_type", has_123_line=False, has_unified_service=True)["platform_type"] == "type2"
    assert d("hotline.platform_type", has_123_line=False, has_unified_service=False)["platform_type"] == "type3"
