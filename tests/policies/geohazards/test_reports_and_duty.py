"""GD-5 quick reports up the chain with the document's time limit, and GD-4 the flood-season
24-hour roster with its gaps shown and escalated (109号 三(二)、三(四))."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kmgov.core.models import RoleAssignment
from kmgov.policies.geohazards import selectors, services
from kmgov.policies.geohazards.models import DutyGapEscalation, DutyShift
from kmgov.procedures import selectors as psel
from kmgov.procedures.errors import ProcedureError
from kmgov.procedures.models import Delivery, InboxItem
from kmgov.procedures.services import case_step, case_transition

from .conftest import make_point

BJ = ZoneInfo("Asia/Shanghai")


def t(h, m=0, day=12):
    return dt.datetime(2010, 7, day, h, m, tzinfo=BJ)


FILED = {"occurred_at": t(3).isoformat(), "hazard_type": "debris_flow", "place": "滇源镇示例村",
         "deaths": 0, "missing": 0, "injured": 1, "economic_loss": "35", "description": "强降雨引发泥石流，冲毁农田"}


def outcomes(case, user):
    return [(d.step, d.outcome, d.inputs["hours_elapsed"]) for d in psel.decisions_of(case, user)]


def test_quick_report_up_the_chain_in_time_and_late(gd):
    make_point(gd.panlong_land, "PL-0001")
    case = services.report_create(point="PL-0001", actor=gd.dianyuan)
    assert case.org.code == "panlong-dianyuan"
    # 三(四): the township reports 2 hours after the event — limit 2 hours 以内 (included): in time
    case = case_transition(case, "file", actor=gd.dianyuan, data=FILED, now=t(5))
    assert case.state == "at_county" and case.county_reported_at == t(5)
    # the county land bureau is awaited to report on to the city
    item = InboxItem.objects.get(object_id=case.pk, done_at__isnull=True)
    assert item.role_org.code == "panlong-land" and item.role == "county_department"
    # it reports 4 h 01 min after the event: more than the 4 hours 以内 → late
    case = case_transition(case, "forward", actor=gd.panlong_land, data={"note": "已核实"}, now=t(7, 1))
    assert case.state == "at_city"
    case = case_transition(case, "receive", actor=gd.city_land, data={}, now=t(7, 30))
    assert case.state == "received"
    got = sorted(outcomes(case, gd.city_land))
    assert got == [("file", "in_time", 2.0), ("forward", "late", 4.02)]


def test_city_report_at_exactly_four_hours_is_in_time(gd):
    case = services.report_create(org="panlong-land", actor=gd.panlong_land)
    case = case_transition(case, "file", actor=gd.panlong_land, data=FILED, now=t(6))
    case = case_transition(case, "forward", actor=gd.panlong_land, data={}, now=t(7))   # 4 h 以内
    assert [o for _, o, _ in sorted(outcomes(case, gd.panlong_land))] == ["late", "in_time"]  # 3 h > 2 h


def test_quick_report_page_says_the_hours_plainly_above_the_trace(gd, client):
    # the county land bureau files 3 hours after the event (03:00 → 06:00): more than the
    # 2 hours 以内 to the county (三(四) “第一时间”, interpretation parameter) → late
    case = services.report_create(org="panlong-land", actor=gd.panlong_land)
    case = case_transition(case, "file", actor=gd.panlong_land, data=FILED, now=t(6))
    client.force_login(gd.panlong_land)
    html = client.get(f"/geohazards/reports/{case.reference}/").content.decode()
    sentence = "灾害发生后3小时才报县级，超过规定的2小时（昆政办〔2010〕109号 三(四)“第一时间”报告）。"
    assert sentence in html
    assert "灾害发生后务必第一时间向上级人民政府和国土资源主管部门报告；请说明本次迟报的原因" in html
    assert html.index(sentence) < html.index('class="decision-trace"')


def test_quick_report_scope_and_refusals(gd, client):
    make_point(gd.panlong_land, "PL-0001")
    case = services.report_create(point="PL-0001", actor=gd.dianyuan)
    with pytest.raises(ProcedureError) as exc:        # an event after the report is refused
        future = (dt.datetime.now(BJ) + dt.timedelta(days=1)).isoformat()
        case_step(case, "file", actor=gd.dianyuan, data={**FILED, "occurred_at": future})
    assert exc.value.field == "occurred_at"
    case.refresh_from_db()
    assert case.state == "draft"
    with pytest.raises(ProcedureError):               # another county cannot forward it
        case_transition(case, "file", actor=gd.wuhua_land, data=FILED, now=t(5))
    client.force_login(gd.wuhua_land)
    assert client.get(f"/geohazards/reports/{case.reference}/").status_code == 404
    client.force_login(gd.city_land)
    case_transition(case, "file", actor=gd.dianyuan, data=FILED, now=t(5))
    assert client.get(f"/geohazards/reports/{case.reference}/").status_code == 200


# ------------------------------------------------------------------ the roster

SEASON = (dt.date(2010, 5, 1), dt.date(2010, 10, 31))   # interpretation: 5月1日至10月31日


def shift(day, org="panlong"):
    return {"org": org, "day": day.isoformat(), "leader": "副区长甲", "leader_phone": "13700000001",
            "officer": "值班员乙", "officer_phone": "13700000002"}


def test_season_and_gaps(gd):
    assert selectors.season(2010) == SEASON
    for d in range(1, 32):
        if d != 17:
            services.shift_set(shift(dt.date(2010, 5, d)), actor=gd.panlong_gov)
    panlong = gd.panlong_gov.role_assignments.get().org
    gaps = selectors.roster_gaps(panlong, 2010, end=dt.date(2010, 5, 31))
    assert gaps == [dt.date(2010, 5, 17)]
    # the whole season: 184 days (5月1日—10月31日, both included), 30 of them filled
    assert len(selectors.roster_gaps(panlong, 2010)) == 184 - 30


def test_shift_outside_season_and_other_county_refused(gd):
    from kmgov.core.errors import Forbidden
    from kmgov.procedures.errors import StepInputInvalid

    with pytest.raises(StepInputInvalid) as exc:
        services.shift_set(shift(dt.date(2010, 11, 1)), actor=gd.panlong_gov)
    assert exc.value.field == "day"
    with pytest.raises(Forbidden):
        services.shift_set(shift(dt.date(2010, 6, 1), org="wuhua"), actor=gd.panlong_gov)
    assert not DutyShift.objects.exists()


def test_gaps_escalated_once_to_county_and_city(gd, django_capture_on_commit_callbacks):
    RoleAssignment.objects.filter(user=gd.city_office).update(phone="13600000001")
    for d in (1, 2, 4, 5, 6, 7, 8):
        services.shift_set(shift(dt.date(2010, 7, d)), actor=gd.panlong_gov)
    c = services.gaps_escalate(on=dt.date(2010, 7, 1), days_ahead=7)
    # 盘龙: only 7月3日 empty in 7月1日—8日; the 13 other counties: all 8 days
    assert c == {"counties": 14, "days": 1 + 13 * 8}
    esc = DutyGapEscalation.objects.get(org__code="panlong")
    assert esc.day == dt.date(2010, 7, 3)
    who = set(Delivery.objects.filter(notification=esc.notification).values_list("user__username", flat=True))
    assert {"panlong-zf", "panlong-gtj", "shi-zfb"} <= who and "wuhua-gtj" not in who
    assert "07月03日" in esc.notification.body
    # again: nothing new
    assert services.gaps_escalate(on=dt.date(2010, 7, 1), days_ahead=7) == {"counties": 0, "days": 0}


def test_roster_reported_and_page_shows_gaps(gd, client):
    services.shift_set(shift(dt.date(2010, 5, 1)), actor=gd.panlong_gov)
    services.roster_report("panlong", 2010, actor=gd.panlong_gov)
    client.force_login(gd.city_office)
    html = client.get("/geohazards/duty/?year=2010").content.decode()
    assert "盘龙区" in html and "已上报" in html and "缺班 183 天" in html and "5月2日—10月31日" in html
    client.force_login(gd.wuhua_land)
    html = client.get("/geohazards/duty/?year=2010").content.decode()
    assert "五华区" in html and "盘龙区" not in html
    r = client.get("/api/v1/geohazards/duty/panlong?year=2010")
    assert r.status_code == 404


def test_duty_form_refusal_beside_the_day_with_what_was_typed(gd, client):
    # issue 13 item 3: a day outside the flood season (109号 三(二): 5月1日至10月31日) is
    # named above 日期 in that county's form, the names and phones come back, nothing saved
    import re

    client.force_login(gd.panlong_gov)
    r = client.post("/geohazards/duty/?year=2010", {
        "action": "shift", "org": "panlong", "day": "2010-12-01", "leader": "张副区长",
        "leader_phone": "13900000001", "officer": "李值班", "officer_phone": "13900000002"})
    html = r.content.decode()
    assert r.status_code == 400
    error = re.search(r'<p class="govuk-error-message" id="duty-day-panlong-error"[^>]*>([^<]*)</p>',
                      html)
    assert error and "不在汛期" in error.group(1)
    assert '<a href="#duty-day-panlong">' in html
    assert 'value="张副区长"' in html and 'value="13900000002"' in html
    assert not DutyShift.objects.filter(org__code="panlong").exists()
