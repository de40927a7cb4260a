"""Tables of cases in files: CSV, xlsx and Parquet read in chunks, decided, written back with
the caller's identifier columns, so that a table larger than memory streams through.

    stream_batch(rule, "cases.parquet", "results.parquet", ids=["enterprise_id"])

- Formats by name: `.csv` (or `-`, standard input/output), `.xlsx`, `.parquet` / `.pq` or a
  directory of Parquet files (a data set). Parquet needs the `batch` extra (pyarrow).
- Identifier columns: `ids` names the columns copied unchanged to the output, first and in that
  order; `keep_columns=True` copies every column that is not an input of the rule. Without
  either, a column called `id` is copied (as before) and any other unknown column is an error.
- Chunks: Parquet is read a record batch at a time (at most `chunk_rows` rows, row groups of
  the file), CSV `chunk_rows` lines at a time; each chunk is decided and written before the next
  is read, so memory is bounded by the chunk. Errors name the field and the row of the whole
  file; the output is written to a temporary file beside the target and renamed only when every
  chunk has succeeded (a refused table leaves no half-written output).
- Labelled outputs (`outcome`) stay dictionary-encoded (codes + labels) in Parquet; list outputs
  (`qualifies_for`) are written as one boolean column per item plus the items joined with `;`
  (as in the CSV), worked out once per distinct combination, not once per row.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from .batch import batch_rows, run_batch
from .context import Categorical
from .errors import RuleInputError
from .inputs import field_kind
from .registry import Rule
from .tables import PASSTHROUGH, columns_from_strings

CHUNK_ROWS = 1 << 20


def file_format(path: str) -> str:
    """csv | xlsx | parquet, from the name (a directory is a Parquet data set)."""
    if path == "-":
        return "csv"
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".pq") or (p.is_dir() and suffix == ""):
        return "parquet"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt", ""):
        return "csv"
    raise RuleInputError([{"field": "input", "message": f"不支持的文件格式：{suffix}（可用 .csv、.xlsx、.parquet）"}])


def require_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # pragma: no cover - the test extra installs it
        raise RuleInputError([{"field": "input", "message": "读写 Parquet 需要安装 kmgov[batch]（pyarrow）"}]) from None


# ---------------------------------------------------------------------------------------------
# Which columns are inputs, which pass through


class Layout:
    """The columns of an input table: the rule's inputs (and the wide `field.key` form of an
    object input) and the identifier columns copied to the output."""

    def __init__(self, rule: Rule, names: Sequence[str], ids: Sequence[str] | None, keep_columns: bool):
        fields = rule.inputs.model_fields
        self.inputs: list[str] = []
        self.passthrough: list[str] = []
        unknown = []
        missing = [c for c in ids or () if c not in names]
        if missing:
            raise RuleInputError([{"field": c, "message": "标识列不在输入表中"} for c in missing])
        for name in names:
            base, _, sub = name.partition(".")
            is_input = name in fields or (sub and base in fields and field_kind(fields[base].annotation)[0] == "object")
            if ids and name in ids:
                continue
            if is_input:
                self.inputs.append(name)
            elif keep_columns or (not ids and name == PASSTHROUGH):
                self.passthrough.append(name)
            else:
                unknown.append(name)
        if unknown:
            raise RuleInputError([{"field": k, "type": "extra_forbidden", "message": "不是此规则的输入（标识列请用 --id 指明）"}
                                  for k in unknown])
        self.passthrough = list(ids or ()) + self.passthrough


# ---------------------------------------------------------------------------------------------
# Errors with the row of the whole file


def _shift_rows(exc: RuleInputError, offset: int) -> RuleInputError:
    if not offset:
        return exc
    out = []
    for e in exc.errors():
        e = dict(e)
        row = e.get("row")
        if isinstance(row, int):
            e["row"] = row + offset
            e["message"] = str(e.get("message", "")).replace(f"第{row}行", f"第{row + offset}行", 1)
        e["message"] = _shift_english(str(e.get("message", "")), offset)
        out.append(e)
    return RuleInputError(out)


def _shift_english(message: str, offset: int) -> str:
    # tables.columns_from_strings words a conversion error "row N: …"
    if message.startswith("row "):
        num, sep, rest = message[4:].partition(":")
        if sep and num.isdigit():
            return f"row {int(num) + offset}:{rest}"
    return message


# ---------------------------------------------------------------------------------------------
# Arrow ↔ the rule's columns


def arrow_to_columns(rule: Rule, batch, layout: Layout) -> tuple[dict, int]:
    """A record batch (or table) → the columns `run_batch` takes: numbers as numpy, texts as
    `Categorical` codes straight from Arrow's dictionary encoding, the wide form of an object
    input (`local_tax_share_by_year_yuan.2010`) gathered into {key: column}."""
    import pyarrow as pa

    fields = rule.inputs.model_fields
    n = batch.num_rows
    cols: dict[str, Any] = {}
    wide: dict[str, dict] = {}
    for name in layout.inputs:
        arr = batch.column(name)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        base, _, sub = name.partition(".")
        if name not in fields:  # the wide form of an object input
            try:
                key: Any = int(sub)
            except ValueError:
                key = sub
            wide.setdefault(base, {})[key] = _numbers(arr, name)
            continue
        kind, _ = field_kind(fields[name].annotation)
        if kind == "str":  # codes and labels, as Arrow's dictionary encoding has them
            cols[name] = _categorical(arr)
            continue
        if pa.types.is_dictionary(arr.type):
            arr = arr.dictionary_decode()
        t = arr.type
        if kind == "date":
            if pa.types.is_timestamp(t) or pa.types.is_date(t):
                cols[name] = arr.cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
            else:
                cols[name] = np.asarray(arr.to_pylist(), dtype=object)
            continue
        if kind == "object":
            vals = [json.loads(v) if isinstance(v, str) and v else (None if v in ("", None) else v) for v in arr.to_pylist()]
            col = np.empty(n, dtype=object)
            col[:] = vals
            cols[name] = col
            continue
        if kind == "bool" and pa.types.is_boolean(t) and arr.null_count == 0:
            cols[name] = arr.to_numpy(zero_copy_only=False)
            continue
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            cols[name] = np.asarray(arr.to_pylist(), dtype=object)  # checked and converted as text
            continue
        if kind in ("float", "int"):
            cols[name] = _numbers(arr, name)
            continue
        if arr.null_count:
            cols[name] = np.asarray(arr.to_pylist(), dtype=object)
        else:
            cols[name] = arr.to_numpy(zero_copy_only=False)
    cols.update(wide)
    return cols, n


def _numbers(arr, name: str) -> np.ndarray:
    import pyarrow as pa

    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        cells = ["" if v is None else str(v) for v in arr.to_pylist()]
        out = np.empty(len(cells))
        for i, c in enumerate(cells):
            try:
                out[i] = float(c) if c.strip() else math.nan
            except ValueError:
                raise RuleInputError([{"field": name, "row": i + 1, "type": "float_parsing",
                                       "message": f"第{i + 1}行：应为数字，收到 {c!r}"}]) from None
        return out
    if pa.types.is_boolean(t):
        arr = arr.cast(pa.int8())
    if arr.null_count:
        return arr.cast(pa.float64()).to_numpy(zero_copy_only=False)  # a missing cell: NaN
    return arr.to_numpy(zero_copy_only=False)


def _categorical(arr) -> Categorical:
    import pyarrow as pa

    if not pa.types.is_dictionary(arr.type):
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            arr = arr.cast(pa.string())
        arr = arr.dictionary_encode(null_encoding="encode")
    cats = arr.dictionary.to_pylist()
    idx = arr.indices
    if idx.null_count:  # a missing cell of a dictionary column: its own category None
        cats = [*cats, None]
        idx = idx.fill_null(len(cats) - 1)
    return Categorical(idx.to_numpy(zero_copy_only=False).astype(np.intp, copy=False), cats)


def result_to_arrow(rule: Rule, result: Mapping[str, Any], n: int, passthrough=None):
    """Output columns as an Arrow table: identifiers first (as read), then the outputs;
    labels as dictionaries, NaN as null, list outputs as booleans plus their joined items."""
    import pyarrow as pa

    names: list[str] = []
    arrays: list = []
    for name, arr in (passthrough or {}).items():
        names.append(name)
        arrays.append(arr)
    for key, col in result.items():
        names.append(key)
        arrays.append(_arrow_column(col))
    for name, subkeys in rule.list_outputs.items():
        keys = [f"{name}.{s}" for s in subkeys]
        if all(k in result for k in keys):
            names.append(name)
            arrays.append(_joined(subkeys, [np.asarray(result[k], dtype=bool) for k in keys], n))
    return pa.Table.from_arrays(arrays, names=names)


def _arrow_column(col):
    import pyarrow as pa

    if isinstance(col, Categorical):
        codes = np.asarray(col.codes)
        cats = col.categories
        if all(isinstance(c, str) for c in cats):
            return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32, copy=False)), pa.array(cats, type=pa.string()))
        col = col.to_array()
    col = np.asarray(col)
    if col.dtype.kind == "f":
        return pa.array(col, from_pandas=True)  # NaN (not applicable) → null, as an empty CSV cell
    if col.dtype.kind == "O":
        vals = [None if (v is None or (isinstance(v, float) and v != v)) else
                (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for v in col.tolist()]
        return pa.array(vals)
    if col.dtype.kind == "M":
        return pa.array(col)
    return pa.array(col)


def _joined(subkeys: Sequence[str], flags: list[np.ndarray], n: int):
    """The items of a list output joined with ';' per row, as a dictionary column: one label
    per distinct combination of the boolean columns (at most 2^k, usually a few dozen)."""
    import pyarrow as pa

    k = len(flags)
    dtype = np.uint16 if k <= 16 else np.int64
    code = np.zeros(n, dtype=dtype)
    for i, f in enumerate(flags):
        code |= f.astype(dtype) << dtype(i)
    if k <= 16:  # count the combinations present (no sort), then one look-up per row
        uniq = np.flatnonzero(np.bincount(code, minlength=1 << k))
        lut = np.zeros(1 << k, dtype=np.int32)
        lut[uniq] = np.arange(len(uniq), dtype=np.int32)
        inverse = lut[code]
    else:
        uniq, inverse = np.unique(code, return_inverse=True)
    labels = [";".join(s for i, s in enumerate(subkeys) if (int(u) >> i) & 1) for u in uniq]
    return pa.DictionaryArray.from_arrays(pa.array(inverse.astype(np.int32)), pa.array(labels, type=pa.string()))


# ---------------------------------------------------------------------------------------------
# Readers: chunks of (columns, n, passthrough, first row)


class Chunk:
    __slots__ = ("cols", "n", "passthrough", "offset")

    def __init__(self, cols, n, passthrough, offset):
        self.cols, self.n, self.passthrough, self.offset = cols, n, passthrough, offset


def parquet_rows(path: str) -> int:
    import pyarrow.dataset as ds

    return ds.dataset(path, format="parquet").count_rows()


def read_parquet_chunks(rule: Rule, path: str, *, ids=None, keep_columns=False, chunk_rows=CHUNK_ROWS) -> Iterator[Chunk]:
    import pyarrow.dataset as ds

    dataset = ds.dataset(path, format="parquet")
    layout = Layout(rule, dataset.schema.names, ids, keep_columns)
    offset = 0
    for batch in dataset.to_batches(columns=layout.inputs + layout.passthrough, batch_size=chunk_rows):
        if not batch.num_rows:
            continue
        try:
            cols, n = arrow_to_columns(rule, batch, layout)
        except RuleInputError as exc:
            raise _shift_rows(exc, offset) from None
        yield Chunk(cols, n, {k: batch.column(k) for k in layout.passthrough}, offset)
        offset += n


def read_csv_chunks(rule: Rule, fh: IO[str], *, ids=None, keep_columns=False, chunk_rows=CHUNK_ROWS) -> Iterator[Chunk]:
    reader = csv.reader(fh)
    try:
        header = next(reader)
    except StopIteration:
        raise RuleInputError([{"field": "input", "message": "empty CSV"}]) from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    yield from _string_chunks(rule, header, reader, ids=ids, keep_columns=keep_columns, chunk_rows=chunk_rows, first_line=2)


def read_xlsx_chunks(rule: Rule, path: str, *, ids=None, keep_columns=False, chunk_rows=CHUNK_ROWS) -> Iterator[Chunk]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        try:
            header = [("" if h is None else str(h)).strip() for h in next(rows)]
        except StopIteration:
            raise RuleInputError([{"field": "input", "message": "empty worksheet"}]) from None
        while header and header[-1] == "":
            header.pop()
        width = len(header)
        cells = ([_xlsx_text(v) for v in row[:width]] + [""] * (width - len(row)) for row in rows)
        yield from _string_chunks(rule, header, cells, ids=ids, keep_columns=keep_columns, chunk_rows=chunk_rows, first_line=2)
    finally:
        wb.close()


def _xlsx_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _string_chunks(rule, header, rows, *, ids, keep_columns, chunk_rows, first_line) -> Iterator[Chunk]:
    layout = Layout(rule, header, ids, keep_columns)
    index = {h: i for i, h in enumerate(header)}
    offset = 0
    lineno = first_line - 1
    done = False
    while not done:
        raw: list[list[str]] = [[] for _ in header]
        n = 0
        for row in rows:
            lineno += 1
            if not any(str(cell).strip() for cell in row):
                continue
            if len(row) != len(header):
                raise RuleInputError([{"field": "input", "message": f"line {lineno}: {len(row)} cells, header has {len(header)}"}])
            for i, cell in enumerate(row):
                raw[i].append(cell.strip())
            n += 1
            if n >= chunk_rows:
                break
        else:
            done = True
        if not n and offset:
            break
        try:
            cols = columns_from_strings(rule, {k: raw[index[k]] for k in layout.inputs}, n)
        except RuleInputError as exc:
            raise _shift_rows(exc, offset) from None
        yield Chunk(cols, n, {k: raw[index[k]] for k in layout.passthrough}, offset)
        offset += n


# ---------------------------------------------------------------------------------------------
# Writers


class _CsvWriter:
    def __init__(self, rule: Rule, fh: IO[str]):
        self.rule, self.fh, self.w, self.header_done = rule, fh, csv.writer(fh), False

    def write(self, result, n, passthrough):
        header, rows = batch_rows(self.rule, result)
        ids = list(passthrough)
        if not self.header_done:
            self.w.writerow(ids + header)
            self.header_done = True
        id_cols = [_as_list(passthrough[k]) for k in ids]
        for i, row in enumerate(rows):
            cells = ["" if v is None else (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for v in row]
            self.w.writerow([c[i] for c in id_cols] + cells)

    def close(self):
        self.fh.flush()


class _XlsxWriter:
    def __init__(self, rule: Rule, path: str):
        from openpyxl import Workbook

        self.rule, self.path = rule, path
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet("结果")
        self.header_done = False

    def write(self, result, n, passthrough):
        header, rows = batch_rows(self.rule, result)
        ids = list(passthrough)
        if not self.header_done:
            self.ws.append(ids + header)
            self.header_done = True
        id_cols = [_as_list(passthrough[k]) for k in ids]
        for i, row in enumerate(rows):
            cells = [json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for v in row]
            self.ws.append([c[i] for c in id_cols] + cells)

    def close(self):
        self.wb.save(self.path)


class _ParquetWriter:
    def __init__(self, rule: Rule, path: str):
        self.rule, self.path, self.writer = rule, path, None

    def write(self, result, n, passthrough):
        import pyarrow.parquet as pq

        table = result_to_arrow(self.rule, result, n, passthrough)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, table.schema)
        elif table.schema != self.writer.schema:
            table = table.cast(self.writer.schema)
        self.writer.write_table(table)

    def close(self):
        if self.writer is not None:
            self.writer.close()


def _as_list(col) -> list:
    if hasattr(col, "to_pylist"):
        return col.to_pylist()
    return list(col)


# ---------------------------------------------------------------------------------------------
# The whole job


def stream_batch(
    rule: Rule,
    source: str,
    target: str,
    *,
    ids: Sequence[str] | None = None,
    keep_columns: bool = False,
    overrides: Mapping[str, Any] | None = None,
    at: dt.date | None = None,
    chunk_rows: int = CHUNK_ROWS,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> dict:
    """Decide every row of `source` and write `target`; returns counts and seconds per phase."""
    import time

    from .tables import summarise

    fmt_in, fmt_out = file_format(source), file_format(target)
    if "parquet" in (fmt_in, fmt_out):
        require_pyarrow()
    total = parquet_rows(source) if fmt_in == "parquet" else None
    seconds = {"read": 0.0, "evaluate": 0.0, "write": 0.0}
    counts: dict = {}
    rows = 0
    with _opened_input(source, fmt_in, stdin) as chunks_of, _output(rule, target, fmt_out, stdout) as writer:
        chunks = chunks_of(rule, ids=ids, keep_columns=keep_columns, chunk_rows=chunk_rows)
        while True:
            t0 = time.perf_counter()
            chunk = next(chunks, None)
            t1 = time.perf_counter()
            seconds["read"] += t1 - t0
            if chunk is None:
                break
            try:
                result = run_batch(rule.id, chunk.cols, overrides=overrides, at=at)
            except RuleInputError as exc:
                raise _shift_rows(exc, chunk.offset) from None
            t2 = time.perf_counter()
            writer.write(result, chunk.n, chunk.passthrough)
            t3 = time.perf_counter()
            seconds["evaluate"] += t2 - t1
            seconds["write"] += t3 - t2
            _add_counts(counts, summarise(result))
            rows += chunk.n
            if progress is not None:
                progress(rows, total)
    return {"rows": rows, "written": rows, "seconds": {k: round(v, 4) for k, v in seconds.items()}, **counts}


def _add_counts(into: dict, part: dict) -> None:
    for k, v in part.items():
        if isinstance(v, dict):
            d = into.setdefault(k, {})
            for kk, vv in v.items():
                d[kk] = d.get(kk, 0) + vv
        else:
            into[k] = into.get(k, 0) + v


@contextlib.contextmanager
def _opened_input(source: str, fmt: str, stdin):
    if fmt == "parquet":
        yield lambda rule, **kw: read_parquet_chunks(rule, source, **kw)
    elif fmt == "xlsx":
        yield lambda rule, **kw: read_xlsx_chunks(rule, source, **kw)
    elif source == "-":
        yield lambda rule, **kw: read_csv_chunks(rule, stdin or sys.stdin, **kw)
    else:
        with open(source, encoding="utf-8", newline="") as fh:
            yield lambda rule, **kw: read_csv_chunks(rule, fh, **kw)


@contextlib.contextmanager
def _output(rule: Rule, target: str, fmt: str, stdout):
    """A writer into a temporary file beside `target`, renamed over it on success only."""
    if target == "-":
        w = _CsvWriter(rule, stdout or sys.stdout)
        yield w
        w.close()
        return
    dest = Path(target)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=str(dest.parent))
    os.close(fd)
    fh = None
    try:
        if fmt == "parquet":
            w: Any = _ParquetWriter(rule, tmp)
        elif fmt == "xlsx":
            w = _XlsxWriter(rule, tmp)
        else:
            fh = open(tmp, "w", encoding="utf-8", newline="")
            w = _CsvWriter(rule, fh)
        yield w
        w.close()
        if fh is not None:
            fh.close()
            fh = None
        if fmt == "parquet" and w.writer is None:  # no rows at all: an empty file of no columns
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({}), tmp)
        os.replace(tmp, dest)
    finally:
        if fh is not None:
            fh.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


__all__ = ["CHUNK_ROWS", "Layout", "arrow_to_columns", "file_format", "result_to_arrow", "stream_batch"]
