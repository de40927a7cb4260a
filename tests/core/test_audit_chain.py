"""The audit trail cannot be changed unnoticed (issue 15 item 2): a hash chain sealed after
the fact (core.audit_chain) and `kmgov audit verify`; on PostgreSQL a trigger refuses UPDATE
and DELETE from any connection but the tables' owner, and the application's own role
(`kmgov audit grant-app-role`) cannot disable it."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from kmgov.core.audit import audit_record
from kmgov.core.audit_chain import GENESIS, audit_seal, audit_verify, link
from kmgov.core.models import AuditEntry, AuditSeal

pytestmark = pytest.mark.django_db
PG = "postgresql"


def entries(n, start=0):
    with transaction.atomic():
        return [audit_record(actor=None, action="test.event", object_type="test",
                             object_id=str(start + i), reason=f"第{start + i}件",
                             extra={"amount": "100.00", "名称": "示例"}) for i in range(n)]


def verify_cli():
    out = io.StringIO()
    try:
        call_command("audit", "verify", "--json", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def as_owner(sql, params=()):
    """What only a database superuser can do on PostgreSQL: run a statement with the triggers
    off (the test connection is one; the application's role is not)."""
    with connection.cursor() as cur:
        if connection.vendor == PG:  # triggers off for this session: a superuser's power
            cur.execute("SET session_replication_role = replica")
        cur.execute(sql, params)
        if connection.vendor == PG:
            cur.execute("SET session_replication_role = origin")


def test_sealing_numbers_and_chains_every_entry():
    rows = entries(5)
    assert audit_seal() == 5 and audit_seal() == 0  # nothing left: repeatable
    sealed = list(AuditEntry.objects.order_by("seq"))
    assert [r.seq for r in sealed] == [1, 2, 3, 4, 5]
    assert [r.pk for r in sealed] == [r.pk for r in rows]  # oldest first
    # the chain, recomputed by hand from the genesis: h1 = H(0…0 ‖ e1), h2 = H(h1 ‖ e2) …
    previous = GENESIS
    for r in sealed:
        assert r.chain_hash == link(previous, r)
        previous = r.chain_hash
    assert AuditSeal.objects.get().last_hash == previous
    entries(2, start=5)
    result = audit_verify()
    assert result.ok and (result.sealed, result.unsealed) == (5, 2)
    assert audit_seal() == 2 and audit_verify().sealed == 7


def test_a_changed_entry_is_named():
    rows = entries(4)
    audit_seal()
    assert verify_cli() == (0, {"ok": True, "sealed": 4, "unsealed": 0, "broken_seq": None,
                                "broken_id": None, "problem": ""})
    as_owner("UPDATE core_auditentry SET reason = %s WHERE id = %s", ["改过的理由", rows[2].pk])
    code, out = verify_cli()
    assert code == 1 and out["broken_seq"] == 3 and out["broken_id"] == rows[2].pk
    assert "改动" in out["problem"]


def test_a_removed_entry_shows_as_a_gap_and_the_newest_by_the_seal():
    rows = entries(4)
    audit_seal()
    as_owner("DELETE FROM core_auditentry WHERE id = %s", [rows[1].pk])
    result = audit_verify()
    assert not result.ok and result.broken_seq == 2 and "缺失" in result.problem


def test_removing_the_newest_entries_is_seen_too():
    rows = entries(3)
    audit_seal()
    as_owner("DELETE FROM core_auditentry WHERE id = %s", [rows[-1].pk])
    result = audit_verify()
    assert not result.ok and result.broken_seq == 3 and "缺失" in result.problem


def test_the_application_cannot_change_or_remove_an_entry():
    (row,) = entries(1)
    if connection.vendor == PG:
        # the trigger refuses the statements Django's model guard does not see
        for attempt in (lambda: AuditEntry.objects.filter(pk=row.pk).update(reason="x"),
                        lambda: AuditEntry.objects.filter(pk=row.pk).delete()):
            with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
                attempt()
        # …even before it is sealed, but for the sealer's own two columns
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
            AuditEntry.objects.filter(pk=row.pk).update(seq=1, chain_hash="f" * 64, action="x")
        assert audit_seal() == 1
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
            AuditEntry.objects.filter(pk=row.pk).update(chain_hash="0" * 64)
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
            AuditSeal.objects.all().delete()
    else:
        # the embedded SQLite has no roles: the model refuses, the chain detects the rest
        with pytest.raises(PermissionError):
            row.delete()
        row.reason = "x"
        with pytest.raises(PermissionError):
            row.save()
        audit_seal()
        AuditEntry.objects.filter(pk=row.pk).update(reason="x")
        assert not audit_verify().ok
    assert AuditEntry.objects.filter(pk=row.pk).exists()


def test_the_applications_role_cannot_switch_the_trigger_off():
    if connection.vendor != PG:
        out = io.StringIO()
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("audit", "grant-app-role", "kmgov_app", stdout=out)
        return
    (row,) = entries(1)
    with connection.cursor() as cur:
        cur.execute("DROP ROLE IF EXISTS kmgov_app_probe")
    call_command("audit", "grant-app-role", "kmgov_app_probe", "--create", stdout=io.StringIO())
    try:
        with connection.cursor() as cur:
            cur.execute("SET ROLE kmgov_app_probe")
            try:
                # it writes audit entries and reads them …
                with transaction.atomic():
                    audit_record(actor=None, action="test.as_app", object_type="t", object_id="1")
                assert AuditEntry.objects.filter(action="test.as_app").exists()
                # … but may not switch the guard off, nor change a row
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's pending FK checks
                with pytest.raises(DatabaseError, match="owner"), transaction.atomic():
                    cur.execute("ALTER TABLE core_auditentry DISABLE TRIGGER "
                                "core_auditentry_append_only")
                with pytest.raises(DatabaseError, match="permission"), transaction.atomic():
                    cur.execute("SET session_replication_role = replica")
                with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
                    cur.execute("UPDATE core_auditentry SET reason = 'x' WHERE id = %s",
                                [row.pk])
            finally:
                cur.execute("RESET ROLE")
    finally:
        with connection.cursor() as cur:
            cur.execute("DROP OWNED BY kmgov_app_probe")
            cur.execute("DROP ROLE kmgov_app_probe")
