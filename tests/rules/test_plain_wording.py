"""Plain outcomes in each rule's own terms (issue 13 item 2) for 106号/107号 (safety), 109号
(geohazards), 111号 (construction), 116号 (the 96128 desk) and 63号 第十一条 (the headquarters
window): one sentence of result with its provision, and for each condition that failed what to
do. Every expected value is worked by hand from the gazette (provision in the comment)."""

import pytest
from tsv_english import english_from_tsv

from kmgov.rules import decide
from kmgov.rules.plain import explain

ON = "2011-06-01"


def plain(rule_id: str, **inputs) -> dict:
    return explain(decide(rule_id, {"as_of": ON, **inputs}).to_dict())


def todos(p: dict) -> list[str]:
    return [f["todo"] for f in p["findings"]]


# --- 107号 附件 五(三)1: staffing ------------------------------------------------------------

def test_staffing_a_large_mine_without_a_department():
    # 矿山 with 150 employees (≥100): must set up a department of ≥3 people; has none, 2 staff
    p = plain("safety.staffing_requirement", industry="mine", employees=150,
              has_safety_department=False, safety_staff=2)
    assert p["sentence"] == ("从业人员150人的矿山、建筑施工或危险物品单位应设置专门的安全生产管理机构，人员不少于3人"
                             "（昆政办〔2010〕107号 附件 五(三)1）；现有配备未达到要求，2项条件未满足。")
    assert todos(p) == ["设置专门的安全生产管理机构（五(三)1：“必须设置”），配齐不少于3名管理人员",
                        "增配专职安全生产管理人员，达到规定人数"]
    assert p["findings"][0]["citation"]["text"] == "昆政办〔2010〕107号 附件 五(三)1"


def test_staffing_met_and_the_requirement_alone():
    ok = plain("safety.staffing_requirement", industry="mine", employees=150,
               has_safety_department=True, safety_staff=3)
    assert ok["sentence"].endswith("人员不少于3人（昆政办〔2010〕107号 附件 五(三)1）；现有配备符合要求。")
    # 其他 unit under 300: full-time staff (at least 1, the interpretation of 五(三)1)
    only = plain("safety.staffing_requirement", industry="other", employees=50)
    assert only["sentence"] == ("从业人员50人的生产经营单位应配备专职安全生产管理人员（至少1名）"
                                "（昆政办〔2010〕107号 附件 五(三)1）。")


# --- 106号 附件 第四条至第九条: the warning ladder -------------------------------------------

def test_ladder_two_general_accidents_in_a_month_call_for_an_admonition():
    # 第六条(二): 1个月内发生2起以上一般安全生产事故 → 告诫; 第九条: report within 15 days
    p = plain("safety.warning_ladder", general_accidents_within_month=2)
    assert p["sentence"] == ("1个月内发生2起一般安全生产事故（昆政办〔2010〕106号 附件 第六条(二)），应予告诫。"
                             "被告诫单位应于15日内将采取的措施和落实情况报发出告诫通知的单位备案（第九条）。")


def test_ladder_a_disclosure_fact_before_any_admonition_admonishes_first():
    # 第七条 applies "经告诫后": not yet admonished → admonish first; 第四条(三) → 提示
    p = plain("safety.warning_ladder", gaps_remain=True, duties_unclear=True)
    assert "仍存在失管漏管、脱节断档情况，尚未告诫，先行告诫（昆政办〔2010〕106号 附件 第七条“经告诫后”），应予告诫" in p["sentence"]
    assert "（昆政办〔2010〕106号 附件 第四条(三)），应予提示" in p["sentence"]
    assert p["sentence"].index("应予告诫") < p["sentence"].index("应予提示")  # most serious first


def test_ladder_nothing_due():
    assert plain("safety.warning_ladder", general_accidents_within_month=1)["sentence"] == (
        "按所填情况，无须采取警示措施（昆政办〔2010〕106号 附件 第四条至第八条）。")


# --- 106号 附件 第九条: 15 days to answer an admonition ---------------------------------------

