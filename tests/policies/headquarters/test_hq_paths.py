"""总部企业认定 through the API as the real roles: every path of the route (昆政发〔2010〕63号 附件
第十条–第十四条、第十九条、第二十条)."""

import datetime as dt
from decimal import Decimal

import pytest
from policies.recognition_fixtures import (
    HQ_DOCS,
    HQ_INPUTS,
    at,
    client_for,
    post_json,
    step,
    upload,
)

from kmgov.core.models import AuditEntry
from kmgov.policies.headquarters.models import (
    CreditRecord,
    GreenChannelCard,
    HeadquartersApplication,
)
from kmgov.procedures.models import Deadline, InboxItem

pytestmark = pytest.mark.django_db


def create(client, hq_type="comprehensive", inputs=None, **extra):
    return post_json(client, "/api/v1/headquarters/applications",
                     {"hq_type": hq_type, "inputs": inputs or HQ_INPUTS, **extra})


def submitted(people, *, docs=HQ_DOCS):
    applicant = client_for(people.applicant)
    r = create(applicant)
    assert r.status_code == 201, r.json()
    ref = r.json()["reference"]
    for key in docs:
        assert upload(applicant, "hq", ref, key).status_code == 200
    r = step(applicant, "hq", ref, "submit", expected_state="draft")
    assert r.status_code == 200, r.json()
    return ref


def detail(client, ref):
    r = client.get(f"/api/v1/headquarters/applications/{ref}")
    assert r.status_code == 200, r.json()
    return r.json()


def open_items(ref):
    return list(InboxItem.objects.filter(case_reference=ref, done_at__isnull=True)
                .values_list("role", "role_org__code", "what"))


MEETING = {"meeting_date": "2026-03-10",
           "meeting_members": ["区发改局 张三", "区商务局 李四", "区财政局 王五", "区税务局 赵六"],
           "meeting_minutes": "一致同意认定为综合型总部"}


def test_decision_and_trace_are_shown_before_submitting(people, march):
    r = create(client_for(people.applicant))
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["reference"].startswith("ZB-2026-") and body["state"] == "draft"
    # 第六条: 1.2亿 ≥ 1亿, 6亿 ≥ 5亿, 3000万 ≥ 2500万 → comprehensive qualifies.
    assert body["decision_outcome"] == "eligible"
    assert "comprehensive" in body["decision"]["qualifies_for"]
    assert body["type_qualifies"] is True
    checks = [s["check"] for s in body["decision"]["trace"]]
    assert "综合型：注册资本或净资产1亿元以上" in checks
    assert body["decision"]["as_of"] == "2026-03-10"
    # Missing documents: 第十条 (一)–(五) are required.
    r = step(client_for(people.applicant), "hq", body["reference"], "submit")
    assert r.status_code == 400 and r.json()["field"] == "attachments"
    assert "总部企业认定申请" in r.json()["detail"]


def test_approve_path_meeting_government_filing_card_and_report(people, march):
    ref = submitted(people)
    assert open_items(ref) == [("county_office", "panlong", "审核申报材料（汇总、审核）")]
    r = step(client_for(people.office), "hq", ref, "pass_to_meeting", reason="材料齐全，符合综合型标准")
    assert r.status_code == 200 and r.json()["state"] == "at_meeting"
    assert open_items(ref) == [("county_department", "panlong",
                                "召开联审会议并记录参会人员、日期与结论")]
    r = step(client_for(people.secretary), "hq", ref, "meeting_pass", data=MEETING)
    assert r.status_code == 200, r.json()
    assert detail(client_for(people.secretary), ref)["meeting"] == {"date": "2026-03-10", "members": MEETING["meeting_members"],
                                   "outcome": "passed", "minutes": "一致同意认定为综合型总部"}
    r = step(client_for(people.government), "hq", ref, "approve", reason="同意")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    assert open_items(ref) == [("city_office", "kunming", "备案")]
    r = step(client_for(people.city_office), "hq", ref, "file", data={"filing_number": "昆总备〔2026〕1号"})
    assert r.status_code == 200, r.json()
    body = detail(client_for(people.city_office), ref)
    assert body["state"] == "filed" and body["filing_number"] == "昆总备〔2026〕1号"
    # 第十四条: green-channel card; validity 12 months (interpretation parameter).
    assert body["card"] == {"number": f"LSTD-{ref}", "org": "ent-dianchi",
                            "hq_type": "comprehensive", "valid_from": "2026-03-10",
                            "valid_until": "2027-03-09", "revoked_at": None}
    # 第十九条's yearly statistics report is no longer awaited by the certification itself: it
    # is the scheduled filing `hq-statistics` (test_statistics_report_is_a_scheduled_filing).
    assert open_items(ref) == []
    assert not Deadline.objects.filter(case_reference=ref, fired_at__isnull=True,
                                       cancelled_at__isnull=True).exists()
    actions = list(AuditEntry.objects.filter(object_type="headquarters.headquartersapplication")
                   .order_by("at", "id").values_list("action", "to_state"))
    assert [a for a, _ in actions if not a.endswith("attachment_add")] == [
        "hq.create", "hq.submit", "hq.pass_to_meeting", "hq.meeting_pass", "hq.approve", "hq.file"]


