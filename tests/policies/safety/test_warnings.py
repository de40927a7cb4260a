"""106号 warnings: counts from the accident register, the ladder's decision kept with its
trace, the 15-day answer of 第九条 (民法通则 第154条's last day), overdue answers escalated."""

import datetime as dt
import json

import pytest
from django.test import Client

from kmgov.policies.safety.models import Warning
from kmgov.policies.safety.services import (
    accident_record,
    general_accidents_in_one_month,
    warning_draft,
    warning_issue,
)
from kmgov.procedures.decisions import DecisionRecord
from kmgov.procedures.errors import SeparationOfDuties, StepInputInvalid, TransitionDenied
from kmgov.procedures.models import Deadline
from kmgov.procedures.selectors import inbox_for
from kmgov.procedures.services import case_step, deadlines_sweep

from .conftest import at

pytestmark = pytest.mark.django_db


def _accident(sp, day, grade="general", org="ent-mine"):
    return accident_record(actor=sp.office, now=at(2010, 12, 1), data={
        "org": org, "occurred_on": day, "grade": grade, "deaths": 1, "summary": "井下冒顶"})


def test_one_month_is_counted_from_the_register():
    d = dt.date
    # 第六条(二) “1个月内”: 9月20日 and 10月19日 are within one month; 10月20日 is not.
    assert general_accidents_in_one_month([d(2010, 9, 20), d(2010, 10, 19)]) == 2
    assert general_accidents_in_one_month([d(2010, 9, 20), d(2010, 10, 20)]) == 1


def _admonish(sp, issued):
    w = warning_draft(actor=sp.office, now=issued, data={
        "recipient": "ent-mine", "level": "admonition", "grounds": [],
        "notice_text": "你公司一个月内发生两起一般事故"})
    return warning_issue(w, actor=sp.office_head, now=issued)


def test_two_general_accidents_in_a_month_admonition_with_six_two(sp):
    _accident(sp, "2010-09-01")
    _accident(sp, "2010-09-10")
    w = _admonish(sp, at(2010, 9, 16, 10))
    assert w.state == "awaiting" and w.grounds == ["第六条(二)"]
    rec = DecisionRecord.objects.get(case_reference=w.reference, rule="safety.warning_ladder")
    assert rec.outputs["highest_action"] == "admonition"
    cited = json.dumps(rec.trace, ensure_ascii=False)
    assert "第六条(二)" in cited and "1个月内发生2起以上一般安全生产事故" in cited
    assert rec.inputs["general_accidents_within_month"] == 2  # from the register, not typed
    # 第九条: 15 days from 9月16日 → 10月1日, 国庆节 → 10月8日 (民法通则 第154条).
    assert w.answer_due_on == dt.date(2010, 10, 8)
    esc = Deadline.objects.get(case_reference=w.reference, kind="escalation")
    assert esc.period_ends_at == at(2010, 10, 9, 0, 0)  # 24:00 of 10月8日
    # the warned enterprise has it in its inbox
    assert inbox_for(sp.mine).filter(case_reference=w.reference).exists()
    # An answer on 10月8日 is on time.
    w = case_step(w, "answer", actor=sp.mine, data={"measures": "停产整顿，排查顶板隐患"},
                  now=at(2010, 10, 8, 16))
    assert w.state == "answered" and not w.answer_late
    ans = DecisionRecord.objects.get(case_reference=w.reference, rule="safety.admonition_answer_deadline")
    assert ans.outcome == "on_time"


def test_a_sunday_last_day_moves_to_monday(sp):
    # 2010-06-05 + 15 = Sunday 2010-06-20 → Monday 06-21; an answer that day is on time.
    _accident(sp, "2010-05-20")
    _accident(sp, "2010-06-01")
    w = _admonish(sp, at(2010, 6, 5, 10))
    assert w.answer_due_on == dt.date(2010, 6, 21)
    w = case_step(w, "answer", actor=sp.mine, data={"measures": "停产整顿，排查顶板隐患"},
                  now=at(2010, 6, 21, 9))
    assert not w.answer_late


