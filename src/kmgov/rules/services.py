"""Writes of the rules kernel: each one transaction with its audit entry."""

import datetime as dt
from typing import Any

from django.db import transaction

from kmgov.core.audit import audit_record

from .models import ParameterOverride
from .resolution import invalidate_overrides


def parameter_override_create(*, parameter: str, value: Any, effective_from: dt.date, note: str = "", actor) -> ParameterOverride:
    with transaction.atomic():
        obj = ParameterOverride(parameter=parameter, value=value, effective_from=effective_from, note=note,
                                created_by=actor if getattr(actor, "is_authenticated", False) else None)
        obj.full_clean()
        obj.save()
        audit_record(actor=actor, action="rules.parameter_override.create", obj=obj, reason=note,
                     extra={"parameter": parameter, "value": value, "effective_from": effective_from.isoformat()})
        transaction.on_commit(invalidate_overrides)
    return obj


def parameter_override_delete(*, override: ParameterOverride, actor) -> None:
    with transaction.atomic():
        extra = {"parameter": override.parameter, "value": override.value,
                 "effective_from": override.effective_from.isoformat()}
        audit_record(actor=actor, action="rules.parameter_override.delete", obj=override, extra=extra)
        override.delete()
        transaction.on_commit(invalidate_overrides)
