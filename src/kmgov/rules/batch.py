"""A table of cases: the rule evaluated on numpy columns (no trace), split where a parameter
changes its value and into chunks of `CHUNK_ROWS` rows; rules that cannot run on columns
(`vectorised=False`) are decided row by row. `batch_rows` lays the result out for a CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from .columns import prepare_columns
from .context import Categorical, Ctx, _py
from .errors import RuleInputError
from .inputs import today
from .parameters import PARAMETERS, ParameterError
from .registry import Rule, get_rule
from .resolution import check_overrides, override_dates
from .single import decide


def run_batch(
    rule_id: str,
    columns: Mapping[str, Any],
    *,
    overrides: Mapping[str, Any] | None = None,
    at: dt.date | None = None,
) -> dict[str, np.ndarray]:
    """Evaluate a rule over a table (dict of equal-length columns); return output columns."""
    rule = get_rule(rule_id)
    check_overrides(overrides)
    cols, n = prepare_columns(rule, columns, at=at)
    if not rule.vectorised:
        return _batch_rowwise(rule, cols, n, overrides)
    if rule.prepare_vector is not None:
        cols = rule.prepare_vector(cols)
    as_of = cols["as_of"]
    # Parameters change only on their dates: evaluate each run of rows between two such dates
    # at once (usually the whole table is one run).
    points = PARAMETERS.breakpoints() + override_dates()
    bp = np.array(sorted(set(points)), dtype="datetime64[D]")
    if n:
        # the usual table: one date for every row (or all between two breakpoints): no search per row
        lo, hi = as_of.min(), as_of.max()
        one_epoch = np.searchsorted(bp, lo, side="right") == np.searchsorted(bp, hi, side="right")
    if n == 0 or one_epoch:
        return _vector_eval(rule, cols, n, as_of[0].astype(dt.date) if n else (at or today()), overrides)
    epoch = np.searchsorted(bp, as_of, side="right")
    uniq = [epoch[0]] if epoch.min() == epoch.max() else np.unique(epoch)
    if len(uniq) == 1:
        return _vector_eval(rule, cols, n, as_of[0].astype(dt.date) if n else (at or today()), overrides)
    result: dict[str, np.ndarray] = {}
    for e in uniq:
        idx = np.flatnonzero(epoch == e)
        part = {k: v[idx] for k, v in cols.items()}
        res = _vector_eval(rule, part, len(idx), as_of[idx[0]].astype(dt.date), overrides)
        res = {k: (v.to_array() if isinstance(v, Categorical) else v) for k, v in res.items()}
        for k, v in res.items():
            if k not in result:
                result[k] = np.empty(n, dtype=v.dtype if v.dtype != object else object)
                if v.dtype.kind == "U":
                    result[k] = result[k].astype(object)
            result[k][idx] = v
    return result


CHUNK_ROWS = 1 << 20  # rows per pass: bounds the memory of the temporaries on very large tables


def _take(col, lo: int, hi: int):
    if isinstance(col, Mapping):
        return {k: _take(v, lo, hi) for k, v in col.items()}
    if np.ndim(col) == 0:  # a condition a rule's `prepare_vector` found met by every row
        return col
    return col[lo:hi]


def _vector_eval(rule: Rule, cols: dict, n: int, when: dt.date, overrides) -> dict[str, np.ndarray]:
    if n <= CHUNK_ROWS:
        return _vector_eval_chunk(rule, cols, n, when, overrides)
    parts = []
    for lo in range(0, n, CHUNK_ROWS):
        hi = min(n, lo + CHUNK_ROWS)
        parts.append(_vector_eval_chunk(rule, {k: _take(v, lo, hi) for k, v in cols.items()}, hi - lo, when, overrides))
    return {k: _concat([p[k] for p in parts]) for k in parts[0]}


def _concat(parts):
    if any(isinstance(p, Categorical) for p in parts):
        return np.concatenate([p.to_array() if isinstance(p, Categorical) else p for p in parts])
    return np.concatenate(parts)


def _vector_eval_chunk(rule: Rule, cols: dict, n: int, when: dt.date, overrides) -> dict[str, np.ndarray]:
    c = Ctx(rule, cols, when, overrides, vector=True, n=n)
    try:
        out = rule.formula(c)
    except ParameterError as exc:
        raise RuleInputError([{"field": "parameters", "message": str(exc)}]) from None
    out = dict(out)
    out.pop("details", None)
    result: dict[str, np.ndarray] = {}
    for key, value in out.items():
        if isinstance(value, dict):
            for sub, col in value.items():
                result[f"{key}.{sub}"] = _column(col, n)
        else:
            result[key] = _column(value, n)
    return result


def _column(value, n: int):
    if isinstance(value, Categorical):
        return value  # labels stay codes + categories until written out
    arr = np.asarray(value)
    if arr.ndim == 0:
        arr = np.full(n, arr.item() if arr.dtype != object else value, dtype=arr.dtype if arr.dtype.kind != "U" else object)
    return arr


def _batch_rowwise(rule: Rule, cols: dict, n: int, overrides) -> dict[str, np.ndarray]:
    rows: list[dict] = []
    for i in range(n):
        inputs = {}
        for k, v in cols.items():
            x = v[i]
            if isinstance(x, np.datetime64):
                x = x.astype(dt.date)
            elif isinstance(x, np.generic):
                x = x.item()
            if x is None or (isinstance(x, float) and np.isnan(x)):
                continue
            inputs[k] = x
        try:
            d = decide(rule.id, inputs, overrides=overrides).to_dict()
        except RuleInputError as exc:
            raise RuleInputError([
                dict(e, row=i + 1, message=f"第{i + 1}行：{e['message']}") for e in exc.errors()
            ]) from None
        rows.append(d)
    keys = (["outcome"] if rule.outcomes else []) + list(rule.outputs)
    out = {}
    for k in keys:
        col = np.empty(n, dtype=object)  # one cell per row, even when every row holds a list
        col[:] = [r.get(k) for r in rows]
        out[k] = col
    return out


def batch_rows(rule: Rule, result: Mapping[str, np.ndarray]) -> tuple[list[str], Iterable[list]]:
    """Output columns for CSV: list outputs (e.g. qualifies_for) joined with ';'."""
    keys = list(result)
    header = []
    for k in keys:
        header.append(k)
    lists = {name: [f"{name}.{s}" for s in subs] for name, subs in rule.list_outputs.items()}
    for name, subkeys in lists.items():
        if all(s in result for s in subkeys):
            header.append(name)

    def rows():
        n = len(next(iter(result.values()))) if result else 0
        cols = [result[k] for k in keys]
        list_cols = {name: [(s.split(".", 1)[1], result[s]) for s in subkeys] for name, subkeys in lists.items() if all(s in result for s in subkeys)}
        for i in range(n):
            row = [_py(c[i]) for c in cols]
            for parts in list_cols.values():
                row.append(";".join(label for label, col in parts if col[i]))
            yield row

    return header, rows()
