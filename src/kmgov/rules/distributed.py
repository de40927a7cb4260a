"""A rule over a Parquet data set on Dask: `map_partitions` of the same in-process batch.

    dask_batch(rule, "cases/", "results/", scheduler="tcp://10.0.0.5:8786", ids=["case_id"])

Each partition (a Parquet file or row group of the data set) is decided on a worker by the very
code `kmgov rules batch` runs in one process (`streams.arrow_to_columns` → `run_batch` →
`streams.result_to_arrow`), so both give the same rows. The parameters' administrator
overrides are read once, here, and sent with the task: every worker decides with the same
values as this process, without reaching the database. Workers need kmgov installed
(`pip install 'kmgov[batch]'`) and `DJANGO_SETTINGS_MODULE` (default `kmgov.settings`); each
sets Django up once, on its first partition.

Without a scheduler address, a `LocalCluster` of two worker processes (one thread each, memory
limit `KMGOV_DASK_MEMORY_LIMIT`, default 2 GiB per worker) is started for the job and closed
after it. Needs the `batch` extra (pyarrow, dask[dataframe], distributed).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import RuleInputError
from .registry import Rule

LOCAL_WORKERS = 2


def _ensure_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmgov.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def decide_partition(df, rule_id: str, inputs: list[str], passthrough: list[str], overrides, at, db_overrides,
                     partition_info=None):
    """One partition (a pandas DataFrame) → its results (a DataFrame): runs on a worker."""
    _ensure_django()
    import pyarrow as pa

    from .batch import run_batch
    from .registry import get_rule
    from .resolution import pinned_overrides
    from .streams import Layout, arrow_to_columns, result_to_arrow

    rule = get_rule(rule_id)
    table = pa.Table.from_pandas(df, preserve_index=False)
    layout = Layout.__new__(Layout)
    layout.inputs, layout.passthrough = inputs, passthrough
    try:
        cols, n = arrow_to_columns(rule, table, layout)
        with pinned_overrides(db_overrides):
            result = run_batch(rule_id, cols, overrides=overrides, at=at)
    except RuleInputError as exc:
        if partition_info is None:
            raise
        part = partition_info.get("number")
        raise RuleInputError([dict(e, partition=part, message=f"第{part + 1}个分区{e['message']}")
                              for e in exc.errors()]) from None
    out = result_to_arrow(rule, result, n, {k: table.column(k) for k in passthrough})
    return out.to_pandas()


def dask_batch(
    rule: Rule,
    source: str,
    target: str,
    *,
    scheduler: str | None = None,
    ids: Sequence[str] | None = None,
    keep_columns: bool = False,
    overrides: Mapping[str, Any] | None = None,
    at: dt.date | None = None,
    log: Callable[[str], Any] | None = None,
    n_workers: int = LOCAL_WORKERS,
) -> dict:
    """Decide every row of the Parquet data set `source` on Dask; write a Parquet data set (a
    directory, one file per partition) to `target`. Returns rows, partitions and seconds."""
    from .streams import Layout, file_format, require_pyarrow

    require_pyarrow()
    if file_format(source) != "parquet" or Path(target).suffix.lower() in (".csv", ".xlsx", ".xlsm"):
        raise RuleInputError([{"field": "input", "message": "--dask 读写 Parquet（输入为 .parquet 文件或数据集目录，输出为目录）"}])
    out_dir = Path(target)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        # a data set is many files: writing into an old one would mix its parts with the new
        raise RuleInputError([{"field": "output", "message": f"输出目录已存在且不为空：{target}"}])
    try:
        import dask.dataframe as dd
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - the test extra installs it
        raise RuleInputError([{"field": "dask", "message": "--dask 需要安装 kmgov[batch]（dask[dataframe]、distributed）"}]) from None
    import pyarrow.dataset as ds

    from .resolution import _db_overrides
    from .streams import parquet_rows

    dataset = ds.dataset(source, format="parquet")
    layout = Layout(rule, dataset.schema.names, ids, keep_columns)
    db_overrides = _db_overrides()
    t0 = time.perf_counter()
    cluster = None
    if scheduler is None:
        limit = os.environ.get("KMGOV_DASK_MEMORY_LIMIT", "2GiB")
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, memory_limit=limit,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        if log:
            log(f"Dask：{client.scheduler.address}，{len(client.scheduler_info().get('workers', {}))} 个工作进程")
        ddf = dd.read_parquet(source, columns=layout.inputs + layout.passthrough)
        # meta: the result of the first rows, decided here (also refuses a bad table early)
        head = dataset.head(min(1000, max(1, dataset.count_rows()))).to_pandas()
        meta = decide_partition(head, rule.id, layout.inputs, layout.passthrough, overrides, at, db_overrides).iloc[:0]
        out = ddf.map_partitions(decide_partition, rule.id, layout.inputs, layout.passthrough, overrides, at,
                                 db_overrides, meta=meta)
        out.to_parquet(target, write_index=False, overwrite=False)
        rows = parquet_rows(target)
        seconds = time.perf_counter() - t0
        summary = {"rows": rows, "written": rows, "partitions": ddf.npartitions, "scheduler": scheduler or "local",
                   "workers": len(client.scheduler_info().get("workers", {})), "seconds": {"dask": round(seconds, 4)}}
        if log:
            log(f"{ddf.npartitions} 个分区，{rows} 行（{seconds:.2f} 秒）")
        return summary
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
