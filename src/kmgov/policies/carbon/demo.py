"""Demo of the carbon-sink fund for `kmgov demo` (idempotent: skipped when present): the fund's
office, donors (two enterprises, two citizens) with donations credited and one awaiting
measurement, the city's appropriations for 2010–2012, and greening indicators."""

from django.contrib.auth import get_user_model

from kmgov.core.demo_accounts import ensure_account
from kmgov.core.models import Role
from kmgov.core.services import user_create

from .models import Donation
from .services import (
    account_open,
    appropriation_record,
    donation_credit,
    donation_record,
    greening_record,
)

MONITOR = "国家林业局认定的碳汇计量监测机构（演示）"


def _citizen(username: str, display: str):
    """A citizen's login: no role at all (a person reads only their own account)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, display_name=display)
        template = User.objects.filter(username="demo-shenji").first()
        if template is not None:
            user.password = template.password
            user.save(update_fields=["password"])
    return user


def contribute(stdout):
    office = ensure_account("demo-shi-thb", "市碳汇造林工作领导小组办公室", Role.CITY_OFFICE,
                            "city-forestry", "碳汇专项管理员")
    # Separation of duties: the office's 经办 records a donation, its 审核 credits it.
    checker = ensure_account("demo-shi-thb-sh", "市碳汇造林工作领导小组办公室（审核）", Role.CITY_OFFICE,
                             "city-forestry", "碳汇专项审核")
    finance = ensure_account("demo-shi-czj", "市财政局", Role.CITY_DEPARTMENT, "city-finance", "农业科")
    ensure_account("demo-panlong-lyj", "盘龙区林业局", Role.COUNTY_DEPARTMENT, "panlong-forestry", "营林科")
    zhang = _citizen("demo-shimin-zhang", "张明")
    li = _citizen("demo-shimin-li", "李华")
    if Donation.objects.filter(receipt_no="KM-TH-DEMO-0001").exists():
        stdout.write("  碳汇造林：示例已存在")
        return
    dianchi = account_open({"kind": "enterprise", "name": "昆明滇池总部示范有限公司",
                            "org": "ent-demo-dianchi"}, actor=office)
    jinma = account_open({"kind": "enterprise", "name": "金马商务示范有限公司",
                          "org": "ent-demo-jinma"}, actor=office)
    p_zhang = account_open({"kind": "individual", "name": "张明", "holder": zhang.username}, actor=office)
    p_li = account_open({"kind": "individual", "name": "李华", "holder": li.username,
                         "anonymous": True}, actor=office)
    gifts = [(dianchi, "3000000", "2010-09-15"), (dianchi, "500000", "2011-04-01"),
             (jinma, "4000", "2010-11-20"), (p_zhang, "5000", "2011-03-12"),
             (p_li, "300", "2011-05-08")]
    for i, (acc, amount, on) in enumerate(gifts, 1):
        d = donation_record({"account": acc.number, "amount_yuan": amount, "donated_on": on,
                             "receipt_no": f"KM-TH-DEMO-{i:04d}"}, actor=office)
        donation_credit(d, actor=checker, monitor=MONITOR)
    waiting = donation_record({"account": jinma.number, "amount_yuan": "1500", "donated_on": "2012-03-12",
                               "receipt_no": "KM-TH-DEMO-0099"}, actor=office)
    for year, amount, on, doc in [(2010, "10000000", "2010-08-01", "昆财农〔2010〕演示1号"),
                                  (2011, "10000000", "2011-03-01", "昆财农〔2011〕演示1号"),
                                  (2012, "6000000", "2012-03-01", "昆财农〔2012〕演示1号")]:
        appropriation_record({"year": year, "amount_yuan": amount, "allocated_on": on,
                              "document_no": doc}, actor=finance)
    # 60号 一(三)：全市森林覆盖率已达45.05%；61号 一：林木绿化率52.73% — the city's 2010 figures
    # as the gazette prints them; the later years and the district's figures are demonstration data.
    greening = [("kunming", 2010, {"forest_cover_rate": "0.4505", "tree_cover_rate": "0.5273"}),
                ("kunming", 2012, {"forest_cover_rate": "0.4620", "tree_cover_rate": "0.5510"}),
                ("kunming", 2015, {"forest_cover_rate": "0.4730", "tree_cover_rate": "0.5720",
                                   "green_space_rate": "0.3810", "green_coverage_rate": "0.4420"}),
                ("panlong", 2011, {"green_space_rate": "0.3520", "green_coverage_rate": "0.4010",
                                   "public_green_per_person_m2": "9.8"}),
                ("panlong", 2013, {"green_space_rate": "0.3700", "green_coverage_rate": "0.4380",
                                   "public_green_per_person_m2": "11.2"}),
                ("panlong", 2015, {"green_space_rate": "0.3850", "green_coverage_rate": "0.4520",
                                   "public_green_per_person_m2": "12.3",
                                   "centre_public_green_per_person_m2": "6.1"})]
    for county, year, values in greening:
        greening_record({"county": county, "year": year, **values}, actor=office)
    stdout.write(f"  碳汇造林：4个捐资账户，{len(gifts)}笔已登记入账，{waiting.reference}待计量登记；"
                 "市级财政2010—2012年资金；绿化指标")
