"""Filing windows (62号/63号 每年3月1日至31日; 107号 1月1日-10日 and 7月1日-10日)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from kmgov.core.calendar import TZ
from kmgov.procedures.errors import WindowClosed
from kmgov.procedures.windows import FilingWindow

D = dt.date
ZERO_REPORT = FilingWindow.yearly(((1, 1), (1, 10)), ((7, 1), (7, 10)),
                                  citation="昆政办〔2010〕107号")


def test_two_periods_a_year():
    assert ZERO_REPORT.describe() == "申报期为每年1月1日至10日、7月1日至10日"
    assert ZERO_REPORT.check_open(D(2010, 7, 10)) == (D(2010, 7, 1), D(2010, 7, 10))
    assert ZERO_REPORT.is_open(D(2011, 1, 1))
    assert not ZERO_REPORT.is_open(D(2010, 7, 11))
    assert ZERO_REPORT.next_opening(D(2010, 7, 11)) == D(2011, 1, 1)
    assert ZERO_REPORT.next_opening(D(2010, 3, 1)) == D(2010, 7, 1)
    with pytest.raises(WindowClosed, match="下次开放：2010年7月1日（昆政办〔2010〕107号）") as exc:
        ZERO_REPORT.check_open(dt.datetime(2010, 6, 30, 23, 59, tzinfo=TZ))
    assert exc.value.status == 400


def test_day_boundaries_are_beijing_time():
    march = FilingWindow.yearly((3, 1), (3, 31))
    # 28 Feb 16:00 UTC is 1 Mar 00:00 in Kunming: open.
    assert march.is_open(dt.datetime(2011, 2, 28, 16, 0, tzinfo=dt.UTC))
    assert not march.is_open(dt.datetime(2011, 2, 28, 15, 59, tzinfo=dt.UTC))


def test_periods_across_months_and_leap_day():
    w = FilingWindow.yearly((2, 20), (3, 5), what="受理期")
    assert w.describe() == "受理期为每年2月20日至3月5日"
    leap = FilingWindow.yearly((2, 1), (2, 29))
    assert leap.check_open(D(2011, 2, 28)) == (D(2011, 2, 1), D(2011, 2, 28))


@pytest.mark.parametrize("bad", [((2, 30), (3, 1)), ((12, 1), (1, 10))])
def test_bad_window_parameters(bad):
    with pytest.raises(ValueError):
        FilingWindow.yearly(*bad)


@pytest.mark.django_db
def test_kernel_migrations_are_complete():
    call_command("makemigrations", "procedures", "sample", "--check", "--dry-run",
                 stdout=io.StringIO())
