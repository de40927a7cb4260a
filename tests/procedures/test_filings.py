"""Scheduled filings on the kernel: periods, windows (昆政办〔2010〕107号 四(一): 每年申报两次，即
1月1日-10日（上一年度情况）和7月1日-10日（半年情况）, gazette line 1020), roll-up windows, the
register opened idempotently, scoped "who has not filed", reminders and escalations once."""

import datetime as dt

import pytest
from procedures.helpers import at

from kmgov.core.models import Role
from kmgov.procedures import filings
from kmgov.procedures.filing_selectors import filing_summary, not_filed, rollup_progress
from kmgov.procedures.filing_services import filings_sweep, slots_open
from kmgov.procedures.filings import (
    Filers,
    Obligation,
    Period,
    PeriodKeyInvalid,
    PeriodKind,
    Receiver,
    WindowRule,
)
from kmgov.procedures.models import FilingSlot, InboxItem


def test_period_keys():
    assert Period.parse("2011", PeriodKind.YEAR).end() == dt.date(2011, 12, 31)
    h1 = Period.parse("2011H1", PeriodKind.HALF)
    assert (h1.start(), h1.end(), h1.label()) == (dt.date(2011, 1, 1), dt.date(2011, 6, 30), "2011年上半年")
    q3 = Period.parse("2011Q3", PeriodKind.QUARTER)
    assert (q3.start(), q3.end(), q3.label()) == (dt.date(2011, 7, 1), dt.date(2011, 9, 30), "2011年第三季度")
    m = Period.parse("2011-07", PeriodKind.MONTH)
    assert (m.end(), m.shift(6).key, m.shift(-7).key) == (dt.date(2011, 7, 31), "2012-01", "2010-12")
    # a month after April has a label too (111号's monthly report; a month index is no quarter's)
    assert [Period.parse(f"2011-{i:02d}", PeriodKind.MONTH).label() for i in (4, 5, 12)] == [
        "2011年4月", "2011年5月", "2011年12月"]
    assert h1.shift(1).key == "2011H2" and h1.shift(2).key == "2012H1"
    with pytest.raises(PeriodKeyInvalid, match="2011H1"):
        Period.parse("2011-H1", PeriodKind.HALF)
    # A year dates cannot hold once its window runs into the next year (the API fuzzer found
    # "9999" as a 500) is refused with a message, like any mistyped period.
    for key in ("9999", "0000", "2100"):
        with pytest.raises(PeriodKeyInvalid, match="年度须在2000年至2099年之间"):
            Period.parse(key, PeriodKind.YEAR)


@pytest.mark.django_db
def test_out_of_range_period_through_the_api_is_a_refusal(people):
    import json

    from django.test import Client

    c = Client()
    c.force_login(people.office)
    r = c.get("/api/v1/filings/hq-statistics?period=9999")
    assert r.status_code == 400 and r.json()["field"] == "period"
    r = c.post("/api/v1/filings/hq-statistics/9999/start", json.dumps({"org": "panlong"}),
               content_type="application/json")
    assert r.status_code in (400, 404) and r.json()["field"] in ("period", "org")


def test_windows_of_107_and_consolidation():
    # 107号 四(一): 1月1日-10日 for the previous year; 7月1日-10日 for the first half.
    rule = WindowRule((1, 1), (1, 10))
    assert rule.dates(Period.parse("2010", PeriodKind.YEAR)) == (dt.date(2011, 1, 1), dt.date(2011, 1, 10))
    assert rule.dates(Period.parse("2011H1", PeriodKind.HALF)) == (dt.date(2011, 7, 1), dt.date(2011, 7, 10))
    # A monthly filing due by the 5th of the next month; February's day 30 is its last day.
    assert WindowRule((1, 1), (1, 30)).dates(Period.parse("2011-01", PeriodKind.MONTH)) == (
        dt.date(2011, 2, 1), dt.date(2011, 2, 28))


@pytest.fixture
def townships(people, monkeypatch):
    """107号 四(二): townships file with their county, the county consolidates after them."""
    child = Obligation(
        code="t-zr-township", name="零申报（乡镇）", form="sample", filed_by_step="submit",
        period=PeriodKind.HALF, window=WindowRule((1, 1), (1, 10)),
        filers=Filers(kinds=("township",), under="panlong"),
        receiver=Receiver(Role.COUNTY_OFFICE, at="county"), filer_role=Role.COUNTY_OFFICE,
        remind_before=3, citation="昆政办〔2010〕107号 四")
    parent = Obligation(
        code="t-zr-county", name="零申报（县区汇总）", form="sample", filed_by_step="submit",
        period=PeriodKind.HALF, window=WindowRule(), filers=Filers(codes=("panlong",)),
        receiver=Receiver(Role.CITY_OFFICE, at="city"), filer_role=Role.COUNTY_OFFICE,
        rollup_of="t-zr-township", rollup_days=5)
    # Only these two: the sweep's counts below must not include the policies' own obligations
    # (107号's zero reports are owed by the same townships).
    monkeypatch.setattr(filings, "_OBLIGATIONS", {child.code: child, parent.code: parent})
    return child, parent


