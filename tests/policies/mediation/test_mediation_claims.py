"""People's-mediation reward claims (MR-1 … MR-4) through the API, as the real roles.

Reference rates, 昆政办〔2010〕108号 附件 三(二)3: 普通100元、疑难300元、重大500元 per case.
Budget, 三(二)4: 600万元 in total, the city 300万元 (city share of each reward: 300/600 = 50 %,
an interpretation parameter). Phases, 三: implementation 6月1日—11月30日 (both days count).
"""

import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from policies.claims_helpers import client_for, post, step

from kmgov.core.calendar import TZ
from kmgov.core.models import AuditEntry
from kmgov.policies.mediation.models import MediationClaim, MediationRecord, ensure_budgets
from kmgov.procedures.ledger import Budget, BudgetExceeded, Payment
from kmgov.procedures.models import InboxItem
from kmgov.procedures.services import attachment_add, case_transition

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def record(client, committee, no, grade, on="2010-07-15"):
    return post(client, "/api/v1/mediation/records",
                dict(committee=committee, agreement_no=no, agreement_signed_on=on, grade=grade))


def panlong_records(folk):
    town, village = client_for(folk.station), client_for(folk.village)
    for r in (record(town, "panlong-dianyuan", "DY-001", "ordinary", "2010-06-01"),
              record(town, "panlong-dianyuan", "DY-002", "difficult"),
              record(village, "dianyuan-village", "CW-001", "ordinary", "2010-11-30"),
              record(village, "dianyuan-village", "CW-002", "major")):
        assert r.status_code == 201, r.json()


def new_claim(user, county):
    r = post(client_for(user), "/api/v1/mediation/claims", {"county": county})
    assert r.status_code == 201, r.json()
    return r.json()["reference"]


def budgets():
    return {b.key: b.committed for b in Budget.objects.all()}


@pytest.mark.django_db
def test_records_are_checked(folk):
    town = client_for(folk.station)
    # mobilisation phase (5月1日—31日) and assessment phase (12月) are outside implementation
    for on in ("2010-05-31", "2010-12-01"):
        r = record(town, "panlong-dianyuan", "X-" + on, "ordinary", on)
        assert r.status_code == 400 and "agreement_signed_on" in r.json()["detail"], r.json()
    assert record(town, "panlong-dianyuan", "X-1", "huge").status_code == 400
    assert record(town, "panlong-dianyuan", "X-1", "ordinary").status_code == 201
    r = record(town, "panlong-dianyuan", "X-1", "major")
    assert r.status_code == 400 and "agreement_no" in r.json()["detail"]
    # a committee records only its own cases; a county bureau is not a committee
    assert record(town, "wuhua-town", "W-1", "ordinary").status_code == 403
    r = record(client_for(folk.panlong_justice), "panlong-justice", "J-1", "ordinary")
    assert r.status_code in (400, 403)
    assert MediationRecord.objects.count() == 1


@pytest.mark.django_db
def test_claim_approved_and_paid_with_reference_rates(folk):
    panlong_records(folk)
    ref = new_claim(folk.panlong_justice, "panlong")
    county = client_for(folk.panlong_justice)
    r = step(county, "mediation-claim", ref, "submit")
    assert r.status_code == 200, r.json()
    claim = MediationClaim.objects.get(reference=ref)
    # 2 × 100 + 1 × 300 + 1 × 500 = 1000元 (108号 附件 三(二)3); city 50 % = 500元
    assert (claim.total_yuan, claim.city_yuan, claim.county_yuan, claim.case_count) == (
        Decimal("1000.00"), Decimal("500.00"), Decimal("500.00"), 4)
    assert budgets() == {"mediation.total": Decimal("1000.00"), "mediation.city": Decimal("500.00")}
    assert [i["what"] for i in client_for(folk.city_justice).get("/api/v1/inbox").json()] == [
        "审核调解案件等级、件数与奖励金额"]
    assert step(client_for(folk.city_justice), "mediation-claim", ref, "approve").json()["state"] == "approved"
    assert step(client_for(folk.city_finance), "mediation-claim", ref, "pay").json()["state"] == "paid"
    [p] = Payment.objects.filter(case_reference=ref)
    assert (p.tranche, p.amount, p.payee.code) == ("city_share", Decimal("500.00"), "panlong-justice")
    # a second claim finds nothing left to claim
    ref2 = new_claim(folk.panlong_justice, "panlong")
    r = step(county, "mediation-claim", ref2, "submit")
    assert r.status_code == 400 and r.json()["field"] == "records"


