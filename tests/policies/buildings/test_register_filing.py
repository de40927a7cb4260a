"""The operator's yearly filing of the register: a scheduled filing (kmgov.procedures.filings)
owed by the holder of each recognised building (62号 七(三); window: interpretation
buildings.register_window, 1 January – 31 March of the next year, both days included)."""

import datetime as dt
from decimal import Decimal

import pytest
from policies.buildings.test_building_paths import MEETING, submitted, to_meeting
from policies.recognition_fixtures import at, client_for, post_json, step

from kmgov.policies.buildings.models import BuildingYear
from kmgov.procedures.models import FilingSlot
from kmgov.procedures.services import deadlines_sweep

pytestmark = pytest.mark.django_db

REPORT = {"total_floor_area_m2": "12000", "office_floor_area_m2": "6000",
          "vacant_floor_area_m2": "600", "management_level": "level1",
          "facilities": {"parking": True, "catering": True, "network": True},
          "tenants": ["滇池金融有限公司｜金融｜是｜是｜8000000",
                      "外地咨询分公司｜商务服务｜否｜否｜2000000.50"]}


def recognised(people):
    ref = submitted(people)
    to_meeting(people, ref)
    assert step(client_for(people.secretary), "building", ref, "meeting_pass",
                data={**MEETING, "proposed_reward_yuan": 100000}).status_code == 200
    assert step(client_for(people.government), "building", ref, "approve").status_code == 200
    assert step(client_for(people.city_office), "building", ref, "file").status_code == 200
    return ref


@pytest.fixture
def only_building_obligations(only_obligations):
    only_obligations("building-")


def test_operator_files_the_year_and_who_has_not_filed(people, march, monkeypatch,
                                                       only_building_obligations):
    from django.utils import timezone

    recognised(people)  # filed 2026-03-10: owes the register of 2026 on
    assert deadlines_sweep(now=at(2026, 12, 31, 23, 50))["filings"]["opened"] == 0
    assert deadlines_sweep(now=at(2027, 1, 1, 0, 10))["filings"]["opened"] == 1
    slot = FilingSlot.objects.get(obligation="building-register")
    assert (slot.period, slot.org.code) == ("2026", "ent-dianchi")
    assert (slot.window_opens, slot.window_closes) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    # received by the county office of the building's county (附件1 第十七条)
    assert (slot.receiver_role, slot.receiver_org.code) == ("county_office", "panlong")
    monkeypatch.setattr(timezone, "now", lambda: at(2027, 2, 1, 10))
    office = client_for(people.office)
    body = office.get("/api/v1/filings/building-register?period=2026").json()
    assert body["summary"]["not_filed"] == 1 and body["items"][0]["org"] == "ent-dianchi"
    assert client_for(people.wuhua_office).get(
        "/api/v1/filings/building-register?period=2026").json()["summary"]["total"] == 0
    applicant = client_for(people.applicant)
    r = post_json(applicant, "/api/v1/filings/building-register/2026/start", {"org": "ent-dianchi"})
    assert r.status_code == 201, r.json()
    ref = r.json()["reference"]
    # a bad tenant line: 422 naming the field and the line, nothing written
    bad = {**REPORT, "tenants": ["滇池金融有限公司｜金融｜是｜是"]}
    r = step(applicant, "building-register", ref, "submit", data=bad)
    assert r.status_code == 422 and r.json()["field"] == "tenants" and "第1行" in r.json()["detail"]
    r = step(applicant, "building-register", ref, "submit", data={**REPORT, "vacant_floor_area_m2": "7000"})
    assert r.status_code == 422 and r.json()["field"] == "vacant_floor_area_m2"
    assert not BuildingYear.objects.exists()
    r = step(applicant, "building-register", ref, "submit", data=REPORT)
    assert r.status_code == 200 and r.json()["state"] == "submitted", r.json()
    rec = BuildingYear.objects.get()
    # tax = 8,000,000 + 2,000,000.50 = 10,000,000.50 > 1000万 (过 = 超过) → 乙 on tax;
    # 12,000 m² ≥ 1万 → 乙; 3 facilities < 4 → 丙: the building is 丙级 (the lowest).
    assert (rec.year, rec.source, rec.tax_yuan, rec.grade) == (
        2026, "filing", Decimal("10000000.50"), "C")
    assert rec.tenants.filter(registered_locally=False).count() == 1
    slot.refresh_from_db()
    assert slot.filed_at is not None and not slot.late and slot.case_reference == ref
    body = office.get("/api/v1/filings/building-register?period=2026").json()
    assert body["summary"]["filed"] == 1 and body["summary"]["not_filed"] == 0
    assert step(office, "building-register", ref, "receive").json()["state"] == "received"
