"""The Chinese working-day calendar (SPEC X-7).

A day is a working day when it is Monday to Friday and not inside a public-holiday period, or
when it is a Saturday or Sunday the State Council made a make-up working day (调休上班). The
holiday periods and make-up days of each year are data (`data/holidays.yaml`), copied from the
State Council General Office's yearly notice; counting outside the years listed there raises
`CalendarRangeError` instead of silently treating unknown holidays as working days.

Counting follows the convention of Chinese law on periods (民法通则 第一百五十四条, in force in
2010; now 民法典 第二百零一条、第二百零三条): the day on which a period starts is not counted,
and a period counted in calendar days whose last day is a holiday or rest day ends on the next
working day. A period counted in working days ("15个工作日") ends on the n-th working day
after the start.

Office hours for 5×8 service are `OFFICE_HOURS` (see docs/interpretations.md, "## Calendar").
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

DATA_FILE = Path(__file__).with_name("data") / "holidays.yaml"

#: The government's time zone: every day boundary and office hour is counted in it.
TZ = ZoneInfo("Asia/Shanghai")

#: Office hours on a working day, [start, end) in Asia/Shanghai. An interpretation: the
#: gazette says "工作时间" (116号) without hours; these are the hours most Kunming offices keep.
OFFICE_HOURS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(9, 0), dt.time(12, 0)),
    (dt.time(13, 0), dt.time(17, 0)),
)


class DayCount(enum.StrEnum):
    """How a period is counted."""

    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label  # type: ignore[attr-defined]
        return obj


class CalendarRangeError(ValueError):
    """A date outside the years whose holidays are known."""


@dataclass(frozen=True)
class HolidayData:
    first_year: int
    last_year: int
    off_days: dict[dt.date, str]  # day → holiday name
    make_up_days: dict[dt.date, str]  # weekend day worked → holiday it makes up for
    notices: dict[int, str]


@lru_cache(maxsize=1)
def holiday_data() -> HolidayData:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    off: dict[dt.date, str] = {}
    make_up: dict[dt.date, str] = {}
    notices: dict[int, str] = {}
    for year, spec in raw["years"].items():
        notices[int(year)] = spec.get("notice", "")
        for h in spec.get("holidays", []):
            day = h["from"]
            if h["to"] < day or (h["to"] - day).days > 15:
                raise ValueError(f"holidays.yaml {year} {h['name']}: bad period")
            while day <= h["to"]:
                off[day] = h["name"]
                day += dt.timedelta(days=1)
        for w in spec.get("workdays", []):
            if w["date"].weekday() < 5:
                raise ValueError(f"holidays.yaml {year}: make-up day {w['date']} is a weekday")
            make_up[w["date"]] = w["for"]
    clash = set(off) & set(make_up)
    if clash:
        raise ValueError(f"holidays.yaml: days both off and worked: {sorted(clash)}")
    return HolidayData(int(raw["first_year"]), int(raw["last_year"]), off, make_up, notices)


def _check_range(d: dt.date) -> None:
    data = holiday_data()
    # The last days of December may be make-up days of the next year's notice; the year
    # after the last known one is unknown (its New Year holiday may start on 30 Dec).
    if not (data.first_year <= d.year <= data.last_year):
        raise CalendarRangeError(
            f"日期 {d.isoformat()} 超出节假日数据范围（{data.first_year}—{data.last_year}年），"
            "请先补充该年度国务院办公厅节假日安排"
        )


def _as_date(d: dt.date | dt.datetime) -> dt.date:
    if isinstance(d, dt.datetime):
        return local(d).date()
    return d


def local(moment: dt.datetime) -> dt.datetime:
    """The moment in Asia/Shanghai (naive datetimes are taken as already local)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def holiday_name(d: dt.date | dt.datetime) -> str | None:
    """The public holiday the day belongs to, or None."""
    d = _as_date(d)
    _check_range(d)
    return holiday_data().off_days.get(d)


def is_make_up_day(d: dt.date | dt.datetime) -> bool:
    d = _as_date(d)
    _check_range(d)
    return d in holiday_data().make_up_days


def is_working_day(d: dt.date | dt.datetime) -> bool:
    d = _as_date(d)
    _check_range(d)
    data = holiday_data()
    if d in data.make_up_days:
        return True
    if d in data.off_days:
        return False
    return d.weekday() < 5


def next_working_day(d: dt.date, *, include_today: bool = False) -> dt.date:
    day = d if include_today else d + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(d: dt.date, n: int) -> dt.date:
    """The n-th working day after d (d itself is not counted); n may be negative."""
    if n == 0:
        return d
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    day = d
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def add_days(
    d: dt.date, n: int, count: DayCount | str = DayCount.CALENDAR, *, roll_forward: bool = True
) -> dt.date:
    """The last day of a period of n days starting after d.

    Calendar days: d + n, moved to the next working day when that day is a holiday or rest day
    and `roll_forward` is set (民法典 第二百零三条). Working days: see `add_working_days`.
    """
    count = DayCount(count)
    if n < 0:
        raise ValueError("期限天数不能为负数")
    if count is DayCount.WORKING:
        return add_working_days(d, n)
    last = d + dt.timedelta(days=n)
    if roll_forward and not is_working_day(last):
        last = next_working_day(last)
    return last


def end_of_day(d: dt.date) -> dt.datetime:
    """The moment a day ends in Asia/Shanghai (24:00, i.e. 00:00 of the next day)."""
    return dt.datetime.combine(d + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)


def deadline_after(
    start: dt.datetime, n: int, count: DayCount | str = DayCount.CALENDAR
) -> dt.datetime:
    """The due moment of "within n days" from `start`: the end of the period's last day."""
    return end_of_day(add_days(local(start).date(), n, count))


def is_business_hours(moment: dt.datetime) -> bool:
    """Whether an office is open at the moment (5×8 service): a working day, in OFFICE_HOURS."""
    m = local(moment)
    if not is_working_day(m.date()):
        return False
    t = m.timetz().replace(tzinfo=None)
    return any(start <= t < end for start, end in OFFICE_HOURS)


def next_working_moment(moment: dt.datetime) -> dt.datetime:
    """The moment itself if offices are open then, else when they next open (Asia/Shanghai).

    A call recorded outside office hours (96128 热线, 116号) is handled from this moment on.
    """
    m = local(moment)
    if is_business_hours(m):
        return m
    day = m.date()
    if is_working_day(day):
        t = m.timetz().replace(tzinfo=None)
        for start, _end in OFFICE_HOURS:
            if t < start:
                return dt.datetime.combine(day, start, tzinfo=TZ)
    day = next_working_day(day)
    return dt.datetime.combine(day, OFFICE_HOURS[0][0], tzinfo=TZ)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days of a period have run by `end`."""
    if end <= start:
        return 0
    return sum(
        1 for i in range(1, (end - start).days + 1)
        if is_working_day(start + dt.timedelta(days=i))
    )


__all__ = [
    "TZ", "OFFICE_HOURS", "DayCount", "CalendarRangeError", "holiday_data", "holiday_name",
    "is_make_up_day", "is_working_day", "next_working_day", "add_working_days", "add_days",
    "end_of_day", "deadline_after", "is_business_hours", "next_working_moment",
    "working_days_between", "local",
]