@pytest.mark.django_db
def test_county_rates_and_rejection_releases_budget(folk):
    wc = client_for(folk.wuhua_committee)
    record(wc, "wuhua-town", "W-1", "ordinary")
    record(wc, "wuhua-town", "W-2", "major")
    r = post(client_for(folk.wuhua_justice), "/api/v1/mediation/rates",
             dict(county="wuhua", ordinary=150, difficult=400, major=600))
    assert r.status_code == 200, r.json()
    assert post(client_for(folk.panlong_justice), "/api/v1/mediation/rates",
                dict(county="wuhua", ordinary=1, difficult=1, major=1)).status_code == 403
    ref = new_claim(folk.wuhua_justice, "wuhua")
    step(client_for(folk.wuhua_justice), "mediation-claim", ref, "submit")
    # 五华's own rates: 150 + 600 = 750元
    assert MediationClaim.objects.get(reference=ref).total_yuan == Decimal("750.00")
    r = step(client_for(folk.city_justice), "mediation-claim", ref, "reject", reason="等级认定不实")
    assert r.json()["state"] == "rejected"
    assert budgets()["mediation.total"] == Decimal("0.00")
    assert MediationRecord.objects.filter(claim__isnull=True).count() == 2


@pytest.mark.django_db
def test_return_resubmit_and_withdraw(folk):
    panlong_records(folk)
    ref = new_claim(folk.panlong_justice, "panlong")
    county = client_for(folk.panlong_justice)
    step(county, "mediation-claim", ref, "submit")
    r = step(client_for(folk.city_justice), "mediation-claim", ref, "return_for_changes",
             reason="补充协议书复印件")
    assert r.json()["state"] == "returned"
    assert budgets()["mediation.total"] == Decimal("0.00")
    assert "按审核意见补正后重新提交" in [i["what"] for i in county.get("/api/v1/inbox").json()]
    assert step(county, "mediation-claim", ref, "submit").json()["state"] == "submitted"
    assert budgets()["mediation.total"] == Decimal("1000.00")
    assert step(county, "mediation-claim", ref, "withdraw").json()["state"] == "withdrawn"
    assert budgets()["mediation.total"] == Decimal("0.00")
    assert InboxItem.objects.filter(case_reference=ref, done_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_spot_check_excludes_then_claws_back(folk):
    panlong_records(folk)
    ref = new_claim(folk.panlong_justice, "panlong")
    step(client_for(folk.panlong_justice), "mediation-claim", ref, "submit")
    major = MediationRecord.objects.get(agreement_no="CW-002")
    url = f"/api/v1/mediation/records/{major.id}/flag-false"
    # only the city justice bureau flags; the county and the auditor cannot
    assert post(client_for(folk.panlong_justice), url, {"reason": "x"}).status_code == 403
    assert post(client_for(folk.auditor), url, {"reason": "x"}).status_code == 403
    assert post(client_for(folk.wuhua_justice), url, {"reason": "x"}).status_code == 400  # not visible
    r = post(client_for(folk.city_justice), url, {"reason": "协议书系补签"})
    assert r.status_code == 200 and r.json()["flagged_false"]
    claim = MediationClaim.objects.get(reference=ref)
    # excluded before payment: 1000 − 500 = 500元, city 250元
    assert (claim.total_yuan, claim.city_yuan) == (Decimal("500.00"), Decimal("250.00"))
    assert budgets() == {"mediation.total": Decimal("500.00"), "mediation.city": Decimal("250.00")}
    step(client_for(folk.city_justice), "mediation-claim", ref, "approve")
    step(client_for(folk.city_finance), "mediation-claim", ref, "pay")
    difficult = MediationRecord.objects.get(agreement_no="DY-002")
    r = post(client_for(folk.city_justice), f"/api/v1/mediation/records/{difficult.id}/flag-false",
             {"reason": "当事人否认调解"})
    assert r.status_code == 200
    rows = list(Payment.objects.filter(case_reference=ref).order_by("id").values_list("tranche", "amount"))
    # paid 250元, then the difficult case's city share (300 × 50 % = 150元) clawed back
    assert rows == [("city_share", Decimal("250.00")), (f"clawback:record:{difficult.id}", Decimal("-150.00"))]
    assert AuditEntry.objects.filter(action="mediation.flag_false").count() == 2
    page = client_for(folk.city_justice).get("/mediation/records/").content.decode()
    assert "协议书系补签" in page


@pytest.mark.django_db
def test_scope_pages_and_auditor(folk):
    panlong_records(folk)
    ref = new_claim(folk.panlong_justice, "panlong")
    assert client_for(folk.wuhua_justice).get(f"/api/v1/cases/mediation-claim/{ref}").status_code == 404
    assert client_for(folk.wuhua_justice).get(f"/mediation/claims/{ref}/").status_code == 404
    assert step(client_for(folk.wuhua_justice), "mediation-claim", ref, "submit").status_code == 404
    assert client_for(folk.wuhua_justice).get("/api/v1/mediation/records").json() == []
    assert len(client_for(folk.panlong_justice).get("/api/v1/mediation/records").json()) == 4
    assert post(client_for(folk.wuhua_justice), "/api/v1/mediation/claims", {"county": "panlong"}).status_code == 403
    aud = client_for(folk.auditor)
    assert aud.get(f"/mediation/claims/{ref}/").status_code == 200
    assert step(aud, "mediation-claim", ref, "submit").status_code == 403
    assert len(aud.get("/api/v1/mediation/records").json()) == 4
    page = client_for(folk.panlong_justice).get("/mediation/claims/")
    assert page.status_code == 200 and ref in page.content.decode() and "/mediation/records/" in page.content.decode()
    assert ref not in client_for(folk.wuhua_justice).get("/mediation/claims/").content.decode()


@pytest.mark.django_db
def test_county_report_due_by_31_december(folk):
    import datetime as dt

    county = client_for(folk.panlong_justice)
    r = post(county, "/api/v1/mediation/reports", {"county": "panlong", "year": 2010})
    ref = r.json()["reference"]
    from kmgov.policies.mediation.models import MediationReport

    rep = MediationReport.objects.get(reference=ref)
    assert rep.report_deadline() == dt.date(2010, 12, 31)  # 108号 附件 三(三)2
    r = step(county, "mediation-report", ref, "submit")
    assert r.status_code == 400 and r.json()["field"] == "attachments"
    attachment_add(rep, key="report", file=io.BytesIO(PDF), name="report.pdf", actor=folk.panlong_justice)
    rep = case_transition(rep, "submit", actor=folk.panlong_justice,
                          now=dt.datetime(2010, 12, 31, 23, 0, tzinfo=TZ))
    assert rep.late is False
    rep = case_transition(rep, "return_for_changes", actor=folk.city_justice, reason="补充回头看",
                          now=dt.datetime(2011, 1, 2, 9, tzinfo=TZ))
    rep = case_transition(rep, "submit", actor=folk.panlong_justice,
                          now=dt.datetime(2011, 1, 3, 9, tzinfo=TZ))
    assert rep.late is True
    rep = case_transition(rep, "accept", actor=folk.city_justice)
    assert rep.state == "accepted"


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_pass_the_cap(folk):
    panlong_records(folk)  # 1000元
    wc = client_for(folk.wuhua_committee)
    record(wc, "wuhua-town", "W-1", "ordinary")
    record(wc, "wuhua-town", "W-2", "major")  # 600元 at reference rates
    import datetime as dt

    ensure_budgets(dt.date(2010, 7, 1))
    cap = Budget.objects.get(key="mediation.total").cap
    assert cap == Decimal("6000000.00")  # 600万元
    # the budget is nearly spent: 1200元 left, enough for one claim but not both
    Budget.objects.filter(key="mediation.total").update(committed=cap - Decimal("1200"))
    c1 = MediationClaim.objects.get(reference=new_claim(folk.panlong_justice, "panlong"))
    c2 = MediationClaim.objects.get(reference=new_claim(folk.wuhua_justice, "wuhua"))
    jobs = [lambda: case_transition(c1, "submit", actor=folk.panlong_justice),
            lambda: case_transition(c2, "submit", actor=folk.wuhua_justice)]
    results = [None, None]
    import time

    from django_fsm.signals import pre_transition

    def slow(sender, **kwargs):
        time.sleep(0.3)  # both hold their own claim row and reach the budget together

    pre_transition.connect(slow, sender=MediationClaim, dispatch_uid="slow-budget")
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)

        def run(i):
            try:
                barrier.wait(5)
                results[i] = jobs[i]()
            except Exception as exc:  # noqa: BLE001
                results[i] = exc
            finally:
                connection.close()

        ts = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        [t.start() for t in ts]
        [t.join(30) for t in ts]
    else:
        for i, job in enumerate(jobs):
            try:
                results[i] = job()
            except Exception as exc:  # noqa: BLE001
                results[i] = exc
    pre_transition.disconnect(dispatch_uid="slow-budget", sender=MediationClaim)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], BudgetExceeded), results
    total = Budget.objects.get(key="mediation.total")
    assert total.committed <= total.cap
    assert MediationClaim.objects.filter(state="submitted").count() == 1
    loser = c1 if isinstance(results[0], Exception) else c2
    assert MediationRecord.objects.filter(claim=loser).count() == 0  # nothing half-written


