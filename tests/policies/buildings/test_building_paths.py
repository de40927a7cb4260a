"""商务楼宇奖励扶持认定 through the API as the real roles (昆政发〔2010〕62号 附件1 第八条–第十一条,
第二十条 reward cap, 第二十一条 one best policy)."""

import pytest
from policies.recognition_fixtures import (
    BUILDING_DOCS,
    BUILDING_INPUTS,
    client_for,
    post_json,
    step,
    upload,
)

from kmgov.core.models import AuditEntry
from kmgov.policies.buildings.models import Building, BuildingApplication
from kmgov.procedures.models import InboxItem

pytestmark = pytest.mark.django_db

BUILDING = {"name": "金马大厦", "property_certificate_no": "昆房权证盘龙字第201000123号",
            "address": "盘龙区北京路100号"}
MEETING = {"meeting_date": "2026-03-10",
           "meeting_members": ["区发改局", "区住建局", "区商务局", "区财政局", "区税务局"]}


def create(client, building=None, **extra):
    body = {"building": building or BUILDING, "inputs": BUILDING_INPUTS,
            # 第二十条 / 第二十二条: contribution to county finances, by accounting year.
            "contribution_this_year_yuan": "2000000", "contribution_last_year_yuan": "1500000",
            **extra}
    return post_json(client, "/api/v1/buildings/applications", body)


def detail(client, ref):
    r = client.get(f"/api/v1/buildings/applications/{ref}")
    assert r.status_code == 200, r.json()
    return r.json()


def submitted(people, user=None, **extra):
    applicant = client_for(user or people.applicant)
    r = create(applicant, **extra)
    assert r.status_code == 201, r.json()
    ref = r.json()["reference"]
    for key in BUILDING_DOCS:
        assert upload(applicant, "building", ref, key).status_code == 200
    r = step(applicant, "building", ref, "submit")
    assert r.status_code == 200, r.json()
    return ref


def to_meeting(people, ref):
    assert step(client_for(people.office), "building", ref, "pass_to_meeting").status_code == 200


def test_qualification_decision_shown_on_the_draft(people, march):
    r = create(client_for(people.applicant))
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["reference"].startswith("LY-2026-") and body["decision_outcome"] == "eligible"
    # 第二条: 12000 ≥ 10000 and 6000 ≥ 5000 → comprehensive building.
    assert body["decision"]["route"] == "comprehensive_building"
    assert body["building"]["county"] == "panlong"
    small = {**BUILDING_INPUTS, "total_floor_area_m2": 9999}
    r = post_json(client_for(people.applicant),
                  f"/api/v1/buildings/applications/{body['reference']}", {"inputs": small},
                  method="patch")
    # 9999 < 10000 and not purely commercial → ineligible, shown with the unmet condition.
    assert r.status_code == 200 and r.json()["decision_outcome"] == "ineligible"


def test_approve_path_with_reward_capped_by_the_increase(people, march):
    ref = submitted(people, other_policies=[{"policy": "非公经济专项资金", "amount_yuan": 300000}])
    to_meeting(people, ref)
    r = step(client_for(people.secretary), "building", ref, "meeting_pass",
             data={**MEETING, "proposed_reward_yuan": 800000})
    assert r.status_code == 200, r.json()
    reward = detail(client_for(people.office), ref)["reward"]
    # 第二十条: cap = 2,000,000 − 1,500,000 = 500,000; 800,000 → 500,000.
    assert reward["cap_yuan"] == "500000.00" and reward["amount_yuan"] == "500000.00"
    # 第二十一条: 500,000 (this) > 300,000 (other) → this policy is the one enjoyed.
    assert reward["chosen_policy"] == "商务楼宇奖励扶持（本项）" and reward["relaxed"] is False
    assert reward["decision"]["cap"]["capped"] is True
    assert step(client_for(people.government), "building", ref, "approve").status_code == 200
    assert step(client_for(people.city_office), "building", ref, "file").status_code == 200
    body = detail(client_for(people.city_office), ref)
    assert body["state"] == "filed" and body["filing_number"] == f"备-{ref}"
    assert not InboxItem.objects.filter(case_reference=ref, done_at__isnull=True).exists()
    assert [a for a in AuditEntry.objects.filter(object_type="buildings.buildingapplication")
            .order_by("at", "id").values_list("action", flat=True)
            if not a.endswith("attachment_add")] == [
        "building.create", "building.submit", "building.pass_to_meeting",
        "building.meeting_pass", "building.approve", "building.file"]


