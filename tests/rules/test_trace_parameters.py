"""Each step of a trace names the parameters that step read, and only those.

A yes/no condition of 63号 附件 第五条(一)/(二) and 第九条 reads no parameter; the threshold
after it reads its own (第五条(三) 不低于30%: 0.3, in force from 2010-06-18; 第六条(一) 1亿元以上:
100,000,000). A condition recorded before a threshold once showed the threshold's parameter
too (the step kept the pending list that the threshold then filled). The second decision of
the same date takes the cached path of each threshold and must trace the same."""

from kmgov.rules import decide

HQ = {"registered_in_kunming": True, "pays_tax_in_kunming": True, "fits_industrial_policy": True,
      "clean_record": True, "revenue_share_from_subsidiaries": 0.3, "subsidiaries": 3,
      "capital_or_net_assets_yuan": 1e8, "revenue_last_year_yuan": 5e8,
      "local_tax_share_by_year_yuan": {"2010": 2.5e7, "2009": 2e7, "2008": 1.5e7, "2007": 1e7},
      "years_operating_in_kunming": 5, "as_of": "2011-03-15"}


def _params(trace, check):
    step = next(s for s in trace if s["check"] == check)
    return [(p["name"], p["value"], p["effective"]) for p in step["parameters"]]


def test_conditions_carry_no_parameter_and_thresholds_their_own():
    first = decide("headquarters.certification", HQ).to_dict()
    second = decide("headquarters.certification", HQ).to_dict()
    assert first == second
    trace = first["trace"]
    for check in ("上一年度", "注册地在昆明市的企业法人", "在昆明属地纳税", "符合国家、省、市产业发展政策",
                  "当年内无重大安全生产事故、质量、环保、假冒伪劣、欺诈等违法行为"):
        assert _params(trace, check) == [], check
    assert _params(trace, "营业收入中来自下属企业的比例不低于30%") == [
        ("headquarters.basic_min_revenue_share_from_subsidiaries", 0.3, "2010-06-18")]
    assert _params(trace, "综合型：注册资本或净资产1亿元以上") == [
        ("headquarters.comprehensive_min_capital", 100000000, "2010-06-18")]
    share = next(s for s in trace if s["check"] == "营业收入中来自下属企业的比例不低于30%")
    # 0.3 不低于 0.3: met (the word includes the number, SPEC §13)
    assert share["values"]["value"] == 0.3 and share["values"]["comparison"] == ">=" and share["ok"] is True
