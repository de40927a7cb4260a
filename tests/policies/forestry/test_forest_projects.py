"""Forest transformation projects (FO-4, FO-5) through the API, as the real roles.

Amounts worked by hand from 昆政发〔2010〕61号 四(三) (repeated in 五(四)): "试点项目每亩补助200元，
正常改造项目每亩补助100元。设计批准后市财政根据设计下拨50%的补助资金，其余资金验收后拨付".
"""

import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from policies.claims_helpers import client_for, post, step

from kmgov.core.models import AuditEntry
from kmgov.policies.forestry.models import ForestProject
from kmgov.procedures.errors import StateChanged
from kmgov.procedures.ledger import Payment, payment_record
from kmgov.procedures.models import InboxItem
from kmgov.procedures.services import attachment_add, case_transition

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def create(client, **over):
    body = dict(org="panlong-dianyuan", ownership="household", holder_name="张三",
                area_mu=200, pilot=True, method="tending", site_flags={"dianchi_basin": True})
    body.update(over)
    return post(client, "/api/v1/forestry/projects", body)


def attach_design(ref, user):
    case = ForestProject.objects.get(reference=ref)
    attachment_add(case, key="design", file=io.BytesIO(PDF), name="design.pdf", actor=user)


def inbox_whats(user):
    return [i["what"] for i in client_for(user).get("/api/v1/inbox").json()]


@pytest.mark.django_db
def test_household_route_full_with_both_tranches(folk):
    # a village committee files its households' application; the township station reviews it
    # (61号 五(五)): who files never reviews (separation of duties)
    station, village = client_for(folk.station), client_for(folk.village)
    r = create(village, org="dianyuan-village")
    assert r.status_code == 201, r.json()
    ref = r.json()["reference"]
    attach_design(ref, folk.village)
    # household land: the township forestry station first (61号 五(五))
    r = step(village, "forest", ref, "submit", expected_state="draft")
    assert r.status_code == 400 and r.json()["field"] == "ownership"
    r = step(village, "forest", ref, "submit_to_station")
    assert r.json()["state"] == "station_review"
    assert "审核改造申请并上报县级林业主管部门" in inbox_whats(folk.station)
    assert step(station, "forest", ref, "station_approve").json()["state"] == "county_review"
    assert "审批改造申请与作业设计" in inbox_whats(folk.panlong_forestry)
    county = client_for(folk.panlong_forestry)
    r = step(county, "forest", ref, "approve_design", reason="设计符合规程")
    assert r.status_code == 200, r.json()
    case = ForestProject.objects.get(reference=ref)
    # 200亩 pilot × 200元/亩 = 40000元; 50% = 20000元 on design approval (61号 四(三))
    assert case.subsidy_yuan == Decimal("40000.00")
    assert case.design_tranche_yuan == Decimal("20000.00")
    assert case.acceptance_tranche_yuan == Decimal("20000.00")
    assert "拨付首期（50%）补助" in inbox_whats(folk.city_finance)
    finance = client_for(folk.city_finance)
    assert step(finance, "forest", ref, "pay_design").json()["state"] == "in_progress"
    # paying the same tranche twice is refused by the ledger (unique constraint)
    from kmgov.procedures.ledger import AlreadyPaid
    with pytest.raises(AlreadyPaid):
        payment_record(case, tranche="design", label="x", amount=1, payer=case.org,
                       payee=case.org, actor=folk.city_finance)
    assert step(county, "forest", ref, "self_check").json()["state"] == "self_checked"
    city = client_for(folk.city_forestry)
    r = step(city, "forest", ref, "spot_check_fail", reason="补植成活率不足")
    assert r.json()["state"] == "in_progress"
    assert step(county, "forest", ref, "self_check").json()["state"] == "self_checked"
    assert step(city, "forest", ref, "spot_check_pass").json()["state"] == "accepted"
    assert step(finance, "forest", ref, "pay_acceptance").json()["state"] == "completed"
    pays = list(Payment.objects.filter(case_reference=ref).values_list("tranche", "amount"))
    assert pays == [("design", Decimal("20000.00")), ("acceptance", Decimal("20000.00"))]
    ledger = client_for(folk.auditor).get("/api/v1/ledger/forest").json()
    assert [p["amount"] for p in ledger] == ["20000.00", "20000.00"]
    assert client_for(folk.wuhua_forestry).get("/api/v1/ledger/forest").json() == []
    actions = list(AuditEntry.objects.filter(object_id=str(case.pk), object_type="forestry.forestproject")
                   .order_by("at", "id").values_list("action", flat=True))
    assert actions.count("forest.payment") == 2 and "forest.approve_design" in actions