def test_register_opened_once_scoped_reminded_escalated(people, townships):
    child, parent = townships
    h1 = Period.parse("2011H1", PeriodKind.HALF)
    assert parent.window_dates(h1) == (dt.date(2011, 7, 11), dt.date(2011, 7, 15))
    first = slots_open(child.code, "2011H1", now=at(2011, 7, 1, 8))
    assert first["opened"] == 2 and first["window_closes"] == "2011-07-10"  # 滇源镇, 阿子营镇
    assert slots_open(child.code, "2011H1", now=at(2011, 7, 1, 9))["opened"] == 0
    assert InboxItem.objects.filter(procedure=child.code).count() == 2
    slot = FilingSlot.objects.filter(obligation=child.code).first()
    assert (slot.receiver_role, slot.receiver_org.code) == ("county_office", "panlong")
    # Scope: 盘龙区 sees both, 五华区 none, the city both; one SQL condition each.
    assert filing_summary(people.office, child.code, "2011H1", now=at(2011, 7, 5))["not_filed"] == 2
    assert not_filed(people.wuhua_office, child.code, "2011H1").count() == 0
    assert filing_summary(people.city_office, child.code, "2011H1",
                          now=at(2011, 7, 11))["overdue"] == 2
    assert rollup_progress(people.office, parent.code, "2011H1",
                           parent=slot.org.parent)["total"] == 2
    # The sweep opens the county's consolidation only once its own window opens (7月11日).
    before = filings_sweep(now=at(2011, 7, 7, 9, 0))  # reminder: 3 days before 7月10日, 09:00
    assert before == {"opened": 0, "reminders": 2, "escalations": 0}
    assert filings_sweep(now=at(2011, 7, 7, 9, 5)) == {"opened": 0, "reminders": 0, "escalations": 0}
    after = filings_sweep(now=at(2011, 7, 11, 0, 0))
    # (the county's reminder, 5 days before 7月15日, is already due when its register opens)
    assert after == {"opened": 1, "reminders": 1, "escalations": 2}
    assert filings_sweep(now=at(2011, 7, 11, 0, 5))["escalations"] == 0
    esc = InboxItem.objects.filter(procedure=child.code, kind="escalation")
    assert {(i.role, i.role_org.code) for i in esc} == {("county_office", "panlong")}


def test_filers_chosen_by_a_condition_of_the_policy(people, monkeypatch):
    """`Filers(where=...)`: the units a policy's own records name (107号 三(二)'s listed
    industries), as one condition on the units; described by `where_label`."""
    from django.db.models import Q

    seen = []

    def listed(period):
        seen.append(period.key)
        return Q(code="panlong-dianyuan")

    ob = Obligation(
        code="t-zr-where", name="零申报（登记企业）", form="sample", filed_by_step="submit",
        period=PeriodKind.HALF, window=WindowRule((1, 1), (1, 10)),
        filers=Filers(where=listed, where_label="申报范围内的企业"),
        receiver=Receiver(Role.COUNTY_OFFICE, at="county"), citation="昆政办〔2010〕107号 三(二)")
    monkeypatch.setitem(filings._OBLIGATIONS, ob.code, ob)
    assert slots_open(ob.code, "2011H1", now=at(2011, 7, 1, 8))["opened"] == 1
    assert seen == ["2011H1"]
    assert list(FilingSlot.objects.filter(obligation=ob.code).values_list("org__code", flat=True)) == [
        "panlong-dianyuan"]
    assert ob.filers.describe() == "申报范围内的企业"


def test_a_consolidation_window_read_from_a_parameter(people, townships, monkeypatch):
    """`rollup_days` may name a parameter, read on the children's last day (107号 四(二) gives
    no consolidation period: safety.zero_report_rollup_days, an interpretation, is 5)."""
    import dataclasses

    child, parent = townships
    by_param = dataclasses.replace(parent, code="t-zr-county-p",
                                   rollup_days="safety.zero_report_rollup_days")
    monkeypatch.setitem(filings._OBLIGATIONS, by_param.code, by_param)
    h1 = Period.parse("2011H1", PeriodKind.HALF)
    assert by_param.window_dates(h1) == (dt.date(2011, 7, 11), dt.date(2011, 7, 15))
