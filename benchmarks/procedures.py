"""Procedures benchmark (issue 4): the inbox and list pages with 100,000 cases, and the sweep
over 100,000 open deadlines.

Run: `.venv/bin/python benchmarks/procedures.py --database-url postgresql://…/procbench`
(PostgreSQL for a recorded run; without --database-url a fresh SQLite file under
benchmarks/out/ is used, for a smoke run with e.g. `--cases 5000 --requests 5`).

The database is emptied first. The population is written with bulk_create, but row for row
what the services write: cases of 总部企业认定 (`hq`, 70 %) and 中低产林改造 (`forestry`, 30 %)
of 6,800 enterprises spread over the 17 counties/zones of 2010 (400 each), in all their
states; an open inbox item for whoever each case awaits (the `awaits` of the step that entered
its state, resolved to the unit the kernel resolves it to); the audit entries of its creation
and of that step; and for every certified HQ (state `filed`, half of all cases) the two
deadlines its filing schedules (第十九条: the reminder to the enterprise and the escalation to
市商务局), so that the open deadlines number as many as the cases. HQ applications are one an
enterprise a year (2011–2025), so their yearly-report periods have all ended: all due.

Measured with the Django test Client (middleware, session, templates, database), logged in as
a county office official (盘龙区: one county's share), the city office (sees all) and one
enterprise: N requests each of /inbox/, /headquarters/ (HQ list), /forestry/projects/ (the
kernel's generic list), GET /api/v1/inbox and one HQ case page; median, p95 and the queries
of one request. Baseline in the same run: the same pages after the first `--baseline` cases.
Then `kmgov procedures sweep` with `--now` past every period (all open deadlines due), then
again (must fire nothing). Prints a table and writes benchmarks/out/procedures-<vendor>.json.

Steps at volume (`--steps-seconds N`, PostgreSQL): the app is served by gunicorn (gthread,
`--workers` × `--threads`, DEBUG off) on the same database, and `--clients` (50) concurrent
clients (threads of this process, one keep-alive connection each, bearer tokens) take the HQ
applications of the population that are midway through their route to the end of it through
the JSON API — 审核通过 (county office), 联审会议通过 (meeting secretary), 批准 (county
government), 备案 (city office) — each step writing what it writes in production (the row
lock, the audit entry, the inbox items closed and opened, deadlines cancelled and scheduled,
the decision/filing side effects). Reports steps/s, latency median/p95/max and every non-200.
The same-run reference: the trivial `GET /api/v1/hotline/suggest?q=` by the same clients.
"""

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from _db import use_database  # benchmarks/_db.py
from _wrk import run_wrk  # benchmarks/_wrk.py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

ENTERPRISES_PER_COUNTY = 400
# Of every 10 cases: 5 certified HQs (state `filed`, each with its two open deadlines, so that
# the open deadlines number as many as the cases), 2 HQ applications in the other states, 3
# forestry projects.
HQ_FILED_SLOTS, HQ_SLOTS = 5, 7
FIRST_YEAR = 2011


def _pct(values, q):
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(q * (len(s) - 1))))
    return s[k]


