"""Reads of the mediation module, scoped: a committee sees its own records, a county's justice
bureau and government their county's, the city justice and finance bureaus and the auditor all."""

from __future__ import annotations

from kmgov.procedures.declare import Participants
from kmgov.procedures.selectors import visibility_q

from .models import CITY_FINANCE, CITY_JUSTICE, MediationRecord

# A record's route: the committee, its county's justice bureau, the city justice and finance
# bureaus (as for the claims drawn on it).
RECORD_ROUTE = Participants(units=(CITY_JUSTICE, CITY_FINANCE), county_departments=("justice",))


def _records_q(user):
    return visibility_q(MediationRecord, user, participants=RECORD_ROUTE, org_field="committee",
                        county_field="county", applicant_field=None)


def record_visible(rec: MediationRecord, user) -> bool:
    q = _records_q(user)
    return q is not None and MediationRecord.objects.filter(q, pk=rec.pk).exists()


def records_visible(user):
    q = _records_q(user)
    if q is None:
        return MediationRecord.objects.none()
    return MediationRecord.objects.filter(q).select_related("committee", "county", "claim").order_by(
        "-agreement_signed_on", "-id")
