"""Load benchmark of the 96128 desk (issue 14 items 1–3, 9): `kmgov serve` on PostgreSQL with
DEBUG off, driven by wrk (a compiled load generator: it costs the machine far less than the
load it makes), every figure beside the trivial endpoint of the same server in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hotline_bench \\
        .venv/bin/python benchmarks/hotline_load.py [--seconds 15] [--connections 100]

For the answer cache on (the default, 30 s per process) and off (`KMGOV_HOTLINE_ANSWER_CACHE=0`),
a fresh server each, it measures with wrk (2 threads × 100 connections by default):

- trivial: `GET /api/v1/hotline/suggest?q=` (no database work) — the reference;
- answers: `GET /api/v1/hotline/answers?q=…`, the 87 questions of benchmarks/kb_quality.py
  in turn (with the cache off, each is ranked afresh);
- intake: an operator's `POST /api/v1/hotline/tickets` (bearer token), window channel, so that
  every ticket is taken up and routed at any hour (searched for an authorised answer,
  answered or transferred, audited) — the heaviest intake there is;
- mix: 3 answers : 1 intake on each connection.

Then one answer search unloaded (in this process, cache off: the per-process index, and the
database ranking it replaced, median of every question), and where the time goes (cProfile of
the answers and of intakes, in this process). Prints markdown for benchmarks/README.md and
writes benchmarks/out/hotline_load.json. wrk is installed from Debian if missing (apt-get).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
GAZETTE = ROOT.parent / "shared" / "gazette" / "kunming-gazette-2010-no15.txt"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from _db import ensure_postgres_database  # noqa: E402  benchmarks/_db.py
from _wrk import ensure_wrk, run_wrk  # noqa: E402  benchmarks/_wrk.py
from kb_quality import QUESTIONS  # noqa: E402

TYPES = ["query", "complaint", "approval", "suggestion", "consultation", "other"]

LUA = r"""
local mode = "%(mode)s"
local token = "%(token)s"
local paths = {%(paths)s}
local bodies = {%(bodies)s}
local floor_path = "%(floor_path)s"
local n = 0
local hdr = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}

request = function()
  n = n + 1
  if mode == "floor" then
    return wrk.format("POST", floor_path, hdr, "{}")
  end
  if mode == "floor-read" then
    return wrk.format("GET", "/bench/floor/read")
  end
  local i = (n + math.random(0, 1000)) %% #paths + 1
  if mode == "intake" or (mode == "mix" and n %% 4 == 0) then
    return wrk.format("POST", "/api/v1/hotline/tickets", hdr, bodies[(n %% #bodies) + 1])
  end
  return wrk.format("GET", paths[i])
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) bad = 0 end
response = function(status, headers, body)
  if status >= 400 then bad = bad + 1 end
end

done = function(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "status_errors": %%d, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "timeout": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d}\n',
    summary.requests, summary.duration, bad_total, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _lua_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _script(mode: str, token: str, tmp: Path, *, trivial=False, floor_n: int = 0) -> Path:
    if trivial:
        paths = ["/api/v1/hotline/suggest?q="]
    else:
        paths = ["/api/v1/hotline/answers?q=" + urllib.parse.quote(q) for q, _ in QUESTIONS]
    bodies = [json.dumps({"channel": "window", "request_type": TYPES[i % len(TYPES)],
                          "text": q, "caller_name": "压测", "caller_phone": "13800000000"},
                         ensure_ascii=False) for i, (q, _) in enumerate(QUESTIONS)]
    text = LUA % {"mode": mode, "token": token, "paths": ", ".join(map(_lua_str, paths)),
                  "bodies": ", ".join(map(_lua_str, bodies)), "floor_path": f"/bench/floor?n={floor_n}"}
    path = tmp / f"{mode}{floor_n or ''}{'-trivial' if trivial else ''}.lua"
    path.write_text(text, encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db_url: str, cache: int, src: Path = ROOT / "src", *, floor: bool = False) -> dict:
    """The server's environment; `floor`: the platform plus the floor endpoint
    (benchmarks/_floor_urls.py), for the `floor N` lines."""
    return dict(os.environ, DATABASE_URL=db_url,
                PYTHONPATH=os.pathsep.join([str(src), str(HERE)] if floor else [str(src)]),
                DJANGO_SETTINGS_MODULE="_floor_settings" if floor else "kmgov.settings",
                KMGOV_CONN_MAX_AGE="600",
                KMGOV_DEBUG="0", KMGOV_HOTLINE_ANSWER_CACHE=str(cache),
                KMGOV_SECRET_KEY=os.environ.get("KMGOV_SECRET_KEY", secrets.token_urlsafe(40)),
                KMGOV_ADMIN_PASSWORD=os.environ.get("KMGOV_ADMIN_PASSWORD", "bench-admin-pass-1"))


def _kmgov(env, *args, **kw):
    return subprocess.run([sys.executable, "-m", "kmgov", *args], env=env, check=True,
                          capture_output=True, text=True, **kw)


def _wrk(wrk, port, script, *, seconds, connections, threads) -> dict:
    return run_wrk(port, script, seconds=seconds, connections=connections, threads=threads,
                   wrk=wrk)


def _serve(env, port, workers, threads, log: Path):
    """Start `kmgov serve`; its log (every SMS the desk "sends" is a log line) goes to a file.
    Not to a pipe nobody reads: 64 KiB of log lines — about 63 intakes — fill a pipe, every
    thread that logs then blocks on the handler's lock and the whole server hangs (issue 14:
    this, not the database, was the "serialised intake" and the mix at 0 req/s)."""
    with open(log, "wb") as err:
        server = subprocess.Popen(
            [sys.executable, "-m", "kmgov", "serve", "--bind", f"127.0.0.1:{port}", "--workers",
             str(workers), "--threads", str(threads)], env=env, stdout=err, stderr=err,
            start_new_session=True)  # its own process group: stopped with its workers
    deadline = time.time() + 300
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/hotline/suggest?q=",
                                        timeout=5):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-4000:]) from None
            if time.time() > deadline:
                _stop(server)
                raise RuntimeError("the server did not start") from None
            time.sleep(0.3)