class Population:
    """Writes cases number `start`…`stop-1` (deterministic: case i is always the same)."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType

        from kmgov.core.models import OrgUnit, Role, RoleAssignment
        from kmgov.policies.forestry.models import ForestProject
        from kmgov.policies.headquarters.models import (
            HQ_TYPE_LABELS,
            REPORT_CITATION,
            HeadquartersApplication,
        )

        # 第十九条's yearly report is now a scheduled filing (hq-statistics); the population
        # keeps two deadline rows per certified HQ as before, a year after its filing, as the
        # sweep's load (the sweep fires deadline rows whatever step scheduled them).
        REPORT_DAYS = 365
        from kmgov.procedures.declare import resolve_org, steps_of

        self.HQ, self.FP = HeadquartersApplication, ForestProject
        User = get_user_model()
        self.city = OrgUnit.objects.get(parent__isnull=True, kind="city")
        self.counties = list(OrgUnit.objects.filter(kind__in=("county", "zone"),
                                                    parent=self.city).order_by("code"))
        assert len(self.counties) == 17, [c.code for c in self.counties]
        # The 17 counties and zones of 2010 (14 counties, 3 zones); the other bodies came later.
        # Enterprises (and one applicant account each) under every county.
        units = [OrgUnit(code=f"bench-ent-{c.code}-{k:03d}", name=f"{c.name}示例企业{k:03d}",
                         kind="enterprise", parent=c, path=f"{c.path}bench-ent-{c.code}-{k:03d}/",
                         depth=c.depth + 1)
                 for c in self.counties for k in range(ENTERPRISES_PER_COUNTY)]
        OrgUnit.objects.bulk_create(units, batch_size=2000)
        # Interleaved (enterprise 0 of every county, then 1…): any run of cases is spread over
        # all 17 counties.
        self.enterprises = sorted(
            OrgUnit.objects.filter(code__startswith="bench-ent-").select_related("parent"),
            key=lambda u: (int(u.code.rsplit("-", 1)[1]), u.parent.code))
        users = [User(username=f"u-{u.code}", first_name=u.name) for u in self.enterprises]
        for u in users:
            u.set_unusable_password()
        User.objects.bulk_create(users, batch_size=2000)
        by_name = {u.username: u for u in User.objects.filter(username__startswith="u-bench-")}
        self.applicant = {e.pk: by_name[f"u-{e.code}"] for e in self.enterprises}
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=self.applicant[e.pk], role=Role.ENTERPRISE, org=e)
             for e in self.enterprises], batch_size=2000)
        self.hq_types = list(HQ_TYPE_LABELS)
        self.report_days, self.report_citation = REPORT_DAYS, REPORT_CITATION
        self.ct = {m: ContentType.objects.get_for_model(m) for m in (self.HQ, self.FP)}
        self.commerce = OrgUnit.objects.get(code="city-commerce")
        self.Role = Role
        # For every state: the step that enters it (its label and what it awaits), resolved
        # per county as the kernel resolves it.
        self.entering = {}
        for model in (self.HQ, self.FP):
            for name, spec in sorted(steps_of(model).items()):
                for tr in getattr(model, name)._django_fsm.transitions.values():
                    if tr.target and tr.target != tr.source:
                        self.entering.setdefault((model, tr.target), spec)
        self._targets = {}
        self._resolve_org = resolve_org

    def targets(self, model, state, enterprise):
        """[(what, role, role_org_id) or (what, None, None) for the applicant]."""
        spec = self.entering.get((model, state))
        if spec is None:
            return None, []
        key = (model, state, enterprise.parent_id)
        if key not in self._targets:
            probe = model(org=enterprise)
            out = []
            for aw in spec.awaits:
                if aw.applicant:
                    out.append((aw.what, None, None))
                    continue
                try:
                    out.append((aw.what, aw.role, self._resolve_org(probe, aw.at).pk))
                except Exception:  # e.g. a township's station for a unit under no township
                    continue
            self._targets[key] = out
        return spec, self._targets[key]

    def write(self, start, stop):
        from django.db import transaction

        from kmgov.core.audit import audit_record_many
        from kmgov.core.calendar import TZ, DayCount, add_days, end_of_day, local
        from kmgov.policies._recognition import State as HQState
        from kmgov.policies.forestry.models import Method, Ownership
        from kmgov.policies.forestry.models import State as FState
        from kmgov.procedures.models import Deadline, DeadlineKind, InboxItem, InboxKind

        hq_other = [s for s in HQState.values if s != HQState.FILED]
        f_states = list(FState.values)
        n_ent = len(self.enterprises)
        hq_prefix, f_prefix = self.HQ.procedure.prefix(), self.FP.procedure.prefix()
        chunk = 5000
        for lo in range(start, stop, chunk):
            hi = min(stop, lo + chunk)
            cases = []
            for i in range(lo, hi):
                rnd = random.Random(i)
                slot = i % 10
                if slot < HQ_SLOTS:
                    e = self.enterprises[i % n_ent]
                    year = FIRST_YEAR + i // n_ent  # one application a year each
                    state = HQState.FILED if slot < HQ_FILED_SLOTS else rnd.choice(hq_other)
                    created = dt.datetime(year, 3, 1 + rnd.randrange(28), 9, tzinfo=TZ) \
                        + dt.timedelta(minutes=i % 600)
                    c = self.HQ(org=e, applicant=self.applicant[e.pk], title="总部企业认定",
                                year=year, hq_type=rnd.choice(self.hq_types), state=state,
                                reference=f"{hq_prefix}-{year}-{i % n_ent + 1:05d}",
                                created_at=created,
                                decision_outcome="qualifies")
                    if state == HQState.FILED:
                        c.filed_at = created + dt.timedelta(days=60)
                        c.filing_number = f"备{year}-{i % n_ent + 1:05d}"
                        last_day = add_days(local(c.filed_at).date(), self.report_days,
                                            DayCount.CALENDAR, roll_forward=False)
                        c.due_at = end_of_day(last_day)
                else:
                    e = self.enterprises[(i * 7) % n_ent]
                    created = (dt.datetime(FIRST_YEAR, 1, 1, 9, tzinfo=TZ)
                               + dt.timedelta(days=rnd.randrange(15 * 365), minutes=i % 600))
                    c = self.FP(org=e, applicant=self.applicant[e.pk], title="中低产林改造",
                                state=rnd.choice(f_states), reference=f"{f_prefix}-{created.year}-{i:05d}",
                                created_at=created, ownership=Ownership.values[0],
                                holder_name=e.name, area_mu=100 + i % 900,
                                method=Method.values[0])
                c.state_changed_at = c.submitted_at = created + dt.timedelta(days=7)
                c.version = 2
                cases.append(c)
            with transaction.atomic():
                for model in (self.HQ, self.FP):
                    rows = [c for c in cases if type(c) is model]
                    model.objects.bulk_create(rows, batch_size=1000)
                items, deadlines, entries = [], [], []
                for c in cases:
                    model = type(c)
                    spec, targets = self.targets(model, c.state, c.org)
                    ref = dict(content_type=self.ct[model], object_id=c.pk,
                               case_reference=c.reference)
                    entries.append(dict(actor=c.applicant, action=f"{model.procedure.code}.create",
                                        obj=c, org=c.org, to_state="draft",
                                        extra={"reference": c.reference}))
                    if spec is None:
                        continue
                    entries.append(dict(actor=c.applicant, action=f"{model.procedure.code}.{spec.name}",
                                        obj=c, org=c.org, from_state="draft", to_state=c.state,
                                        extra={"step": spec.label, "version": 2}))
                    period_ends = c.due_at  # set for certified HQs (第十九条)
                    for what, role, role_org_id in targets:
                        target = (dict(user_id=c.applicant_id) if role is None
                                  else dict(role=role, role_org_id=role_org_id))
                        items.append(InboxItem(
                            **ref, kind=InboxKind.ACTION, procedure=model.procedure.code,
                            case_title=c.title, case_state=c.state, org=c.org, what=what,
                            due_at=period_ends, created_at=c.state_changed_at, **target))
                    if period_ends is not None:
                        last = local(period_ends - dt.timedelta(seconds=1)).date()
                        label = f"{model.procedure.name}“{c.reference}”报送总部情况统计资料"
                        common = dict(**ref, state=c.state, step="file", period_ends_at=period_ends,
                                      days=self.report_days, count=str(DayCount.CALENDAR),
                                      citation=self.report_citation,
                                      created_at=c.filed_at)
                        deadlines.append(Deadline(
                            **common, kind=DeadlineKind.REMINDER, target_user_id=c.applicant_id,
                            due_at=(period_ends - dt.timedelta(days=30)).replace(hour=9),
                            message=f"提醒：{label}期限为{self.report_days}日，将于"
                                    f"{last.year}年{last.month}月{last.day}日届满"))
                        deadlines.append(Deadline(
                            **common, kind=DeadlineKind.ESCALATION,
                            target_role=self.Role.CITY_DEPARTMENT, target_org=self.commerce,
                            due_at=period_ends,
                            message=f"逾期：{label}期限{self.report_days}日已于"
                                    f"{last.year}年{last.month}月{last.day}日届满，尚未办理"))
                InboxItem.objects.bulk_create(items, batch_size=2000)
                Deadline.objects.bulk_create(deadlines, batch_size=2000)
                audit_record_many(entries)


def _db_version(connection) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT version()" if connection.vendor == "postgresql"
                    else "SELECT sqlite_version()")
        return cur.fetchone()[0]


def server_cpu(connection):
    """A function giving the CPU seconds (user + system) that this connection's PostgreSQL
    backend has used, read from /proc when the server runs on this machine; else None. The
    sweep's work is nearly all the server's: its CPU, unlike its wall time, hardly depends on
    what else the machine runs."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cur.fetchone()[0]}/stat")
    if not stat.exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    return read


