"""昆政办〔2010〕106号 附件 第九条 “于15日内” with 民法通则 第154条: the day of issue is not
counted; a 15th day on a Sunday or statutory holiday moves to the next working day."""

import datetime as dt

from kmgov.core.calendar import is_working_day
from kmgov.rules import decide


def d(**inputs):
    inputs.setdefault("as_of", "2010-10-20")
    return decide("safety.admonition_answer_deadline", inputs).to_dict()


def test_national_day_2010_moves_the_last_day_to_october_8():
    # 2010-09-16 + 15 days = 2010-10-01, 国庆节 (10月1日–7日 off, 国办发明电〔2009〕13号);
    # the first working day after it is Friday 2010-10-08: an answer that day is on time.
    assert not is_working_day(dt.date(2010, 10, 1)) and is_working_day(dt.date(2010, 10, 8))
    r = d(issued_on="2010-09-16", answered_on="2010-10-08")
    assert (r["outcome"], r["due_on"], r["days_late"]) == ("on_time", "2010-10-08", 0)
    r = d(issued_on="2010-09-16", answered_on="2010-10-09")  # a make-up Saturday: late by 1
    assert (r["outcome"], r["days_late"]) == ("late", 1)
    steps = " ".join(s["check"] for s in decide("safety.admonition_answer_deadline", {
        "issued_on": "2010-09-16", "answered_on": "2010-10-08", "as_of": "2010-10-20"}).to_dict()["trace"])
    assert "民法通则第154条" in steps and "国庆节" in steps


def test_a_sunday_moves_to_monday_and_a_working_day_does_not_move():
    # 2010-06-05 + 15 = Sunday 2010-06-20 → Monday 2010-06-21.
    r = d(issued_on="2010-06-05", answered_on="2010-06-21")
    assert (r["outcome"], r["due_on"]) == ("on_time", "2010-06-21")
    # 2010-06-01 + 15 = 2010-06-16, 端午节 (6月14日–16日 off) → Thursday 2010-06-17.
    r = d(issued_on="2010-06-01", answered_on="2010-06-17")
    assert (r["outcome"], r["due_on"]) == ("on_time", "2010-06-17")
    # 2010-06-02 + 15 = Thursday 2010-06-17, a working day: the 18th is late by 1.
    r = d(issued_on="2010-06-02", answered_on="2010-06-18")
    assert (r["outcome"], r["due_on"], r["days_late"]) == ("late", "2010-06-17", 1)
    assert d(issued_on="2010-06-02", today="2010-06-18")["outcome"] == "overdue"
