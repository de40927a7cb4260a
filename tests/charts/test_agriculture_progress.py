"""AG-1, AG-4, AG-9: the agriculture progress dashboard from the demo's claims."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

User = get_user_model()

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_committed, settings):
    settings.MEDIA_ROOT = demo_committed  # the demo, built once for this module (conftest)


def _login(username):
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def test_each_district_equals_the_sum_of_its_approved_claim_lines(demo):
    from kmgov.policies.agriculture.models import AgricultureClaim, ClaimLine
    from kmgov.policies.agriculture.selectors import plan_progress

    city = User.objects.get(username="demo-shi-nyj")
    p = plan_progress(city)
    by_code = {d["code"]: d for d in p["districts"]}
    for code, d in by_code.items():
        expected = sum((ln.quantity for ln in ClaimLine.objects.filter(
            claim__org__code=f"{code}-agriculture", claim__state__in=("approved", "paid"),
            kind="conversion", accepted=True)), Decimal(0))
        assert d["done_mu"] == expected, code
    # by hand from the demo: 盘龙 2011 300 (滇源镇) + 200 亩 paid; 官渡 2010 150 亩 approved;
    # 晋宁 2011 100 亩 approved; 西山 2011 50 亩 still at its county government → 0.
    assert by_code["panlong"]["done_mu"] == 500
    assert by_code["guandu"]["done_mu"] == 150
    assert by_code["jinning"]["done_mu"] == 100
    assert by_code["xishan"]["done_mu"] == 0
    assert AgricultureClaim.objects.filter(org__code="xishan-agriculture").get().state == "county_review"
    # against Annex 1 (59号 附件1): 盘龙 （空）+10000+35420+42000 = 87420; 官渡 2010 = 6000
    assert by_code["panlong"]["plan_mu"] == 87420
    assert by_code["guandu"]["years"][0]["plan_mu"] == 6000
    # the text's 10 % of 2010 (59号 二(二)) on 官渡's 29175 亩 = 2917.5, not Annex 1's 6000
    assert by_code["guandu"]["years"][0]["text_plan_mu"] == Decimal("2917.5")
    basin = {b["year"]: b for b in p["basin"]}
    assert basin[2011]["done_mu"] == 600  # 盘龙 500 + 晋宁 100
    # 59号 三(四): 2011年 技能培训3万人; trained and approved: 盘龙 120 + 晋宁 50 people
    assert basin[2011]["skills_target"] == 30000 and basin[2011]["people"] == 170
    # 附件2: 2010 合计 2700 万元
    assert basin[2010]["budget_total_yuan"] == 27_000_000


def test_the_page_shows_annex1_and_the_discrepancy(demo):
    r = _login("demo-shi-nyj").get("/dashboards/agriculture/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "各县区调整面积：完成与附件1计划" in html
    assert "昆政发〔2010〕59号 附件1" in html
    # the §13 discrepancy is surfaced: 10 %, 20 %, 40 %, 30 % against 5.4 %, 24.0 %, 48.2 %, 22.4 %
    assert "10%、20%、40%、30%" in html and "5.4%、24.0%、48.2%、22.4%" in html
    # the table row of 盘龙区: 500 done against 87420 planned
    assert "<th scope=\"row\">盘龙区</th><td class=\"num\">500</td><td class=\"num\">87420</td>" in html


def test_a_county_reader_sees_only_its_own_district(demo):
    r = _login("demo-jinning-nyj").get("/dashboards/agriculture/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "晋宁县" in html and "盘龙区" not in html and "官渡区" not in html
    x = _login("demo-jinning-nyj").get("/dashboards/agriculture.xlsx")
    assert "盘龙区".encode() not in x.content  # (xlsx is zipped; checked properly below)
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "晋宁县" in cells and "盘龙区" not in cells


def test_anonymous_readers_are_sent_to_log_in(demo):
    r = Client().get("/dashboards/agriculture/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_money_by_district_and_paid(demo):
    from kmgov.policies.agriculture.models import AgricultureClaim
    from kmgov.policies.agriculture.selectors import plan_progress

    p = plan_progress(User.objects.get(username="demo-shi-nyj"))
    paid = AgricultureClaim.objects.get(org__code="panlong-agriculture")
    assert paid.state == "paid"
    # only 盘龙's claim is paid: the ledger holds its city share, nothing else
    assert p["city_paid_yuan"] == paid.city_yuan > 0
    panlong = next(d for d in p["districts"] if d["code"] == "panlong")
    assert sum(r["city_yuan"] + r["county_yuan"] for r in panlong["years"]) == paid.accepted_yuan
    # 盘龙 2011: 500 亩 × 1000 元/亩 (59号 四(二)) + 120 人 × 800 元/人 (四(四)) = 596000 元
    assert paid.accepted_yuan == 596000