@pytest.mark.django_db
def test_normal_project_amounts_and_station_return(folk):
    # a village committee files its households' application; the township station reviews it
    # (61号 五(五)): who files never reviews (separation of duties)
    station, village = client_for(folk.station), client_for(folk.village)
    # 150亩 normal × 100元/亩 = 15000元, 7500 on design approval (61号 四(三))
    ref = create(village, org="dianyuan-village", pilot=False, area_mu=150).json()["reference"]
    step(village, "forest", ref, "submit_to_station")
    r = step(station, "forest", ref, "station_return")
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = step(station, "forest", ref, "station_return", reason="缺林权证号")
    assert r.json()["state"] == "returned"
    assert "按审核意见补正后重新提交" in inbox_whats(folk.village)
    r = step(village, "forest", ref, "submit_to_station", data={"subcompartment": "12-3"})
    assert r.json()["state"] == "station_review"
    step(station, "forest", ref, "station_approve")
    county = client_for(folk.panlong_forestry)
    r = step(county, "forest", ref, "approve_design")
    assert r.status_code == 400 and "作业设计" in r.json()["detail"]
    step(county, "forest", ref, "county_return", reason="补充作业设计")
    attach_design(ref, folk.village)
    step(village, "forest", ref, "submit_to_station")
    step(station, "forest", ref, "station_approve")
    r = step(county, "forest", ref, "approve_design")
    assert r.status_code == 200
    case = ForestProject.objects.get(reference=ref)
    assert (case.subsidy_yuan, case.design_tranche_yuan) == (Decimal("15000.00"), Decimal("7500.00"))
    assert case.subcompartment == "12-3"


@pytest.mark.django_db
def test_collective_land_needs_majority_village_decision(folk):
    village = client_for(folk.village)
    # 20 of 40 present is not more than half (村民委员会组织法, interpretation parameter)
    ref = create(village, org="dianyuan-village", ownership="collective", holder_name="示例村集体",
                 decision_date="2010-08-01", decision_attendance=40,
                 decision_votes_for=20).json()["reference"]
    r = step(village, "forest", ref, "submit")
    assert r.status_code == 422 and r.json()["field"] == "decision_votes_for"
    assert ForestProject.objects.get(reference=ref).state == "draft"
    r = step(village, "forest", ref, "submit", data={"decision_votes_for": 21})
    assert r.status_code == 200 and r.json()["state"] == "county_review"
    # the station is skipped: the county forestry bureau awaits
    assert "审批改造申请与作业设计" in inbox_whats(folk.panlong_forestry)