@contextlib.contextmanager
def keep_timestamps(*models):
    """bulk_create with the population's own created_at (not the moment of the run)."""
    fields = [m._meta.get_field("created_at") for m in models]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def measure(client_for, pages, repeat):
    from django.db import connection

    out = {}
    for who, (client, urls) in client_for.items():
        for page, url in urls.items():
            for _ in range(3):  # warm up (templates, caches, plans)
                r = client.get(url)
                assert r.status_code == 200, (who, page, url, r.status_code)
            ctx = []

            def count(execute, sql, params, many, context, ctx=ctx):
                ctx.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                r = client.get(url)
                times.append(1000 * (time.perf_counter() - t))
            out[f"{who}/{page}"] = {"url": url, "median_ms": statistics.median(times),
                                    "p95_ms": _pct(times, 0.95), "queries": len(ctx),
                                    "bytes": len(r.content)}
    return out


STEP_OF_STATE = {  # HQ state -> (step, role key, data)
    "submitted": ("pass_to_meeting", "office", {}),
    "at_meeting": ("meeting_pass", "secretary", None),  # data filled per run (today's date)
    "meeting_passed": ("approve", "government", {}),
    "approved": ("file", "city", {}),
}


def _load(port, clients, seconds, work, make_request):
    """Run `clients` threads for at most `seconds`; each pulls from `work` (a list of jobs) and
    sends requests made by `make_request(job) -> iterator of (method, path, body, token,
    expected)`. Returns (elapsed, latencies, statuses)."""
    import http.client
    import threading

    lock = threading.Lock()
    jobs = list(work)
    latencies, statuses = [], {}
    stop_at = time.perf_counter() + seconds
    barrier = threading.Barrier(clients + 1)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        while time.perf_counter() < stop_at:
            with lock:
                if not jobs:
                    return
                job = jobs.pop()
            for method, path, body, token in make_request(job):
                if time.perf_counter() >= stop_at:
                    return
                headers = {"Authorization": f"Bearer {token}"}
                if body is not None:
                    headers["Content-Type"] = "application/json"
                t = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    r = conn.getresponse()
                    r.read()
                    status = r.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status = "connection error"
                dt_ = time.perf_counter() - t
                with lock:
                    latencies.append(dt_)
                    statuses[status] = statuses.get(status, 0) + 1
                if status != 200:
                    break  # this case's route stops here

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies, statuses


