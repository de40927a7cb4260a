"""昆政发〔2010〕63号 附件《昆明市总部企业认定管理办法》 — expected values worked by hand."""

import pytest

from kmgov.rules import RuleInputError, decide

BASIC = dict(  # 第五条: all four basic conditions, at their thresholds
    registered_in_kunming=True, pays_tax_in_kunming=True, fits_industrial_policy=True, clean_record=True,
    revenue_share_from_subsidiaries=0.30,  # (三) 不低于30%: 30% itself counts
    subsidiaries=3,  # (四) 不少于3个
    years_operating_in_kunming=3, as_of="2011-03-15",
)


def hq(**kw):
    return decide("headquarters.certification", {**BASIC, **kw}).to_dict()


def taxes(last, *earlier):
    """{2010: last, 2009: …} for an application in 2011."""
    return {str(2010 - i): v for i, v in enumerate((last, *earlier))}


def test_comprehensive_at_every_threshold():
    # 第六条: 注册资本或净资产1亿元以上, 上一年度营业收入5亿元以上, 地方分成2500万元以上 (以上 includes)
    r = hq(capital_or_net_assets_yuan=100_000_000, revenue_last_year_yuan=500_000_000,
           local_tax_share_by_year_yuan=taxes(25_000_000))
    assert r["outcome"] == "eligible"
    assert r["qualifies_for"] == ["comprehensive", "functional.general"]  # 第七条(一) also met (4000万/2亿/1000万)


@pytest.mark.parametrize("field,value", [
    ("capital_or_net_assets_yuan", 99_999_999),
    ("revenue_last_year_yuan", 499_999_999),
])
def test_comprehensive_just_below(field, value):
    base = dict(capital_or_net_assets_yuan=100_000_000, revenue_last_year_yuan=500_000_000,
                local_tax_share_by_year_yuan=taxes(25_000_000))
    r = hq(**{**base, field: value})
    assert r["qualifies_for"] == ["functional.general"]
    step = next(s for s in r["trace"] if s["ok"] is False and s["values"].get("value") == value)
    assert step["citation"]["path"].startswith("附件 第六条")


def test_comprehensive_tax_just_below_still_functional_general():
    r = hq(capital_or_net_assets_yuan=100_000_000, revenue_last_year_yuan=500_000_000,
           local_tax_share_by_year_yuan=taxes(24_999_999))
    assert r["qualifies_for"] == ["functional.general"]


@pytest.mark.parametrize("kw,expected", [
    # 第七条(一) 一般: 4000万 / 2亿 / 1000万
    (dict(capital_or_net_assets_yuan=40_000_000, revenue_last_year_yuan=200_000_000, local_tax_share_by_year_yuan=taxes(10_000_000)),
     ["functional.general"]),
    # 第七条(二) 现代服务业: 主营所列领域, 1000万 / 5000万 / 250万
    (dict(modern_services_field=True, capital_or_net_assets_yuan=10_000_000, revenue_last_year_yuan=50_000_000,
          local_tax_share_by_year_yuan=taxes(2_500_000)), ["functional.modern_services"]),
    # 第七条(三) 商贸流通: 2000万 / 10亿 / 300万
    (dict(main_business_trade_circulation=True, capital_or_net_assets_yuan=20_000_000, revenue_last_year_yuan=1_000_000_000,
          local_tax_share_by_year_yuan=taxes(3_000_000)), ["functional.trade_circulation"]),
    # 第七条(四) 外商投资公司: 商务部认定, 2000万资本, 地方分成400万
    (dict(mofcom_recognised_investment_company=True, capital_or_net_assets_yuan=20_000_000, revenue_last_year_yuan=0,
          local_tax_share_by_year_yuan=taxes(4_000_000)), ["functional.foreign_investment"]),
    # modern services without the field: nothing
    (dict(capital_or_net_assets_yuan=10_000_000, revenue_last_year_yuan=50_000_000, local_tax_share_by_year_yuan=taxes(2_500_000)), []),
    # foreign investment just below 400万
    (dict(mofcom_recognised_investment_company=True, capital_or_net_assets_yuan=20_000_000, revenue_last_year_yuan=0,
          local_tax_share_by_year_yuan=taxes(3_999_999)), []),
])
def test_functional(kw, expected):
    assert hq(**kw)["qualifies_for"] == expected


