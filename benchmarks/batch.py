"""Benchmark of `kmgov rules batch` on files: Parquet → Parquet in one process, CSV → CSV beside
it, and a large Parquet data set through Dask on two local workers (time, peak memory).

    python benchmarks/batch.py [--rows 1000000] [--repeat 3] [--dask-rows 10000000 ...] [--json]

Generates the cases (seeded, one in ten exactly on a threshold of 59号 四(五) / 63号) into a
temporary directory, in files of at most 1,000,000 rows (the large data sets are written file
by file, never held in memory), then:

1. Parquet → Parquet, `agriculture.land_transfer_reward` (id + area) and
   `headquarters.certification` (id + 23 inputs), through `kmgov.rules.streams.stream_batch`
   (what `kmgov rules batch` runs, without the interpreter's start), best of `--repeat`; and
   once through the `kmgov` command, start-up included;
2. CSV → CSV of the same land cases (the format of the issue's 5.4 s);
3. for each `--dask-rows N`: the land cases as a data set of N/1,000,000 files through
   `kmgov.rules.distributed.dask_batch` on a `LocalCluster(n_workers=2, threads_per_worker=1)`:
   wall time, rows per second, and the peak resident memory of each worker and of this process
   (`getrusage`, read on the workers before the cluster is closed).

Needs the `batch` extra. Results: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmgov.settings")

import django  # noqa: E402

django.setup()

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from kmgov.rules.registry import get_rule  # noqa: E402
from kmgov.rules.streams import stream_batch  # noqa: E402

AS_OF = dt.date(2011, 3, 15)
FILE_ROWS = 1_000_000


def land_table(n: int, seed: int, first_id: int = 0) -> pa.Table:
    rng = np.random.default_rng(seed)
    area = np.where(rng.random(n) < 0.1, rng.choice([999.0, 1000.0, 2000.0, 3000.0], n), np.round(rng.uniform(0, 5000, n)))
    return pa.table({"case_id": np.arange(first_id, first_id + n, dtype=np.int64), "area_mu": area})


def hq_table(n: int, seed: int = 20100810) -> pa.Table:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from rules import generate  # the cases of benchmarks/rules.py

    hq = generate(n, seed)["hq"]
    cols = {"case_id": np.arange(n, dtype=np.int64)}
    for k, v in hq.items():
        if k == "local_tax_share_by_year_yuan":
            for year, col in v.items():
                cols[f"{k}.{year}"] = col
        elif k == "as_of":
            cols[k] = pa.array(v.astype("datetime64[D]"), type=pa.date32())
        else:
            cols[k] = v
    return pa.table(cols)


def write_dataset(path: Path, rows: int, seed: int = 1) -> int:
    path.mkdir(parents=True)
    written = 0
    i = 0
    while written < rows:
        n = min(FILE_ROWS, rows - written)
        pq.write_table(land_table(n, seed + i, written), path / f"part-{i:05d}.parquet")
        written += n
        i += 1
    return i


def best(fn, repeat):
    """Best wall time of `repeat` runs, every run's wall time, and the CPU time (all threads of
    this process) of the best run: on a shared machine the CPU time is what the job itself
    cost, the wall time also what it waited for a core."""
    times, cpus, out = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    i = times.index(min(times))
    return min(times), times, (out, cpus[i])


def in_process(tmp: Path, rows: int, repeat: int, log) -> dict:
    out = {}
    land = tmp / "land.parquet"
    pq.write_table(land_table(rows, 1), land)
    hq = tmp / "hq.parquet"
    pq.write_table(hq_table(rows), hq)
    for name, rule_id, src, kw in [
        ("parquet_land", "agriculture.land_transfer_reward", land, {"at": AS_OF}),
        ("parquet_hq", "headquarters.certification", hq, {}),
    ]:
        log(f"{name}: {rule_id} {rows:,} rows Parquet → Parquet …")
        rule = get_rule(rule_id)
        dst = tmp / f"{name}_out.parquet"
        b, times, (summary, cpu) = best(lambda r=rule, s=src, d=dst, k=kw: stream_batch(r, str(s), str(d), ids=["case_id"], **k),
                                        repeat)
        out[name] = {"rule": rule_id, "rows": rows, "best_s": b, "cpu_s": cpu, "runs_s": times, "phases_s": summary["seconds"],
                     "input_mb": src.stat().st_size / 1e6, "output_mb": dst.stat().st_size / 1e6}
    # CSV → CSV, the same land cases
    csv_src = tmp / "land.csv"
    import pyarrow.csv as pacsv

    pacsv.write_csv(pq.read_table(land), csv_src)
    log(f"csv_land: {rows:,} rows CSV → CSV …")
    rule = get_rule("agriculture.land_transfer_reward")
    b, times, (summary, cpu) = best(lambda: stream_batch(rule, str(csv_src), str(tmp / "out.csv"), ids=["case_id"], at=AS_OF), 1)
    out["csv_land"] = {"rule": rule.id, "rows": rows, "best_s": b, "cpu_s": cpu, "phases_s": summary["seconds"]}
    # the command itself, start-up included
    log("the kmgov command, start-up included …")
    kmgov = Path(sys.executable).with_name("kmgov")
    t = time.perf_counter()
    subprocess.run([str(kmgov), "rules", "batch", "agriculture.land_transfer_reward", "--input", str(land), "--output",
                    str(tmp / "cmd_out.parquet"), "--id", "case_id", "--at", AS_OF.isoformat(), "--json"],
                   check=True, capture_output=True)
    out["command_land"] = {"rows": rows, "wall_s": time.perf_counter() - t}
    return out


def _peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM of /proc/self/status (a worker's own; getrusage's
    ru_maxrss keeps the parent's high-water mark across the exec that starts a worker)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dask_run(tmp: Path, rows: int, log) -> dict:
    from distributed import Client, LocalCluster

    from kmgov.rules.distributed import dask_batch

    src = tmp / f"dask_{rows}"
    log(f"dask: writing {rows:,} rows …")
    t = time.perf_counter()
    files = write_dataset(src, rows)
    gen_s = time.perf_counter() - t
    size_mb = sum(p.stat().st_size for p in src.iterdir()) / 1e6
    limit = os.environ.get("KMGOV_DASK_MEMORY_LIMIT", "2GiB")
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit=limit, dashboard_address=None)
    client = Client(cluster)
    try:
        client.run(lambda: None)
        log(f"dask: {rows:,} rows in {files} files ({size_mb:,.0f} MB) through 2 workers …")
        dst = tmp / f"dask_{rows}_out"
        t = time.perf_counter()
        cpu0 = sum(client.run(time.process_time).values())
        summary = dask_batch(get_rule("agriculture.land_transfer_reward"), str(src), str(dst),
                             scheduler=cluster.scheduler_address, ids=["case_id"], at=AS_OF)
        wall = time.perf_counter() - t
        rss = client.run(_peak_rss_mb)
        workers_cpu = sum(client.run(time.process_time).values()) - cpu0
        out_mb = sum(p.stat().st_size for p in dst.iterdir()) / 1e6
    finally:
        client.close()
        cluster.close()
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(dst, ignore_errors=True)
    return {"rows": rows, "files": files, "input_mb": size_mb, "output_mb": out_mb, "generate_s": gen_s,
            "wall_s": wall, "workers_cpu_s": workers_cpu, "rows_per_s": rows / wall, "partitions": summary["partitions"],
            "worker_memory_limit": limit, "worker_peak_rss_mb": sorted(rss.values()),
            "driver_peak_rss_mb": _peak_rss_mb(), "written": summary["rows"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dask-rows", type=int, action="append", default=[])
    ap.add_argument("--skip-in-process", action="store_true")
    ap.add_argument("--tmp", help="directory for the generated data sets (default: a temporary one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    log = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))
    tmp = Path(tempfile.mkdtemp(prefix="kmgov-batch-", dir=args.tmp))
    results: dict = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"), "load_average_before": os.getloadavg()}
    try:
        if not args.skip_in_process:
            results["in_process"] = in_process(tmp, args.rows, args.repeat, log)
        results["dask"] = [dask_run(tmp, n, log) for n in args.dask_rows]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["load_average_after"] = os.getloadavg()
    out_dir = ROOT / "benchmarks" / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "batch.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
