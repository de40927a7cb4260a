"""Writes of the forestry procedures (each through the procedures kernel)."""

from __future__ import annotations

from kmgov.core.models import OrgUnit
from kmgov.procedures.errors import ProcedureError
from kmgov.procedures.services import case_create

from .models import ForestProject


def project_create(*, actor, org: OrgUnit | str, now=None, **fields) -> ForestProject:
    """Open a transformation project for the unit holding the land (township, village,
    enterprise or forest farm). Fields are validated by the model (each error names its field)."""
    if isinstance(org, str):
        unit = OrgUnit.objects.filter(code=org).first()
        if unit is None:
            raise ProcedureError(f"没有代码为“{org}”的单位", field="org")
        org = unit
    return case_create(ForestProject, actor=actor, org=org, now=now,
                       title=f"中低产林改造：{fields.get('holder_name', '')}", **fields)
