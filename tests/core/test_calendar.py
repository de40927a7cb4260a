"""The Chinese working-day calendar (SPEC X-7)."""

import datetime as dt

import pytest

from kmgov.core.calendar import (
    TZ,
    CalendarRangeError,
    DayCount,
    add_days,
    add_working_days,
    deadline_after,
    holiday_data,
    holiday_name,
    is_business_hours,
    is_make_up_day,
    is_provisional,
    is_working_day,
    last_day_of,
    next_working_moment,
    working_days_between,
)

D = dt.date


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def test_2010_national_day_week():
    # 国办发明电〔2009〕19号: 10月1日至7日放假调休；9月26日（星期日）、10月9日（星期六）上班。
    for day in range(1, 8):
        assert not is_working_day(D(2010, 10, day)), day
        assert holiday_name(D(2010, 10, day)) == "国庆节"
    assert D(2010, 9, 26).weekday() == 6 and is_working_day(D(2010, 9, 26))
    assert D(2010, 10, 9).weekday() == 5 and is_working_day(D(2010, 10, 9))
    assert is_make_up_day(D(2010, 10, 9))
    assert not is_working_day(D(2010, 10, 10))  # an ordinary Sunday
    assert is_working_day(D(2010, 10, 8))  # Friday


def test_2010_mid_autumn():
    # 中秋节：9月22日至24日放假调休；9月19日（星期日）、9月25日（星期六）上班。
    for day in (22, 23, 24):
        assert not is_working_day(D(2010, 9, day))
    assert is_working_day(D(2010, 9, 19)) and is_working_day(D(2010, 9, 25))
    assert not is_working_day(D(2010, 9, 18))  # ordinary Saturday


def test_2010_spring_festival():
    # 春节：2月13日至19日放假调休；2月20日（星期六）、21日（星期日）上班。
    assert [is_working_day(D(2010, 2, d)) for d in range(12, 23)] == [
        True, False, False, False, False, False, False, False, True, True, True,
    ]
    assert holiday_name(D(2010, 2, 14)) == "春节"


def test_fifteen_days_calendar_vs_working_across_national_day_2010():
    start = D(2010, 9, 28)  # Tuesday: a 15-day period starts counting the next day
    assert add_days(start, 15, DayCount.CALENDAR) == D(2010, 10, 13)
    # 9/29, 9/30, 10/8, 10/9 (make-up Saturday), 10/11-15, 10/18-22, 10/25
    assert add_days(start, 15, DayCount.WORKING) == D(2010, 10, 25)
    assert add_working_days(start, 15) == D(2010, 10, 25)
    assert working_days_between(start, D(2010, 10, 25)) == 15
    # Due at the end of the last day, Beijing time.
    assert deadline_after(at(2010, 9, 28, 10), 15, "working") == at(2010, 10, 26, 0, 0)
    assert last_day_of(at(2010, 10, 26, 0, 0)) == D(2010, 10, 25)
    assert last_day_of(at(2010, 10, 26, 12, 0)) == D(2010, 10, 26)


def test_calendar_period_ending_on_a_holiday_rolls_to_next_working_day():
    # 9/20 + 15 days = 10/5, inside the holiday: the period ends on 10/8 (民法典 第二百零三条).
    assert add_days(D(2010, 9, 20), 15) == D(2010, 10, 8)
    assert add_days(D(2010, 9, 20), 15, roll_forward=False) == D(2010, 10, 5)


def test_working_days_backwards_and_zero():
    assert add_working_days(D(2010, 10, 8), -1) == D(2010, 9, 30)
    assert add_working_days(D(2010, 10, 8), 0) == D(2010, 10, 8)


def test_business_hours_edges():
    assert not is_business_hours(at(2010, 9, 30, 8, 59, 59))
    assert is_business_hours(at(2010, 9, 30, 9, 0))
    assert is_business_hours(at(2010, 9, 30, 11, 59, 59))
    assert not is_business_hours(at(2010, 9, 30, 12, 0))  # lunch break
    assert is_business_hours(at(2010, 9, 30, 13, 0))
    assert not is_business_hours(at(2010, 9, 30, 17, 0))
    assert not is_business_hours(at(2010, 10, 1, 10, 0))  # National Day
    assert is_business_hours(at(2010, 10, 9, 10, 0))  # make-up Saturday
    # UTC input is counted in Beijing time: 01:30 UTC = 09:30 CST.
    assert is_business_hours(dt.datetime(2010, 9, 30, 1, 30, tzinfo=dt.UTC))


