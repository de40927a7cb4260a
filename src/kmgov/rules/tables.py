"""Reading a table of cases from CSV into columns, and writing results back."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable
from typing import IO

import numpy as np

from .batch import batch_rows
from .errors import RuleInputError
from .inputs import field_kind
from .registry import Rule

PASSTHROUGH = "id"  # a column of row identifiers, copied to the output as it is


def read_csv(rule: Rule, fh: IO[str]) -> tuple[dict, int]:
    reader = csv.reader(fh)
    try:
        header = next(reader)
    except StopIteration:
        raise RuleInputError([{"field": "input", "message": "empty CSV"}]) from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    raw: list[list[str]] = [[] for _ in header]
    n = 0
    for lineno, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise RuleInputError([{"field": "input", "message": f"line {lineno}: {len(row)} cells, header has {len(header)}"}])
        for i, cell in enumerate(row):
            raw[i].append(cell.strip())
        n += 1
    cols = dict(zip(header, raw))
    ids = cols.pop(PASSTHROUGH, None) if PASSTHROUGH not in rule.inputs.model_fields else None
    out = columns_from_strings(rule, cols, n)
    if ids is not None:
        out[f"__{PASSTHROUGH}"] = ids
    return out, n


def columns_from_strings(rule: Rule, raw: dict[str, list[str]], n: int) -> dict:
    fields = rule.inputs.model_fields
    cols: dict = {}
    wide: dict[str, dict[int, np.ndarray]] = {}
    for name, cells in raw.items():
        base, _, sub = name.partition(".")
        if sub and base in fields and field_kind(fields[base].annotation)[0] == "object":
            try:
                key = int(sub)
            except ValueError:
                raise RuleInputError([{"field": name, "message": "expected <field>.<year>"}]) from None
            wide.setdefault(base, {})[key] = np.array([_float(c, name, i) for i, c in enumerate(cells)], dtype=float)
            continue
        if name not in fields:
            raise RuleInputError([{"field": name, "message": "not an input of this rule"}])
        kind, _ = field_kind(fields[name].annotation)
        if kind == "float":
            cols[name] = np.array([_float(c, name, i) for i, c in enumerate(cells)], dtype=float)
        elif kind == "int":
            vals = [_float(c, name, i) for i, c in enumerate(cells)]
            if any(math.isnan(v) for v in vals):
                if not fields[name].is_required() and all(math.isnan(v) for v in vals):
                    continue
                i = next(i for i, v in enumerate(vals) if math.isnan(v))
                raise RuleInputError([{"field": name, "message": f"row {i + 1}: missing integer"}])
            cols[name] = np.array(vals, dtype=float)
        elif kind == "object":
            vals = []
            for i, c in enumerate(cells):
                if c == "":
                    vals.append(None)
                    continue
                try:
                    vals.append(json.loads(c))
                except json.JSONDecodeError:
                    raise RuleInputError([{"field": name, "message": f"row {i + 1}: not JSON: {c!r}"}]) from None
            col = np.empty(n, dtype=object)
            col[:] = vals
            cols[name] = col
        elif kind == "date":
            if all(c == "" for c in cells):
                continue
            cols[name] = np.array(cells, dtype=object)
        else:
            if all(c == "" for c in cells) and not fields[name].is_required():
                continue
            col = np.empty(n, dtype=object)
            col[:] = cells
            cols[name] = col
    cols.update(wide)
    return cols


def _float(cell: str, name: str, i: int) -> float:
    if cell == "":
        return float("nan")
    try:
        return float(cell)
    except ValueError:
        raise RuleInputError([{"field": name, "message": f"row {i + 1}: not a number: {cell!r}"}]) from None


def write_csv(rule: Rule, result: dict, fh: IO[str], ids: list | None = None) -> int:
    header, rows = batch_rows(rule, result)
    w = csv.writer(fh)
    w.writerow(([PASSTHROUGH] if ids is not None else []) + header)
    n = 0
    for row in rows:
        cells = ["" if v is None else (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for v in row]
        w.writerow(([ids[n]] if ids is not None else []) + cells)
        n += 1
    return n


def summarise(result: dict) -> dict:
    out = {}
    if "outcome" in result:
        o = result["outcome"]
        if hasattr(o, "codes"):
            counts = np.bincount(o.codes, minlength=len(o.categories))
            out["outcomes"] = {}
            for cat, cnt in zip(o.categories, counts):
                if cnt:
                    out["outcomes"][str(cat)] = out["outcomes"].get(str(cat), 0) + int(cnt)
        else:
            vals, counts = np.unique(o.astype(str), return_counts=True)
            out["outcomes"] = {str(v): int(c) for v, c in zip(vals, counts)}
    for k, v in result.items():
        if k.endswith("_yuan") and not hasattr(v, "codes") and v.dtype.kind in "fi":
            out[f"sum_{k}"] = float(np.nansum(v))
    return out


def iter_rows(result: dict) -> Iterable[dict]:
    keys = list(result)
    n = len(result[keys[0]]) if keys else 0
    for i in range(n):
        yield {k: result[k][i] for k in keys}