def test_best_single_policy_when_another_policy_is_better(people, march):
    ref = submitted(people, other_policies=[{"policy": "服务外包专项资金", "amount_yuan": 600000}])
    to_meeting(people, ref)
    step(client_for(people.secretary), "building", ref, "meeting_pass",
         data={**MEETING, "proposed_reward_yuan": 800000})
    reward = detail(client_for(people.office), ref)["reward"]
    # 第二十一条: 600,000 (other) > 500,000 (this, capped) → only the other is enjoyed; this is 0.
    assert reward["chosen_policy"] == "服务外包专项资金" and reward["amount_yuan"] == "0.00"


def test_relaxing_the_cap_needs_a_new_or_fast_growing_firm_and_a_reason(people, march):
    ref = submitted(people)
    to_meeting(people, ref)
    sec = client_for(people.secretary)
    r = step(sec, "building", ref, "meeting_pass",
             data={**MEETING, "proposed_reward_yuan": 800000, "relax_cap": True,
                   "relax_reason": "新办企业"})
    assert r.status_code == 422 and r.json()["field"] == "relax_cap"
    assert BuildingApplication.objects.get(reference=ref).state == "at_meeting"

    ref2 = submitted(people, user=people.second_applicant,
                     building={**BUILDING, "property_certificate_no": "昆房权证盘龙字第2010009号",
                               "name": "新办大厦"},
                     new_or_fast_growing=True)
    to_meeting(people, ref2)
    r = step(sec, "building", ref2, "meeting_pass",
             data={**MEETING, "proposed_reward_yuan": 800000, "relax_cap": True})
    assert r.status_code == 422 and r.json()["field"] == "relax_reason"
    r = step(sec, "building", ref2, "meeting_pass",
             data={**MEETING, "proposed_reward_yuan": 800000, "relax_cap": True,
                   "relax_reason": "2025年新办、当年增速62%"})
    assert r.status_code == 200, r.json()
    reward = detail(sec, ref2)["reward"]
    # 第二十条 “对新办和成长性好的企业可适当放宽”: 800,000 above the 500,000 cap, reason kept.
    assert reward["amount_yuan"] == "800000.00" and reward["cap_yuan"] == "500000.00"
    assert reward["relaxed"] is True and reward["relax_reason"] == "2025年新办、当年增速62%"


def test_one_applicant_per_building(people, march):
    assert create(client_for(people.applicant)).status_code == 201
    r = create(client_for(people.second_applicant))
    # 第十条(一): 一幢商务楼宇只能有一个申报主体 — refused, naming who holds it.
    assert r.status_code == 409, r.json()
    assert "昆明滇池总部有限公司" in r.json()["detail"] and "只能有一个申报主体" in r.json()["detail"]
    assert BuildingApplication.objects.count() == 1 and Building.objects.count() == 1


def test_withdrawn_application_frees_the_building(people, march):
    ref = create(client_for(people.applicant)).json()["reference"]
    assert step(client_for(people.applicant), "building", ref, "withdraw").status_code == 200
    assert create(client_for(people.second_applicant)).status_code == 201


def test_return_resubmit_and_reject(people, march):
    ref = submitted(people)
    office = client_for(people.office)
    assert step(office, "building", ref, "return_for_changes", reason="补充产权证").status_code == 200
    applicant = client_for(people.applicant)
    assert upload(applicant, "building", ref, "other").status_code == 200
    assert step(applicant, "building", ref, "resubmit").status_code == 200
    r = step(office, "building", ref, "reject", reason="商务面积不足")
    assert r.status_code == 200 and detail(office, ref)["state"] == "rejected"
