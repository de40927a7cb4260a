"""Dianchi agricultural reimbursement claims (AG-8, 报账制) through the API, as the real roles.

Worked by hand from 昆政发〔2010〕59号:
- 四(二) conversion 1000元/亩; 四(三) off-basin rent 500元/亩/年 × 3 years, contiguous ≥ 5亩;
  四(四) training 800元/人; 四(五) land transfer 1000—2000亩 100元/亩;
- 四(七) city:county 7:3 for 晋宁县, 2:8 for 盘龙区, 8:2 for 盘龙区滇源镇;
- 附件1 晋宁 2011年调整面积 18900亩.
"""

import io
import json
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import Workbook, load_workbook
from policies.claims_helpers import client_for, post, step

from kmgov.core.models import AuditEntry, Role
from kmgov.core.services import user_create
from kmgov.policies.agriculture.models import AgricultureClaim, ClaimLine
from kmgov.procedures.errors import StateChanged
from kmgov.procedures.ledger import Payment
from kmgov.procedures.services import case_transition


def new_claim(user, county="jinning", year=2011):
    r = post(client_for(user), "/api/v1/agriculture/claims", {"county": county, "year": year})
    assert r.status_code == 201, r.json()
    return r.json()["reference"]


def add(user, ref, kind, claimed, township=None, **inputs):
    return post(client_for(user), f"/api/v1/agriculture/claims/{ref}/lines",
                dict(kind=kind, claimed_yuan=claimed, township=township, inputs=inputs))


def inbox(user):
    return [i["what"] for i in client_for(user).get("/api/v1/inbox").json()]


@pytest.mark.django_db
def test_lines_checked_by_rules_and_shared_7_3_for_jinning(folk):
    ref = new_claim(folk.jinning_agri)
    r = add(folk.jinning_agri, ref, "conversion", 100000, area_mu=100, from_use="粮食", to_use="苗木")
    assert r.status_code == 201, r.json()
    add(folk.jinning_agri, ref, "training", 40000, people=50)
    add(folk.jinning_agri, ref, "land_transfer", 150000, area_mu=1500)
    add(folk.jinning_agri, ref, "offsite_rent", 9500, contiguous_area_mu=6, crop="蔬菜",
        outside_basin=True, years=3)
    r = add(folk.jinning_agri, ref, "offsite_rent", 6000, contiguous_area_mu=4, crop="花卉",
            outside_basin=True, years=3)
    body = r.json()
    lines = body["lines"]
    # 100亩 × 1000 = 100000元, city 7/10 = 70000元 (四(二), 四(七))
    assert (lines[0]["computed_yuan"], lines[0]["city_yuan"], lines[0]["county_yuan"]) == (
        "100000.00", "70000.00", "30000.00")
    # 50人 × 800 = 40000元 (四(四)); 1500亩 × 100 = 150000元 (四(五))
    assert lines[1]["computed_yuan"] == "40000.00" and lines[2]["computed_yuan"] == "150000.00"
    # 6亩 × 500 × 3年 = 9000元 (四(三)); claimed 9500: recomputed, the difference explained
    assert lines[3]["computed_yuan"] == "9000.00" and lines[3]["accepted"]
    assert "与按规则核定的9000.00元不符" in lines[3]["reasons"][0]
    # 4亩 is not 5亩以上: refused, with the reason and provision
    assert not lines[4]["accepted"] and lines[4]["computed_yuan"] == "0.00"
    assert "5亩" in lines[4]["reasons"][0] and "四(三)" in lines[4]["reasons"][0]
    # accepted 100000 + 40000 + 150000 + 9000 = 299000元, city 209300元
    assert (body["accepted_yuan"], body["city_yuan"], body["county_yuan"]) == (
        "299000.00", "209300.00", "89700.00")
    # bad input names the field, nothing written
    r = add(folk.jinning_agri, ref, "conversion", 1, area_mu=-1, from_use="粮食", to_use="苗木")
    assert r.status_code == 400 and "area_mu" in r.json()["detail"]
    r = add(folk.jinning_agri, ref, "planting", 1)
    assert r.status_code == 400 and "kind" in r.json()["detail"]
    r = add(folk.jinning_agri, ref, "training", 1, township="滇源镇", people=1)
    assert r.status_code == 400 and "township" in r.json()["detail"]
    assert ClaimLine.objects.count() == 5


