"""Operations endpoints (issue 15 item 6), for load balancers, orchestrators and Prometheus.

- `GET /healthz` — the process answers (no database, no cache): 200 `{"status": "ok"}`.
- `GET /readyz` — ready to serve: the database answers a query, the cache stores and reads a
  value, and no migration is left unapplied; 200 with each check, or 503 naming the ones that
  failed (a load balancer takes the server out of rotation, not the process down).
- `GET /metrics` — Prometheus text format (prometheus-client): requests by method, route
  and status, their latency, 5xx answers, plus the process collectors. Protected: answered
  only to a staff account (session or API token), or to an address in `KMGOV_METRICS_ALLOW`
  (networks, default `127.0.0.1,::1`; the address as `core.ratelimit.client_ip` sees it, so a
  request forwarded by the reverse proxy from outside is not "local"). Others get 404, so the
  endpoint is not advertised. With several gunicorn workers, set `PROMETHEUS_MULTIPROC_DIR`
  (an empty directory per server start) and the workers' counters are summed
  (docs/deployment.md).
"""

from __future__ import annotations

import ipaddress
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

# ---------------------------------------------------------------- metrics

_METRICS = None


def _metrics():
    """The collectors, made once per process (prometheus-client's registry refuses doubles)."""
    global _METRICS
    if _METRICS is None:
        from prometheus_client import Counter, Histogram

        _METRICS = {
            "requests": Counter("kmgov_http_requests", "HTTP requests answered",
                                ["method", "route", "status"]),
            "latency": Histogram("kmgov_http_request_duration_seconds",
                                 "Time to answer an HTTP request", ["method", "route"],
                                 buckets=(.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10)),
            "errors": Counter("kmgov_http_server_errors", "HTTP 5xx answers", ["route"]),
        }
    return _METRICS


def _route(request) -> str:
    """The URL pattern that answered (`/cases/<code>/<ref>/`), not the path: bounded labels."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    route = getattr(match, "route", "") or ""
    return "/" + route if route and not route.startswith("/") else (route or "unmatched")


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        try:
            m = _metrics()
            route = _route(request)
            m["requests"].labels(request.method, route, str(response.status_code)).inc()
            m["latency"].labels(request.method, route).observe(time.perf_counter() - start)
            if response.status_code >= 500:
                m["errors"].labels(route).inc()
        except Exception:  # noqa: BLE001 — metrics never break an answer
            pass
        return response


def _allowed(request) -> bool:
    from kmgov.core.ratelimit import client_ip

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    nets = []
    for item in getattr(settings, "KMGOV_METRICS_ALLOW", ["127.0.0.1", "::1"]):
        try:
            nets.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    try:
        addr = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(addr in net for net in nets)


@never_cache
def metrics(request):
    if not _allowed(request):
        raise Http404("没有这个页面")
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    _metrics()
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


# ---------------------------------------------------------------- health

@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        cur.fetchone()
    return None


def _check_cache() -> str | None:
    import uuid

    from django.core.cache import cache

    key, value = f"kmgov:readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    seen = cache.get(key)
    cache.delete(key)
    return None if seen == value else "缓存写入后读不到 (cache did not return the value)"


def _check_migrations() -> str | None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        return f"有{len(plan)}个数据库迁移未执行 (unapplied migrations: {names})"
    return None


CHECKS = {"database": _check_database, "cache": _check_cache, "migrations": _check_migrations}


@never_cache
def readyz(request):
    results, ok = {}, True
    for name, check in CHECKS.items():
        try:
            problem = check()
        except Exception as exc:  # noqa: BLE001 — any failure makes the server not ready
            problem = f"{type(exc).__name__}: {exc}"
        results[name] = "ok" if problem is None else problem
        ok = ok and problem is None
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": results},
                        status=200 if ok else 503)