def test_return_for_changes_and_resubmit(people, march):
    ref = submitted(people)
    office = client_for(people.office)
    r = step(office, "hq", ref, "return_for_changes")
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = step(office, "hq", ref, "return_for_changes", reason="请补充2024年完税证明")
    assert r.status_code == 200 and r.json()["state"] == "returned"
    assert open_items(ref) == [("", None, "按审核意见补正后重新提交")]
    applicant = client_for(people.applicant)
    r = post_json(applicant, f"/api/v1/headquarters/applications/{ref}",
                  {"inputs": {**HQ_INPUTS, "subsidiaries": 6}}, method="patch")
    assert r.status_code == 200 and r.json()["inputs"]["subsidiaries"] == 6
    assert upload(applicant, "hq", ref, "other").status_code == 200
    r = step(applicant, "hq", ref, "resubmit")
    assert r.status_code == 200 and r.json()["state"] == "submitted"


def test_resubmission_after_the_window_is_accepted(people, march):
    ref = submitted(people)
    case = HeadquartersApplication.objects.get(reference=ref)
    from kmgov.procedures.services import case_transition

    case = case_transition(case, "return_for_changes", actor=people.office, reason="补正",
                           now=at(2026, 3, 30, 10))
    # 4月2日: outside 3月1日至31日, but the application was filed in the window.
    case = case_transition(case, "resubmit", actor=people.applicant, now=at(2026, 4, 2, 10))
    assert case.state == "submitted"


def test_reject_by_office_meeting_and_government(people, march):
    ref = submitted(people)
    r = step(client_for(people.office), "hq", ref, "reject", reason="不符合第五条(三)")
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    assert detail(client_for(people.office), ref)["closed_reason"] == "不符合第五条(三)"
    assert open_items(ref) == []

    HeadquartersApplication.objects.filter(reference=ref).update()  # nothing else holds it
    ref2 = submitted(people)  # the place is free again once the first was rejected
    step(client_for(people.office), "hq", ref2, "pass_to_meeting")
    r = step(client_for(people.secretary), "hq", ref2, "meeting_fail", reason="税收证明不实",
             data=MEETING)
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    assert detail(client_for(people.office), ref2)["meeting"]["outcome"] == "failed"

    ref3 = submitted(people)
    step(client_for(people.office), "hq", ref3, "pass_to_meeting")
    step(client_for(people.secretary), "hq", ref3, "meeting_pass", data=MEETING)
    r = step(client_for(people.government), "hq", ref3, "government_reject", reason="不予批准")
    assert r.status_code == 200 and r.json()["state"] == "rejected"


def test_withdraw(people, march):
    ref = submitted(people)
    r = step(client_for(people.applicant), "hq", ref, "withdraw", reason="改报职能型")
    assert r.status_code == 200 and r.json()["state"] == "withdrawn"
    assert open_items(ref) == []
    # Another type may now be applied for (第十二条(一): one at a time).
    r = create(client_for(people.applicant), hq_type="functional.general")
    assert r.status_code == 201


def test_one_type_one_application_a_year(people, march):
    applicant = client_for(people.applicant)
    assert create(applicant).status_code == 201
    r = create(applicant, hq_type="functional.general")
    assert r.status_code == 409
    assert "只能申报其中之一" in r.json()["detail"] and "第十二条(一)" in r.json()["detail"]
    assert HeadquartersApplication.objects.count() == 1


