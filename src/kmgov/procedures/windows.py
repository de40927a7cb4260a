"""Filing windows: the yearly date ranges in which a filing or application is accepted.

The dates come from the gazette (e.g. 62号/63号 "每年3月1日至31日"; 107号 "1月1日-10日" and
"7月1日-10日") and are given to `FilingWindow` by the policy module's parameters; the kernel
holds no date of its own. Days are whole days in Beijing time, both ends included.

A procedure declares its window with the *names* of its parameters,
`FilingWindow.yearly_from("headquarters.application_window", citation=…)`: the dates are read
when the window is checked, at the day checked, through the administrators' interpretation
overrides (`kmgov.rules.parameter_value`), never when the module is imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kmgov.core.calendar import local

from .errors import WindowClosed


@dataclass(frozen=True)
class Period:
    """One yearly period, from (month, day) to (month, day), both included."""

    start: tuple[int, int]
    end: tuple[int, int]

    def __post_init__(self):
        for month, day in (self.start, self.end):
            dt.date(2012, month, day)  # raises on 2月30日 and the like (2012: a leap year)
        if self.end < self.start:
            raise ValueError("申报期不能跨年：请拆成两段")

    def in_year(self, year: int) -> tuple[dt.date, dt.date]:
        def day(md: tuple[int, int]) -> dt.date:
            month, d = md
            if (month, d) == (2, 29) and not _leap(year):
                d = 28
            return dt.date(year, month, d)

        return day(self.start), day(self.end)

    def label(self) -> str:
        (sm, sd), (em, ed) = self.start, self.end
        return f"{sm}月{sd}日至{ed}日" if sm == em else f"{sm}月{sd}日至{em}月{ed}日"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class FilingWindow:
    """Yearly filing window(s), e.g. `FilingWindow.yearly((3, 1), (3, 31), citation=…)`."""

    periods: tuple[Period, ...]
    citation: str = ""
    what: str = "申报期"
    extra: dict = field(default_factory=dict, compare=False)

    @classmethod
    def yearly(cls, *ranges: tuple[tuple[int, int], tuple[int, int]] | tuple[int, int],
               citation: str = "", what: str = "申报期") -> FilingWindow:
        """`yearly((3, 1), (3, 31))` or `yearly(((1, 1), (1, 10)), ((7, 1), (7, 10)))`."""
        if len(ranges) == 2 and isinstance(ranges[0][0], int):
            ranges = (ranges,)  # type: ignore[assignment]
        periods = tuple(sorted(
            (Period(tuple(a), tuple(b)) for a, b in ranges),  # type: ignore[misc]
            key=lambda p: p.start))
        if not periods:
            raise ValueError("申报期至少要有一段")
        return cls(periods=periods, citation=citation, what=what)

    @classmethod
    def yearly_from(cls, *names: str, citation: str = "", what: str = "申报期") -> ParameterWindow:
        """A yearly window whose periods are parameters, each ["MM-DD", "MM-DD"] (or a list of
        such pairs), read at the day the window is checked."""
        if not names:
            raise ValueError("申报期至少要有一个参数")
        return ParameterWindow(names=tuple(names), citation=citation, what=what)

    def describe(self) -> str:
        return f"{self.what}为每年" + "、".join(p.label() for p in self.periods)

    def current(self, at: dt.datetime | dt.date) -> tuple[dt.date, dt.date] | None:
        """The period open on that day, as (first day, last day), or None."""
        day = local(at).date() if isinstance(at, dt.datetime) else at
        for p in self.periods:
            start, end = p.in_year(day.year)
            if start <= day <= end:
                return start, end
        return None

    def is_open(self, at: dt.datetime | dt.date) -> bool:
        return self.current(at) is not None

    def next_opening(self, at: dt.datetime | dt.date) -> dt.date:
        """The first day of the next period that starts after `at` (strictly)."""
        day = local(at).date() if isinstance(at, dt.datetime) else at
        for year in (day.year, day.year + 1):
            for p in self.periods:
                start, _ = p.in_year(year)
                if start > day:
                    return start
        raise AssertionError("unreachable: a yearly window always opens within a year")

    def check_open(self, at: dt.datetime | dt.date) -> tuple[dt.date, dt.date]:
        """The open period, or `WindowClosed` saying when the window opens next."""
        period = self.current(at)
        if period is None:
            nxt = self.next_opening(at)
            raise WindowClosed(
                f"{self.describe()}，当前不在{self.what}内，"
                f"下次开放：{nxt.year}年{nxt.month}月{nxt.day}日"
                + (f"（{self.citation}）" if self.citation else ""),
                field="submitted_at",
            )
        return period


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(x) for x in str(text).split("-"))
    return month, day


@dataclass(frozen=True)
class ParameterWindow:
    """A `FilingWindow` declared by parameter names and resolved on the day it is checked."""

    names: tuple[str, ...]
    citation: str = ""
    what: str = "申报期"

    def on(self, at: dt.datetime | dt.date) -> FilingWindow:
        """The window in force on that day (Beijing time)."""
        from kmgov.rules import parameter_value

        day = local(at).date() if isinstance(at, dt.datetime) else at
        ranges = []
        for name in self.names:
            value = parameter_value(name, day)
            pairs = value if value and isinstance(value[0], (list, tuple)) else [value]
            ranges += [(_month_day(a), _month_day(b)) for a, b in pairs]
        return FilingWindow.yearly(*ranges, citation=self.citation, what=self.what)

    def describe(self, at: dt.datetime | dt.date | None = None) -> str:
        from kmgov.rules import today

        return self.on(at or today()).describe()

    def current(self, at: dt.datetime | dt.date) -> tuple[dt.date, dt.date] | None:
        return self.on(at).current(at)

    def is_open(self, at: dt.datetime | dt.date) -> bool:
        return self.on(at).is_open(at)

    def next_opening(self, at: dt.datetime | dt.date) -> dt.date:
        return self.on(at).next_opening(at)

    def check_open(self, at: dt.datetime | dt.date) -> tuple[dt.date, dt.date]:
        return self.on(at).check_open(at)
