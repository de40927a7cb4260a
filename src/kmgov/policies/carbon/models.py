"""昆政发〔2010〕60号 三(一): donors' accounts in the Kunming special fund (企业的社会责任账户,
个人的碳补偿账户), the donations recorded by the fund's office and credited once measured
(计量监测后登记), the certificate and the sign; the city's appropriations (三(一)1) and the
greening indicators against the 2015 targets (二(二))."""

from __future__ import annotations

import base64
import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_noop
from pydantic import Field

from kmgov.core.calendar import local
from kmgov.core.models import OrgUnit, Role
from kmgov.procedures.decisions import DecisionRecord, decision_keep
from kmgov.procedures.declare import (
    Await,
    Duty,
    Participants,
    Procedure,
    register,
    state_field,
    step,
)
from kmgov.procedures.inputs import Line, StepInput
from kmgov.procedures.ledger import money
from kmgov.procedures.models import Case
from kmgov.rules import decide

DOC = "昆政发〔2010〕60号"
# 三(五)：领导小组下设办公室在市林业局 — the office that keeps the special fund's accounts here.
FUND_OFFICE = "city-forestry"
CITY_FINANCE = "city-finance"  # 三(一)1 市级财政每年安排资金


class DonorKind(models.TextChoices):
    # 三(一)：登记在企业的社会责任账户、个人的碳补偿账户上
    ENTERPRISE = "enterprise", gettext_noop("企业（社会责任账户）")
    INDIVIDUAL = "individual", gettext_noop("个人（碳补偿账户）")


ACCOUNT_NAMES = {DonorKind.ENTERPRISE: gettext_noop("社会责任账户"),
                 DonorKind.INDIVIDUAL: gettext_noop("碳补偿账户")}