STEPS_LUA = r"""
-- Each wrk thread walks its share of a file of pre-made step requests (one a line: method,
-- path, bearer token, JSON body, tab-separated), thread i taking lines i, i+T, i+2T…; the file
-- is ordered round by round (every case's next step, then every case's step after that), so
-- a case's next step is sent thousands of requests after the one before it.
local lines, threads, nthreads = {}, {}, %(threads)d
local counter = 0
setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
init = function(args)
  local k = 0
  for line in io.lines("%(path)s") do
    if k %% nthreads == id then table.insert(lines, line) end
    k = k + 1
  end
  n, ok, other, exhausted = 0, 0, 0, 0
end
request = function()
  n = n + 1
  local line = lines[n]
  if line == nil then
    exhausted = 1
    return wrk.format("GET", "/api/v1/hotline/suggest?q=")
  end
  local method, path, token, body = line:match("^(%%S+)\t(%%S+)\t(%%S+)\t(.*)$")
  local hdr = {["Authorization"] = "Bearer " .. token}
  if body ~= "" then hdr["Content-Type"] = "application/json" else body = nil end
  return wrk.format(method, path, hdr, body)
end
response = function(status, headers, body)
  if exhausted == 1 then return end
  if status == 200 then ok = ok + 1 else other = other + 1 end
end
done = function(summary, latency, requests)
  local t_ok, t_other, t_ex = 0, 0, 0
  for _, t in ipairs(threads) do
    t_ok = t_ok + t:get("ok"); t_other = t_other + t:get("other")
    t_ex = t_ex + t:get("exhausted")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "ok": %%d, "not_ok": %%d, "exhausted": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, "p50_us": %%d, ' ..
    '"p95_us": %%d, "p99_us": %%d, "max_us": %%d}\n',
    summary.requests, summary.duration, t_ok, t_other, t_ex, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""


def _step_tokens(pop, prefix: str, secretary) -> dict:
    """API tokens of the officials who step the HQ cases: the city office, and each county's
    office, meeting secretary and government (usernames bench-<prefix>-…)."""
    from kmgov.core.models import Role
    from kmgov.core.services import api_token_create, user_create

    tokens = {"city": api_token_create(user=user_create(
        username=f"bench-{prefix}-city", roles=[(Role.CITY_OFFICE, "kunming")]), days=0).key}
    for county in pop.counties:
        for key, role in (("office", Role.COUNTY_OFFICE), ("secretary", secretary),
                          ("government", Role.COUNTY_GOVERNMENT)):
            u = user_create(username=f"bench-{prefix}-{key}-{county.code}", roles=[(role, county.code)])
            tokens[(key, county.pk)] = api_token_create(user=u, days=0).key
    return tokens


def _wrk(port, script, *, seconds, connections, threads) -> dict:
    return run_wrk(port, script, seconds=seconds, connections=connections, threads=threads)


def _serve(src: Path, db_url: str, workers: int, threads: int, log: Path):
    """gunicorn (gthread, DEBUG off) serving the tree `src` on the benchmark's database."""
    import socket
    import subprocess

    env = dict(os.environ, DATABASE_URL=db_url, PYTHONPATH=str(src),
               DJANGO_SETTINGS_MODULE="kmgov.settings", KMGOV_CONN_MAX_AGE="600",
               KMGOV_DEBUG="0")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The server's log to a file, never to a pipe nobody reads: the application logs every
    # message it "sends" (kmgov.sms, mail), and a full pipe (64 KiB) blocks every thread that
    # logs — the server hangs (see benchmarks/README.md, 2026-11-30 perf).
    with open(log, "wb") as err:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "kmgov.wsgi:application",
             "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "gthread",
             "--threads", str(threads), "--keep-alive", "75", "--backlog", "2048",
             "--log-level", "warning"], env=env, stdout=err, stderr=err,
            start_new_session=True)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    return server, port