def test_answer_late_says_the_last_day_and_the_days_late():
    # issued 2011-06-01 + 15 days = 2011-06-16 (a Thursday, a working day); answered 06-20: 4 late
    p = plain("safety.admonition_answer_deadline", issued_on="2011-06-01", answered_on="2011-06-20")
    assert p["sentence"] == ("期满日为2011年6月16日，2011年6月20日才报送措施和落实情况，逾期4日"
                             "（昆政办〔2010〕106号 附件 第九条）。")
    assert todos(p) == ["已逾期报送：报备时说明迟报原因；经告诫后仍未采取有效措施的，按第八条(一)向政府主要领导专报"]


def test_answer_on_time_and_pending():
    p = plain("safety.admonition_answer_deadline", issued_on="2011-06-01", answered_on="2011-06-10")
    assert "期满日为2011年6月16日；已于2011年6月10日报送，按期" in p["sentence"] and not p["findings"]
    p = explain(decide("safety.admonition_answer_deadline",
                       {"as_of": "2011-06-05", "issued_on": "2011-06-01"}).to_dict())
    assert p["sentence"].startswith("尚未报送；应于2011年6月16日前（含当日）")


# --- 107号 附件 五(三)2: township budget -----------------------------------------------------

def test_budget_below_the_floor():
    # 不低于3万元: 25000 given → short by 5000
    p = plain("safety.township_budget", budget_yuan=25000)
    assert p["sentence"] == "安全生产监管业务经费2.5万元，低于应安排的3万元，差5,000元（昆政办〔2010〕107号 附件 五(三)2）。"
    assert todos(p) == ["将乡镇（街道）安全生产监管业务经费安排到不低于3万元"]


def test_budget_growth_of_ten_percent():
    # 每年在上年基础上增加10%: last year 40000 → 44000 required; 40000 fails, 50000 meets
    p = plain("safety.township_budget", budget_yuan=40000, previous_year_budget_yuan=40000)
    assert "低于应安排的4.4万元，差4,000元" in p["sentence"]
    assert todos(p) == ["按上年经费增加10%安排当年经费"]
    ok = plain("safety.township_budget", budget_yuan=50000, previous_year_budget_yuan=40000)
    assert ok["sentence"].startswith("安全生产监管业务经费5万元，不低于应安排的4.4万元")


# --- 107号 附件 五(九)1(2): drills; 五(一)4: meetings -----------------------------------------

def test_drills():
    # 生产经营单位每年至少组织2次应急预案演练
    p = plain("safety.drills", level="enterprise", drills_per_year=1)
    assert p["sentence"] == "生产经营单位本年组织演练1次，少于每年至少2次的要求（昆政办〔2010〕107号 附件 五(九)1(2)）。"
    assert todos(p)[0].startswith("年内补足演练")
    ok = plain("safety.drills", level="government", drills_per_year=1)  # 各级政府至少1次
    assert "达到每年至少1次的要求" in ok["sentence"]


def test_meetings():
    # 常务会每年至少2次 (1 held); 分管领导每季度至少1次例会 (none in the 2nd quarter)
    p = plain("safety.meetings", executive_meetings_per_year=1, safety_meetings_by_quarter=[1, 0, 1, 1])
    assert p["sentence"].startswith("有2项会议次数未达到昆政办〔2010〕107号 附件 五(一)4的要求")
    assert todos(p) == ["年内再召开常务会（主任办公会）专题研究安全生产工作，达到每年2次",
                        "分管安全生产领导每季度至少召开1次安全生产例会，按季度补齐"]
    ok = plain("safety.meetings", executive_meetings_per_year=2, safety_meetings_by_quarter=[1, 1, 1, 1])
    assert ok["sentence"].startswith("会议次数符合要求")


# --- 107号 附件 四(一): zero-report windows; 63号 附件 第十一条: the HQ window -----------------

def test_zero_report_window_closed_names_the_next():
    # 1月1日-10日（上一年度） and 7月1日-10日（半年）: 2011-07-15 → next is 2012-01-01…10
    p = plain("safety.zero_report_window", on="2011-07-15")
    assert p["sentence"].startswith("2011年7月15日不在零申报时间内")
    assert p["sentence"].endswith("下一次为2012年1月1日至2012年1月10日（申报上一年度情况）。")
    p = plain("safety.zero_report_window", on="2011-07-05")
    assert p["sentence"].startswith("2011年7月5日在零申报时间内（2011年7月1日至2011年7月10日，申报半年情况")