@pytest.mark.django_db
def test_forbidden_method_in_dianchi_basin(folk):
    station = client_for(folk.station)
    ref = create(station, method="clear_cutting").json()["reference"]
    r = step(station, "forest", ref, "submit_to_station")
    assert r.status_code == 422 and r.json()["field"] == "method"
    assert "三(三)" in r.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_enterprise_route_reject_and_withdraw(folk):
    ent = client_for(folk.enterprise)
    ref = create(ent, org="ent-jinning-forest", ownership="enterprise", holder_name="晋宁示例林业",
                 site_flags={}).json()["reference"]
    assert step(ent, "forest", ref, "submit").json()["state"] == "county_review"
    # the Panlong bureau's scope does not include Jinning: not found, not revealed
    assert step(client_for(folk.panlong_forestry), "forest", ref, "reject", reason="x").status_code == 404
    r = step(client_for(folk.jinning_forestry), "forest", ref, "reject", reason="不属于中低产林")
    assert r.json()["state"] == "rejected"
    ref2 = create(ent, org="ent-jinning-forest", ownership="state", holder_name="国有林场",
                  site_flags={}).json()["reference"]
    step(ent, "forest", ref2, "submit")
    assert step(ent, "forest", ref2, "withdraw").json()["state"] == "withdrawn"
    assert InboxItem.objects.filter(case_reference=ref2, done_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_revoke_claws_back_the_first_tranche(folk):
    # a village committee files its households' application; the township station reviews it
    # (61号 五(五)): who files never reviews (separation of duties)
    station, village = client_for(folk.station), client_for(folk.village)
    ref = create(village, org="dianyuan-village").json()["reference"]
    attach_design(ref, folk.village)
    step(village, "forest", ref, "submit_to_station")
    step(station, "forest", ref, "station_approve")
    step(client_for(folk.panlong_forestry), "forest", ref, "approve_design")
    step(client_for(folk.city_finance), "forest", ref, "pay_design")
    r = step(client_for(folk.city_forestry), "forest", ref, "revoke", reason="以改造为名采伐正常林分")
    assert r.json()["state"] == "revoked"
    rows = list(Payment.objects.filter(case_reference=ref).order_by("id").values_list("tranche", "amount"))
    assert rows == [("design", Decimal("20000.00")), ("clawback:design", Decimal("-20000.00"))]


@pytest.mark.django_db
def test_scope_and_read_only_roles(folk):
    station = client_for(folk.station)
    ref = create(station).json()["reference"]
    step(station, "forest", ref, "submit_to_station")
    # another township's station, another county's bureau: 404; wrong department: 403/404
    assert step(client_for(folk.aziying_station), "forest", ref, "station_approve").status_code == 404
    assert client_for(folk.wuhua_forestry).get(f"/api/v1/cases/forest/{ref}").status_code == 404
    assert client_for(folk.wuhua_forestry).get(f"/forestry/projects/{ref}/").status_code == 404
    # the auditor reads everything, changes nothing
    aud = client_for(folk.auditor)
    assert aud.get(f"/api/v1/cases/forest/{ref}").status_code == 200
    assert aud.get(f"/forestry/projects/{ref}/").status_code == 200
    assert step(aud, "forest", ref, "station_approve").status_code == 403
    assert create(aud).status_code == 403
    # creating for a unit outside one's reach is refused, naming the field
    r = create(client_for(folk.station), org="wuhua-town")
    assert r.status_code == 403 and r.json()["field"] == "org"
    r = create(station, area_mu=0)
    assert r.status_code == 400 and "area_mu" in r.json()["detail"]
    assert ForestProject.objects.count() == 1
    # the pages: the list shows only what one may read
    page = client_for(folk.panlong_forestry).get("/forestry/projects/")
    assert page.status_code == 200 and ref in page.content.decode()
    assert ref not in client_for(folk.wuhua_forestry).get("/forestry/projects/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_pay_once(folk):
    # a village committee files its households' application; the township station reviews it
    # (61号 五(五)): who files never reviews (separation of duties)
    station, village = client_for(folk.station), client_for(folk.village)
    ref = create(village, org="dianyuan-village").json()["reference"]
    attach_design(ref, folk.village)
    step(village, "forest", ref, "submit_to_station")
    step(station, "forest", ref, "station_approve")
    step(client_for(folk.panlong_forestry), "forest", ref, "approve_design")
    seen1 = ForestProject.objects.get(reference=ref)
    seen2 = ForestProject.objects.get(reference=ref)
    jobs = [lambda: case_transition(seen1, "pay_design", actor=folk.city_finance),
            lambda: case_transition(seen2, "pay_design", actor=folk.city_finance2)]
    if connection.vendor == "postgresql":
        results = [None, None]
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
        results = []
        for job in jobs:
            try:
                results.append(job())
            except Exception as exc:  # noqa: BLE001
                results.append(exc)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], StateChanged), results
    assert Payment.objects.filter(case_reference=ref).count() == 1


@pytest.mark.django_db
def test_pages_take_steps_and_come_back(folk):
    station = client_for(folk.station)
    ref = create(station, method="clear_cutting").json()["reference"]
    page = station.get(f"/forestry/projects/{ref}/").content.decode()
    assert "提交乡（镇）林业站审核" in page and "改造面积（亩）" in page
    # the step refuses bad data: the page shows the message, nothing is written
    r = station.post(f"/cases/forest/{ref}/steps/submit_to_station/",
                     {"expected_state": "draft", "next": f"/forestry/projects/{ref}/"}, follow=True)
    assert r.redirect_chain[-1][0] == f"/forestry/projects/{ref}/"
    assert "method" in r.content.decode() and ForestProject.objects.get(reference=ref).state == "draft"
    # another county's bureau cannot take the step through the page either
    r = client_for(folk.wuhua_forestry).post(f"/cases/forest/{ref}/steps/withdraw/", {})
    assert r.status_code == 404
    # withdrawing is a negative step: the page refuses it until its box is ticked
    r = station.post(f"/cases/forest/{ref}/steps/withdraw/",
                     {"expected_state": "draft", "next": f"/forestry/projects/{ref}/"}, follow=True)
    assert ForestProject.objects.get(reference=ref).state == "draft"
    assert "请先勾选确认框" in r.content.decode()
    r = station.post(f"/cases/forest/{ref}/steps/withdraw/", {
        "expected_state": "draft", "confirm": "on", "next": f"/forestry/projects/{ref}/"},
        follow=True)
    assert ForestProject.objects.get(reference=ref).state == "withdrawn"
    assert "已撤回" in r.content.decode()