def test_basic_conditions_refusal_names_each_unmet():
    r = hq(subsidiaries=2, revenue_share_from_subsidiaries=0.29, capital_or_net_assets_yuan=1e9,
           revenue_last_year_yuan=1e10, local_tax_share_by_year_yuan=taxes(1e8))
    assert r["outcome"] == "ineligible"
    basic = {u["field"]: u for u in r["unmet"] if u["group"] == "basic"}
    assert basic["subsidiaries"]["threshold"] == 3 and basic["subsidiaries"]["word"] == "不少于"
    assert basic["revenue_share_from_subsidiaries"]["threshold"] == 0.3
    assert "第五条(四)" in basic["subsidiaries"]["reference"]


def test_clean_record_and_registration_required():
    good = dict(capital_or_net_assets_yuan=1e9, revenue_last_year_yuan=1e10, local_tax_share_by_year_yuan=taxes(1e8))
    assert hq(**good)["outcome"] == "eligible"
    for flag in ("registered_in_kunming", "pays_tax_in_kunming", "fits_industrial_policy", "clean_record"):
        r = hq(**good, **{flag: False})
        assert r["outcome"] == "ineligible" and any(u["field"] == flag for u in r["unmet"])


GROWTH = dict(subsidiaries=1, capital_or_net_assets_yuan=1_000_000, revenue_last_year_yuan=50_000_000)


def test_growth_finance_hand_worked():
    # 第八条: 前3年 (2010, 2009, 2008) 每年150万元以上且增长率超过20%; growth of 2008 needs 2007 (SPEC §13)
    # 2010: 2.6e6/2.1e6 = +23.8%; 2009: 2.1e6/1.7e6 = +23.5%; 2008: 1.7e6/1.4e6 = +21.4%
    r = hq(**GROWTH, financial_institution=True,
           local_tax_share_by_year_yuan=taxes(2_600_000, 2_100_000, 1_700_000, 1_400_000))
    assert r["qualifies_for"] == ["growth.finance"]  # subsidiaries=1: 第八条 needs only the first three basic conditions


def test_growth_exactly_twenty_percent_is_not_enough():
    # 超过20% excludes 20% itself: 1.8e6 / 1.5e6 = exactly +20%
    r = hq(**GROWTH, financial_institution=True,
           local_tax_share_by_year_yuan=taxes(2_600_000, 2_100_000, 1_800_000, 1_500_000))
    assert r["qualifies_for"] == []
    assert any("2008年地方分成部分增长率超过20%" == u["condition"] for u in r["unmet"])


def test_growth_each_year_at_least_150_wan():
    # 150万元以上 includes 1.5e6; the year before the three has no floor
    r = hq(**GROWTH, key_logistics_enterprise=True,
           local_tax_share_by_year_yuan=taxes(2_200_000, 1_820_000, 1_500_000, 1_000_000))
    assert r["qualifies_for"] == ["growth.logistics"]
    r = hq(**GROWTH, key_logistics_enterprise=True,
           local_tax_share_by_year_yuan=taxes(2_200_000, 1_820_000, 1_499_999, 1_000_000))
    assert r["qualifies_for"] == []


def test_growth_needs_the_year_before_the_three():
    r = hq(**GROWTH, qualified_cultural_enterprise=True,
           local_tax_share_by_year_yuan=taxes(2_600_000, 2_100_000, 1_700_000))
    assert r["qualifies_for"] == []
    assert any(u["condition"].startswith("有2007年") for u in r["unmet"])
    # with the other interpretation only the two growth rates inside the three years count
    r = decide("headquarters.certification",
               {**BASIC, **GROWTH, "qualified_cultural_enterprise": True,
                "local_tax_share_by_year_yuan": taxes(2_600_000, 2_100_000, 1_700_000)},
               overrides={"headquarters.growth_needs_year_before": False}).to_dict()
    assert r["qualifies_for"] == ["growth.culture"]