def test_overdue_answer_reminded_and_escalated_to_the_issuer(sp):
    _accident(sp, "2010-09-01")
    _accident(sp, "2010-09-10")
    w = _admonish(sp, at(2010, 9, 16, 10))
    # reminder 3 days before 10月8日 at 09:00 to the enterprise, escalation at its end to the
    # issuing office (第六条(六)、第八条(一)), each once.
    deadlines_sweep(now=at(2010, 10, 5, 9, 1))
    assert inbox_for(sp.mine).filter(case_reference=w.reference, kind="reminder").count() == 1
    deadlines_sweep(now=at(2010, 10, 9, 0, 1))
    deadlines_sweep(now=at(2010, 10, 9, 0, 2))
    esc = inbox_for(sp.office).filter(case_reference=w.reference, kind="escalation")
    assert esc.count() == 1
    # The overdue admonition now counts for 第八条(一) in the next warning's ladder.
    nxt = warning_draft(actor=sp.office, now=at(2010, 10, 12), data={
        "recipient": "ent-mine", "level": "special_report", "grounds": []})
    nxt = warning_issue(nxt, actor=sp.office_head, now=at(2010, 10, 12, 10))
    assert nxt.grounds == ["第八条(一)"] and nxt.state == "issued"


def test_the_ladder_refuses_a_level_without_grounds(sp):
    w = warning_draft(actor=sp.office, now=at(2010, 9, 16), data={
        "recipient": "ent-mine", "level": "admonition", "grounds": []})
    with pytest.raises(StepInputInvalid) as exc:
        warning_issue(w, actor=sp.office_head, now=at(2010, 9, 16, 10))
    assert exc.value.errors[0]["field"] == "level" and "第六条" in exc.value.errors[0]["message"]
    assert Warning.objects.get(pk=w.pk).state == "draft"
    assert not DecisionRecord.objects.filter(case_reference=w.reference).exists()
    # A prompt with its ground (第四条(二)) is issued.
    p = warning_draft(actor=sp.office, now=at(2010, 9, 16), data={
        "recipient": "panlong-dianyuan", "level": "prompt", "grounds": ["safeguards_not_in_place"]})
    p = warning_issue(p, actor=sp.office_head, now=at(2010, 9, 16, 10))
    assert (p.state, p.grounds) == ("issued", ["第四条(二)"])


def test_who_may_warn_whom(sp):
    # 五华区's office cannot warn a 盘龙区 enterprise; an enterprise warns nobody.
    for user in (sp.wuhua_office, sp.mine):
        with pytest.raises(TransitionDenied):
            warning_draft(actor=user, data={"recipient": "ent-mine", "level": "prompt",
                                            "grounds": ["other_prompt"]})
    # 市安委办 warns a county (a lower government, 106号 第三条).
    w = warning_draft(actor=sp.city, now=at(2010, 9, 1), data={
        "recipient": "panlong", "level": "notice", "grounds": ["zero_report_inadequate"]})
    assert (w.issuer_org.code, w.issuer_role) == ("city-safety", "city_office")
    # the one who drafted it does not sign it (separation of duties, issue 15): refused, unsent
    with pytest.raises(SeparationOfDuties):
        warning_issue(w, actor=sp.city, now=at(2010, 9, 1, 10))
    w.refresh_from_db()
    assert w.state == "draft"
    w = warning_issue(w, actor=sp.city_head, now=at(2010, 9, 1, 10))
    assert w.grounds == ["第五条(四)"]
    # the warned county and the issuer read it; another county does not.
    c = Client()
    for user, status in ((sp.government, 200), (sp.city, 200), (sp.wuhua_office, 404)):
        c.force_login(user)
        assert c.get(f"/api/v1/cases/safety-warning/{w.reference}").status_code == status


def test_the_draft_page_says_the_ladder_plainly(sp):
    from django.utils import timezone

    now = timezone.now()
    today = timezone.localdate()
    for days in (10, 5):  # two general accidents within one month of today
        accident_record(actor=sp.office, now=now, data={
            "org": "ent-mine", "occurred_on": (today - dt.timedelta(days=days)).isoformat(),
            "grade": "general", "deaths": 1, "summary": "井下冒顶"})
    w = warning_draft(actor=sp.office, now=now, data={
        "recipient": "ent-mine", "level": "admonition", "grounds": [], "notice_text": "两起一般事故"})
    c = Client()
    c.force_login(sp.office)
    html = c.get(f"/safety/warnings/{w.reference}/").content.decode()
    # 106号 附件 第六条(二): 1个月内发生2起以上一般安全生产事故 → 告诫; 第九条: 15日内报送
    assert ("1个月内发生2起一般安全生产事故（昆政办〔2010〕106号 附件 第六条(二)），应予告诫。"
            "被告诫单位应于15日内将采取的措施和落实情况报发出告诫通知的单位备案（第九条）。") in html