class DonorAccount(models.Model):
    """An enterprise's 社会责任账户 (its staff read it through their role at the enterprise)
    or a person's 碳补偿账户 (read by its holder alone)."""

    number = models.CharField("账户号", max_length=20, unique=True, editable=False)
    kind = models.CharField("账户类型", max_length=16, choices=DonorKind.choices)
    name = models.CharField("捐资者名称", max_length=100)
    org = models.OneToOneField(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name="企业")
    holder = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="carbon_account",
                                  verbose_name="账户持有人")
    anonymous = models.BooleanField("公示时匿名", default=False)
    opened_at = models.DateTimeField("开户时间", auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    # the latest carbon.donor_sign decision on the account's total (kept on the donation whose
    # crediting decided it)
    sign_eligible = models.BooleanField("可挂“碳汇林”标牌", default=False)
    sign_decision = models.ForeignKey(DecisionRecord, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["number"]
        verbose_name = "碳汇捐资账户"
        verbose_name_plural = "碳汇捐资账户"
        constraints = [
            models.CheckConstraint(
                name="carbon_account_owner",
                condition=(Q(kind="enterprise", org__isnull=False, holder__isnull=True)
                           | Q(kind="individual", holder__isnull=False, org__isnull=True))),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def account_label(self) -> str:
        return ACCOUNT_NAMES[self.kind]

    def credited(self):
        return self.donations.filter(state=DonationState.CREDITED)

    def totals(self) -> dict:
        agg = self.credited().aggregate(yuan=models.Sum("amount_yuan"), t=models.Sum("co2_tonnes"),
                                        mu=models.Sum("area_mu"), n=models.Count("id"))
        q = Decimal("0.00001")  # SQLite sums decimals as floats: back to the column's places
        return {"yuan": money(agg["yuan"] or 0), "co2_tonnes": Decimal(str(agg["t"] or 0)).quantize(q),
                "area_mu": Decimal(str(agg["mu"] or 0)).quantize(q), "count": agg["n"]}


class DonationState(models.TextChoices):
    RECORDED = "recorded", gettext_noop("已到账，待计量登记")
    CREDITED = "credited", gettext_noop("已登记入账户")
    VOIDED = "voided", gettext_noop("已作废")


class CreditInput(StepInput):
    monitor: Line = Field(title=gettext_noop("计量监测机构"))
    note: str = Field("", title=gettext_noop("备注"), max_length=300)


class VoidInput(StepInput):
    why: Line = Field(title=gettext_noop("作废原因"))


def certificate_code(donation) -> str:
    """The certificate's verification code: an HMAC (keyed by the site's secret) of what the
    certificate says — reference, account, amount, tonnes, area, date — so that no one can make
    a code for a certificate that was not issued, nor keep a code while changing a figure."""
    msg = "|".join([donation.reference, donation.account.number, f"{donation.amount_yuan:.2f}",
                    f"{donation.co2_tonnes:.5f}", f"{donation.area_mu:.5f}",
                    donation.credited_on.isoformat()])
    key = hashlib.sha256(("kmgov.carbon.certificate" + settings.SECRET_KEY).encode()).digest()
    digest = hmac.new(key, msg.encode(), hashlib.sha256).digest()
    raw = base64.b32encode(digest[:10]).decode()  # 16 characters, A–Z 2–7
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


@register
class Donation(Case):
    """A donation to the Kunming special fund (三(一)): recorded by the fund's office when the
    money arrives (receipt number), credited to the donor's account after the carbon it buys is
    measured (三(一)：由国家林业局认定资格的机构进行计量监测后，登记在……账户上). `org` is the
    office; the donor reads it through the account (selectors)."""

    state = state_field(DonationState.choices, default=DonationState.RECORDED)
    account = models.ForeignKey(DonorAccount, on_delete=models.PROTECT, related_name="donations",
                                verbose_name="捐资账户")
    amount_yuan = models.DecimalField("捐资金额（元）", max_digits=14, decimal_places=2)
    donated_on = models.DateField("捐资日期")
    receipt_no = models.CharField("公益收据号", max_length=40, unique=True)
    co2_tonnes = models.DecimalField("对应二氧化碳（吨）", max_digits=18, decimal_places=5,
                                     null=True, blank=True)
    area_mu = models.DecimalField("可营建碳汇林（亩）", max_digits=18, decimal_places=5,
                                  null=True, blank=True)
    monitor = models.CharField("计量监测机构", max_length=100, blank=True)
    credited_on = models.DateField("登记日期", null=True, blank=True)
    certificate_code = models.CharField("荣誉证书验证码", max_length=24, blank=True, db_index=True)

    procedure = Procedure(code="carbon-donation", name=gettext_noop("碳汇专项捐资登记"),
                          reference_prefix="TH", citation=f"{DOC} 三(一)",
                          # the office, not the donor, acts next: measure, then credit
                          initial_awaits=Await(what=gettext_noop("计量监测后登记入账户"),
                                               role=Role.CITY_OFFICE, at=FUND_OFFICE))
    participants = Participants(units=(FUND_OFFICE,))

    class Meta:
        verbose_name = "碳汇专项捐资"
        verbose_name_plural = "碳汇专项捐资"

    @step(source=DonationState.RECORDED, target=DonationState.CREDITED,
          label=gettext_noop("计量监测后登记入账户"), roles=[Role.CITY_OFFICE], input=CreditInput,
          # 三(一)(三): the fund office's 审核 credits what its 经办 recorded — not the same person
          duty=Duty.REVIEW, stage="credit")
    def credit(self, *, actor, reason, now, data=None):
        when = local(now).date()
        offset = decide("carbon.offset", {"donation_yuan": float(self.amount_yuan),
                                          "as_of": when.isoformat()})
        decision_keep(self, offset, actor=actor, now=now, subject="本笔捐资")
        # 5 places hold yuan (2 places) ÷ 1000 or ÷ 500 exactly: 4999.99元 is 9.99998亩, not 10
        self.co2_tonnes = Decimal(str(round(offset.outputs["co2_tonnes"], 5)))
        self.area_mu = Decimal(str(round(offset.outputs["area_mu"], 5)))
        self.monitor, self.credited_on = data.monitor, when
        self.certificate_code = certificate_code(self)
        # the account is locked so that two donations credited at once both count
        account = DonorAccount.objects.select_for_update().get(pk=self.account_id)
        before = account.credited().exclude(pk=self.pk).aggregate(s=models.Sum("amount_yuan"))["s"]
        total = (before or Decimal("0")) + self.amount_yuan  # this one is saved after the step
        sign = decide("carbon.donor_sign", {"donation_yuan": float(money(total)),
                                            "donor_type": account.kind, "as_of": when.isoformat()})
        account.sign_decision = decision_keep(self, sign, actor=actor, now=now,
                                              subject=f"{account.account_label()}累计捐资")
        account.sign_eligible = sign.outcome == "eligible"
        account.save(update_fields=["sign_decision", "sign_eligible"])

    @step(source=DonationState.RECORDED, target=DonationState.VOIDED,
          label=gettext_noop("作废（误录、退款）"), roles=[Role.CITY_OFFICE], input=VoidInput,
          duty=Duty.REVIEW, stage="credit")
    def void(self, *, actor, reason, now, data=None):
        self.monitor = ""


class CityAppropriation(models.Model):
    """One row of the city's money for carbon-sink afforestation (三(一)1: 市级财政每年安排资金
    1000万元，从2010年起连续安排3年；政府拨款可不汇入中国绿色碳汇基金会账户)."""

    year = models.PositiveSmallIntegerField("年度")
    amount_yuan = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    allocated_on = models.DateField("下达日期")
    document_no = models.CharField("文件或凭证号", max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "allocated_on", "id"]
        verbose_name = "市级财政碳汇造林资金"
        verbose_name_plural = "市级财政碳汇造林资金"
        constraints = [models.UniqueConstraint(fields=["document_no"], name="carbon_approp_doc_once")]


INDICATORS = (  # 二(二) in the order the gazette lists them
    ("green_space_rate", gettext_noop("建成区绿地率"), "rate"),
    ("green_coverage_rate", gettext_noop("绿化覆盖率"), "rate"),
    ("public_green_per_person_m2", gettext_noop("人均公共绿地（平方米）"), "m2"),
    ("centre_public_green_per_person_m2", gettext_noop("城市中心区人均公共绿地（平方米）"), "m2"),
    ("forest_cover_rate", gettext_noop("森林覆盖率"), "rate"),
    ("tree_cover_rate", gettext_noop("林木绿化率"), "rate"),
)


class GreeningRecord(models.Model):
    """A county's (or the whole city's) greening indicators for one year (二(二)); rates are
    fractions (0.38 = 38 %)."""

    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                               verbose_name="县（市）区或全市")
    year = models.PositiveSmallIntegerField("年度")
    green_space_rate = models.DecimalField("建成区绿地率", max_digits=6, decimal_places=4, null=True, blank=True)
    green_coverage_rate = models.DecimalField("绿化覆盖率", max_digits=6, decimal_places=4, null=True, blank=True)
    public_green_per_person_m2 = models.DecimalField("人均公共绿地（平方米）", max_digits=8, decimal_places=2,
                                                     null=True, blank=True)
    centre_public_green_per_person_m2 = models.DecimalField("城市中心区人均公共绿地（平方米）", max_digits=8,
                                                            decimal_places=2, null=True, blank=True)
    forest_cover_rate = models.DecimalField("森林覆盖率", max_digits=6, decimal_places=4, null=True, blank=True)
    tree_cover_rate = models.DecimalField("林木绿化率", max_digits=6, decimal_places=4, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["county__path", "year"]
        verbose_name = "绿化指标"
        verbose_name_plural = "绿化指标"
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="carbon_greening_once")]

    def values(self) -> dict:
        return {k: (float(getattr(self, k)) if getattr(self, k) is not None else None)
                for k, _, _ in INDICATORS}
