"""Reads of the agriculture claim (scope through the procedures kernel)."""

from kmgov.procedures.selectors import case_get

from .models import AgricultureClaim


def claim_get(reference: str, user) -> AgricultureClaim:
    return case_get(procedure=AgricultureClaim.procedure.code, reference=reference, user=user)