@pytest.mark.django_db
@pytest.mark.parametrize("body, field", [
    # JSON's non-standard NaN/Infinity literals (Python's json reads them): not an amount
    ('{"county": "wuhua", "ordinary": NaN, "difficult": 300, "major": 500}', "ordinary"),
    ('{"county": "wuhua", "ordinary": 100, "difficult": Infinity, "major": 500}', "difficult"),
    # a rate of 100万元 a case does not fit the column (up to 999,999.99元) — refused, not a 500
    ('{"county": "wuhua", "ordinary": 100, "difficult": 300, "major": 1000000}', "major"),
    ('{"county": "wuhua", "ordinary": 1e300, "difficult": 300, "major": 500}', "ordinary"),
])
def test_county_rates_refuse_amounts_that_are_not_money(folk, body, field):
    r = client_for(folk.wuhua_justice).post("/api/v1/mediation/rates", body,
                                            content_type="application/json")
    assert r.status_code == 400 and field in r.json()["detail"], r.content
    from kmgov.policies.mediation.models import CountyRewardRates
    assert not CountyRewardRates.objects.exists()


@pytest.mark.django_db
def test_flag_false_page_names_the_missing_reason_beside_its_field(folk):
    # issue 13 item 3: the reason is a labelled field (not a placeholder); a refusal is shown
    # beside it, what was typed is kept and nothing is written
    import re

    panlong_records(folk)
    major = MediationRecord.objects.get(agreement_no="CW-002")
    c = client_for(folk.city_justice)
    page = c.get("/mediation/records/").content.decode()
    assert f'<label class="govuk-label govuk-label--s" for="flag-{major.id}-reason">认定虚报的理由</label>' in page
    assert "placeholder" not in page
    r = c.post("/mediation/records/", {"record": major.id, "reason": "   "})
    html = r.content.decode()
    assert r.status_code == 400
    error = re.search(rf'<p class="govuk-error-message" id="flag-{major.id}-reason-error"[^>]*>([^<]*)</p>', html)
    assert error and error.group(1) == "须填写认定虚报的理由"
    assert f'<a href="#flag-{major.id}-reason">须填写认定虚报的理由</a>' in html
    assert f'aria-describedby="flag-{major.id}-reason-error"' in html
    major.refresh_from_db()
    assert not major.flagged_false
    assert AuditEntry.objects.filter(action="mediation.flag_false").count() == 0
