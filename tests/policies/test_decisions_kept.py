"""Decisions kept by the kernel (procedures.decisions): the payments of the mediation and
agriculture claims keep the decisions they rely on, with their traces, in the step's
transaction.

Worked by hand from the gazette:
- 昆政办〔2010〕108号 附件 三(二)3: 普通100元、疑难300元、重大500元 per case → 2 ordinary +
  1 difficult + 1 major = 2×100 + 300 + 500 = 1000元; 三(二)4: 600万元 of which the city
  300万元 → the city's share of each reward 300/600 = 50 % → 500元.
- 昆政发〔2010〕59号 四(五): 土地流转 1000亩—2000亩 每亩100元 → 1500亩 × 100 = 150000元;
  四(七): 晋宁县 市:县 = 7:3 → city 105000元, county 45000元.
"""

from decimal import Decimal

import pytest
from policies.claims_helpers import client_for, post, step

from kmgov.policies.mediation.models import MediationClaim
from kmgov.procedures.decisions import DecisionRecord
from kmgov.procedures.ledger import Payment


def _record(client, committee, no, grade, on="2010-07-15"):
    r = post(client, "/api/v1/mediation/records",
             dict(committee=committee, agreement_no=no, agreement_signed_on=on, grade=grade))
    assert r.status_code == 201, r.json()


def panlong_records(folk):
    """2 ordinary, 1 difficult, 1 major case mediated in 盘龙区 in the implementation phase."""
    town, village = client_for(folk.station), client_for(folk.village)
    _record(town, "panlong-dianyuan", "DY-001", "ordinary")
    _record(town, "panlong-dianyuan", "DY-002", "difficult")
    _record(village, "dianyuan-village", "CW-001", "ordinary")
    _record(village, "dianyuan-village", "CW-002", "major")


def new_mediation_claim(user, county):
    r = post(client_for(user), "/api/v1/mediation/claims", {"county": county})
    assert r.status_code == 201, r.json()
    return r.json()["reference"]

M108 = "昆政办〔2010〕108号"
A59 = "昆政发〔2010〕59号"


def cites(record, docno, path):
    return any(s.get("citation") and s["citation"]["docno"] == docno
               and s["citation"]["path"] == path for s in record.trace)


def records(ref, step=None):
    qs = DecisionRecord.objects.filter(case_reference=ref).order_by("id")
    return list(qs.filter(step=step) if step else qs)


@pytest.mark.django_db
def test_mediation_payment_keeps_reward_and_split_with_traces(folk):
    panlong_records(folk)
    ref = new_mediation_claim(folk.panlong_justice, "panlong")
    assert step(client_for(folk.panlong_justice), "mediation-claim", ref, "submit").status_code == 200
    assert step(client_for(folk.city_justice), "mediation-claim", ref, "approve").status_code == 200
    r = step(client_for(folk.city_finance), "mediation-claim", ref, "pay")
    assert r.status_code == 200, r.json()
    [paid] = Payment.objects.filter(case_reference=ref)
    reward, split = records(ref, "pay")
    # 三(二)3: 2×100 + 300 + 500 = 1000元
    assert (reward.rule, reward.outcome, reward.amounts["amount_yuan"]) == (
        "mediation.reward", "", "1000.00")
    assert reward.inputs["ordinary"] == 2 and reward.inputs["major"] == 1
    assert cites(reward, M108, "附件 三(二)3")
    used = {p["name"]: p for p in reward.parameters}
    assert used["mediation.reward_ordinary"]["value"] == 100
    assert M108 in used["mediation.reward_ordinary"]["reference"]
    # 三(二)4: the city's 50 % = 500元, exactly the amount paid
    assert (split.rule, split.amounts["city_yuan"], split.amounts["county_yuan"]) == (
        "mediation.reward_split", "500.00", "500.00")
    assert Decimal(split.amounts["city_yuan"]) == paid.amount
    assert cites(split, M108, "附件 三(二)4")
    assert "mediation.city_share_of_rewards" in {i["name"] for i in split.interpretations}
    assert split.decided_by == folk.city_finance and split.step_label == "拨付市级资金"
    # the submission kept the same two decisions when it reserved the budget
    assert [r.rule for r in records(ref, "submit")] == ["mediation.reward", "mediation.reward_split"]
    # the API's case output: the latest decision, in plain Chinese
    d = client_for(folk.city_finance).get(f"/api/v1/cases/mediation-claim/{ref}").json()["decision"]
    assert d["rule_title"] == "奖励经费的市、县分担" and d["outcome"] == "计算结果"
    assert {"label": "市级承担", "yuan": "500.00"} in d["amounts"]
    assert d["step"] == "拨付市级资金" and d["next"] == []
    assert any("三(二)4" in b["citation"]["text"] for b in d["basis"])
    listed = client_for(folk.auditor).get(f"/api/v1/cases/mediation-claim/{ref}/decisions").json()
    assert [x["step"] for x in listed] == ["submit", "submit", "pay", "pay"]
    # scoped like the case: another county's bureau sees nothing
    assert client_for(folk.wuhua_justice).get(
        f"/api/v1/cases/mediation-claim/{ref}/decisions").status_code == 404


