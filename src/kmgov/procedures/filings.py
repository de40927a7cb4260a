"""Scheduled filings: an obligation to file a form every period, declared as data.

An `Obligation` says who must file (`Filers`: org units by kind, under a unit, a declared list,
or the holders of a case in given states), which form (a registered procedure whose step
`filed_by_step` is the filing), for which period (`PeriodKind`: yearly `2011`, half-yearly
`2011H1`, quarterly `2011Q3`, monthly `2011-07`), in which window (`WindowRule`, relative to
the period's end, or a parameter resolved at use time), to whom (`Receiver`: a role at a unit
resolved from the filer), and how it rolls up the tree (`rollup_of`: a consolidation whose
window follows the children's).

The register of who owes what is `FilingSlot` rows (one per obligation, unit and period),
opened by `filing_services.slots_open` (run by the sweep), linked to the filing case when the
filing step is taken, reminded and escalated by the sweep. See docs/procedures.md,
"Scheduled filings".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kmgov.core.models import OrgUnit


# ---------------------------------------------------------------- periods

class PeriodKind(str, Enum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"


_PATTERNS = {
    PeriodKind.YEAR: re.compile(r"^(\d{4})$"),
    PeriodKind.HALF: re.compile(r"^(\d{4})H([12])$"),
    PeriodKind.QUARTER: re.compile(r"^(\d{4})Q([1-4])$"),
    PeriodKind.MONTH: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
}
_MONTHS = {PeriodKind.YEAR: 12, PeriodKind.HALF: 6, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}
_EXAMPLES = {PeriodKind.YEAR: "2011", PeriodKind.HALF: "2011H1", PeriodKind.QUARTER: "2011Q3",
             PeriodKind.MONTH: "2011-07"}
_KIND_LABELS = {PeriodKind.YEAR: "每年", PeriodKind.HALF: "每半年", PeriodKind.QUARTER: "每季度",
                PeriodKind.MONTH: "每月"}


#: The years a period may name: the register's dates (windows run into the next year) must
#: stay within what dates can hold; filings outside these years are refused as typing errors.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class PeriodKeyInvalid(ValueError):
    """A period key that does not name a period of the obligation's kind (Chinese message)."""


