"""Agriculture xlsx import benchmark (issue 15 item 5): a 5,000-row sheet must import in under
10 s on this machine.

Run: `.venv/bin/python benchmarks/imports.py [--rows 5000] [--database-url postgresql://…/importbench]`
(without --database-url a fresh SQLite file under benchmarks/out/ is used). The database is
emptied (PostgreSQL) or made anew (SQLite) and migrated; the organisation tree is loaded.

Sheets of `--baseline` (default 100), 1,000 and `--rows` rows are written with openpyxl, the
four kinds of line of 昆政发〔2010〕59号 in turn (种植业结构调整 1亩 粮食→苗木, 异地租地种植 3亩
蔬菜, 培训转移 1人, 土地流转 1亩; areas kept small so that the 5,000 rows stay within 晋宁县's
Annex 1 plan), each imported by `imports.claim_import` (the CLI's and the API's path) into a
new claim of 晋宁县 for 2011: wall time of the whole call (read, check by the rules, insert,
recompute, audit), the CPU time of this process (on SQLite all of the work; on PostgreSQL
without the server's), lines per second, and the ratio of the time per row against the baseline's
(1.0 = linear). Also the old line-by-line path (`services.line_add` per row, which locks the
claim, counts its lines and recomputes its totals each time) on the baseline sheet's rows, for
the ratio of what the bulk path saves. Prints a table and writes benchmarks/out/imports-<vendor>.json.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from _db import use_database  # benchmarks/_db.py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

HEADER = ["类型", "乡镇", "面积（亩）", "人数", "原种植产业", "调整后用途", "租地作物", "租地在流域外",
          "补助年数", "申报金额（元）"]
ROWS = [
    ["种植业结构调整", None, 1, None, "粮食", "苗木", None, None, None, 1000],
    ["异地租地种植", None, 3, None, None, None, "蔬菜", "是", 1, 1500],
    ["培训转移", None, None, 1, None, None, None, None, None, 800],
    ["土地流转", None, 1, None, None, None, None, None, None, 100],
]


def write_sheet(path: Path, n: int) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for i in range(n):
        ws.append(ROWS[i % len(ROWS)])
    wb.save(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--baseline", type=int, default=100)
    ap.add_argument("--database-url", default="")
    args = ap.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    use_database(args.database_url, "imports")
    os.environ.setdefault("KMGOV_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kmgov.core.models import Role
    from kmgov.core.services import org_tree_load, user_create
    from kmgov.policies.agriculture import imports, services
    from kmgov.policies.agriculture.models import AgricultureClaim

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    org_tree_load()
    user = user_create(username="bench-jinning-nyj",
                       roles=[(Role.COUNTY_DEPARTMENT, "jinning-agriculture")])

    results = []
    sizes = [args.baseline, 1000, args.rows] if args.rows != 1000 else [args.baseline, 1000]
    for n in sizes:
        path = write_sheet(out / f"bench-import-{n}.xlsx", n)
        t0, c0 = time.perf_counter(), time.process_time()
        claim = imports.claim_import(actor=user, county="jinning", year=2011, path=path)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert claim.lines.count() == n, (n, claim.lines.count())
        results.append({"rows": n, "seconds": round(secs, 3), "cpu_seconds": round(cpu, 3),
                        "rows_per_s": round(n / secs, 1),
                        "accepted_yuan": str(claim.accepted_yuan)})
        # a claim per county and year is not required; delete it so the plan stays free
        AgricultureClaim.objects.filter(pk=claim.pk).delete()

    # the old path: one line_add per row (lock, count, recompute, audit each time)
    claim = services.claim_create(actor=user, county="jinning", year=2011)
    t0 = time.perf_counter()
    for i in range(args.baseline):
        kind_row = ROWS[i % len(ROWS)]
        kind = imports.KINDS[kind_row[0]]
        inputs = ({"people": 1} if kind == "training" else
                  {"contiguous_area_mu": 3, "crop": "蔬菜", "outside_basin": True, "years": 1}
                  if kind == "offsite_rent" else
                  {"area_mu": 1, "from_use": "粮食", "to_use": "苗木"} if kind == "conversion"
                  else {"area_mu": 1})
        services.line_add(claim, actor=user, kind=kind, claimed_yuan=kind_row[-1], inputs=inputs)
    line_by_line = time.perf_counter() - t0

    base = results[0]["seconds"] / results[0]["rows"]
    load = os.getloadavg()[0]
    print(f"agriculture xlsx import, {connection.vendor}, {platform.node()}, "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    print(f"{'rows':>6} {'seconds':>8} {'cpu s':>8} {'rows/s':>8} {'per-row ratio':>14}")
    for r in results:
        r["per_row_ratio"] = round((r["seconds"] / r["rows"]) / base, 2)
        print(f"{r['rows']:>6} {r['seconds']:>8} {r['cpu_seconds']:>8} {r['rows_per_s']:>8} "
              f"{r['per_row_ratio']:>14}")
    print(f"line by line (services.line_add), {args.baseline} rows: {line_by_line:.2f} s "
          f"({line_by_line / results[0]['seconds']:.1f} × the bulk import of the same rows)")
    (out / f"imports-{connection.vendor}.json").write_text(json.dumps(
        {"vendor": connection.vendor, "load_average": load, "results": results,
         "line_by_line": {"rows": args.baseline, "seconds": round(line_by_line, 3)}}, indent=1))


if __name__ == "__main__":
    main()
