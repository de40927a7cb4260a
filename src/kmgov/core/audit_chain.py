"""The audit trail as a hash chain, so that a changed or removed entry is detected.

Entries are written by `audit.audit_record` inside the transaction of the change they record,
with no hash: chaining them at write time would serialise every transaction of the platform
on the chain's head. `audit_seal` (run by the sweep, and by `kmgov audit seal`) later gives
the committed, unsealed entries consecutive numbers (`seq`) and a hash each:

    chain_hash(n) = SHA-256( chain_hash(n-1) ‖ canonical(entry n) )   chain_hash(0) = 64 × "0"

where `canonical` is the entry's stored values (its number included) as sorted, compact JSON.
Each run also writes an `AuditSeal` row with the head it reached (number and hash).
`audit_verify` recomputes the chain: an entry whose values changed after sealing breaks its
own hash, a removed one leaves a gap in the numbers, a reordering breaks the hashes after it,
and removing the newest entries leaves a seal naming an entry that is gone. (Whoever owns the
database could rewrite the whole chain and the seals: keep the head printed by
`kmgov audit verify --json` outside it — in the operations log — to anchor it.)
On PostgreSQL a trigger also refuses UPDATE and DELETE on the table (but the sealing update
of an unsealed entry's two chain columns), so only the table's owner, by disabling the
trigger, can change a row at all — and `audit_verify` then names the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction

from .models import AuditEntry, AuditSeal

GENESIS = "0" * 64
#: pg_advisory_xact_lock key of the sealer (two sealers at once take turns).
SEAL_LOCK = 0x6B6D676F76


def canonical(entry: AuditEntry) -> bytes:
    """The sealed content of an entry, as read back from the database."""
    at = entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    values = [entry.seq, entry.pk, at, entry.actor_id, entry.action, entry.object_type,
              entry.object_id, entry.org_id, entry.from_state, entry.to_state, entry.reason,
              entry.extra]
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode("utf-8")


def link(previous: str, entry: AuditEntry) -> str:
    return hashlib.sha256(previous.encode("ascii") + canonical(entry)).hexdigest()


def audit_seal(*, batch: int = 5000) -> int:
    """Chain the committed entries not sealed yet (oldest first), at most `batch`; returns how
    many were sealed. Safe to run concurrently and repeatedly."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
        head = (AuditEntry.objects.exclude(chain_hash="").order_by("-seq")
                .values_list("seq", "chain_hash").first())
        seq, previous = head if head else (0, GENESIS)
        rows = list(AuditEntry.objects.filter(chain_hash="").order_by("id")[:batch])
        for row in rows:
            seq += 1
            row.seq = seq
            row.chain_hash = previous = link(previous, row)
        AuditEntry.objects.bulk_update(rows, ["seq", "chain_hash"], batch_size=500)
        if rows:
            # the head after this run, kept apart: removing the newest entries shows as well
            AuditSeal.objects.create(last_seq=seq, last_hash=previous, count=len(rows))
    return len(rows)


@dataclass
class Verification:
    sealed: int = 0
    unsealed: int = 0
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "sealed": self.sealed, "unsealed": self.unsealed,
                "broken_seq": self.broken_seq, "broken_id": self.broken_id,
                "problem": self.problem}


def audit_verify() -> Verification:
    """Recompute the chain from the first entry; stop at the first entry that does not
    match (its number and id, and what is wrong)."""
    out = Verification(unsealed=AuditEntry.objects.filter(chain_hash="").count())
    heads = dict(AuditSeal.objects.values_list("last_seq", "last_hash"))
    previous, expected = GENESIS, 1
    rows = AuditEntry.objects.exclude(chain_hash="").order_by("seq")
    for row in rows.iterator(chunk_size=2000):
        if row.seq != expected:
            out.broken_seq, out.broken_id = expected, row.pk
            out.problem = (f"第{expected}条审计记录缺失（下一条为第{row.seq}条）"
                           if row.seq > expected else f"第{row.seq}条审计记录重复")
            return out
        if link(previous, row) != row.chain_hash:
            out.broken_seq, out.broken_id = row.seq, row.pk
            out.problem = f"第{row.seq}条审计记录（id {row.pk}）的内容与封存时不符，已被改动"
            return out
        if heads.pop(row.seq, row.chain_hash) != row.chain_hash:
            out.broken_seq, out.broken_id = row.seq, row.pk
            out.problem = f"第{row.seq}条审计记录与封存时记下的链头不符"
            return out
        previous, expected = row.chain_hash, expected + 1
        out.sealed += 1
    if heads:  # a seal names an entry that is no longer there: the newest ones were removed
        out.broken_seq = min(heads)
        out.problem = f"第{out.broken_seq}条及以后的审计记录缺失（封存时已有）"
    return out