def _stop(server) -> None:
    import signal
    import subprocess

    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def steps_at_volume(args, pop, db_url):
    """Serve the app with gunicorn and take HQ steps through the API with many clients: wrk
    (`--load-generator wrk`, the default: a compiled client that leaves the two cores to the
    server) walking a file of pre-made requests, or Python threads (`python`, the earlier
    mode, whose clients cap the rate they can measure). With `--against-src DIR` the same is
    first run with the tree DIR served (e.g. `main`'s src/, exported), on the other half of the
    cases: a same-run baseline."""
    from kmgov.core.models import OrgUnit
    from kmgov.policies._recognition import MEETING_SECRETARY

    tokens = _step_tokens(pop, "step", MEETING_SECRETARY)
    county_of = dict(OrgUnit.objects.filter(kind="enterprise").values_list("pk", "parent_id"))
    route = list(STEP_OF_STATE)
    cases = list(pop.HQ.objects.filter(state__in=route).order_by("id")
                 .values_list("reference", "state", "org_id"))
    random.Random(1).shuffle(cases)
    today = dt.date.today().isoformat()

    def requests_for(job):
        reference, state, org_id = job
        for st in route[route.index(state):]:
            step, who, data = STEP_OF_STATE[st]
            if data is None:
                data = {"meeting_date": today, "meeting_members": ["区商务局 张三", "区财政局 李四"],
                        "meeting_minutes": "同意认定"}
            token = tokens["city"] if who == "city" else tokens[(who, county_of[org_id])]
            body = json.dumps({"reason": "基准测试", "expected_state": st, "data": data},
                              ensure_ascii=False).encode()
            yield "POST", f"/api/v1/cases/hq/{reference}/steps/{step}", body, token

    def trivial(job):
        yield "GET", "/api/v1/hotline/suggest?q=", None, tokens["city"]

    out_dir = HERE / "out"
    trees = [("this tree", ROOT / "src")]
    if args.against_src:
        trees.insert(0, ("against", Path(args.against_src).resolve()))
    warm_cases, cases = cases[:8 * len(trees)], cases[8 * len(trees):]
    results = {}
    for k, (label, src) in enumerate(trees):
        mine = cases[k::len(trees)]
        warm = warm_cases[k::len(trees)]
        server, port = _serve(src, db_url, args.workers, args.threads,
                              out_dir / f"procedures_serve_{k}.log")
        try:
            # Warm every worker (imports, jieba, caches) with a few of each kind of request.
            _load(port, args.workers * args.threads, 5, [None] * 200, trivial)
            _load(port, 4, 30, warm, requests_for)
            if args.load_generator == "wrk":
                results[label] = _steps_wrk(args, port, mine, requests_for, trivial)
            else:
                results[label] = _steps_python(args, port, mine, requests_for, trivial)
        finally:
            _stop(server)
        results[label].update(src=str(src), cases_midway=len(mine))
    out = results["this tree"]
    out["load_generator"] = args.load_generator
    out.update(clients=args.clients, workers=args.workers, threads=args.threads)
    if args.against_src:
        base = results["against"]
        out["against"] = base
        if base.get("steps_per_s"):
            out["steps_over_against"] = out["steps_per_s"] / base["steps_per_s"]
    return out


