"""Writes of the carbon-sink module. Each is one transaction with its audit entry; input comes
as a dict (API body, posted form, CLI JSON) and is validated by the pydantic models below, so
every channel refuses the same way (422, a Chinese message naming the field)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop
from pydantic import Field

from kmgov.core.audit import audit_record
from kmgov.core.models import COUNTY_LEVEL_KINDS, OrgUnit, Role
from kmgov.core.scope import can_change_org, has_role
from kmgov.procedures.errors import StepInputInvalid, TransitionDenied
from kmgov.procedures.inputs import Line, Money, StepInput, org_choices, validate_input
from kmgov.procedures.services import case_create, case_step

from .models import (
    FUND_OFFICE,
    CityAppropriation,
    Donation,
    DonorAccount,
    DonorKind,
    GreeningRecord,
)


def _invalid(field: str, message: str) -> StepInputInvalid:
    return StepInputInvalid(message, errors=[{"field": field, "message": message}])


def _office(actor) -> OrgUnit:
    """The fund's office (三(五)：领导小组下设办公室在市林业局) alone keeps the accounts."""
    office = OrgUnit.objects.get(code=FUND_OFFICE)
    if not has_role(actor, Role.CITY_OFFICE, within=office):
        raise TransitionDenied("碳汇专项的账户与捐资由市碳汇造林工作领导小组办公室（市林业局）登记",
                               field="role")
    return office


class AccountIn(StepInput):
    kind: DonorKind = Field(title=gettext_noop("账户类型"))
    name: Line = Field(title=gettext_noop("捐资者名称"))
    org: str | None = Field(None, title=gettext_noop("企业"), max_length=64,
                            description=gettext_noop("企业账户：选择捐资的企业"))
    holder: str | None = Field(None, title=gettext_noop("个人登录名"), max_length=150,
                               description=gettext_noop("个人账户：捐资者本人在系统中的登录名"))
    anonymous: bool = Field(False, title=gettext_noop("公示时匿名"))

    @classmethod
    def form_choices(cls, field):
        return org_choices(kinds=("enterprise",)) if field == "org" else None


@transaction.atomic
def account_open(data: dict, *, actor) -> DonorAccount:
    """Open an enterprise's 社会责任账户 or a person's 碳补偿账户 (三(一))."""
    x = validate_input(AccountIn, data, step_label="开立捐资账户")
    _office(actor)
    acc = DonorAccount(kind=x.kind, name=x.name, anonymous=x.anonymous, opened_by=actor)
    if x.kind == DonorKind.ENTERPRISE:
        unit = OrgUnit.objects.filter(code=(x.org or "").strip(), kind="enterprise").first()
        if unit is None:
            raise _invalid("org", f"企业：没有代码为“{x.org or ''}”的企业")
        if DonorAccount.objects.filter(org=unit).exists():
            raise _invalid("org", f"企业：“{unit.name}”已有社会责任账户")
        acc.org = unit
    else:
        user = get_user_model().objects.filter(username=(x.holder or "").strip()).first()
        if user is None:
            raise _invalid("holder", f"个人登录名：没有登录名为“{x.holder or ''}”的用户")
        if DonorAccount.objects.filter(holder=user).exists():
            raise _invalid("holder", "个人登录名：该用户已有碳补偿账户")
        acc.holder = user
    acc.number = "pending"
    acc.save()
    acc.number = f"{'QY' if acc.kind == DonorKind.ENTERPRISE else 'GR'}-{acc.pk:06d}"
    acc.save(update_fields=["number"])
    audit_record(actor=actor, action="carbon.account_open", obj=acc, org=acc.org,
                 extra={"number": acc.number, "kind": acc.kind})
    return acc


class DonationIn(StepInput):
    account: str = Field(title=gettext_noop("账户号"), min_length=1, max_length=20)
    # the column holds up to 999,999,999,999.99 元 (14 digits); Money alone allows 10^14
    amount_yuan: Money = Field(title=gettext_noop("捐资金额（元）"), gt=0, lt=Decimal("1e12"))
    donated_on: dt.date = Field(title=gettext_noop("捐资日期"))
    receipt_no: Line = Field(title=gettext_noop("公益收据号"), max_length=40)

    @classmethod
    def form_choices(cls, field):
        if field != "account":
            return None
        return [(a.number, f"{a.number} {a.name}") for a in DonorAccount.objects.order_by("number")]


@transaction.atomic
def donation_record(data: dict, *, actor, today: dt.date | None = None) -> Donation:
    """The office records money received by the special fund (三(一)：企业和个人捐资到中国绿色
    碳基金昆明专项), with its receipt number; the carbon is credited by the step `credit`."""
    x = validate_input(DonationIn, data, step_label="登记捐资")
    office = _office(actor)
    acc = DonorAccount.objects.filter(number=x.account.strip()).first()
    if acc is None:
        raise _invalid("account", f"账户号：没有账户“{x.account}”")
    from kmgov.rules import today as beijing_today

    if x.donated_on > (today or beijing_today()):
        raise _invalid("donated_on", "捐资日期：不能晚于今天")
    if Donation.objects.filter(receipt_no=x.receipt_no).exists():
        raise _invalid("receipt_no", f"公益收据号：“{x.receipt_no}”已登记，不能重复入账")
    applicant = acc.holder if acc.holder_id else actor
    try:
        with transaction.atomic():
            return case_create(Donation, actor=actor, org=office, applicant=applicant,
                               title=f"{acc.name}捐资{x.amount_yuan}元", account=acc,
                               amount_yuan=x.amount_yuan, donated_on=x.donated_on,
                               receipt_no=x.receipt_no)
    except IntegrityError:  # the same receipt recorded at the same moment by someone else
        raise _invalid("receipt_no", f"公益收据号：“{x.receipt_no}”已登记，不能重复入账") from None


