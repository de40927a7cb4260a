"""A filed form prints as the gazette's table with the answers (read back from the PDF's
text); the checks the gazette makes computable run on the filed answers, with citations."""

import pytest
from procedures.pdftext import pdf_text

from kmgov.core.models import OrgUnit
from kmgov.policies.safety.pdf import warning_notice_pdf, zero_report_pdf
from kmgov.policies.safety.services import (
    accident_record,
    warning_draft,
    warning_issue,
    zr_file,
    zr_start,
)
from kmgov.procedures.filing_services import slots_open

from .conftest import at
from .test_zero_report_filing import T3

pytestmark = pytest.mark.django_db


def _filed(sp, data, org="ent-mine", user=None, n=3, level="ent"):
    slots_open(f"zr{n}-{level}", "2010H1", now=at(2010, 7, 1, 8))
    case = zr_start(n, "2010H1", org=OrgUnit.objects.get(code=org), actor=user or sp.mine,
                    now=at(2010, 7, 2, 9))
    return zr_file(case, data, actor=user or sp.mine, now=at(2010, 7, 2, 10))


def test_the_pdf_is_the_table_with_the_answers(sp):
    case = _filed(sp, T3)
    text = pdf_text(zero_report_pdf(case))
    flat = "".join(text.split())
    # 表三's title and number (gazette lines 1173–1175), its columns, an item's text, the
    # header as filed, the 不落实 explanation, √ marks for the seven items.
    assert "人员、经费、装备不落实零申报表" in flat and "零申报表三" in flat
    assert "申报情况" in flat and "不落实" in flat
    assert "从业人员在100人以上的，必须设置专门的安全生产管理机构" in flat
    assert "盘龙示例煤矿有限公司" in flat and "张矿长" in flat and "0871-65000001" in flat
    assert "检测设备尚缺一台" in flat
    assert flat.count("√") == 7


def test_checks_on_the_filed_answers_with_citations(sp):
    # 五(三)1: a coal mine (矿山) with 120 staff must have a safety department of ≥ 3 people;
    # it answered 落实 on item 1.4 with 2 people and no department: the check says 不符合 and
    # the report is flagged as not matching the facts.
    case = _filed(sp, {**T3, "employees": 120, "has_safety_department": False, "safety_staff": 2})
    [check] = case.checks
    assert check["rule"] == "safety.staffing_requirement" and check["row"] == "item_1_4"
    assert check["outcome"] == "non_compliant" and check["contradiction"]
    assert "五(三)1" in check["citation"] and case.contradictions == 1
    # 五(三)2: 滇源镇 with 25,000 元 (< 3万元) — answered 不落实, so no contradiction.
    town = _filed(sp, {**T3, "unit_name": "滇源镇", "item_2": "不落实", "item_2_note": "经费不足",
                       "budget_yuan": 25000, "previous_year_budget_yuan": 20000},
                  org="panlong-dianyuan", user=sp.dianyuan, level="town")
    [b] = town.checks
    assert (b["rule"], b["outcome"], b["contradiction"]) == ("safety.township_budget", "non_compliant", False)
    assert "五(三)2" in b["citation"]


def test_drills_and_meetings(sp):
    base9 = {k: v for k, v in T3.items() if not k.startswith("item_")}
    t9 = {**base9, "item_1": "落实", "item_2": "落实", "item_3": "落实", "item_4": "落实",
          "drills_per_year": 1}
    case = _filed(sp, t9, n=9)
    # 五(九)1(2): an enterprise at least 2 drills a year; 1 answered 落实 → flagged.
    [c] = case.checks
    assert (c["rule"], c["outcome"], c["contradiction"]) == ("safety.drills", "non_compliant", True)
    t1 = {**base9, "item_1": "落实", "item_2": "落实", "item_3": "落实", "item_4": "落实",
          "executive_meetings": 2, "safety_meetings_by_quarter": [1, 1]}
    case = _filed(sp, t1, org="panlong-dianyuan", user=sp.dianyuan, n=1, level="town")
    [m] = case.checks  # 五(一)4: ≥ 2 executive meetings a year, ≥ 1 safety meeting a quarter
    assert (m["rule"], m["outcome"]) == ("safety.meetings", "compliant") and "五(一)4" in m["citation"]


def test_the_notice_pdf(sp):
    for day in ("2010-09-01", "2010-09-10"):
        accident_record(actor=sp.office, now=at(2010, 9, 15), data={
            "org": "ent-mine", "occurred_on": day, "grade": "general", "summary": "冒顶"})
    w = warning_draft(actor=sp.office, now=at(2010, 9, 16), data={
        "recipient": "ent-mine", "level": "admonition", "grounds": []})
    w = warning_issue(w, actor=sp.office_head, now=at(2010, 9, 16, 10))
    flat = "".join(pdf_text(warning_notice_pdf(w)).split())
    assert "安全生产告诫通知书" in flat and "第六条(二)" in flat and "2010年10月8日" in flat


def test_an_untrue_report_is_proposed_after_the_window(sp):
    """106号 第五条(四) / 第七条(五) “不符合事实”: a form answered 落实 that its check
    contradicts is proposed 告知 to the office once the window has closed — once."""
    from kmgov.policies.safety.models import Warning
    from kmgov.policies.safety.services import zero_report_proposals

    _filed(sp, {**T3, "employees": 120, "has_safety_department": False, "safety_staff": 2})
    assert zero_report_proposals(now=at(2010, 7, 10, 12)) == 0  # the window is still open
    assert zero_report_proposals(now=at(2010, 7, 11, 1)) == 1
    assert zero_report_proposals(now=at(2010, 7, 11, 2)) == 0
    w = Warning.objects.get(source="zero-report:ent-mine:2010H1")
    assert (w.level, w.grounds, w.state) == ("notice", ["zero_report_inadequate"], "draft")
    assert "经核查不符" in w.notice_text and w.issuer_org.code == "panlong"