def test_revoke_with_clawback_recorded_in_the_credit_file(people, march):
    ref = submitted(people)
    step(client_for(people.office), "hq", ref, "pass_to_meeting")
    step(client_for(people.secretary), "hq", ref, "meeting_pass", data=MEETING)
    step(client_for(people.government), "hq", ref, "approve")
    step(client_for(people.city_office), "hq", ref, "file")
    gov = client_for(people.government)
    r = step(gov, "hq", ref, "revoke", reason="营业收入证明系伪造", data={"clawback_amount_yuan": "abc"})
    assert r.status_code == 422 and r.json()["field"] == "clawback_amount_yuan"
    assert "责令退回的补助和奖励" in r.json()["detail"]
    assert CreditRecord.objects.count() == 0
    r = step(client_for(people.city_office), "hq", ref, "revoke", reason="x",
             data={"clawback_amount_yuan": 1})
    assert r.status_code == 403
    # 第二十条: 撤销其补助和奖励，责令退回补助和奖励所得，并记入企业信用信息档案.
    r = step(gov, "hq", ref, "revoke", reason="营业收入证明系伪造",
             data={"clawback_amount_yuan": "500000.00"})
    assert r.status_code == 200, r.json()
    body = detail(gov, ref)
    assert body["state"] == "revoked" and body["card"]["revoked_at"] is not None
    [rec] = body["credit_records"]
    assert rec["clawback_amount_yuan"] == "500000.00" and rec["kind"] == "fraud_clawback"
    assert rec["citation"] == "昆政发〔2010〕63号 附件 第二十条" and rec["org"] == "ent-dianchi"
    assert CreditRecord.objects.get().clawback_amount_yuan == Decimal("500000.00")
    assert not GreenChannelCard.objects.get().is_valid(dt.date(2026, 6, 1))
    assert open_items(ref) == []  # no more statistics report is awaited
    assert AuditEntry.objects.filter(action="hq.revoke", reason="营业收入证明系伪造").exists()


