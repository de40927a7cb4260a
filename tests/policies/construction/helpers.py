"""Helpers of the 111号 tests."""

import datetime as dt

from kmgov.core.calendar import TZ


def at(y, m, d, hh=10, mm=0):
    """A moment in Beijing time."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


PARTIES = [{"role": "builder", "unit_name": "甲建设投资公司", "legal_rep": "张一", "person": "李二"},
           {"role": "surveyor", "unit_name": "乙勘察院", "legal_rep": "王三"},
           {"role": "designer", "unit_name": "丙设计院", "legal_rep": "赵四"},
           {"role": "contractor", "unit_name": "丁建工集团", "legal_rep": "钱五", "person": "孙六",
            "phone": "0871-1234567"},
           {"role": "supervisor", "unit_name": "戊监理公司", "legal_rep": "周七", "person": "吴八"}]