@pytest.mark.django_db
def test_township_8_2_overrides_the_district(folk):
    ref = new_claim(folk.panlong_agri, "panlong", 2011)
    add(folk.panlong_agri, ref, "conversion", 10000, township="滇源镇", area_mu=10,
        from_use="vegetable", to_use="nursery")
    r = add(folk.panlong_agri, ref, "conversion", 10000, area_mu=10, from_use="flower",
            to_use="horticulture")
    a, b = r.json()["lines"]
    assert (a["city_share"], a["city_yuan"]) == ("0.8000", "8000.00")  # 滇源镇 8:2
    assert (b["city_share"], b["city_yuan"]) == ("0.2000", "2000.00")  # 盘龙区 2:8


@pytest.mark.django_db
def test_full_route_and_payment(folk):
    ref = new_claim(folk.jinning_agri)
    add(folk.jinning_agri, ref, "conversion", 100000, area_mu=100, from_use="grain", to_use="nursery")
    county = client_for(folk.jinning_agri)
    assert step(county, "ag-claim", ref, "submit").json()["state"] == "county_review"
    assert "审核本县区报账单" in inbox(folk.jinning_gov)
    assert step(client_for(folk.jinning_gov), "ag-claim", ref, "county_approve").json()["state"] == "city_review"
    assert "审核县区报账（规则核算、计划控制）" in inbox(folk.city_agri)
    assert step(client_for(folk.city_agri), "ag-claim", ref, "city_approve").json()["state"] == "approved"
    assert "按分担比例拨付市级资金" in inbox(folk.city_finance)
    assert step(client_for(folk.city_finance), "ag-claim", ref, "pay").json()["state"] == "paid"
    [p] = Payment.objects.filter(case_reference=ref)
    assert (p.amount, p.payee.code, p.tranche) == (Decimal("70000.00"), "jinning-agriculture", "city_share")
    # lines cannot change after submission
    r = add(folk.jinning_agri, ref, "training", 800, people=1)
    assert r.status_code == 409
    assert client_for(folk.auditor).get("/api/v1/ledger/ag-claim").json()[0]["amount"] == "70000.00"


@pytest.mark.django_db
def test_returns_reject_and_withdraw(folk):
    ref = new_claim(folk.jinning_agri)
    add(folk.jinning_agri, ref, "training", 800, people=1)
    county, gov, city = (client_for(u) for u in (folk.jinning_agri, folk.jinning_gov, folk.city_agri))
    step(county, "ag-claim", ref, "submit")
    assert step(gov, "ag-claim", ref, "county_return", reason="补充培训名册").json()["state"] == "returned"
    assert "按审核意见补正报账单后重新报送" in inbox(folk.jinning_agri)
    step(county, "ag-claim", ref, "submit")
    step(gov, "ag-claim", ref, "county_approve")
    assert step(city, "ag-claim", ref, "city_return", reason="核对人数").json()["state"] == "returned"
    step(county, "ag-claim", ref, "submit")
    step(gov, "ag-claim", ref, "county_approve")
    r = step(city, "ag-claim", ref, "reject")
    assert r.status_code == 400 and r.json()["field"] == "reason"
    assert step(city, "ag-claim", ref, "reject", reason="重复报账").json()["state"] == "rejected"
    ref2 = new_claim(folk.jinning_agri)
    assert step(county, "ag-claim", ref2, "submit").status_code == 400  # no lines
    add(folk.jinning_agri, ref2, "training", 800, people=1)
    step(county, "ag-claim", ref2, "submit")
    assert step(county, "ag-claim", ref2, "withdraw").json()["state"] == "withdrawn"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"ag-claim.county_return", "ag-claim.city_return", "ag-claim.reject",
            "ag-claim.withdraw", "ag-claim.line_add"} <= actions


