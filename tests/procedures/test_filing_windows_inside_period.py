"""A window inside its yearly period (months ≤ 0 after the period's end): one-off deadlines of a
year such as 61号's 2010-09-30, 10-15 and 12-10 (FO-6)."""

import datetime as dt

import pytest

from kmgov.procedures.filings import Period, PeriodKind, WindowRule, _month_day


def test_negative_and_zero_months():
    y2010 = Period(2010, 1, PeriodKind.YEAR)  # ends 2010-12-31
    assert WindowRule((-6, 22), (-3, 30)).dates(y2010) == (dt.date(2010, 6, 22), dt.date(2010, 9, 30))
    assert WindowRule((-6, 22), (-2, 15)).dates(y2010) == (dt.date(2010, 6, 22), dt.date(2010, 10, 15))
    assert WindowRule((-6, 22), (0, 10)).dates(y2010) == (dt.date(2010, 6, 22), dt.date(2010, 12, 10))
    # the usual case still: 1 = the month after the period
    assert WindowRule((1, 1), (1, 10)).dates(y2010) == (dt.date(2011, 1, 1), dt.date(2011, 1, 10))


@pytest.mark.parametrize("text, parsed", [("-3-30", (-3, 30)), ("0-10", (0, 10)), ("1-01", (1, 1))])
def test_parameter_values(text, parsed):
    assert _month_day(text) == parsed


def test_a_malformed_value_is_refused():
    with pytest.raises(ValueError, match="M-DD"):
        _month_day("九月三十日")
