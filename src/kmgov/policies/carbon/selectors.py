"""Reads of the carbon-sink module. A donor reads only their own account (an enterprise's staff
through their role at the enterprise, a person as the account's holder); the fund's office,
the city finance bureau and the auditor read every account. The public list (公示), the fund's
progress and the greening indicators are public, and carry no personal data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from kmgov.core.models import READ_ONLY_ROLES, OrgUnit, Role
from kmgov.core.scope import has_role, user_assignments
from kmgov.rules import decide, parameter_value, today

from .models import (
    FUND_OFFICE,
    INDICATORS,
    CityAppropriation,
    Donation,
    DonationState,
    DonorAccount,
    DonorKind,
    GreeningRecord,
    certificate_code,
)

_READ_ALL_UNITS = (FUND_OFFICE, "city-finance")


def reads_every_account(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or has_role(user, Role.AUDITOR):
        return True
    units = [OrgUnit.objects.filter(code=c).first() for c in _READ_ALL_UNITS]
    return any(u and has_role(user, Role.CITY_OFFICE, Role.CITY_DEPARTMENT, within=u) for u in units)


def accounts_visible(user):
    """The accounts the user may read: all for the office, finance and audit; otherwise the
    enterprise accounts of units where the user holds the enterprise role, and their own."""
    if not getattr(user, "is_authenticated", False):
        return DonorAccount.objects.none()
    qs = DonorAccount.objects.select_related("org", "holder")
    if reads_every_account(user):
        return qs
    own_orgs = [a.org_id for a in user_assignments(user)
                if a.role == Role.ENTERPRISE and a.role not in READ_ONLY_ROLES]
    return qs.filter(Q(holder=user) | Q(org_id__in=own_orgs))


def account_get(number: str, user) -> DonorAccount | None:
    return accounts_visible(user).filter(number=number).first()


def accounts_of(user):
    """The user's own account(s) as a donor (not those an office reads)."""
    if not getattr(user, "is_authenticated", False):
        return DonorAccount.objects.none()
    own_orgs = [a.org_id for a in user_assignments(user) if a.role == Role.ENTERPRISE]
    return DonorAccount.objects.filter(Q(holder=user) | Q(org_id__in=own_orgs))


def donations_visible(user):
    return Donation.objects.filter(account__in=accounts_visible(user)).select_related(
        "account").order_by("-donated_on", "-id")


def donation_get(reference: str, user) -> Donation | None:
    return donations_visible(user).filter(reference=reference).first()


# ---------------------------------------------------------------- 公示

def _mask(name: str) -> str:
    """Only the surname (the first character; a two-character compound surname is not guessed)
    and ＊ for the rest."""
    name = name.strip()
    return name[:1] + "＊" * max(1, len(name) - 1) if name else "＊"


def public_name(acc: DonorAccount, on: dt.date | None = None) -> str:
    """What the 公示 shows of a donor: enterprises by name; persons per the interpretation
    `carbon.public_list_individual_name` (masked by default); an anonymous donor as 匿名."""
    if acc.anonymous:
        return "匿名捐资者"
    if acc.kind == DonorKind.ENTERPRISE:
        return acc.name
    mode = parameter_value("carbon.public_list_individual_name", on or today())
    return acc.name if mode == "full" else _mask(acc.name)


def public_list(on: dt.date | None = None) -> list[dict]:
    """公示 (三(一)：在中国碳汇网（政府网）上公示): each donor with credited donations, their
    account type, total, tonnes, area and the sign — no receipt, account number, date or
    contact (docs/interpretations.md, carbon)."""
    rows = (DonorAccount.objects.filter(donations__state=DonationState.CREDITED)
            .annotate(yuan=Sum("donations__amount_yuan"), t=Sum("donations__co2_tonnes"),
                      mu=Sum("donations__area_mu"), n=Count("donations"))
            .order_by("-yuan", "number"))
    return [{"name": public_name(a, on), "kind": a.kind, "kind_label": a.get_kind_display(),
             "account_label": a.account_label(), "yuan": q2(a.yuan), "co2_tonnes": q5(a.t),
             "area_mu": q5(a.mu), "count": a.n, "sign_eligible": a.sign_eligible} for a in rows]


def q2(v) -> Decimal:
    """Sums read back as Decimals with the column's places (SQLite sums decimals as floats)."""
    return Decimal(str(v or 0)).quantize(Decimal("0.01"))


def q5(v) -> Decimal:
    return Decimal(str(v or 0)).quantize(Decimal("0.00001"))


# ---------------------------------------------------------------- certificates