@pytest.mark.django_db
def test_plan_never_exceeded_without_recorded_override(folk):
    ref = new_claim(folk.jinning_agri)
    # 19000亩 > 晋宁 2011 plan 18900亩 (附件1)
    add(folk.jinning_agri, ref, "conversion", 19000000, area_mu=19000, from_use="grain", to_use="nursery")
    county = client_for(folk.jinning_agri)
    r = step(county, "ag-claim", ref, "submit")
    assert r.status_code == 422 and r.json()["field"] == "plan"
    assert "18900" in r.json()["errors"][0]["message"]
    url = f"/api/v1/agriculture/claims/{ref}/plan-override"
    assert post(county, url, {"reason": "自行确认"}).status_code == 403
    assert post(client_for(folk.auditor), url, {"reason": "x"}).status_code == 403
    assert post(client_for(folk.city_agri), url, {"reason": " "}).status_code == 400
    r = post(client_for(folk.city_agri), url, {"reason": "城市建设规划用地提前调减，领导小组会议纪要第3号"})
    assert r.status_code == 200
    assert r.json()["plan_override"]["by"] == "shi-nyj-lgb"
    assert step(county, "ag-claim", ref, "submit").json()["state"] == "county_review"
    # a second claim of the same year counts the first (live) one
    ref2 = new_claim(folk.jinning_agri)
    add(folk.jinning_agri, ref2, "conversion", 1000, area_mu=1, from_use="grain", to_use="nursery")
    r = step(county, "ag-claim", ref2, "submit")
    assert r.status_code == 422 and "已报账19000" in r.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_scope_pages_and_auditor(folk):
    ref = new_claim(folk.jinning_agri)
    add(folk.jinning_agri, ref, "training", 800, people=1)
    assert client_for(folk.wuhua_agri).get(f"/api/v1/agriculture/claims/{ref}").status_code == 404
    assert client_for(folk.wuhua_agri).get(f"/agriculture/claims/{ref}/").status_code == 404
    assert add(folk.wuhua_agri, ref, "training", 800, people=1).status_code == 404
    assert step(client_for(folk.panlong_gov), "ag-claim", ref, "county_approve").status_code == 404
    assert post(client_for(folk.wuhua_agri), "/api/v1/agriculture/claims",
                {"county": "jinning", "year": 2011}).status_code == 403
    r = post(client_for(folk.jinning_agri), "/api/v1/agriculture/claims", {"county": "jinning", "year": 2015})
    assert r.status_code == 400 and "year" in r.json()["detail"]
    aud = client_for(folk.auditor)
    assert aud.get(f"/agriculture/claims/{ref}/").status_code == 200
    assert step(aud, "ag-claim", ref, "submit").status_code == 403
    assert add(folk.auditor, ref, "training", 800, people=1).status_code == 403
    page = client_for(folk.jinning_agri).get(f"/agriculture/claims/{ref}/").content.decode()
    assert "报账明细" in page and "培训转移劳动力补助" in page
    assert ref in client_for(folk.city_agri).get("/agriculture/claims/").content.decode()
    assert ref not in client_for(folk.wuhua_agri).get("/agriculture/claims/").content.decode()


HEADER = ["类型", "乡镇", "面积（亩）", "人数", "原种植产业", "调整后用途", "租地作物", "租地在流域外",
          "补助年数", "申报金额（元）"]