@pytest.mark.django_db
def test_refused_payment_keeps_no_decision(folk):
    """The pay step keeps its decisions first, then records the payment; when the payment is
    refused (the tranche was already paid: 409) the whole step rolls back — no record."""
    from kmgov.core.models import OrgUnit
    from kmgov.procedures.ledger import payment_record

    panlong_records(folk)
    ref = new_mediation_claim(folk.panlong_justice, "panlong")
    step(client_for(folk.panlong_justice), "mediation-claim", ref, "submit")
    step(client_for(folk.city_justice), "mediation-claim", ref, "approve")
    claim = MediationClaim.objects.get(reference=ref)
    from django.db import transaction

    with transaction.atomic():  # a payment of the tranche made outside the route
        payment_record(claim, tranche="city_share", label="x", amount=1,
                       payer=OrgUnit.objects.get(code="city-finance"), payee=claim.org,
                       actor=folk.city_finance)
    before = len(records(ref))
    r = step(client_for(folk.city_finance), "mediation-claim", ref, "pay")
    assert r.status_code == 409 and r.json()["code"] == "already_paid"
    assert len(records(ref)) == before == 2 and records(ref, "pay") == []
    assert MediationClaim.objects.get(reference=ref).state == "approved"


def add(user, ref, kind, claimed, township=None, **inputs):
    return post(client_for(user), f"/api/v1/agriculture/claims/{ref}/lines",
                dict(kind=kind, claimed_yuan=claimed, township=township, inputs=inputs))


@pytest.mark.django_db
def test_agriculture_payment_keeps_line_and_share_decisions(folk):
    r = post(client_for(folk.jinning_agri), "/api/v1/agriculture/claims",
             {"county": "jinning", "year": 2011})
    ref = r.json()["reference"]
    assert add(folk.jinning_agri, ref, "land_transfer", 150000, area_mu=1500).status_code == 201
    county = client_for(folk.jinning_agri)
    assert step(county, "ag-claim", ref, "submit").json()["state"] == "county_review"
    [line] = records(ref, "submit")
    # 四(五): 1500亩 in 1000亩—2000亩 → 100元/亩 → 150000元
    assert (line.rule, line.outcome, line.amounts["amount_yuan"]) == (
        "agriculture.land_transfer_reward", "eligible", "150000.00")
    assert line.inputs["area_mu"] == 1500 and cites(line, A59, "四(五)")
    assert line.subject == "第1行 土地流转一次性奖励"
    step(client_for(folk.jinning_gov), "ag-claim", ref, "county_approve")
    step(client_for(folk.city_agri), "ag-claim", ref, "city_approve")
    assert step(client_for(folk.city_finance), "ag-claim", ref, "pay").json()["state"] == "paid"
    [share] = records(ref, "pay")
    # 四(七): 晋宁县 7:3 → 105000元 + 45000元; the payment is the city's part
    assert (share.rule, share.outcome, share.amounts) == (
        "agriculture.cost_share", "covered", {"city_yuan": "105000.00", "county_yuan": "45000.00"})
    assert cites(share, A59, "四(七)")
    [paid] = Payment.objects.filter(case_reference=ref)
    assert paid.amount == Decimal("105000.00")
    d = client_for(folk.city_agri).get(f"/api/v1/cases/ag-claim/{ref}").json()["decision"]
    assert d["outcome"] == "属于分担范围" and d["subject"] == "第1行 土地流转一次性奖励"
    assert {"label": "市级承担", "yuan": "105,000.00"} in d["amounts"]


@pytest.mark.django_db
def test_refused_line_is_explained_in_plain_chinese(folk):
    r = post(client_for(folk.jinning_agri), "/api/v1/agriculture/claims",
             {"county": "jinning", "year": 2011})
    ref = r.json()["reference"]
    # 四(三): 到流域外租地 须集中连片5亩以上 — 4亩 is refused
    add(folk.jinning_agri, ref, "offsite_rent", 6000, contiguous_area_mu=4, crop="花卉",
        outside_basin=True, years=3)
    step(client_for(folk.jinning_agri), "ag-claim", ref, "submit")
    [rec] = records(ref, "submit")
    assert rec.outcome == "ineligible" and rec.unmet
    page = client_for(folk.jinning_agri).get(f"/agriculture/claims/{ref}/").content.decode()
    start = page.index('id="decision-summary"')
    summary = page[start:page.index("</section>", start)]
    assert "不符合条件" in summary and "未满足" in summary and "四(三)" in summary
    assert "审核本县区报账单" in summary  # what happens next: the county government reviews
    for internal in ("ineligible", "eligible", "True", "False", "{", "amount_yuan", "contiguous_area_mu"):
        assert internal not in summary, internal
    # the summary comes before the full trace
    assert page.index('id="decision-summary"') < page.index('id="decision-trace"')
