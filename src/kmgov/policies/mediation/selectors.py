"""Reads of the mediation module, scoped: a committee sees its own records, a county's justice
bureau and government their county's, the city justice and finance bureaus and the auditor all."""

from __future__ import annotations

from kmgov.core.models import OrgUnit
from kmgov.core.scope import can_see_org, reach_paths
from kmgov.procedures.selectors import CASE_READER_ROLES

from .models import CITY_FINANCE, CITY_JUSTICE, MediationRecord


def record_visible(rec: MediationRecord, user) -> bool:
    roles = set(CASE_READER_ROLES)
    if can_see_org(user, rec.committee, roles=roles):
        return True
    units = list(OrgUnit.objects.filter(
        code__in=[f"{rec.county.code}-justice", CITY_JUSTICE, CITY_FINANCE]))
    return any(can_see_org(user, u, roles=roles) for u in units)


def records_visible(user, *, limit: int = 5000) -> list[MediationRecord]:
    if not reach_paths(user, set(CASE_READER_ROLES)):
        return []
    qs = MediationRecord.objects.select_related("committee", "county", "claim").order_by(
        "-agreement_signed_on", "-id")[:limit]
    return [r for r in qs if record_visible(r, user)]
