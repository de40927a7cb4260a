"""昆政发〔2010〕60号 三(一): donor accounts, donations, the sign, certificates, the public list
— through the real services and real requests. Expected values worked by hand from the gazette:
三(二) 500元/亩 and 1000元/吨; 三(一) the sign at 10亩及以上 (以上 includes the number), so
10亩 × 500元/亩 = 5000元 exactly is enough and 4999.99元 is not."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from procedures.pdftext import pdf_text

from kmgov.core.models import OrgUnit, Role
from kmgov.core.services import org_tree_load, user_create
from kmgov.policies.carbon import services
from kmgov.policies.carbon.models import Donation, DonorAccount
from kmgov.procedures.decisions import DecisionRecord
from kmgov.procedures.errors import StepInputInvalid, TransitionDenied


class People:
    pass


@pytest.fixture
def folk(db):
    org_tree_load()
    for code, name, county in [("ent-c-dianchi", "滇池碳汇示例有限公司", "panlong"),
                               ("ent-c-wuhua", "五华碳汇示例有限公司", "wuhua")]:
        OrgUnit(code=code, name=name, kind="enterprise", parent=OrgUnit.objects.get(code=county)).save()
    p = People()
    u = user_create
    p.office = u(username="c-office", roles=[(Role.CITY_OFFICE, "city-forestry")])
    # the office's 审核, who credits what its 经办 (c-office) recorded (separation of duties)
    p.checker = u(username="c-office-sh", roles=[(Role.CITY_OFFICE, "city-forestry")])
    p.finance = u(username="c-finance", roles=[(Role.CITY_DEPARTMENT, "city-finance")])
    p.forestry_dept = u(username="c-lyj", roles=[(Role.CITY_DEPARTMENT, "city-forestry")])
    p.ent_a = u(username="c-ent-a", roles=[(Role.ENTERPRISE, "ent-c-dianchi")])
    p.ent_b = u(username="c-ent-b", roles=[(Role.ENTERPRISE, "ent-c-wuhua")])
    p.zhang = u(username="c-zhang")  # citizens: no role at all
    p.wang = u(username="c-wang")
    p.panlong = u(username="c-panlong-lyj", roles=[(Role.COUNTY_DEPARTMENT, "panlong-forestry")])
    p.wuhua = u(username="c-wuhua-lyj", roles=[(Role.COUNTY_DEPARTMENT, "wuhua-forestry")])
    p.auditor = u(username="c-shenji", roles=[(Role.AUDITOR, "kunming")])
    o = p.office
    p.acc_a = services.account_open({"kind": "enterprise", "name": "滇池碳汇示例有限公司",
                                     "org": "ent-c-dianchi"}, actor=o)
    p.acc_b = services.account_open({"kind": "enterprise", "name": "五华碳汇示例有限公司",
                                     "org": "ent-c-wuhua"}, actor=o)
    p.acc_zhang = services.account_open({"kind": "individual", "name": "张明", "holder": "c-zhang"}, actor=o)
    p.acc_wang = services.account_open({"kind": "individual", "name": "王小红", "holder": "c-wang",
                                        "anonymous": True}, actor=o)
    return p


_n = iter(range(1, 10_000))


def give(p, acc, amount, on="2011-03-15", credit=True) -> Donation:
    d = services.donation_record({"account": acc.number, "amount_yuan": str(amount), "donated_on": on,
                                  "receipt_no": f"R-{next(_n):05d}"}, actor=p.office)
    if credit:
        d = services.donation_credit(d, actor=p.checker, monitor="计量监测机构甲")
    return d


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# ---------------------------------------------------------------- the sign (三(一))

def test_sign_just_below_and_just_reaching_10_mu(folk):
    p = folk
    d = give(p, p.acc_zhang, "4999.99")
    # 三(二)：4999.99元 ÷ 1000元/吨 = 4.99999吨；÷ 500元/亩 = 9.99998亩 (kept exactly, 5 places)
    assert d.co2_tonnes == Decimal("4.99999") and d.area_mu == Decimal("9.99998")
    acc = DonorAccount.objects.get(pk=p.acc_zhang.pk)
    assert acc.sign_eligible is False  # 9.99998亩 < 10亩
    rec = acc.sign_decision
    assert rec.rule == "carbon.donor_sign" and rec.outcome == "ineligible"
    assert any("三(一)" in (c.get("path") or "") for c in rec.citations)
    # one fen more: the account's total is 5000.00元 = 10亩 exactly, 10亩及以上 → the sign
    d2 = give(p, p.acc_zhang, "0.01")
    acc.refresh_from_db()
    assert acc.sign_eligible is True and acc.sign_decision.outcome == "eligible"
    assert acc.sign_decision.inputs["donation_yuan"] == 5000.0
    assert acc.sign_decision.case_reference == d2.reference
    # both decisions kept on the crediting step: the donation's offset and the account's sign
    kept = DecisionRecord.objects.filter(case_reference=d2.reference).values_list("rule", flat=True)
    assert sorted(kept) == ["carbon.donor_sign", "carbon.offset"]


def test_sign_single_donation_at_the_gazette_number(folk):
    p = folk
    give(p, p.acc_a, 5000)  # 5000元 ÷ 500元/亩 = 10亩 → 及以上
    give(p, p.acc_b, "4999")  # 9.998亩
    assert DonorAccount.objects.get(pk=p.acc_a.pk).sign_eligible is True
    assert DonorAccount.objects.get(pk=p.acc_b.pk).sign_eligible is False


def test_uncredited_and_voided_donations_do_not_count(folk):
    p = folk
    give(p, p.acc_a, 3000)
    pending = give(p, p.acc_a, 3000, credit=False)  # 3000 credited + 3000 pending ≠ 6000
    acc = DonorAccount.objects.get(pk=p.acc_a.pk)
    assert acc.totals()["yuan"] == Decimal("3000.00") and acc.sign_eligible is False
    from kmgov.procedures.services import case_step

    case_step(pending, "void", actor=p.checker, data={"why": "误录"})
    give(p, p.acc_a, 1999.99)  # 4999.99 in all → still below
    acc.refresh_from_db()
    assert acc.totals()["yuan"] == Decimal("4999.99") and acc.sign_eligible is False


# ---------------------------------------------------------------- certificates

def test_certificate_code_verifies_and_a_forged_one_does_not(folk):
    p = folk
    d = give(p, p.acc_a, 20000)
    assert len(d.certificate_code) == 19  # XXXX-XXXX-XXXX-XXXX
    anon = Client()
    r = anon.get("/carbon/verify/", {"code": d.certificate_code.lower().replace("-", " ")})
    page = r.content.decode()
    assert r.status_code == 200 and "证书有效" in page and d.reference in page
    assert "20000" in page and "滇池碳汇示例有限公司" in page
    # one character changed
    forged = ("B" if d.certificate_code[0] != "B" else "C") + d.certificate_code[1:]
    r = anon.get("/carbon/verify/", {"code": forged})
    assert r.status_code == 404 and "验证码无效" in r.content.decode()
    assert "证书有效" not in r.content.decode()
    # the API says the same
    assert anon.get("/api/v1/carbon/verify", {"code": d.certificate_code}).json()["valid"] is True
    assert anon.get("/api/v1/carbon/verify", {"code": forged}).status_code == 404
    # a stored code no longer matches once a figure of the certificate is changed in the database
    Donation.objects.filter(pk=d.pk).update(amount_yuan=Decimal("200000"))
    assert anon.get("/carbon/verify/", {"code": d.certificate_code}).status_code == 404


def test_certificate_code_is_not_issued_before_crediting(folk):
    p = folk
    d = give(p, p.acc_a, 100, credit=False)
    assert d.certificate_code == ""
    c = client_for(p.ent_a)
    assert c.get(f"/carbon/donations/{d.reference}/certificate.pdf").status_code == 404
    assert c.get(f"/carbon/donations/{d.reference}/receipt.pdf").status_code == 200


def test_receipt_and_certificate_pdfs(folk):
    p = folk
    d = give(p, p.acc_zhang, 6000)
    c = client_for(p.zhang)
    for kind in ("receipt", "certificate"):
        r = c.get(f"/carbon/donations/{d.reference}/{kind}.pdf")
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert r.content.startswith(b"%PDF") and b"NotoSansCJK" in r.content  # the CJK subset embedded
        text = pdf_text(r.content)
        assert "张明" in text and "6,000.00" in text and d.reference in text
    # the certificate prints the code the public page checks, and what 6000元 buys (三(二)):
    # 6000 ÷ 1000元/吨 = 6吨, 6000 ÷ 500元/亩 = 12亩, and the sign (12亩 ≥ 10亩)
    text = pdf_text(r.content)
    assert "荣誉证书" in text and d.certificate_code in text
    assert "可营建碳汇林12亩，吸收二氧化碳6吨" in text and "碳汇林”标牌" in text


# ---------------------------------------------------------------- a donor sees only their account

def test_donor_sees_only_own_account(folk):
    p = folk
    dz = give(p, p.acc_zhang, 100)
    dw = give(p, p.acc_wang, 200)
    da = give(p, p.acc_a, 300)
    db = give(p, p.acc_b, 400)
    zhang, ent_a = client_for(p.zhang), client_for(p.ent_a)
    assert zhang.get(f"/carbon/accounts/{p.acc_zhang.number}/").status_code == 200
    assert zhang.get(f"/carbon/accounts/{p.acc_wang.number}/").status_code == 404
    assert zhang.get(f"/carbon/accounts/{p.acc_a.number}/").status_code == 404
    assert zhang.get(f"/carbon/donations/{dw.reference}/receipt.pdf").status_code == 404
    assert zhang.get(f"/carbon/donations/{dz.reference}/receipt.pdf").status_code == 200
    assert ent_a.get(f"/carbon/accounts/{p.acc_a.number}/").status_code == 200
    assert ent_a.get(f"/carbon/accounts/{p.acc_b.number}/").status_code == 404
    assert ent_a.get(f"/carbon/donations/{db.reference}/certificate.pdf").status_code == 404
    assert ent_a.get(f"/carbon/donations/{da.reference}/certificate.pdf").status_code == 200
    # the list page and the API list only their own
    page = zhang.get("/carbon/accounts/").content.decode()
    assert p.acc_zhang.number in page and p.acc_wang.number not in page and p.acc_a.number not in page
    assert [a["number"] for a in zhang.get("/api/v1/carbon/accounts").json()] == [p.acc_zhang.number]
    assert [a["number"] for a in ent_a.get("/api/v1/carbon/accounts").json()] == [p.acc_a.number]
    assert ent_a.get(f"/api/v1/carbon/accounts/{p.acc_b.number}").status_code == 404
    # a county official is no donor: no account at all
    assert client_for(p.panlong).get("/api/v1/carbon/accounts").json() == []
    # the office and the auditor read all four
    assert len(client_for(p.auditor).get("/api/v1/carbon/accounts").json()) == 4
    # the kernel's case page of a donation is not the donor's way in for someone else's
    assert zhang.get(f"/cases/carbon-donation/{dw.reference}/").status_code == 404
    assert Client().get(f"/carbon/accounts/{p.acc_zhang.number}/").status_code == 302  # to login


def test_only_the_office_records_and_credits(folk):
    p = folk
    with pytest.raises(TransitionDenied):
        services.donation_record({"account": p.acc_a.number, "amount_yuan": "10", "donated_on": "2011-01-01",
                                  "receipt_no": "X-1"}, actor=p.forestry_dept)
    d = give(p, p.acc_zhang, 50, credit=False)
    r = client_for(p.zhang).post(f"/api/v1/cases/carbon-donation/{d.reference}/steps/credit",
                                 data=json.dumps({"data": {"monitor": "自己"}}), content_type="application/json")
    assert r.status_code in (403, 404)
    # the office's 经办 who recorded it does not credit it (separation of duties, issue 15)
    r = client_for(p.office).post(f"/api/v1/cases/carbon-donation/{d.reference}/steps/credit",
                                  data=json.dumps({"data": {"monitor": "计量监测机构甲"}}),
                                  content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "separation_of_duties", r.json()
    assert Donation.objects.get(pk=d.pk).state == "recorded"
    r = client_for(p.checker).post(f"/api/v1/cases/carbon-donation/{d.reference}/steps/credit",
                                   data=json.dumps({"data": {"monitor": "计量监测机构甲"}}),
                                   content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "credited"


# ---------------------------------------------------------------- bad input

def test_bad_donation_input_names_the_field_and_writes_nothing(folk):
    p = folk
    c = client_for(p.office)
    before = Donation.objects.count()
    r = c.post("/api/v1/carbon/donations", data=json.dumps({
        "account": p.acc_a.number, "amount_yuan": "-5", "donated_on": "2011-01-01", "receipt_no": "Z-1"}),
        content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount_yuan"
    assert "捐资金额" in r.json()["detail"]
    give(p, p.acc_a, 10)
    dup = Donation.objects.latest("id").receipt_no
    r = c.post("/api/v1/carbon/donations", data=json.dumps({
        "account": p.acc_a.number, "amount_yuan": "5", "donated_on": "2011-01-01", "receipt_no": dup}),
        content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "receipt_no"
    r = c.post("/api/v1/carbon/donations", data=json.dumps({
        "account": "QY-999999", "amount_yuan": "5", "donated_on": "2011-01-01", "receipt_no": "Z-2", "now": "x"}),
        content_type="application/json")
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} >= {"now"}
    assert Donation.objects.count() == before + 1
    # the page shows the message under the field, in Chinese, with what was typed
    r = c.post("/carbon/accounts/", {"form": "donation", "account": p.acc_a.number, "amount_yuan": "abc",
                                     "donated_on": "2011-01-01", "receipt_no": "Z-3"})
    assert r.status_code == 400 and "捐资金额" in r.content.decode()
    assert Donation.objects.count() == before + 1


def test_account_refusals(folk):
    p = folk
    with pytest.raises(StepInputInvalid) as e:
        services.account_open({"kind": "enterprise", "name": "重复", "org": "ent-c-dianchi"}, actor=p.office)
    assert e.value.errors[0]["field"] == "org"
    with pytest.raises(StepInputInvalid) as e:
        services.account_open({"kind": "individual", "name": "无此人", "holder": "nobody"}, actor=p.office)
    assert e.value.errors[0]["field"] == "holder"
    with pytest.raises(TransitionDenied):
        services.account_open({"kind": "individual", "name": "张三", "holder": "c-panlong-lyj"}, actor=p.ent_a)


# ---------------------------------------------------------------- 公示

def test_public_list_shows_what_a_public_notice_shows(folk):
    p = folk
    give(p, p.acc_a, 8000)
    give(p, p.acc_zhang, 1000)
    give(p, p.acc_wang, 2000)
    give(p, p.acc_b, 500, credit=False)  # not yet credited: not listed
    page = Client().get("/carbon/public/").content.decode()
    assert "滇池碳汇示例有限公司" in page  # an enterprise by name
    assert "张＊" in page and "张明" not in page  # a person by surname only (interpretation)
    assert "匿名捐资者" in page and "王小红" not in page
    assert "五华碳汇示例有限公司" not in page
    for secret in ("R-", p.acc_a.number, "c-zhang"):
        assert secret not in page  # no receipt, account number or login
    rows = Client().get("/api/v1/carbon/public").json()
    # 8000 + 2000 + 1000, largest first; 8000元 → 8吨, 16亩 → the sign
    assert [r["yuan"] for r in rows] == ["8000.00", "2000.00", "1000.00"]
    assert rows[0]["co2_tonnes"] == "8.00000" and rows[0]["area_mu"] == "16.00000" and rows[0]["sign_eligible"]


# ---------------------------------------------------------------- the command line

def test_cli_verify_public_and_record(folk):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    p = folk
    d = give(p, p.acc_zhang, 5000)
    out = io.StringIO()
    call_command("carbon", "verify", d.certificate_code, "--json", stdout=out)
    assert json.loads(out.getvalue())["valid"] is True
    with pytest.raises(CommandError) as e:
        call_command("carbon", "verify", "AAAA-BBBB-CCCC-DDDD", stdout=io.StringIO())
    assert e.value.returncode == 1
    out = io.StringIO()
    call_command("carbon", "public", "--json", stdout=out)
    assert json.loads(out.getvalue())[0]["name"] == "张＊"
    with pytest.raises(CommandError) as e:  # a bad amount is refused naming the field
        call_command("carbon", "record", "donation", "--as", "c-office", "--data",
                     json.dumps({"account": p.acc_a.number, "amount_yuan": "x", "donated_on": "2011-01-01",
                                 "receipt_no": "CLI-1"}), stdout=io.StringIO())
    assert "amount_yuan" in str(e.value) or "捐资金额" in str(e.value)
    assert not Donation.objects.filter(receipt_no="CLI-1").exists()
    out = io.StringIO()
    call_command("carbon", "record", "donation", "--as", "c-office", "--data",
                 json.dumps({"account": p.acc_a.number, "amount_yuan": "12.5", "donated_on": "2011-01-01",
                             "receipt_no": "CLI-2"}), stdout=out)
    assert Donation.objects.get(receipt_no="CLI-2").reference == out.getvalue().strip()