def test_headquarters_window():
    # 每年3月1日至31日: 2011-04-01 is after this year's → next year's window
    p = plain("headquarters.application_window", filed_on="2011-04-01")
    assert p["sentence"] == ("2011年4月1日不在申报期限内：总部企业认定每年3月1日至31日申报（昆政发〔2010〕63号 附件 第十一条），"
                             "下一次申报期为2012年3月1日至2012年3月31日。")
    assert todos(p) == ["在下一次申报期（2012年3月1日至2012年3月31日）内提交申报"]
    early = plain("headquarters.application_window", filed_on="2011-02-01")
    assert "下一次申报期为2011年3月1日至2011年3月31日" in early["sentence"]
    ok = plain("headquarters.application_window", filed_on="2011-03-31")  # 31日 included
    assert ok["sentence"].startswith("2011年3月31日在总部企业认定申报期限内") and not ok["findings"]


# --- 109号: hazard points and quick reports --------------------------------------------------

def test_point_lacking_measures():
    # 中型 point (二(四): plan for 中型以上) with only its monitor (三(五)): cards, 三落实, 四包, plan
    p = plain("geohazards.point_requirements", scale="medium", has_monitor=True)
    assert p["sentence"] == ("该隐患点有4项防治措施尚未落实：发放“两卡一书”、三落实、四包、隐患点应急预案"
                             "（昆政办〔2010〕109号 二(四)、三(一)、三(五)）。")
    assert todos(p) == ["填写并发放“两卡一书”（明白卡、避险卡和隐患点通知书），登记发放日期",
                        "落实转移路线地点、报警人员及信号和避险场地，并登记",
                        "明确包乡的县级领导、包村的乡镇干部和包组的村干部，并登记",
                        "及时组织编制隐患点应急预案，批准后备案"]
    assert [f["citation"]["text"] for f in p["findings"]] == [
        "昆政办〔2010〕109号 二(四)", "昆政办〔2010〕109号 三(一)", "昆政办〔2010〕109号 三(一)",
        "昆政办〔2010〕109号 二(四)"]


def test_point_all_in_place():
    p = plain("geohazards.point_requirements", scale="small", has_monitor=True, cards_issued=True,
              route_alarm_refuge_fixed=True, four_packages_fixed=True)
    assert p["sentence"] == "该隐患点已落实昆政办〔2010〕109号要求的防治措施：专人监测、“两卡一书”、“四包三落实”。"


def test_quick_report():
    # 三(四) “第一时间”: the interpretation parameters give 2 hours to the county, 4 to the city
    p = plain("geohazards.quick_report_timeliness", level="county", hours_elapsed=5)
    assert p["sentence"] == "灾害发生后5小时才报县级，超过规定的2小时（昆政办〔2010〕109号 三(四)“第一时间”报告）。"
    assert todos(p) == ["灾害发生后务必第一时间向上级人民政府和国土资源主管部门报告；请说明本次迟报的原因"]
    ok = plain("geohazards.quick_report_timeliness", level="city", hours_elapsed=3.5)
    assert ok["sentence"] == "灾害发生后3.5小时报市级，在规定的4小时以内（昆政办〔2010〕109号 三(四)“第一时间”报告）。"


# --- 111号 附件: supervision bodies -----------------------------------------------------------

def test_supervision_check_in_words_not_period_codes():
    # 四(三) 不少于5人 (3); 五(一) each quarter inspected (Q2 not); 五(二) each month filed (Feb not)
    p = plain("construction.supervision_check", full_time_staff=3, quarters=["2011Q1", "2011Q2"],
              inspection_quarters=["2011Q1"], months=["2011-01", "2011-02"], report_months=["2011-01"])
    assert p["sentence"] == ("不符合昆政办〔2010〕111号的要求：专职人员3人，少于5人（四(三)）；"
                             "2011年第2季度未全面督查（五(一)）；2011年2月未向督查组申报（五(二)）。")
    assert [f["required"] for f in p["findings"]][1:] == ["2011年第2季度全面督查至少1次",
                                                         "2011年2月向督查组申报至少1次"]
    assert todos(p) == ["配足专职监督人员（不少于5人），并更新监督机构登记",
                        "督查组每个季度须对辖区工程全面督查：安排督查并登记结果",
                        "补报该月的工程质量安全监管申报（新开工项目、发现的质量安全问题及处理措施）"]
    assert "Q2" not in p["text"] and "2011-02" not in p["text"]
    ok = plain("construction.supervision_check", full_time_staff=5)
    assert ok["sentence"].startswith("符合昆政办〔2010〕111号的要求")


