"""Writing the audit trail. Call inside the transaction of the change it records."""

from typing import Any

from django.db import transaction

from .models import AuditEntry, OrgUnit
from .together import Together


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
    entry = AuditEntry(
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
    kept = _TOGETHER.kept()
    if kept is not None:
        kept.append(entry)  # written with the others when the `together()` block ends
        return entry
    entry.save(force_insert=True)
    return entry


_TOGETHER = Together("audit", lambda: AuditEntry)


def audit_record_into(writes, *, actor, action: str, obj: Any = None, object_type: str = "",
                      object_id: str = "", org: OrgUnit | None = None, from_state: str = "",
                      to_state: str = "", reason: str = "", extra: dict | None = None) -> None:
    """`audit_record`, the entry added as a plain row to `writes` (a `core.writes.Writes`,
    sent by the caller inside the transaction of the change): no model instance, no statement
    of its own. Inside a `together()` block the entry is kept there as `audit_record` keeps it."""
    if _TOGETHER.kept() is not None or writes is None:
        audit_record(actor=actor, action=action, obj=obj, object_type=object_type,
                     object_id=object_id, org=org, from_state=from_state, to_state=to_state,
                     reason=reason, extra=extra)
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    writes.insert(AuditEntry, [dict(
        actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        action=action, object_type=object_type, object_id=object_id,
        org_id=org.pk if org is not None else None, from_state=from_state, to_state=to_state,
        reason=reason, extra=extra or {})])


def together():
    """Inside one transaction: the audit entries recorded in the block are written in one
    INSERT when it ends (in the order recorded), not one round trip each. An entry has no id
    until then. A block that raises writes none (its transaction is rolled back anyway)."""
    return _TOGETHER.block()


def audit_record_many(entries: list[dict]) -> list[AuditEntry]:
    """Several entries (each the keyword arguments of `audit_record`) in one INSERT."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must run inside the transaction of the change")
    rows = []
    for e in entries:
        e = dict(e)
        obj = e.pop("obj", None)
        if obj is not None:
            e.setdefault("object_type", obj._meta.label_lower)
            e.setdefault("object_id", str(obj.pk))
        actor = e.pop("actor", None)
        rows.append(AuditEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            extra=e.pop("extra", None) or {}, **e))
    return AuditEntry.objects.bulk_create(rows)