def _steps_wrk(args, port, cases, requests_for, trivial) -> dict:
    """wrk: the trivial endpoint, then the steps, each for `--steps-seconds`, with `--clients`
    connections on 2 threads."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="kmgov-steps-"))
    rounds: list[list[str]] = []
    for job in cases:
        for r, (method, path, body, token) in enumerate(requests_for(job)):
            while len(rounds) <= r:
                rounds.append([])
            rounds[r].append("\t".join((method, path, token, body.decode())))
    lines = [ln for rnd in rounds for ln in rnd]
    steps_file = tmp / "steps.tsv"
    steps_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    trivial_file = tmp / "trivial.tsv"
    method, path, _body, token = next(trivial(None))
    trivial_file.write_text(f"{method}\t{path}\t{token}\t\n" * 200_000, encoding="utf-8")
    res = {}
    for label, f in (("trivial", trivial_file), ("steps", steps_file)):
        script = tmp / f"{label}.lua"
        script.write_text(STEPS_LUA % {"path": str(f), "threads": 2}, encoding="utf-8")
        res[label] = _wrk(port, script, seconds=args.steps_seconds, connections=args.clients,
                          threads=2)
    st, tr = res["steps"], res["trivial"]
    return {
        "seconds": st["seconds"], "steps_ok": st["ok"], "steps_not_ok": st["not_ok"],
        "socket_errors": st["connect"] + st["read"] + st["write"] + st["timeout"],
        "ran_out_of_steps": bool(st["exhausted"]), "steps_available": len(lines),
        "steps_per_s": st["ok"] / st["seconds"], "median_ms": st["p50_us"] / 1000,
        "p95_ms": st["p95_us"] / 1000, "p99_ms": st["p99_us"] / 1000,
        "max_ms": st["max_us"] / 1000, "load_average": st["load_avg"],
        "reference_trivial_per_s": tr["ok"] / tr["seconds"],
        "reference_trivial_median_ms": tr["p50_us"] / 1000,
        "steps_over_trivial": (st["ok"] / st["seconds"]) / (tr["ok"] / tr["seconds"]),
    }


def _steps_python(args, port, cases, requests_for, trivial) -> dict:
    load_before = os.getloadavg()
    ref_s, ref_lat, ref_status = _load(port, args.clients, args.steps_seconds / 2,
                                       [None] * 10 ** 6, trivial)
    steps_s, lat, status = _load(port, args.clients, args.steps_seconds, cases, requests_for)
    load_after = os.getloadavg()
    ok = status.get(200, 0)
    return {
        "seconds": steps_s, "steps_ok": ok,
        "steps_per_s": ok / steps_s if steps_s else None, "statuses": {str(k): v for k, v in status.items()},
        "median_ms": 1000 * statistics.median(lat) if lat else None,
        "p95_ms": 1000 * _pct(lat, 0.95) if lat else None, "max_ms": 1000 * max(lat) if lat else None,
        "reference_trivial_per_s": ref_status.get(200, 0) / ref_s if ref_s else None,
        "reference_trivial_median_ms": 1000 * statistics.median(ref_lat) if ref_lat else None,
        "steps_over_trivial": (ok / steps_s) / (ref_status.get(200, 0) / ref_s)
        if ref_s and ref_status.get(200) else None,
        "load_average_before": load_before, "load_average_after": load_after,
    }


def profile_steps(pop, n: int) -> dict:
    """Where a step's time goes: `n` HQ steps through the API in this process (Django's test
    client, bearer tokens, DEBUG off), CPU per step (this process and the database backend's),
    the statements of one step, and a cProfile of them (CPU time)."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client

    from kmgov.core.models import OrgUnit
    from kmgov.policies._recognition import MEETING_SECRETARY

    tokens = _step_tokens(pop, "prof", MEETING_SECRETARY)
    county_of = dict(OrgUnit.objects.filter(kind="enterprise").values_list("pk", "parent_id"))
    today = dt.date.today().isoformat()
    cases = list(pop.HQ.objects.filter(state__in=list(STEP_OF_STATE)).order_by("-id")
                 .values_list("reference", "state", "org_id")[: 3 * n + 20])
    client = Client()

    def take(job):
        reference, state, org_id = job
        step, who, data = STEP_OF_STATE[state]
        if data is None:
            data = {"meeting_date": today, "meeting_members": ["区商务局 张三", "区财政局 李四"],
                    "meeting_minutes": "同意认定"}
        token = tokens["city"] if who == "city" else tokens[(who, county_of[org_id])]
        r = client.post(f"/api/v1/cases/hq/{reference}/steps/{step}",
                        json.dumps({"reason": "基准测试", "expected_state": state, "data": data},
                                   ensure_ascii=False), content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 200, r.content

    def backend_cpu():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    for job in cases[:10]:  # warm
        take(job)
    sql: list[str] = []

    def count(execute, q, params, many, context):
        sql.append(q)
        return execute(q, params, many, context)

    with connection.execute_wrapper(count):
        take(cases[10])
    jobs = cases[11:]
    b0, c0, w0 = backend_cpu(), time.process_time(), time.perf_counter()
    for job in jobs[:n]:
        take(job)
    cpu = (time.process_time() - c0) / n
    wall = (time.perf_counter() - w0) / n
    pg = (backend_cpu() - b0) / n
    prof = cProfile.Profile(time.process_time)
    prof.enable()
    for job in jobs[n:2 * n]:
        take(job)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(r"kmgov", 40)
    return {"steps": n, "python_cpu_ms": 1000 * cpu, "database_cpu_ms": 1000 * pg,
            "wall_ms": 1000 * wall, "statements": len(sql),
            "statement_heads": [q[:90] for q in sql], "profile": buf.getvalue()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--baseline", type=int, default=1_000)
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--skip-pages", action="store_true", help="populate and sweep only")
    ap.add_argument("--steps-seconds", type=float, default=0,
                    help="then take steps through the API for this long (PostgreSQL)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--profile-steps", type=int, default=0,
                    help="first profile this many HQ steps in this process (PostgreSQL)")
    ap.add_argument("--load-generator", choices=("wrk", "python"), default="wrk",
                    help="who sends the steps: wrk (compiled; default) or Python threads")
    ap.add_argument("--against-src", default="",
                    help="a second tree's src/ to serve first, on the other half of the cases "
                         "(same-run baseline, e.g. `git archive main src | tar -x -C DIR`)")
    args = ap.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    use_database(args.database_url, "procedures")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from kmgov.core.models import Role
    from kmgov.core.services import org_tree_load, user_create
    from kmgov.procedures.models import Deadline, InboxItem

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    org_tree_load()
    t0 = time.perf_counter()
    pop = Population()
    stamped = (pop.HQ, pop.FP, InboxItem, Deadline)
    county_office = user_create(username="bench-panlong-ban", roles=[(Role.COUNTY_OFFICE, "panlong")])
    city_office = user_create(username="bench-shi-ban", roles=[(Role.CITY_OFFICE, "kunming")])

    def clients():
        hq_any = pop.HQ.objects.order_by("-id").first()
        hq_county = pop.HQ.objects.filter(org__parent__code="panlong").order_by("-id").first()
        hq_own = pop.HQ.objects.filter(org=ent_unit).order_by("-id").first()
        out = {}
        for who, user, case in (("county_office", county_office, hq_county),
                                ("city_office", city_office, hq_any),
                                ("enterprise", enterprise, hq_own)):
            c = Client()
            c.force_login(user)
            out[who] = (c, {"inbox": "/inbox/", "hq_list": "/headquarters/",
                            "generic_list": "/forestry/projects/", "api_inbox": "/api/v1/inbox",
                            "case_page": f"/headquarters/{case.reference}/"})
        return out

    with keep_timestamps(*stamped):
        pop.write(0, args.baseline)
    # The enterprise: one of 盘龙区 with an application among the first cases.
    ent_unit = pop.HQ.objects.filter(org__parent__code="panlong").order_by("id").first().org
    enterprise = pop.applicant[ent_unit.pk]
    counts_small = {"cases": args.baseline, "open_deadlines": Deadline.objects.filter(
        fired_at__isnull=True, cancelled_at__isnull=True).count(),
        "open_inbox_items": InboxItem.objects.filter(done_at__isnull=True).count()}
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    small = measure(clients(), None, args.requests) if not args.skip_pages else {}
    # Same-run reference for the sweep: the baseline population's due deadlines, the first
    # half by the row-by-row path (taken when a listener needs each fired row: `on_fire`), the
    # rest by the set-based one. (Run with --cases 101000 for 100,000 in the big sweep.)
    from kmgov.procedures.services import deadlines_sweep

    ref_now = dt.datetime(2031, 1, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    n_ref = Deadline.objects.filter(fired_at__isnull=True, cancelled_at__isnull=True).count()
    pg_cpu = server_cpu(connection)
    t = time.perf_counter()
    by_row = deadlines_sweep(now=ref_now, limit=n_ref // 2, filings=False,
                             on_fire=lambda d, outcome: None)
    by_row_s = time.perf_counter() - t
    t = time.perf_counter()
    c0 = pg_cpu() if pg_cpu else None
    by_set = deadlines_sweep(now=ref_now, filings=False)
    by_set_s = time.perf_counter() - t
    by_set_cpu = pg_cpu() - c0 if pg_cpu else None
    sweep_reference = {
        "row_by_row": {"deadlines": by_row["due"], "seconds": by_row_s,
                       "rows_per_s": by_row["due"] / by_row_s if by_row_s else None},
        "set_based": {"deadlines": by_set["due"], "seconds": by_set_s,
                      "rows_per_s": by_set["due"] / by_set_s if by_set_s else None,
                      "server_cpu_s": by_set_cpu},
    }
    t1 = time.perf_counter()
    with keep_timestamps(*stamped):
        pop.write(args.baseline, args.cases)
    populate_s = time.perf_counter() - t1
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    counts_big = {"cases": pop.HQ.objects.count() + pop.FP.objects.count(),
                  "hq_cases": pop.HQ.objects.count(), "forestry_cases": pop.FP.objects.count(),
                  "open_deadlines": Deadline.objects.filter(
                      fired_at__isnull=True, cancelled_at__isnull=True).count(),
                  "open_deadlines_due_now": Deadline.objects.filter(
                      fired_at__isnull=True, cancelled_at__isnull=True,
                      due_at__lte=django.utils.timezone.now()).count(),
                  "open_inbox_items": InboxItem.objects.filter(done_at__isnull=True).count(),
                  "enterprises": len(pop.enterprises)}
    big = measure(clients(), None, args.requests) if not args.skip_pages else {}

    sweep_now = "2031-01-01T09:00"

    def sweep():
        buf = io.StringIO()
        t = time.perf_counter()
        call_command("procedures", "sweep", "--json", "--now", sweep_now, stdout=buf)
        return time.perf_counter() - t, json.loads(buf.getvalue())

    load_sweep = os.getloadavg()
    # The deadlines alone (what issue 14 times: 100,000 due deadlines), then the command as
    # cron runs it (scheduled filings and the audit seal too) to show that nothing is left.
    from kmgov.procedures.services import deadlines_sweep

    pg_cpu = server_cpu(connection)  # the connection may have been replaced since
    c0 = pg_cpu() if pg_cpu else None
    t = time.perf_counter()
    sweep_res = deadlines_sweep(now=dt.datetime.fromisoformat(sweep_now).replace(
        tzinfo=dt.timezone(dt.timedelta(hours=8))), filings=False)
    sweep_s = time.perf_counter() - t
    sweep_cpu = pg_cpu() - c0 if pg_cpu else None
    again_s, again_res = sweep()
    if args.profile_steps and connection.vendor == "postgresql":
        prof = profile_steps(pop, args.profile_steps)
        (out / "procedures-step-profile.txt").write_text(
            json.dumps({k: v for k, v in prof.items() if k != "profile"}, ensure_ascii=False,
                       indent=1) + "\n" + prof["profile"])
        print(json.dumps({k: v for k, v in prof.items() if k != "profile"}, ensure_ascii=False,
                         indent=1))
    steps = (steps_at_volume(args, pop, os.environ["DATABASE_URL"])
             if args.steps_seconds and connection.vendor == "postgresql" else None)
    fired = sweep_res["reminders"] + sweep_res["escalations"] + sweep_res["cancelled"]
    result = {
        "database": connection.vendor,
        "database_version": _db_version(connection),
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs, {platform.platform()}",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "requests_per_page": args.requests,
        "population_small": counts_small,
        "population": counts_big,
        "populate_s": populate_s,
        "setup_total_s": time.perf_counter() - t0,
        "pages": {k: {**big[k], "baseline_median_ms": small[k]["median_ms"],
                      "baseline_queries": small[k]["queries"],
                      "ratio": big[k]["median_ms"] / small[k]["median_ms"]} for k in big},
        "steps": steps,
        "sweep": {"now": sweep_now, "seconds": sweep_s, "result": sweep_res,
                  "server_cpu_s": sweep_cpu,
                  "same_run_reference": sweep_reference,
                  "load_average_before": load_sweep,
                  "rows_per_s": fired / sweep_s if sweep_s else None,
                  "second_run_seconds": again_s, "second_run_result": again_res},
    }
    result["goal_pages_under_100ms_median"] = all(
        v["median_ms"] < 100 for v in result["pages"].values()) if big else None
    result["goal_sweep_under_10s"] = sweep_s < 10
    if steps:
        result["goal_400_steps_per_s"] = (steps["steps_per_s"] or 0) >= 400
    (out / f"procedures-{connection.vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k not in ("pages", "sweep", "steps")},
                     ensure_ascii=False, indent=1))
    print(f"{'page':34} {'median':>8} {'p95':>8} {'q':>3} {'1k med':>8} {'ratio':>6}")
    for k, v in result["pages"].items():
        print(f"{k:34} {v['median_ms']:8.1f} {v['p95_ms']:8.1f} {v['queries']:3} "
              f"{v['baseline_median_ms']:8.1f} {v['ratio']:6.2f}")
    s = result["sweep"]
    print("sweep reference (baseline population):", json.dumps(sweep_reference))
    print(f"sweep: {s['seconds']:.1f} s, {s['result']}, {s['rows_per_s']:.0f} rows/s"
          + (f", PostgreSQL CPU {s['server_cpu_s']:.2f} s" if s["server_cpu_s"] is not None else ""))
    print(f"then the command (filings, audit seal): {s['second_run_seconds']:.2f} s, "
          f"{s['second_run_result']}")
    if steps:
        print("steps:", json.dumps(steps, ensure_ascii=False))
    assert again_res["reminders"] + again_res["escalations"] == 0, again_res


if __name__ == "__main__":
    main()