def _stop(server) -> None:
    """SIGTERM to the server's process group (master and workers), SIGKILL after 60 s: a
    benchmark never leaves workers behind holding the port and database connections."""
    import signal

    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        print("the server did not stop within 60 s: killed", file=sys.stderr)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    except ProcessLookupError:
        pass


def _unloaded(db_url: str) -> dict:
    """One answer search, in this process, cache off: every question of the set, median."""
    os.environ.update(_env(db_url, 0))
    import django

    django.setup()
    from kmgov.hotline import kb

    kb.CACHE_SECONDS = 0
    qs = [q for q, _ in QUESTIONS]
    out = {}
    for label, memory in (("memory index", True), ("database ranking", False)):
        kb.MEMORY_INDEX = memory
        kb.cache_clear()
        for q in qs[:5]:
            kb.answers(q)  # warm: jieba, the index, the connection
        times = []
        for _ in range(3):
            for q in qs:
                t0 = time.perf_counter()
                kb.answers(q)
                times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        out[label] = {"median_ms": statistics.median(times),
                      "p95_ms": times[int(len(times) * 0.95)], "n": len(times)}
    kb.MEMORY_INDEX = True
    # the part of the memory path that is not a database round trip: cut + rank in memory
    idx = kb.index()
    times = []
    for _ in range(3):
        for q in qs:
            t0 = time.perf_counter()
            idx.rank(q, kb.query_units(q), limit=5, include_nodes=True)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    out["cut + rank in memory (no query)"] = {"median_ms": statistics.median(times),
                                               "p95_ms": times[int(len(times) * 0.95)],
                                               "n": len(times)}
    # one database round trip on this machine now, for scale (the memory path makes two)
    from django.db import connection

    times = []
    with connection.cursor() as cur:
        for _ in range(200):
            t0 = time.perf_counter()
            cur.execute("SELECT 1")
            cur.fetchone()
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    out["one round trip (SELECT 1)"] = {"median_ms": statistics.median(times),
                                        "p95_ms": times[int(len(times) * 0.95)], "n": 200}
    return out


