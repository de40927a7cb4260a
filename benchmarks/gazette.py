"""Gazette library benchmark: ingesting the seed issue, and searching it replicated to 100 issues.

Run: `.venv/bin/python benchmarks/gazette.py [--issues 100] [--database-url URL]`
(default database: a fresh SQLite file under benchmarks/out/). Prints a table and writes
benchmarks/out/gazette.json. Ratios are against baselines measured in the same run:
  - ingest: the full ingest (parse + store + index) against parsing alone;
  - search: the median and p95 query time over N issues against the same queries over 1 issue
    (`selectors.search_page`, what the page, the API and the CLI run: the true total counted,
    the first page of 20 ranked among at most `core.search.RANK_CAP` matches), with the number
    of matching rows, so that the cost per matching row can be stated.
With `--reuse` a database that already holds the N issues is searched as it is (no ingest
timings): for repeating the search figures without the 99 ingests.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from _db import use_database  # benchmarks/_db.py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

QUERIES = ["碳汇", "总部企业认定条件", "零申报", "申报期限", "中低产林改造补助", "以奖代补",
           "地质灾害隐患点", "96128 专线", "楼宇经济发展指数", "土地流转奖励"]
# Broad queries (a word in most provisions): where ranking every match costs most.
BROAD = ["工作", "发展", "的"]


def _variant(text: str, k: int) -> bytes:
    """The seed as if it were issue k of 2010 (only the masthead's number and serial change)."""
    return (text.replace("2010 年 8 月 10 日 第 15 号", f"2010 年 8 月 10 日 第 {k} 号", 1)
                .replace("(总号: 142)", f"(总号: {127 + k})", 1)).encode("utf-8")


def _timed(fn, repeat: int):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def _pct(values, q):
    s = sorted(values)
    return s[max(0, min(len(s) - 1, round(q * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--issues", type=int, default=100)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--reuse", action="store_true")
    args = ap.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    use_database(args.database_url, "gazette")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from kmgov.core.services import org_tree_load
    from kmgov.gazette import selectors
    from kmgov.gazette.models import Issue
    from kmgov.gazette.parser import parse_bytes
    from kmgov.gazette.services import issue_delete, issue_ingest

    if connection.vendor == "postgresql" and not args.reuse:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    org_tree_load()
    seed_path = Path(settings.SHARED_DIR) / "gazette" / "kunming-gazette-2010-no15.txt"
    seed = seed_path.read_text(encoding="utf-8")
    data = seed.encode("utf-8")
    selectors.search_page("预热")  # load jieba's dictionary outside the timings

    def query_times(repeat):
        per_query, every, matches = {}, [], {}
        for q in QUERIES:
            selectors.search_page(q)  # warm
            times = _timed(lambda q=q: selectors.search_page(q), repeat)
            per_query[q] = statistics.median(times)
            every += times
            matches[q] = selectors.search_page(q).total
        return per_query, every, matches

    timings = {}
    if args.reuse:
        first = Issue.objects.order_by("id").first()
        one_issue = None
        if first is not None:  # 1 issue = the same queries narrowed to the first issue
            def one(q):
                return selectors.search_page(q, issue=first)
            one_times = {q: statistics.median(_timed(lambda q=q: one(q), args.repeat))
                         for q in QUERIES}
            one_issue = (one_times, [], {q: one(q).total for q in QUERIES})
    else:
        parse_times = _timed(lambda: parse_bytes(data), 10)

        def ingest_fresh():
            for issue in Issue.objects.all():
                issue_delete(issue=issue)
            t = time.perf_counter()
            issue_ingest(data=data, source_name="seed")
            return time.perf_counter() - t

        ingest_times = [ingest_fresh() for _ in range(5)]
        reingest_times = _timed(lambda: issue_ingest(data=data, source_name="seed"), 5)
        one_issue = query_times(args.repeat)
        t = time.perf_counter()
        for k in range(1, args.issues):
            issue_ingest(data=_variant(seed, 1000 + k), source_name=f"copy-{k}")
        bulk_ingest = time.perf_counter() - t
        timings = {
            "parse_median_s": statistics.median(parse_times),
            "ingest_median_s": statistics.median(ingest_times),
            "ingest_over_parse": statistics.median(ingest_times) / statistics.median(parse_times),
            "reingest_unchanged_median_s": statistics.median(reingest_times),
            "ingest_99_more_issues_s": bulk_ingest,
        }
    many, every, matches = query_times(args.repeat)
    # Same-run reference: the unbounded ranking the page used before (`core.search.search`:
    # ts_rank_cd / bm25 over every match, then the phrase bonus on 200 candidates in Python).
    from kmgov.core import search as core_search

    unbounded = {q: statistics.median(_timed(lambda q=q: core_search.search(
        q, sources=["gazette.node"], limit=20), args.repeat)) for q in QUERIES}
    broad = {q: {"matching_rows": selectors.search_page(q).total,
                 "bounded_ms": 1000 * statistics.median(_timed(
                     lambda q=q: selectors.search_page(q), args.repeat)),
                 "unbounded_ms": 1000 * statistics.median(_timed(lambda q=q: core_search.search(
                     q, sources=["gazette.node"], limit=20), args.repeat))} for q in BROAD}
    n_nodes = selectors.Node.objects.count()
    one_med = statistics.median(one_issue[0].values())
    many_med = statistics.median(many.values())
    result = {
        "database": connection.vendor,
        "load_average": os.getloadavg(),
        "issues": Issue.objects.count(),
        "nodes": n_nodes,
        **timings,
        "search_1_issue_median_ms": 1000 * one_med,
        "search_n_issues_median_ms": 1000 * many_med,
        "search_n_issues_p95_ms": 1000 * _pct(every, 0.95),
        "search_n_issues_max_ms": 1000 * max(many.values()),
        "search_ratio_n_over_1": many_med / one_med,
        "unbounded_ranking_n_issues_median_ms": 1000 * statistics.median(unbounded.values()),
        "unbounded_ranking_n_issues_max_ms": 1000 * max(unbounded.values()),
        "matching_rows_total": sum(matches.values()),
        "per_query_ms": {q: round(1000 * v, 2) for q, v in many.items()},
        "per_query_unbounded_ms": {q: round(1000 * v, 2) for q, v in unbounded.items()},
        "per_query_broad": broad,
        "per_query_matches": matches,
        "per_query_1_issue_matches": one_issue[2],
    }
    (out / f"gazette-{connection.vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2))
    for k, v in result.items():
        if not k.startswith("per_query"):
            print(f"{k:32} {v:.4f}" if isinstance(v, float) else f"{k:32} {v}")
    for q, v in result["per_query_ms"].items():
        print(f"  {q:20} {v} ms  {matches[q]} matching rows; unbounded "
              f"{result['per_query_unbounded_ms'][q]} ms")
    for q, v in broad.items():
        print(f"  broad {q:14} {v}")


if __name__ == "__main__":
    main()
