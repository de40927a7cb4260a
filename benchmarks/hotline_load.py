"""Load benchmark of the 96128 desk (issue 5): ticket intake plus answer search with 100
concurrent clients against the app on PostgreSQL served as in production (gunicorn, DEBUG off,
persistent connections), on loopback, bounded in time; then the same server's throughput on
a trivial endpoint. Prints a markdown table for benchmarks/README.md and writes
benchmarks/out/hotline_load.json.

    .venv/bin/pip install -e '.[bench]'
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hotline_bench \
        .venv/bin/python benchmarks/hotline_load.py [--users 100] [--seconds 30] [--workers 4]

The database is created if missing (createdb) and set up with `kmgov setup`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent


def _env(db_url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=db_url, PYTHONPATH=str(ROOT / "src"),
               DJANGO_SETTINGS_MODULE="kmgov.settings", KMGOV_CONN_MAX_AGE="600",
               KMGOV_DEBUG="0", KMGOV_ADMIN_PASSWORD="bench-admin-pass")
    return env


def _django(env, code: str) -> str:
    return subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code],
                          env=env, check=True, capture_output=True, text=True).stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, timeout=30):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _warm_up(port: int, n: int = 64) -> None:
    """Each worker loads jieba's dictionary (about a second) on its first question: do that
    before measuring, as a server that has been up for a while has."""
    import urllib.parse
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    url = f"http://127.0.0.1:{port}/api/v1/hotline/answers?q=" + urllib.parse.quote("补助")

    def get(_):
        with urllib.request.urlopen(url, timeout=60) as r:
            r.read()

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(get, range(n)))


def _locust(port, users, seconds, env, prefix, desk, trivial) -> dict:
    env = dict(env, HOTLINE_BENCH_DESK=str(desk), HOTLINE_BENCH_TRIVIAL=str(trivial))
    subprocess.run([str(BIN / "locust"), "-f", str(HERE / "locust_hotline.py"), "--headless",
                    "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
                    "--host", f"http://127.0.0.1:{port}", "--csv", str(OUT / prefix),
                    "--only-summary", "--stop-timeout", "5"],
                   env=env, check=False, capture_output=True, text=True, timeout=seconds + 120)
    rows = {}
    with open(OUT / f"{prefix}_stats.csv", newline="") as f:
        for r in csv.DictReader(f):
            rows[r["Name"]] = {
                "requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                "rps": float(r["Requests/s"]), "p50_ms": float(r["50%"] or 0),
                "p95_ms": float(r["95%"] or 0), "p99_ms": float(r["99%"] or 0),
            }
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=100)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    db_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hotline_bench")
    if not db_url.startswith("postgres"):
        sys.exit("DATABASE_URL must be a PostgreSQL URL (the benchmark is of the production setup)")
    OUT.mkdir(exist_ok=True)
    name = db_url.rsplit("/", 1)[-1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
    env = _env(db_url)
    subprocess.run([sys.executable, "-m", "kmgov.cli", "setup"], env=env, check=True,
                   capture_output=True)
    token = _django(env, (
        "from kmgov.core.services import user_create, api_token_create\n"
        "from django.contrib.auth import get_user_model\n"
        "u = get_user_model().objects.filter(username='bench-op').first() or user_create("
        "username='bench-op', roles=[('hotline_operator', 'city-mayors-hotline')])\n"
        "print(api_token_create(user=u).key)"))
    before = int(_django(env, "from kmgov.hotline.models import Ticket; print(Ticket.objects.count())"))
    (OUT / "hotline_access.log").unlink(missing_ok=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "kmgov.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "-k", "gthread", "--threads", str(args.threads),
         # Keep client connections open like a reverse proxy would (no keep-alive races).
         "--keep-alive", "75", "--backlog", "2048",
         "--access-logfile", str(OUT / "hotline_access.log"), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(port)
        _warm_up(port)
        env["HOTLINE_BENCH_TOKEN"] = token
        desk = _locust(port, args.users, args.seconds, env, "hotline_desk", 1, 0)
        trivial = _locust(port, args.users, args.seconds, env, "hotline_trivial", 0, 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    after = int(_django(env, "from kmgov.hotline.models import Ticket; print(Ticket.objects.count())"))
    log = (OUT / "hotline_access.log").read_text(encoding="utf-8", errors="replace").splitlines()
    created = sum(1 for line in log if '"POST /api/v1/hotline/tickets' in line and '" 201 ' in line)
    errors = sum(1 for line in log if '" 5' in line.split("HTTP/1.1")[-1][:4])
    result = {"server_201": created, "server_5xx": errors,
              "answer_cache_seconds": int(os.environ.get("KMGOV_HOTLINE_ANSWER_CACHE", "30")),
              "users": args.users, "seconds": args.seconds, "workers": args.workers,
              "threads": args.threads, "cpus": os.cpu_count(), "desk": desk, "trivial": trivial,
              "tickets_stored": after - before}
    (OUT / "hotline_load.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print("| endpoint | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, rows in (("desk", desk), ("trivial", trivial)):
        for k, r in rows.items():
            print(f"| {label}: {k} | {r['requests']} | {r['failures']} | {r['rps']:.1f} | "
                  f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} |")
    posted = desk.get("POST tickets", {}).get("requests", 0) - desk.get("POST tickets", {}).get("failures", 0)
    print(f"\ntickets stored: {result['tickets_stored']}; 201 responses sent by the server: "
          f"{created}; counted by locust: {posted}; server 5xx: {errors}")


if __name__ == "__main__":
    main()
