"""Rate limits that hold under concurrency and behind a proxy (issue 15 item 4).

A limit is a fixed window counted in the database with one atomic statement,

    INSERT … ON CONFLICT (name, bucket) DO UPDATE SET hits = hits + 1 RETURNING hits

so twenty callers at once each get their own number (1…20) — no read-then-write race and no
lock held across callers: two callers of the same key wait only for each other's single-row
update. SQLite (3.35+) and PostgreSQL run the same statement; every process and machine share
the count because they share the database. Old windows are deleted now and then.

`client_ip` is the address a limit counts: the connection's, or — only when the connection
comes from a configured trusted proxy (`KMGOV_TRUSTED_PROXIES`) — the nearest address in
X-Forwarded-For that is not itself a trusted proxy (a client cannot forge its way past it).
"""

from __future__ import annotations

import ipaddress
import random
import time

from django.conf import settings
from django.db import connection, transaction

from .models import RateCounter

_TABLE = RateCounter._meta.db_table
_UPSERT = (f"INSERT INTO {_TABLE} (name, bucket, expires, hits) VALUES (%s, %s, %s, 1) "
           f"ON CONFLICT (name, bucket) DO UPDATE SET hits = {_TABLE}.hits + 1 RETURNING hits")


def hit(key: str, *, limit: int, per_seconds: int, now: float | None = None) -> bool:
    """Count one use of `key`; True while the window's count is within `limit`."""
    moment = time.time() if now is None else now
    window = int(moment // per_seconds)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(_UPSERT, [key[:200], window, (window + 1) * per_seconds])
        (hits,) = cur.fetchone()
    if hits == 1 and random.random() < 0.02:  # now and then: forget windows long gone
        RateCounter.objects.filter(expires__lt=int(moment) - 3600).delete()
    return hits <= limit


def hits_now(key: str, *, per_seconds: int, now: float | None = None) -> int:
    """How many times `key` was counted in the current window (without counting)."""
    moment = time.time() if now is None else now
    row = (RateCounter.objects.filter(name=key[:200], bucket=int(moment // per_seconds))
           .values_list("hits", flat=True).first())
    return row or 0


def _trusted() -> list:
    nets = []
    for item in getattr(settings, "KMGOV_TRUSTED_PROXIES", []) or []:
        try:
            nets.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return nets


def _is_trusted(addr: str, nets) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or the nearest untrusted hop of X-Forwarded-For when
    the request came through a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    nets = _trusted()
    if not nets or not _is_trusted(remote, nets):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, nets):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed hop: count the proxy itself
    return remote
