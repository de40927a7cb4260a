"""CS-3 and CS-4 from the ledger: the city's money per year against 三(一)1 (1000万元 a year,
2010–2012), enterprise start-up money against 三(一)2 (1000万元 before the fund is formally set
up), and the greening indicators against the 2015 targets of 二(二). Sums worked by hand."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from kmgov.core.models import AuditEntry, OrgUnit, Role
from kmgov.core.services import org_tree_load, user_create
from kmgov.policies.carbon import selectors, services
from kmgov.policies.carbon.models import CityAppropriation, GreeningRecord
from kmgov.procedures.errors import StepInputInvalid, TransitionDenied


@pytest.fixture
def office(db):
    org_tree_load()
    OrgUnit(code="ent-f-a", name="甲企业", kind="enterprise", parent=OrgUnit.objects.get(code="panlong")).save()
    user_create(username="f-office-sh", roles=[(Role.CITY_OFFICE, "city-forestry")])  # 审核
    return user_create(username="f-office", roles=[(Role.CITY_OFFICE, "city-forestry")])


def _donate(office, acc, amount, on, n):
    d = services.donation_record({"account": acc.number, "amount_yuan": amount, "donated_on": on,
                                  "receipt_no": f"F-{n}"}, actor=office)
    checker = type(office).objects.get(username="f-office-sh")  # not its recorder (issue 15)
    services.donation_credit(d, actor=checker, monitor="机构")


def test_fund_progress_matches_a_hand_sum(office):
    finance = user_create(username="f-czj", roles=[(Role.CITY_DEPARTMENT, "city-finance")])
    for year, amount, on, doc in [(2010, "6000000", "2010-07-01", "A1"), (2010, "4000000", "2010-11-01", "A2"),
                                  (2011, "9999999.99", "2011-03-01", "B1")]:
        services.appropriation_record({"year": year, "amount_yuan": amount, "allocated_on": on,
                                       "document_no": doc}, actor=finance)
    user_create(username="f-citizen")
    ent = services.account_open({"kind": "enterprise", "name": "甲企业", "org": "ent-f-a"}, actor=office)
    person = services.account_open({"kind": "individual", "name": "赵一", "holder": "f-citizen"}, actor=office)
    _donate(office, ent, "3000000", "2010-09-01", 1)
    _donate(office, ent, "1500000.50", "2010-12-31", 2)  # 截止日当天（含）: still start-up money
    _donate(office, ent, "200000", "2011-02-01", 3)      # after carbon.startup_until: not start-up
    _donate(office, person, "1000", "2010-10-10", 4)     # a person's gift is never start-up money
    rows = {r["year"]: r for r in selectors.fund_progress()}
    assert sorted(rows) == [2010, 2011, 2012]  # the parameter's years, even 2012 with no row
    # 2010: 6,000,000 + 4,000,000 = 10,000,000 ≥ 10,000,000 (三(一)1) → met
    assert rows[2010]["city_yuan"] == Decimal("10000000.00") and rows[2010]["outcome"] == "met"
    # 2011: 9,999,999.99 < 10,000,000 → not met; 2012: nothing allocated → not met
    assert rows[2011]["city_yuan"] == Decimal("9999999.99") and rows[2011]["outcome"] == "not_met"
    assert rows[2012]["city_yuan"] == Decimal("0.00") and rows[2012]["outcome"] == "not_met"
    # donations per year by donor kind: 2010 enterprise 3,000,000 + 1,500,000.50; person 1,000
    assert rows[2010]["enterprise_yuan"] == Decimal("4500000.50")
    assert rows[2010]["individual_yuan"] == Decimal("1000.00")
    assert rows[2011]["enterprise_yuan"] == Decimal("200000.00")
    # start-up money (三(一)2) up to 2010-12-31: 4,500,000.50 < 10,000,000 → target not reached
    assert rows[2011]["startup_yuan"] == Decimal("4500000.50")
    assert rows[2011]["decision"]["startup_target_met"] == 0.0
    # the trace names the provision and the year's requirement
    trace = rows[2011]["decision"]["trace"]
    assert any((s.get("citation") or {}).get("path") == "三(一)1" or "1000万" in s.get("check", "")
               for s in trace)
    totals = selectors.fund_totals(list(rows.values()))
    assert totals["city_yuan"] == Decimal("19999999.99")
    # the public page and the API show the same
    page = Client().get("/carbon/fund/").content.decode()
    assert "9999999.99" in page and "<svg" in page and "未达到" in page
    api = {r["year"]: r for r in Client().get("/api/v1/carbon/fund").json()}
    assert api[2010]["city_yuan"] == "10000000.00" and api[2012]["outcome"] == "not_met"


def test_a_year_outside_the_three_is_not_applicable(office):
    finance = user_create(username="f-czj", roles=[(Role.CITY_DEPARTMENT, "city-finance")])
    services.appropriation_record({"year": 2013, "amount_yuan": "1", "allocated_on": "2013-01-05",
                                   "document_no": "C1"}, actor=finance)
    rows = {r["year"]: r for r in selectors.fund_progress()}
    assert rows[2013]["outcome"] == "not_applicable"  # 三(一)1 covers 2010, 2011, 2012 only


def test_appropriation_refusals(office):
    county = user_create(username="f-pl", roles=[(Role.COUNTY_DEPARTMENT, "panlong-forestry")])
    with pytest.raises(TransitionDenied):
        services.appropriation_record({"year": 2010, "amount_yuan": "1", "allocated_on": "2010-01-05",
                                       "document_no": "D1"}, actor=county)
    r = Client()
    r.force_login(office)
    resp = r.post("/api/v1/carbon/appropriations", data=json.dumps({"year": 2010, "amount_yuan": "0",
                  "allocated_on": "2010-01-05", "document_no": "D2"}), content_type="application/json")
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "amount_yuan"
    # an amount the column cannot hold (14 digits: up to 999,999,999,999.99 元) is refused
    # by name, not a database error (PostgreSQL's numeric overflow was a 500)
    resp = r.post("/api/v1/carbon/appropriations", data=json.dumps({
        "year": 2010, "amount_yuan": 99999999999999.0, "allocated_on": "2010-01-05",
        "document_no": "D3"}), content_type="application/json")
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "amount_yuan"
    assert CityAppropriation.objects.count() == 0


def test_greening_against_2015_targets_and_scope(office):
    pl = user_create(username="f-pl", roles=[(Role.COUNTY_DEPARTMENT, "panlong-forestry")])
    # 二(二)：绿地率38%以上 — exactly 0.38 meets it (以上 includes the number); 0.3799 does not
    services.greening_record({"county": "panlong", "year": 2015, "green_space_rate": "0.38",
                              "public_green_per_person_m2": "11.99"}, actor=pl)
    series = selectors.greening_series()
    row = series[0]["years"][0]
    assert row["decision"]["met"] == ["green_space_rate"]
    assert row["decision"]["not_met"] == ["public_green_per_person_m2"]  # 11.99 < 12平方米
    services.greening_record({"county": "panlong", "year": 2015, "green_space_rate": "0.3799"}, actor=pl)
    assert GreeningRecord.objects.count() == 1  # the same year replaced, the audit keeps both
    assert AuditEntry.objects.filter(action="carbon.greening").count() == 2
    assert selectors.greening_series()[0]["years"][0]["decision"]["not_met"] == ["green_space_rate"]
    # a county official cannot report another county's, nor the city's
    for county in ("wuhua", "kunming"):
        with pytest.raises(TransitionDenied):
            services.greening_record({"county": county, "year": 2015, "forest_cover_rate": "0.5"}, actor=pl)
    c = Client()
    c.force_login(pl)
    resp = c.post("/api/v1/carbon/greening", data=json.dumps({"county": "wuhua", "year": 2015,
                                                              "forest_cover_rate": "0.5"}),
                  content_type="application/json")
    assert resp.status_code == 403
    # a rate above 1 is refused naming the field; nothing is written
    with pytest.raises(StepInputInvalid) as e:
        services.greening_record({"county": "panlong", "year": 2014, "forest_cover_rate": "47"}, actor=pl)
    assert e.value.errors[0]["field"] == "forest_cover_rate"
    assert not GreeningRecord.objects.filter(year=2014).exists()
    # the city's office records the city-wide figures (60号 一(三)：森林覆盖率45.05%)
    services.greening_record({"county": "kunming", "year": 2010, "forest_cover_rate": "0.4505"}, actor=office)
    page = Client().get("/carbon/greening/").content.decode()
    assert "45.05%" in page and "盘龙区" in page and "<svg" in page
    assert Client().get("/api/v1/carbon/greening").json()[0]["unit"] == "kunming"  # the city first