def _norm_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def certificate_verify(code: str) -> dict | None:
    """The certificate a verification code belongs to, or None: the code must be stored for a
    credited donation AND equal the HMAC of what that certificate says now (a code made up, or
    a figure changed afterwards, fails)."""
    import hmac

    code = _norm_code(code)
    if len(code) != 19:
        return None
    d = (Donation.objects.filter(certificate_code=code, state=DonationState.CREDITED)
         .select_related("account").first())
    if d is None or not hmac.compare_digest(certificate_code(d), code):
        return None
    return {"reference": d.reference, "name": public_name(d.account), "kind_label": d.account.get_kind_display(),
            "amount_yuan": d.amount_yuan, "co2_tonnes": d.co2_tonnes, "area_mu": d.area_mu,
            "credited_on": d.credited_on, "sign_eligible": d.account.sign_eligible}


# ---------------------------------------------------------------- fund (CS-3)

def startup_until(on: dt.date | None = None) -> dt.date:
    return dt.date.fromisoformat(str(parameter_value("carbon.startup_until", on or today())))


def fund_years() -> list[int]:
    years = set(CityAppropriation.objects.values_list("year", flat=True))
    years |= set(Donation.objects.filter(state=DonationState.CREDITED)
                 .annotate(y=ExtractYear("donated_on")).values_list("y", flat=True))
    years |= set(int(y) for y in parameter_value("carbon.city_budget_years", today()))
    return sorted(years)


def fund_progress(on: dt.date | None = None) -> list[dict]:
    """Per year, from the ledger: the city's appropriations (三(一)1), credited donations by
    enterprises and persons, the enterprise start-up money so far (三(一)2, donations dated up
    to `carbon.startup_until`), and `carbon.funding_progress` decided with its trace."""
    on = on or today()
    until = startup_until(on)
    city = dict(CityAppropriation.objects.values("year").annotate(s=Sum("amount_yuan"))
                .values_list("year", "s"))
    credited = Donation.objects.filter(state=DonationState.CREDITED).annotate(
        y=ExtractYear("donated_on"))
    by_year: dict[tuple[int, str], Decimal] = {}
    for y, kind, s in credited.values("y", "account__kind").annotate(s=Sum("amount_yuan")).values_list(
            "y", "account__kind", "s"):
        by_year[(y, kind)] = q2(s)
    out = []
    for year in fund_years():
        startup = credited.filter(account__kind=DonorKind.ENTERPRISE, donated_on__lte=min(
            until, dt.date(year, 12, 31))).aggregate(s=Sum("amount_yuan"))["s"]
        startup = q2(startup)
        city_y = q2(city.get(year))
        decision = decide("carbon.funding_progress", {
            "year": year, "city_funds_yuan": float(city_y),
            "enterprise_startup_donations_yuan": float(startup), "as_of": on.isoformat()})
        out.append({"year": year, "city_yuan": city_y,
                    "enterprise_yuan": by_year.get((year, DonorKind.ENTERPRISE), q2(0)),
                    "individual_yuan": by_year.get((year, DonorKind.INDIVIDUAL), q2(0)),
                    "startup_yuan": startup, "decision": decision.to_dict(),
                    "outcome": decision.outcome})
    return out


def fund_totals(rows: list[dict]) -> dict:
    return {k: sum((r[k] for r in rows), Decimal("0"))
            for k in ("city_yuan", "enterprise_yuan", "individual_yuan")}


# ---------------------------------------------------------------- greening (CS-4)

def show(v, kind: str) -> str | None:
    """A rate as a percentage (0.455 → 45.5%), an area per person as it is."""
    if v is None:
        return None
    if kind == "rate":
        return f"{float(v) * 100:.2f}".rstrip("0").rstrip(".") + "%"
    return f"{float(v):.2f}".rstrip("0").rstrip(".")


def greening_series(on: dt.date | None = None) -> list[dict]:
    """Per unit (the city first, then counties in tree order), each year's indicators with
    `carbon.greening_targets` decided against the 2015 targets (二(二))."""
    on = on or today()
    rows = GreeningRecord.objects.select_related("county").order_by("county__path", "year")
    units: dict[int, dict] = {}
    for r in rows:
        unit = units.setdefault(r.county_id, {"unit": r.county, "years": []})
        values = r.values()
        decision = decide("carbon.greening_targets", {**values, "as_of": on.isoformat()})
        d = decision.to_dict()
        unit["years"].append({"year": r.year, "values": values, "decision": d,
                              "cells": [(k, label, kind, show(values[k], kind),
                                         None if values[k] is None else k in d["met"])
                                        for k, label, kind in INDICATORS]})
    return sorted(units.values(), key=lambda u: (u["unit"].kind != "city", u["unit"].path))


def greening_targets(on: dt.date | None = None) -> dict:
    on = on or today()
    return {k: parameter_value(f"carbon.target_2015_{k}", on) for k, _, _ in INDICATORS}