def donation_credit(donation: Donation, *, actor, monitor: str, note: str = "") -> Donation:
    return case_step(donation, "credit", actor=actor, data={"monitor": monitor, "note": note})


class AppropriationIn(StepInput):
    year: int = Field(title=gettext_noop("年度"), ge=2010, le=2099)
    amount_yuan: Money = Field(title=gettext_noop("金额（元）"), gt=0, lt=Decimal("1e12"))
    allocated_on: dt.date = Field(title=gettext_noop("下达日期"))
    document_no: Line = Field(title=gettext_noop("文件或凭证号"), max_length=60)


@transaction.atomic
def appropriation_record(data: dict, *, actor) -> CityAppropriation:
    """The city finance bureau (or the fund's office) records money the city allocated
    (三(一)1：市级财政每年安排资金1000万元)."""
    x = validate_input(AppropriationIn, data, step_label="登记市级财政资金")
    finance = OrgUnit.objects.get(code="city-finance")
    office = OrgUnit.objects.get(code=FUND_OFFICE)
    if not (has_role(actor, Role.CITY_DEPARTMENT, within=finance)
            or has_role(actor, Role.CITY_OFFICE, within=office)):
        raise TransitionDenied("市级财政资金由市财政局或市碳汇造林工作领导小组办公室登记", field="role")
    if CityAppropriation.objects.filter(document_no=x.document_no).exists():
        raise _invalid("document_no", f"文件或凭证号：“{x.document_no}”已登记")
    row = CityAppropriation.objects.create(recorded_by=actor, **x.model_dump())
    audit_record(actor=actor, action="carbon.appropriation", obj=row, org=finance,
                 extra={"year": x.year, "amount_yuan": str(x.amount_yuan),
                        "document_no": x.document_no})
    return row


_RATE = dict(ge=0, le=1, decimal_places=4)


class GreeningIn(StepInput):
    county: str = Field(title=gettext_noop("县（市）区"), min_length=1, max_length=64)
    year: int = Field(title=gettext_noop("年度"), ge=2009, le=2099)
    green_space_rate: Decimal | None = Field(None, title=gettext_noop("建成区绿地率"), description=gettext_noop("0—1，如0.38即38%"), **_RATE)
    green_coverage_rate: Decimal | None = Field(None, title=gettext_noop("绿化覆盖率"), description="0—1", **_RATE)
    public_green_per_person_m2: Decimal | None = Field(None, title=gettext_noop("人均公共绿地（平方米）"), ge=0, le=10000,
                                                       decimal_places=2)
    centre_public_green_per_person_m2: Decimal | None = Field(None, title=gettext_noop("城市中心区人均公共绿地（平方米）"), ge=0,
                                                              le=10000, decimal_places=2)
    forest_cover_rate: Decimal | None = Field(None, title=gettext_noop("森林覆盖率"), description="0—1", **_RATE)
    tree_cover_rate: Decimal | None = Field(None, title=gettext_noop("林木绿化率"), description="0—1", **_RATE)

    @classmethod
    def form_choices(cls, field):
        if field != "county":
            return None
        city = [(u.code, u.name) for u in OrgUnit.objects.filter(kind="city")]
        return city + org_choices(kinds=COUNTY_LEVEL_KINDS)


def _may_record_greening(actor, county: OrgUnit) -> bool:
    """The county's own government or forestry bureau for a county; the city's forestry or
    landscape bureau (二(二) 全市 targets; 三(四)2 园林绿化) for any unit and for the city."""
    for code in ("city-forestry", "city-landscape"):
        unit = OrgUnit.objects.filter(code=code).first()
        if unit and has_role(actor, Role.CITY_DEPARTMENT, Role.CITY_OFFICE, within=unit):
            return True
    if county.kind == "city":
        return False
    forestry = OrgUnit.objects.filter(code=f"{county.code}-forestry").first()
    return can_change_org(actor, county) or bool(
        forestry and has_role(actor, Role.COUNTY_DEPARTMENT, Role.COUNTY_OFFICE, within=forestry))


@transaction.atomic
def greening_record(data: dict, *, actor) -> GreeningRecord:
    """A county's (or the city's) greening indicators for a year; a second entry for the same
    year replaces the first (the audit keeps both)."""
    x = validate_input(GreeningIn, data, step_label="填报绿化指标")
    unit = OrgUnit.objects.filter(code=x.county.strip()).first()
    if unit is None or not (unit.kind == "city" or unit.county_level() == unit):
        raise _invalid("county", f"县（市）区：没有代码为“{x.county}”的县（市）区")
    if not _may_record_greening(actor, unit):
        raise TransitionDenied(f"您无权填报{unit.name}的绿化指标", field="county")
    values = x.model_dump(exclude={"county", "year"})
    if all(v is None for v in values.values()):
        raise _invalid("green_space_rate", "至少填写一项指标")
    row, created = GreeningRecord.objects.update_or_create(
        county=unit, year=x.year, defaults={**values, "recorded_by": actor})
    audit_record(actor=actor, action="carbon.greening", obj=row, org=unit,
                 extra={"year": x.year, "created": created,
                        **{k: (str(v) if v is not None else None) for k, v in values.items()}})
    return row