def _profile(token: str) -> dict:
    """Where the time goes: cProfile of 200 answers (cache off) and 40 intakes, in process."""
    import cProfile
    import io
    import pstats

    from django.test import Client

    from kmgov.hotline import kb

    c = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    qs = [q for q, _ in QUESTIONS]
    result = {}

    def answers():
        for i in range(200):
            c.get("/api/v1/hotline/answers", {"q": qs[i % len(qs)]})

    def intakes():
        for i in range(40):
            c.post("/api/v1/hotline/tickets", data={"channel": "window",
                   "request_type": TYPES[i % len(TYPES)], "text": qs[i % len(qs)]},
                   content_type="application/json", **auth)

    kb.cache_clear()
    for label, fn in (("answers", answers), ("intake", intakes)):
        fn()  # warm
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        fn()
        prof.disable()
        wall = time.perf_counter() - t0
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(14)
        result[label] = {"wall_s": wall, "top": s.getvalue()}
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=100)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--skip-setup", action="store_true", help="the database is set up already")
    ap.add_argument("--unloaded-only", action="store_true",
                    help="only the unloaded answer search and the profile (no wrk runs)")
    ap.add_argument("--modes", default="trivial,answers,intake,mix 3:1",
                    help="which lines, comma-separated (e.g. `trivial,intake` for the intake-only "
                         "line beside its reference); `floor N`: the floor of an audited write, "
                         "N audit rows inserted by a bearer-token POST; `floor read`: one row "
                         "read (benchmarks/_floor_urls.py)")
    ap.add_argument("--caches", default="30,0",
                    help="answer cache seconds, one server each (e.g. `0`)")
    ap.add_argument("--against-src", default="",
                    help="also serve this tree's src/ (e.g. main's, exported with `git archive "
                         "main src | tar -x -C DIR`) first, same lines: a same-run baseline")
    ap.add_argument("--skip-unloaded", action="store_true",
                    help="no unloaded answer search and no profile after the wrk lines")
    args = ap.parse_args()
    db_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hotline_bench")
    if not db_url.startswith("postgres"):
        sys.exit("DATABASE_URL must be a PostgreSQL URL (the benchmark is of the production setup)")
    wrk = ensure_wrk()
    OUT.mkdir(exist_ok=True)
    ensure_postgres_database(db_url)
    env = _env(db_url, 30)
    if not args.skip_setup:
        _kmgov(env, "setup", *(["--gazette", str(GAZETTE)] if GAZETTE.exists() else []))
    token = subprocess.run([sys.executable, "-c", (
        "import django; django.setup()\n"
        "from kmgov.core.services import user_create, api_token_create\n"
        "from django.contrib.auth import get_user_model\n"
        "u = get_user_model().objects.filter(username='bench-op').first() or user_create("
        "username='bench-op', roles=[('hotline_operator', 'city-mayors-hotline')])\n"
        "print(api_token_create(user=u).key)")], env=env, check=True, capture_output=True,
        text=True).stdout.strip()
    tmp = Path(tempfile.mkdtemp(prefix="kmgov-wrk-"))
    runs: dict = {}
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    trees = [("", ROOT / "src")]
    if args.against_src:
        trees.insert(0, ("against: ", Path(args.against_src).resolve()))
    servers = [(tree, src, int(c)) for tree, src in trees for c in args.caches.split(",")]
    floors = [int(m.split()[1]) for m in modes if m.startswith("floor ") and m != "floor read"]
    for tree, src, cache in () if args.unloaded_only else servers:
        port = _free_port()
        server = _serve(_env(db_url, cache, src, floor=bool(floors) or "floor read" in modes), port, args.workers, args.threads,
                        OUT / f"hotline_serve_cache{cache}.log")
        try:
            label = tree + ("cache on" if cache else "cache off")
            runs[label] = {}
            for mode, script in (
                    ("trivial", _script("answers", token, tmp, trivial=True)),
                    ("answers", _script("answers", token, tmp)),
                    ("intake", _script("intake", token, tmp)),
                    ("mix 3:1", _script("mix", token, tmp)),
                    ("floor read", _script("floor-read", token, tmp)),
                    *((f"floor {k}", _script("floor", token, tmp, floor_n=k)) for k in floors)):
                if mode not in modes:
                    continue
                r = _wrk(wrk, port, script, seconds=args.seconds,
                         connections=args.connections, threads=args.wrk_threads)
                runs[label][mode] = r
                print(f"{label:9} {mode:8} {r['rps']:8.1f} req/s  p95 {r['p95_us'] / 1000:7.1f} ms"
                      f"  max {r['max_us'] / 1000:7.1f} ms  errors {r['errors']}  "
                      f"load {r['load_avg']}", flush=True)
        finally:
            _stop(server)
    unloaded, profile = {}, {}
    if not args.skip_unloaded:
        unloaded = _unloaded(db_url)
        from django.db import connection

        connection.close()
        profile = _profile(token)
    result = {"runs": runs, "unloaded": unloaded, "cpus": os.cpu_count(),
              "workers": args.workers, "threads": args.threads,
              "connections": args.connections, "seconds": args.seconds,
              "profile": {k: v["top"] for k, v in profile.items()}}
    (OUT / "hotline_load.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))

    print("\n| run | load | req/s | × trivial | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, rows in runs.items():
        base = rows["trivial"]["rps"] if "trivial" in rows else float("nan")
        for mode, r in rows.items():
            print(f"| {label}: {mode} | {r['load_avg']} | {r['rps']:.0f} | "
                  f"{r['rps'] / base:.0%} | {r['p50_us'] / 1000:.0f} | {r['p95_us'] / 1000:.0f}"
                  f" | {r['p99_us'] / 1000:.0f} | {r['max_us'] / 1000:.0f} | {r['errors']} |")
    print("\none answer search, unloaded (in process, cache off, every question ×3):")
    for label, u in unloaded.items():
        print(f"  {label}: median {u['median_ms']:.2f} ms, p95 {u['p95_ms']:.2f} ms")
    for label, p in profile.items():
        print(f"\nwhere the time goes — {label} ({p['wall_s']:.2f} s):")
        print(re.sub(r"\n{2,}", "\n", p["top"]))


if __name__ == "__main__":
    main()