# --- 116号: the 96128 desk's routing and platforms --------------------------------------------

@pytest.mark.parametrize("inputs, sentence", [
    ({"request_type": "query", "faq_authorised": True},
     "属于授权的查询服务，由96128平台直接答复（昆政办〔2010〕116号 三(四)1）。"),
    ({"request_type": "approval"},
     "涉及行政审批，由96128平台直接转接至市各级政务服务管理局受理办理和答复（昆政办〔2010〕116号 三(四)2）。"),
    ({"request_type": "complaint", "working_hours": False},
     "涉及投诉、举报或建议，由96128平台直接转至12345平台，由市长热线办办理（昆政办〔2010〕116号 三(四)3）；"
     "来电在非法定工作时间，由话务平台录音答录，工作时间内及时整理办理（昆政办〔2010〕116号 三(二)）。"),
    ({"request_type": "consultation"},
     "属于未授权的查询或专业性较强的咨询，转至相应的接入平台或联络员受理、办理和答复（昆政办〔2010〕116号 三(四)4）。"),
])
def test_route(inputs, sentence):
    assert plain("hotline.route", **inputs)["sentence"] == sentence


def test_platform_type():
    # 三(一): neither a 123 number nor a unified line → 第三类; 联络员 for every type
    p = plain("hotline.platform_type", has_123_line=False, has_unified_service=False)
    assert p["sentence"].startswith("既没有123开头电话，又没有统一服务电话或中心（窗口），属第三类平台")
    assert p["sentence"].endswith("各类平台均须坚持联络员制度（昆政办〔2010〕116号 三(一)）。")


# --- in English, from the catalogue -----------------------------------------------------------

FAILING = [
    ("safety.staffing_requirement", {"industry": "mine", "employees": 150, "safety_staff": 2}),
    ("safety.admonition_answer_deadline", {"issued_on": "2011-06-01", "answered_on": "2011-06-20"}),
    ("safety.township_budget", {"budget_yuan": 25000}),
    ("safety.drills", {"level": "enterprise", "drills_per_year": 1}),
    ("safety.meetings", {"executive_meetings_per_year": 1, "safety_meetings_by_quarter": [1, 0, 1, 1]}),
    ("headquarters.application_window", {"filed_on": "2011-04-01"}),
    ("geohazards.point_requirements", {"scale": "medium"}),
    ("geohazards.quick_report_timeliness", {"level": "county", "hours_elapsed": 5}),
    ("construction.supervision_check", {"full_time_staff": 3, "trainings_per_year": 0}),
]


@pytest.mark.parametrize("rule_id, inputs", FAILING)
def test_every_sentence_and_todo_has_its_english(rule_id, inputs):
    chinese = plain(rule_id, **inputs)
    with english_from_tsv():
        english = plain(rule_id, **inputs)
    assert english["sentence"] != chinese["sentence"]
    assert english["findings"] and all(
        e["todo"] != c["todo"] for e, c in zip(english["findings"], chinese["findings"]))


def test_the_quick_report_in_english():
    with english_from_tsv():
        p = plain("geohazards.quick_report_timeliness", level="county", hours_elapsed=5)
        ladder = plain("safety.warning_ladder", general_accidents_within_month=2)
    assert p["sentence"] == ("Reported to the county only 5 hours after the event, beyond the 2 hours "
                             "allowed (昆政办〔2010〕109号 3(4), \"at the first moment\").")
    assert ladder["sentence"].startswith("2 general accident(s) within one month "
                                         "(昆政办〔2010〕106号 Annex 第六条(二)): Admonition is due. The admonished unit")
