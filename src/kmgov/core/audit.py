"""Writing the audit trail. Call inside the transaction of the change it records."""

from typing import Any

from django.db import transaction

from .models import AuditEntry, OrgUnit


def audit_record(
    *,
    actor,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    org: OrgUnit | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    extra: dict | None = None,
) -> AuditEntry:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        org=org,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        extra=extra or {},
    )