def test_statistics_report_is_a_scheduled_filing(people, march, monkeypatch, only_hq_obligations):
    """昆政发〔2010〕63号 附件 第十九条: 经认定的总部企业，每年应向市商务局依法报送本企业总部情况统计资料.
    Interpretation (parameter headquarters.statistics_window): the year Y's statistics are
    filed from 1 January to 31 March of Y+1, both days included; reminded 30 days before the
    last day (1 March, 09:00); escalated to 市商务局 (city-commerce) at 24:00 of 31 March."""
    import io
    import json as _json

    from django.core.management import call_command
    from django.utils import timezone

    from kmgov.procedures.models import FilingSlot
    from kmgov.procedures.services import deadlines_sweep

    ref = submitted(people)
    step(client_for(people.office), "hq", ref, "pass_to_meeting")
    step(client_for(people.secretary), "hq", ref, "meeting_pass", data=MEETING)
    step(client_for(people.government), "hq", ref, "approve")
    step(client_for(people.city_office), "hq", ref, "file")  # filed 2026-03-10: owes 2026 on

    # Before the window of 2026 opens nothing is owed yet.
    assert deadlines_sweep(now=at(2026, 12, 31, 23, 50))["filings"]["opened"] == 0
    assert deadlines_sweep(now=at(2027, 1, 1, 0, 10))["filings"]["opened"] == 1
    assert deadlines_sweep(now=at(2027, 1, 1, 0, 20))["filings"]["opened"] == 0  # idempotent
    slot = FilingSlot.objects.get()
    assert (slot.obligation, slot.period, slot.org.code) == ("hq-statistics", "2026", "ent-dianchi")
    assert (slot.window_opens, slot.window_closes) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert (slot.receiver_role, slot.receiver_org.code) == ("city_department", "city-commerce")
    [item] = InboxItem.objects.filter(procedure="hq-statistics", done_at__isnull=True)
    assert (item.role, item.role_org.code, item.due_day()) == (
        "enterprise", "ent-dianchi", dt.date(2027, 3, 31))
    # Reminder 30 days before 31 March → 1 March 09:00, once.
    assert deadlines_sweep(now=at(2027, 3, 1, 8, 59))["filings"]["reminders"] == 0
    assert deadlines_sweep(now=at(2027, 3, 1, 9, 0))["filings"]["reminders"] == 1
    assert deadlines_sweep(now=at(2027, 3, 1, 9, 10))["filings"]["reminders"] == 0
    # Escalation when the last day (31 March, included) has passed, once, to 市商务局.
    assert deadlines_sweep(now=at(2027, 3, 31, 23, 59))["filings"]["escalations"] == 0
    assert deadlines_sweep(now=at(2027, 4, 1, 0, 0))["filings"]["escalations"] == 1
    assert deadlines_sweep(now=at(2027, 4, 1, 0, 5))["filings"]["escalations"] == 0
    esc = InboxItem.objects.get(procedure="hq-statistics", kind="escalation")
    assert esc.role == "city_department" and esc.role_org.code == "city-commerce"
    assert "尚未报送" in esc.what
    commerce = client_for(people.city_commerce)
    assert [i["kind"] for i in commerce.get("/api/v1/inbox").json()] == ["escalation"]
    monkeypatch.setattr(timezone, "now", lambda: at(2027, 4, 1, 9))
    commerce = client_for(people.city_commerce)  # (a session of the new "now")
    # Who has not filed: the receiver sees every HQ; another county sees none of them.
    body = commerce.get("/api/v1/filings/hq-statistics?period=2026").json()
    assert body["summary"] == {"total": 1, "filed": 0, "late": 0, "not_filed": 1, "overdue": 1}
    assert [i["org"] for i in body["items"]] == ["ent-dianchi"]
    other = client_for(people.wuhua_office).get("/api/v1/filings/hq-statistics?period=2026")
    assert other.json()["summary"]["total"] == 0
    # The HQ files late, on 2 April 2027: the slot is filed (late), 市商务局 is asked to 查收.
    monkeypatch.setattr(timezone, "now", lambda: at(2027, 4, 2, 10))
    applicant = client_for(people.applicant)
    r = post_json(applicant, "/api/v1/filings/hq-statistics/2026/start", {"org": "ent-dianchi"})
    assert r.status_code == 201, r.json()
    report = r.json()["reference"]
    assert report.startswith("ZBTJ-2027-")
    again = post_json(applicant, "/api/v1/filings/hq-statistics/2026/start", {"org": "ent-dianchi"})
    assert again.status_code == 409 and report in again.json()["detail"]
    r = step(applicant, "hq-statistics", report, "submit", data={
        "revenue_yuan": "610000000", "local_tax_yuan": "31000000", "employees": 420})
    assert r.status_code == 200 and r.json()["state"] == "submitted", r.json()
    slot.refresh_from_db()
    assert slot.filed_at == at(2027, 4, 2, 10) and slot.late and slot.case_reference == report
    assert not InboxItem.objects.filter(object_id=slot.pk, procedure="hq-statistics",
                                        role="enterprise", done_at__isnull=True).exists()
    assert detail(applicant, ref)["last_report_year"] == 2026
    assert ("city_department", "city-commerce", "查收总部情况统计资料") in open_items(report)
    commerce = client_for(people.city_commerce)
    r = step(commerce, "hq-statistics", report, "receive")
    assert r.status_code == 200 and r.json()["state"] == "received"
    # The CLI and the page say the same.
    out = io.StringIO()
    call_command("procedures", "filings", "--obligation", "hq-statistics", "--period", "2026",
                 "--json", stdout=out)
    listing = _json.loads(out.getvalue())
    assert listing["summary"] == {"total": 1, "filed": 1, "late": 1, "not_filed": 0, "overdue": 0}
    assert listing["items"][0]["case_reference"] == report
    page = commerce.get("/filings/hq-statistics/?period=2026").content.decode()
    assert "逾期报送" in page and "昆明滇池总部有限公司" in page
    assert report in page and "2027年1月1日 — 2027年3月31日" in page


def test_statistics_report_refused_before_its_window(people, march, monkeypatch):
    from django.utils import timezone

    ref = submitted(people)
    step(client_for(people.office), "hq", ref, "pass_to_meeting")
    step(client_for(people.secretary), "hq", ref, "meeting_pass", data=MEETING)
    step(client_for(people.government), "hq", ref, "approve")
    step(client_for(people.city_office), "hq", ref, "file")
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 12, 20, 10))
    applicant = client_for(people.applicant)
    r = post_json(applicant, "/api/v1/filings/hq-statistics/2026/start", {"org": "ent-dianchi"})
    assert r.status_code == 201
    r = step(applicant, "hq-statistics", r.json()["reference"], "submit", data={
        "revenue_yuan": "1", "local_tax_yuan": "1", "employees": 1})
    assert r.status_code == 400 and r.json()["code"] == "window_closed"
    assert "2027年1月1日至2027年3月31日" in r.json()["detail"] and "尚未开始" in r.json()["detail"]
    # An enterprise that is not a certified HQ owes nothing.
    r = post_json(client_for(people.other_enterprise), "/api/v1/filings/hq-statistics/2026/start",
                  {"org": "ent-wuhua"})
    assert r.status_code == 400 and "不在" in r.json()["detail"]