@dataclass(frozen=True, order=True)
class Period:
    """One period: its kind, year and index (half 1–2, quarter 1–4, month 1–12; 1 for a year)."""

    year: int
    index: int
    kind: PeriodKind = field(compare=False)

    @classmethod
    def parse(cls, key: str, kind: PeriodKind) -> Period:
        m = _PATTERNS[kind].match(str(key).strip())
        if not m:
            raise PeriodKeyInvalid(
                f"期间“{key}”格式不对：{_KIND_LABELS[kind]}报送的期间应写作如“{_EXAMPLES[kind]}”")
        year = int(m.group(1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PeriodKeyInvalid(
                f"期间“{key}”的年度须在{FIRST_YEAR}年至{LAST_YEAR}年之间")
        return cls(year=year, index=int(m.group(2)) if m.lastindex > 1 else 1, kind=kind)

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind) -> Period:
        n = _MONTHS[kind]
        return cls(year=day.year, index=(day.month - 1) // n + 1, kind=kind)

    @property
    def key(self) -> str:
        return {PeriodKind.YEAR: f"{self.year}", PeriodKind.HALF: f"{self.year}H{self.index}",
                PeriodKind.QUARTER: f"{self.year}Q{self.index}",
                PeriodKind.MONTH: f"{self.year}-{self.index:02d}"}[self.kind]

    def label(self) -> str:
        # One branch per kind: a month's index (up to 12) is no quarter's.
        if self.kind == PeriodKind.YEAR:
            return f"{self.year}年度"
        if self.kind == PeriodKind.HALF:
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"

    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS[self.kind] + 1

    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    def end(self) -> dt.date:
        last = self.first_month + _MONTHS[self.kind] - 1
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    def shift(self, n: int) -> Period:
        per_year = 12 // _MONTHS[self.kind]
        i = self.year * per_year + self.index - 1 + n
        return Period(year=i // per_year, index=i % per_year + 1, kind=self.kind)

    def __str__(self) -> str:
        return self.key


def _month_day(value: str) -> tuple[int, int]:
    """"M-DD" of a window parameter; M may be 0 (the period's last month) or negative (a
    month before it: a one-off deadline inside a yearly period, 61号's "9月30日前" of 2010 is
    "-3-30" of the period 2010)."""
    m = re.fullmatch(r"(-?\d+)-(\d{1,2})", value.strip())
    if not m:
        raise ValueError(f"window {value!r}: expected \"M-DD\" (M months after the period's end)")
    return int(m.group(1)), int(m.group(2))


def _month_after(day: dt.date, months: int, dom: int) -> dt.date:
    """Day `dom` of the `months`-th month after the month of `day` (1 = the next month, 0 its
    own month, -1 the month before); a day past the month's end is its last day (2月30日 →
    2月28/29日)."""
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(dom, calendar.monthrange(y, m)[1]))


# ---------------------------------------------------------------- windows

@dataclass(frozen=True)
class WindowRule:
    """When a period's filing is accepted: from day `open[1]` of the `open[0]`-th month after
    the period's last month to day `close[1]` of the `close[0]`-th month after it, both days
    included (以内/届满 include the day, docs/interpretations.md). 107号's "1月1日-10日（上一年
    度情况）" for a yearly period is `WindowRule((1, 1), (1, 10))`; "7月1日-10日（半年情况）" for
    the first half is the same rule on a half-yearly period.

    `parameter`: the name of a parameter (kmgov.rules) whose value is ["M-DD", "M-DD"] in the
    same sense (M = months after the period's end), resolved at use time on the period's last
    day — so an administrator's override of an interpretation applies without a deploy."""

    open: tuple[int, int] = (1, 1)
    close: tuple[int, int] = (1, 10)
    parameter: str = ""
    citation: str = ""

    @classmethod
    def from_parameter(cls, name: str, *, citation: str = "") -> WindowRule:
        return cls(parameter=name, citation=citation)

    def resolve(self, period: Period) -> tuple[tuple[int, int], tuple[int, int]]:
        if not self.parameter:
            return self.open, self.close
        from kmgov.rules import parameter_value

        # Read when needed, through the administrators' interpretation overrides.
        value = parameter_value(self.parameter, period.end())
        if value is None:  # the provision set a deadline for some years only (a null value)
            from kmgov.rules.parameters import ParameterNotInForce

            raise ParameterNotInForce(self.parameter, period.end(), None)
        a, b = (_month_day(str(v)) for v in value)
        return a, b

    def dates(self, period: Period) -> tuple[dt.date, dt.date]:
        (om, od), (cm, cd) = self.resolve(period)
        end = period.end()
        opens, closes = _month_after(end, om, od), _month_after(end, cm, cd)
        if closes < opens:
            raise ValueError(f"申报期结束早于开始：{opens}—{closes}")
        return opens, closes


# ---------------------------------------------------------------- who files, to whom

@dataclass(frozen=True)
class Filers:
    """Who must file, as data: units of `kinds` (e.g. ("township",)) under `under` (an org
    code; default the whole tree), and/or the units listed in `codes`, and/or `holders`: the
    units of cases of a registered procedure (`holders=("hq", ("filed",))`) in those states
    whose `since_field` (a date/datetime field) falls on or before the period's last day,
    and/or `where`: a function of the period returning a condition (`Q`) on `OrgUnit`, for
    filers known from a policy's own records (107号 三(二): the enterprises of the listed
    industries), described to people as `where_label`."""

    kinds: tuple[str, ...] = ()
    under: str = ""
    codes: tuple[str, ...] = ()
    holders: tuple[str, tuple[str, ...]] | None = None
    since_field: str = ""
    where: Callable[[Period], object] | None = None
    where_label: str = ""

    def describe(self) -> str:
        parts = []
        if self.kinds:
            from kmgov.core.models import OrgKind

            labels = "、".join(str(dict(OrgKind.choices).get(k, k)) for k in self.kinds)
            parts.append(f"{self.under + '下' if self.under else ''}各{labels}")
        if self.codes:
            parts.append("、".join(self.codes))
        if self.holders:
            from .declare import procedure_model

            parts.append(f"持有{procedure_model(self.holders[0]).procedure.name}的单位")
        if self.where is not None:
            parts.append(self.where_label or "登记在册的单位")
        return "；".join(parts) or "（无）"


@dataclass(frozen=True)
class Receiver:
    """Who receives the filing: `role` at a unit resolved from the filer's unit — `at` is
    AT_ORG (the filer itself), AT_COUNTY (its county), AT_CITY, an org code, or a function of
    the filer's `OrgUnit`."""

    role: str
    at: str | Callable[[OrgUnit], OrgUnit] = "county"

    def resolve(self, filer: OrgUnit) -> OrgUnit:
        from kmgov.core.models import OrgUnit

        from .declare import AT_CITY, AT_COUNTY, AT_ORG

        if callable(self.at):
            return self.at(filer)
        if self.at == AT_ORG:
            return filer
        if self.at == AT_COUNTY:
            county = filer.county_level()
            if county is None:
                raise ValueError(f"{filer} 不属于任何县（市）区或开发（度假）区")
            return county
        if self.at == AT_CITY:
            return OrgUnit.objects.get(parent__isnull=True, kind="city")
        return OrgUnit.objects.get(code=self.at)


@dataclass(frozen=True)
class Obligation:
    """A filing owed every period by each filer (see the module's docstring)."""

    code: str  # slug: [a-z0-9-]+, used in URLs, the CLI and the slots
    name: str  # Chinese, e.g. "总部情况统计资料年报"
    form: str  # the code of the registered procedure whose case is the filing
    filed_by_step: str  # the step of that procedure that files it
    period: PeriodKind
    window: WindowRule
    filers: Filers
    receiver: Receiver
    filer_role: str = "enterprise"  # who at the filer's unit is reminded (its inbox)
    remind_before: int | None = 5  # calendar days before the window's last day, at 09:00
    escalate: bool = True  # after the last day: the receiver is told who has not filed
    rollup_of: str = ""  # the obligation this one consolidates (its children's filings)
    # the consolidation's window: this many days after the children's — a number, or the name
    # of a parameter read (through the overrides) on the children's last day
    rollup_days: int | str = 0
    citation: str = ""

    def __post_init__(self):
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,31}", self.code):
            raise ValueError(f"obligation code {self.code!r}: lowercase letters, digits, '-'")
        if self.rollup_of and not isinstance(self.rollup_days, str) and self.rollup_days < 1:
            raise ValueError("a consolidation needs rollup_days ≥ 1 (its own window)")

    def parse_period(self, key: str) -> Period:
        return Period.parse(key, self.period)

    def window_dates(self, period: Period) -> tuple[dt.date, dt.date]:
        """The window of `period`: the declared rule, or for a consolidation the days right
        after the children's window closed (the children file first, 107号 四(二))."""
        if self.rollup_of:
            _, child_closes = obligation(self.rollup_of).window_dates(period)
            days = self.rollup_days
            if isinstance(days, str):
                from kmgov.rules import parameter_value

                days = int(parameter_value(days, child_closes))
            return (child_closes + dt.timedelta(days=1),
                    child_closes + dt.timedelta(days=max(1, days)))
        return self.window.dates(period)

    def has_window(self, period: Period) -> bool:
        """Whether `period` owes this filing at all (a parameter window with no value for
        its year: a provision that set deadlines for some years only)."""
        from kmgov.rules.parameters import ParameterNotInForce

        try:
            self.window_dates(period)
        except ParameterNotInForce:
            return False
        return True

    def checked_period(self, key: str) -> Period:
        """`parse_period`, refusing a period that owes no filing (`PeriodKeyInvalid`)."""
        period = self.parse_period(key)
        if not self.has_window(period):
            raise PeriodKeyInvalid(f"{period.label()}没有{self.name}的报送期"
                                   + (f"（{self.citation}）" if self.citation else ""))
        return period

    def describe_window(self, period: Period) -> str:
        a, b = self.window_dates(period)
        return f"{a.year}年{a.month}月{a.day}日至{b.year}年{b.month}月{b.day}日"

    def form_model(self):
        from .declare import procedure_model

        return procedure_model(self.form)


_OBLIGATIONS: dict[str, Obligation] = {}


def register_obligation(ob: Obligation) -> Obligation:
    """Make an obligation known to the sweep, the pages, the API and the CLI (call it from a
    policy's models module, next to its form's `@register`)."""
    existing = _OBLIGATIONS.get(ob.code)
    if existing is not None and existing != ob:
        raise ValueError(f"filing obligation {ob.code!r} declared twice, differently")
    _OBLIGATIONS[ob.code] = ob
    return ob


def obligations() -> dict[str, Obligation]:
    return dict(_OBLIGATIONS)


def obligation(code: str) -> Obligation:
    from .errors import CaseNotFound

    try:
        return _OBLIGATIONS[code]
    except KeyError:
        raise CaseNotFound(f"没有编号为“{code}”的定期报送事项", field="obligation") from None


def obligations_filed_by(form_code: str, step_name: str) -> list[Obligation]:
    return [ob for ob in _OBLIGATIONS.values()
            if ob.form == form_code and ob.filed_by_step == step_name]


def obligations_of_form(form_code: str) -> list[Obligation]:
    return [ob for ob in _OBLIGATIONS.values() if ob.form == form_code]
