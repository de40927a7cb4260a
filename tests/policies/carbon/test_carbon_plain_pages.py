"""The carbon pages say their decisions plainly (issue 13 item 2): the donor's sign on the account
page, the offset on the donation's case page, the city's money on the fund page, the greening
targets — the sentence above the folded trace. 60号's figures: 三(二) 500元/亩, 1000元/吨;
三(一) the sign at 10亩及以上; 三(一)1 1000万元 a year 2010—2012; 二(二) 2015 targets."""

from __future__ import annotations

import pytest
from django.test import Client

from kmgov.core.models import Role
from kmgov.core.services import org_tree_load, user_create
from kmgov.policies.carbon import services

pytestmark = pytest.mark.django_db


class Folk:
    pass


@pytest.fixture
def folk(db):
    org_tree_load()
    p = Folk()
    p.office = user_create(username="pc-office", roles=[(Role.CITY_OFFICE, "city-forestry")])
    # 60号: the fund office records a donation and another of its officials credits it
    # (separation of duties: the recorder does not credit).
    p.checker = user_create(username="pc-office-sh", roles=[(Role.CITY_OFFICE, "city-forestry")])
    p.finance = user_create(username="pc-finance", roles=[(Role.CITY_DEPARTMENT, "city-finance")])
    p.county = user_create(username="pc-pl", roles=[(Role.COUNTY_DEPARTMENT, "panlong-forestry")])
    p.li = user_create(username="pc-li")
    p.zhao = user_create(username="pc-zhao")
    p.acc = services.account_open({"kind": "individual", "name": "李华", "holder": "pc-li"}, actor=p.office)
    d = services.donation_record({"account": p.acc.number, "amount_yuan": "3000", "donated_on": "2011-03-15",
                                  "receipt_no": "PC-00001"}, actor=p.office)
    p.donation = services.donation_credit(d, actor=p.checker, monitor="计量监测机构甲")
    return p


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_account_page_says_the_sign_and_what_is_missing(folk):
    text = client_for(folk.li).get(f"/carbon/accounts/{folk.acc.number}/").content.decode()
    # 3000元 ÷ 500元/亩 = 6亩 < 10亩; 5000元 − 3000元 = 2000元 more
    sentence = "捐资3,000元可营建碳汇林6亩，不足10亩，尚不能挂“××碳汇林”标牌（60号 三(一)）。"
    assert sentence in text and "再捐资2,000元，累计达到5,000元（营建10亩）即可挂牌" in text
    assert text.index(sentence) < text.index("完整计算过程")
    # someone else's account is not shown
    assert client_for(folk.zhao).get(f"/carbon/accounts/{folk.acc.number}/").status_code == 404


def test_donation_case_page_says_the_offset(folk):
    text = client_for(folk.office).get(f"/cases/carbon-donation/{folk.donation.reference}/").content.decode()
    # 3000元 ÷ 500元/亩 = 6亩; ÷ 1000元/吨 = 3吨
    assert "捐资3,000元可营建碳汇林6亩，约抵消3吨二氧化碳（60号 三(二)）。" in text


def test_fund_page_says_each_year(folk):
    services.appropriation_record({"year": 2011, "amount_yuan": "8000000", "allocated_on": "2011-03-01",
                                   "document_no": "PC-1"}, actor=folk.finance)
    text = Client().get("/carbon/fund/").content.decode()
    # 三(一)1: 800万元 < 1000万元, 200万元 short
    assert "2011年市级财政安排800万元，低于每年1000万元（60号 三(一)1）。" in text
    assert "还差200万元，应在2011年度内补足（三(一)1）" in text


def test_greening_page_says_the_gap(folk):
    services.greening_record({"county": "panlong", "year": 2015, "green_space_rate": "0.35"}, actor=folk.county)
    text = Client().get("/carbon/greening/").content.decode()
    # 二(二): 绿地率38%以上; 35% is 3 points short
    assert "1项指标未达到2015年目标（60号 二(二)）" in text and "距2015年目标还差3个百分点" in text