def test_next_working_moment():
    assert next_working_moment(at(2010, 9, 30, 10, 0)) == at(2010, 9, 30, 10, 0)
    assert next_working_moment(at(2010, 9, 30, 7, 0)) == at(2010, 9, 30, 9, 0)
    assert next_working_moment(at(2010, 9, 30, 12, 30)) == at(2010, 9, 30, 13, 0)
    # A call on the evening before the holiday waits for the first day back, 8 Oct.
    assert next_working_moment(at(2010, 9, 30, 17, 0)) == at(2010, 10, 8, 9, 0)
    assert next_working_moment(at(2010, 10, 3, 15, 0)) == at(2010, 10, 8, 9, 0)
    # Friday evening → the make-up Saturday 9 Oct.
    assert next_working_moment(at(2010, 10, 8, 18, 0)) == at(2010, 10, 9, 9, 0)


def test_data_covers_2010_to_2026_then_counts_provisionally_then_refuses():
    data = holiday_data()
    assert (data.first_year, data.last_year) == (2010, 2026)
    assert set(data.notices) == set(range(2010, 2027))
    # 2027's notice is not on file: weekdays work, except the holidays whose solar dates
    # 《全国年节及纪念日放假办法》 fixes (元旦 1 Jan, 劳动节 1–2 May, 国庆节 1–3 Oct).
    assert is_provisional(D(2027, 1, 4)) and not is_provisional(D(2026, 12, 31))
    assert is_working_day(D(2027, 1, 4))          # a Monday
    assert not is_working_day(D(2027, 1, 1))      # 元旦, a Friday
    assert not is_working_day(D(2027, 10, 1))     # 国庆节
    assert not is_working_day(D(2027, 1, 9))      # a Saturday
    with pytest.raises(CalendarRangeError, match="超出节假日数据范围"):
        is_working_day(D(2030, 1, 7))
    with pytest.raises(CalendarRangeError):
        is_working_day(D(2009, 12, 31))


def test_every_year_has_the_seven_festivals():
    data = holiday_data()
    for year in range(2010, 2027):
        names = "、".join({n for d, n in data.off_days.items() if d.year == year})
        for festival in ("元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆"):
            assert festival in names, (year, festival)


@pytest.mark.parametrize("when,working", [
    (D(2012, 10, 7), False), (D(2012, 9, 29), True),  # 中秋国庆 2012
    (D(2015, 9, 3), False), (D(2015, 9, 6), True),  # 抗战胜利70周年
    (D(2020, 1, 31), False), (D(2020, 2, 1), False), (D(2020, 2, 3), True),  # extended 春节
    (D(2019, 5, 3), False), (D(2019, 5, 5), True),  # 2019 劳动节 as changed
    (D(2025, 10, 8), False), (D(2025, 10, 11), True),
    (D(2026, 2, 23), False), (D(2026, 2, 28), True),
])
def test_known_days(when, working):
    assert is_working_day(when) is working


def test_matches_independent_source_every_day():
    """Cross-check every day 2010–2026 against the `chinesecalendar` package's data."""
    import chinese_calendar
    day, differences = D(2010, 1, 1), []
    while day <= D(2026, 12, 31):
        if is_working_day(day) != chinese_calendar.is_workday(day):
            differences.append(day)
        day += dt.timedelta(days=1)
    assert differences == []


from hypothesis import given  # noqa: E402
from hypothesis import settings as hsettings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@hsettings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=D(2010, 1, 10), max_value=D(2025, 6, 30)),
       n=st.integers(min_value=1, max_value=120))
def test_working_day_arithmetic_is_consistent(start, n):
    end = add_working_days(start, n)
    assert is_working_day(end)
    assert working_days_between(start, end) == n
    # Counting back lands on the start, or on the last working day before it.
    back = add_working_days(end, -n)
    assert back <= start and is_working_day(back) and working_days_between(back, start) == 0
    # A period in working days is never shorter than the same number of calendar days.
    assert end >= start + dt.timedelta(days=n)
