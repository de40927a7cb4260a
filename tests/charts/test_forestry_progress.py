"""FO-1, FO-6: the forestry progress dashboard — who is behind the 11-30 pilot target."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db
User = get_user_model()

#: The 16 units of 61号 四(一) (五华区5万亩 … 高新区1万亩).
COUNTIES_61 = ["五华区", "盘龙区", "官渡区", "西山区", "东川区", "安宁市", "呈贡县", "晋宁县",
               "富民县", "禄劝彝族苗族自治县", "嵩明县", "寻甸回族彝族自治县", "宜良县",
               "石林彝族自治县", "昆明经济技术开发区", "昆明高新技术产业开发区"]


@pytest.fixture
def demo(demo_committed, settings):
    settings.MEDIA_ROOT = demo_committed  # the demo, built once for this module (conftest)


def _login(username):
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def test_counties_behind_the_pilot_target_on_12_01(demo):
    from kmgov.policies.forestry.selectors import progress

    city = User.objects.get(username="demo-shi-lyj")
    p = progress(city, on=dt.date(2010, 12, 1))
    assert [r["name"] for r in p["rows"]] == COUNTIES_61
    pilot = {r["name"]: r["pilot_mu"] for r in p["rows"]}
    # 61号 四(二) "11月30日前完成一个改造试点,面积不得低于1000亩": 石林 1200 (11-20) meets it,
    # 寻甸 exactly 1000 on 11-30 meets it (不得低于 and 前 include the number and the day);
    # 宜良 600 does not; 盘龙's demo pilot (200 亩) is not self-checked, so counts 0.
    assert pilot["石林彝族自治县"] == 1200 and pilot["寻甸回族彝族自治县"] == 1000
    assert pilot["宜良县"] == 600 and pilot["盘龙区"] == 0
    behind = [r["name"] for r in p["behind"]]
    assert behind == [n for n in COUNTIES_61 if n not in ("石林彝族自治县", "寻甸回族彝族自治县")]
    # before the deadline nobody is late yet
    assert progress(city, on=dt.date(2010, 11, 30))["behind"] == []
    # 四(一): 石林 20万亩 = 200000 亩 task; its 1200 亩 accepted on 12-05, not yet on 12-01
    shilin = next(r for r in p["rows"] if r["code"] == "shilin")
    assert shilin["task_mu"] == 200000 and shilin["accepted_mu"] == 0
    later = progress(city, on=dt.date(2010, 12, 31))
    assert next(r for r in later["rows"] if r["code"] == "shilin")["accepted_mu"] == Decimal(1200)
    assert later["years"] == {2010: Decimal(1200)}


def test_the_page_on_12_01_lists_them(demo):
    r = _login("demo-shi-lyj").get("/dashboards/forestry/?on=2010-12-01")
    assert r.status_code == 200
    html = r.content.decode()
    assert "未按期（11月30日前）完成1000亩试点的县区" in html
    assert "宜良县" in html.split("未按期（11月30日前）完成1000亩试点的县区")[1].split("</p>")[0]
    assert "石林彝族自治县" not in html.split("未按期（11月30日前）完成1000亩试点的县区")[1].split("</p>")[0]
    assert "昆政发〔2010〕61号 四(二)" in html and "昆政发〔2010〕61号 四(一)" in html


def test_a_bad_date_is_refused_naming_the_field(demo):
    r = _login("demo-shi-lyj").get("/dashboards/forestry/?on=2010-13-01")
    assert r.status_code == 422
    assert "统计日期" in r.content.decode()


def test_a_county_official_sees_only_its_county(demo):
    r = _login("demo-shilin-lyj").get("/dashboards/forestry/?on=2010-12-01")
    html = r.content.decode()
    assert r.status_code == 200 and "石林彝族自治县" in html
    assert "宜良县" not in html and "寻甸" not in html


def test_who_is_late_with_the_plans(demo):
    from kmgov.policies.forestry.selectors import plan_filings
    from kmgov.procedures.models import FilingSlot

    city = User.objects.get(username="demo-shi-lyj")
    final = {f["code"]: f for f in plan_filings(city, on=dt.date(2010, 10, 16))}["forest-plan-final"]
    # 61号 四(一) "2010年10月15日前定稿": the window closes on 10-15 (that day included)
    assert final["closes"] == dt.date(2010, 10, 15)
    assert final["on_time"] == ["石林彝族自治县"] and final["late"] == []
    assert "宜良县" in final["missing"] and len(final["missing"]) == 15  # 16 units owe it
    later = {f["code"]: f for f in plan_filings(city, on=dt.date(2010, 10, 21))}["forest-plan-final"]
    assert later["late"] == ["宜良县"] and len(later["missing"]) == 14
    assert FilingSlot.objects.get(obligation="forest-plan-final", org__code="yiliang").late
    html = _login("demo-shi-lyj").get("/dashboards/forestry/?on=2010-10-21").content.decode()
    assert "2010年规划与试点总结报送" in html and "逾期：" in html
    assert "中低产林改造总体规划及实施方案（定稿）（10月15日）：宜良县" in html  # late first


def test_a_year_without_the_deadlines_owes_nothing(demo):
    from kmgov.procedures.errors import ProcedureError
    from kmgov.procedures.filing_services import slots_open

    with pytest.raises(ProcedureError, match="2011年度没有中低产林改造试点工作总结的报送期"):
        slots_open("forest-pilot-summary", "2011")
    r = _login("demo-shi-lyj").get("/api/v1/filings/forest-pilot-summary?period=2011")
    assert r.status_code in (400, 422) and r.json()["field"] == "period"