def sheet(tmp_path, rows, name="claim.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


@pytest.mark.django_db
def test_xlsx_import_all_or_nothing(folk, tmp_path, capsys):
    good = sheet(tmp_path, [
        ["种植业结构调整", None, 100, None, "粮食", "苗木", None, None, None, 100000],
        ["培训转移", None, None, 50, None, None, None, None, None, 40000],
        ["异地租地种植", None, 6, None, None, None, "蔬菜", "是", 3, 9000],
    ])
    out = io.StringIO()
    call_command("agriculture", "claim-import", str(good), "--county", "jinning", "--year", "2011",
                 "--user", "jinning-nyj", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    # 100000 + 40000 + 9000 = 149000元, city 7/10 = 104300元
    assert summary["lines"] == 3 and summary["accepted_yuan"] == "149000.00"
    assert summary["city_yuan"] == "104300.00"
    bad = sheet(tmp_path, [
        ["种植业结构调整", None, 100, None, "粮食", "苗木", None, None, None, 100000],
        ["种植业结构调整", None, "一百", None, "粮食", "苗木", None, None, None, 100000],
        ["种地", None, 1, None, None, None, None, None, None, 1],
        ["种植业结构调整", "滇源镇", 5, None, "水稻", "苗木", None, None, None, 5000],
        ["培训转移", None, None, 2.5, None, None, None, None, None, 2000],
        ["种植业结构调整", None, 5, None, "水稻", "苗木", None, None, None, 5000],
    ], name="bad.xlsx")
    before = (AgricultureClaim.objects.count(), ClaimLine.objects.count())
    with pytest.raises(CommandError) as exc:
        call_command("agriculture", "claim-import", str(bad), "--county", "jinning", "--year", "2011",
                     "--user", "jinning-nyj")
    msg = str(exc.value)
    assert "第3行“面积（亩）”列" in msg
    assert "第4行“类型”列" in msg
    assert "第5行“乡镇”列：“滇源镇”不是晋宁县的乡镇（街道）" in msg
    assert "第6行“人数”列" in msg
    assert "第7行“原种植产业”列：“水稻” 取值无法识别（可填：粮食、蔬菜、花卉）" in msg
    assert "第2行" not in msg
    assert (AgricultureClaim.objects.count(), ClaimLine.objects.count()) == before
    # through the API, the same refusal
    with open(bad, "rb") as fh:
        r = client_for(folk.jinning_agri).post("/api/v1/agriculture/claims/import",
                                               {"county": "jinning", "year": 2011, "file": fh})
    assert r.status_code == 400 and r.json()["field"] == "file"
    assert (AgricultureClaim.objects.count(), ClaimLine.objects.count()) == before


@pytest.mark.django_db
def test_ledger_export_csv_and_xlsx(folk, tmp_path):
    ref = new_claim(folk.jinning_agri)
    add(folk.jinning_agri, ref, "training", 800, people=1)
    claim = AgricultureClaim.objects.get(reference=ref)
    for actor, name in ((folk.jinning_agri, "submit"), (folk.jinning_gov, "county_approve"),
                        (folk.city_agri, "city_approve"), (folk.city_finance, "pay")):
        claim = case_transition(claim, name, actor=actor)
    csv_path, xlsx_path = tmp_path / "l.csv", tmp_path / "l.xlsx"
    call_command("agriculture", "ledger-export", "--csv", str(csv_path), stdout=io.StringIO())
    text = csv_path.read_text(encoding="utf-8-sig")
    # 1人 × 800 = 800元, city 7/10 = 560元
    assert ref in text and "560.00" in text and text.startswith("事项编号")
    call_command("agriculture", "ledger-export", "--xlsx", str(xlsx_path), stdout=io.StringIO())
    ws = load_workbook(xlsx_path).active
    assert ws.cell(2, 1).value == ref and ws.cell(2, 5).value == 560.0
    out = io.StringIO()
    call_command("forestry", "ledger-export", "--csv", str(tmp_path / "f.csv"), "--json", stdout=out)
    assert json.loads(out.getvalue())["payments"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_county_approvals_at_once(folk):
    gov2 = user_create(username="jinning-zf2", roles=[(Role.COUNTY_GOVERNMENT, "jinning")])
    ref = new_claim(folk.jinning_agri)
    add(folk.jinning_agri, ref, "training", 800, people=1)
    step(client_for(folk.jinning_agri), "ag-claim", ref, "submit")
    s1 = AgricultureClaim.objects.get(reference=ref)
    s2 = AgricultureClaim.objects.get(reference=ref)
    jobs = [lambda: case_transition(s1, "county_approve", actor=folk.jinning_gov),
            lambda: case_transition(s2, "county_approve", actor=gov2)]
    results = [None, None]
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
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], StateChanged), results
    assert AuditEntry.objects.filter(action="ag-claim.county_approve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_claims_at_once_never_pass_the_plan(folk):
    # 晋宁 2011 plan 18900亩 (附件1): 10000 + 10000 = 20000亩 would pass it
    from kmgov.procedures.ledger import budget_ensure

    # the plan's lock row exists already (as after the county's first claim of the year)
    budget_ensure("agriculture.plan.jinning.2011", label="晋宁县2011年调整面积计划（亩）", cap=18900)
    refs = [new_claim(folk.jinning_agri) for _ in range(2)]
    for ref in refs:
        add(folk.jinning_agri, ref, "conversion", 10000000, area_mu=10000, from_use="grain",
            to_use="nursery")
    seen = [AgricultureClaim.objects.get(reference=r) for r in refs]
    jobs = [lambda c=c: case_transition(c, "submit", actor=folk.jinning_agri) for c in seen]
    results = [None, None]
    import time

    from django_fsm.signals import pre_transition

    def slow(sender, **kwargs):
        time.sleep(0.3)  # both hold their own case row and reach the plan check together

    pre_transition.connect(slow, sender=AgricultureClaim, dispatch_uid="slow-plan")
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
    pre_transition.disconnect(dispatch_uid="slow-plan", sender=AgricultureClaim)
    from django.core.exceptions import ValidationError

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), results
    assert "plan" in errors[0].message_dict
    assert AgricultureClaim.objects.filter(state="county_review").count() == 1
