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
            REPORT_DAYS,
            HeadquartersApplication,
        )
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--baseline", type=int, default=1_000)
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--database-url", default="")
    args = ap.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        db = out / "bench-procedures.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmgov.settings")
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
    small = measure(clients(), None, args.requests)
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
    big = measure(clients(), None, args.requests)

    sweep_now = "2031-01-01T09:00"

    def sweep():
        buf = io.StringIO()
        t = time.perf_counter()
        call_command("procedures", "sweep", "--json", "--now", sweep_now, stdout=buf)
        return time.perf_counter() - t, json.loads(buf.getvalue())

    sweep_s, sweep_res = sweep()
    again_s, again_res = sweep()
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
        "sweep": {"now": sweep_now, "seconds": sweep_s, "result": sweep_res,
                  "rows_per_s": fired / sweep_s if sweep_s else None,
                  "second_run_seconds": again_s, "second_run_result": again_res},
    }
    result["goal_pages_under_100ms_median"] = all(
        v["median_ms"] < 100 for v in result["pages"].values())
    result["goal_sweep_under_30s"] = sweep_s < 30
    (out / f"procedures-{connection.vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k not in ("pages", "sweep")},
                     ensure_ascii=False, indent=1))
    print(f"{'page':34} {'median':>8} {'p95':>8} {'q':>3} {'1k med':>8} {'ratio':>6}")
    for k, v in result["pages"].items():
        print(f"{k:34} {v['median_ms']:8.1f} {v['p95_ms']:8.1f} {v['queries']:3} "
              f"{v['baseline_median_ms']:8.1f} {v['ratio']:6.2f}")
    s = result["sweep"]
    print(f"sweep: {s['seconds']:.1f} s, {s['result']}, {s['rows_per_s']:.0f} rows/s")
    print(f"second sweep: {s['second_run_seconds']:.2f} s, {s['second_run_result']}")
    assert again_res["reminders"] + again_res["escalations"] == 0, again_res


if __name__ == "__main__":
    main()