def test_growth_needs_three_years_operating():
    kw = dict(**GROWTH, traditional_advantage_industry=True,
              local_tax_share_by_year_yuan=taxes(2_600_000, 2_100_000, 1_700_000, 1_400_000))
    assert hq(**kw)["qualifies_for"] == ["growth.traditional"]
    assert hq(**{**kw, "years_operating_in_kunming": 2.9})["qualifies_for"] == []


def test_growth_high_tech_uses_output():
    kw = dict(**GROWTH, high_tech_certified=True, local_tax_share_by_year_yuan=taxes(2_600_000, 2_100_000, 1_700_000, 1_400_000))
    assert hq(**kw, high_tech_output_yuan=50_000_000)["qualifies_for"] == ["growth.high_tech"]
    assert hq(**kw, high_tech_output_yuan=49_999_999)["qualifies_for"] == []


def test_growth_not_listed_when_functional_met():
    # 第八条: 成长型 = 尚未达到综合型和职能型标准 (interpretation growth_only_if_not_other_types)
    r = hq(subsidiaries=3, capital_or_net_assets_yuan=40_000_000, revenue_last_year_yuan=200_000_000, financial_institution=True,
           local_tax_share_by_year_yuan=taxes(12_000_000, 9_000_000, 7_000_000, 5_000_000))
    assert r["qualifies_for"] == ["functional.general"]


def test_trace_cites_every_step_and_parameter_dates():
    r = hq(capital_or_net_assets_yuan=100_000_000, revenue_last_year_yuan=500_000_000, local_tax_share_by_year_yuan=taxes(25_000_000))
    assert all(s["citation"] and s["citation"]["docno"] == "昆政发〔2010〕63号" for s in r["trace"])
    cap = next(s for s in r["trace"] if s["check"] == "综合型：注册资本或净资产1亿元以上")
    assert cap["values"]["comparison"] == ">=" and cap["values"]["word"] == "以上"
    (p,) = cap["parameters"]
    assert p["value"] == 100_000_000 and p["effective"] == "2010-06-18"
    assert p["citation"]["path"] == "附件 第六条(一)"


def test_missing_and_wrong_inputs():
    with pytest.raises(RuleInputError) as e:
        decide("headquarters.certification", {k: v for k, v in BASIC.items() if k != "registered_in_kunming"})
    fields = {x["field"] for x in e.value.errors()}
    assert "registered_in_kunming" in fields
    with pytest.raises(RuleInputError) as e:
        hq(capital_or_net_assets_yuan=1, revenue_last_year_yuan=1, local_tax_share_by_year_yuan={"2010": -5})
    assert e.value.errors()[0]["field"].startswith("local_tax_share_by_year_yuan")
    with pytest.raises(RuleInputError) as e:
        hq(capital_or_net_assets_yuan=1, revenue_last_year_yuan=1, local_tax_share_by_year_yuan={}, revenue_share_from_subsidiaries=1.5)
    assert e.value.errors()[0]["field"] == "revenue_share_from_subsidiaries"


def test_application_window():
    # 第十一条: 每年3月1日至31日
    assert decide("headquarters.application_window", {"filed_on": "2011-03-01"}).outcome == "open"
    assert decide("headquarters.application_window", {"filed_on": "2011-03-31"}).outcome == "open"
    assert decide("headquarters.application_window", {"filed_on": "2011-04-01"}).outcome == "closed"


def test_as_of_omitted_is_derived_from_the_years_given():
    # no as_of: 1 March (第十一条, first day of the window) of the year after the latest year given
    case = {k: v for k, v in BASIC.items() if k != "as_of"}
    r = decide("headquarters.certification", {**case, "capital_or_net_assets_yuan": 1e8, "revenue_last_year_yuan": 5e8,
                                               "local_tax_share_by_year_yuan": {"2009": 1, "2010": 25_000_000}}).to_dict()
    assert r["as_of"] == "2011-03-01" and "comprehensive" in r["qualifies_for"]
    from kmgov.rules import run_batch

    res = run_batch("headquarters.certification", {
        **{k: [v] for k, v in case.items()}, "capital_or_net_assets_yuan": [1e8], "revenue_last_year_yuan": [5e8],
        "local_tax_share_by_year_yuan": [{"2009": 1, "2010": 25_000_000}]})
    assert res["qualifies_for.comprehensive"][0]
