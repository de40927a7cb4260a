"""A table of cases as columns: each input column converted to its kind and checked, column
at a time, against the same constraints the rule's pydantic schema enforces on one case
(`inputs.FieldSpec`: required, choices, ge/gt/le/lt, min/max length, pattern; an object cell is
validated by pydantic itself). A table is refused as a whole at its first bad row, with the
field's name, the row and the same Chinese message one case would get.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import ValidationError

from .context import Categorical
from .errors import RuleInputError
from .inputs import FieldSpec, field_specs, message_for, today
from .registry import Rule

_TRUE = {"true", "1", "yes", "y", "t", "on", "是"}
_FALSE = {"false", "0", "no", "n", "f", "off", "否"}
_NOT_GIVEN = {"", "none", "nan"}  # an empty cell: the field's default, as if the key were absent
_WORD = {"ge": "greater_than_equal", "gt": "greater_than", "le": "less_than_equal", "lt": "less_than"}


def row_error(name: str, i: int, kind: str, ctx: dict | None = None, value: Any = None,
              message: str | None = None) -> RuleInputError:
    """The error of row `i` (0-based) of column `name`, worded as for one case."""
    msg = message or message_for(kind, ctx or {})
    got = "" if value is None else f"，收到 {value!r}"
    return RuleInputError([{"field": name, "row": i + 1, "type": kind, "message": f"第{i + 1}行：{msg}{got}"}])


def _first(mask) -> int:
    return int(np.flatnonzero(mask)[0])


def _item(v):
    return v.item() if isinstance(v, np.generic) else v


def _to_bool(col: np.ndarray, spec: FieldSpec) -> np.ndarray:
    name = spec.name
    if col.dtype == bool:
        return col
    if col.dtype.kind in "iuf":
        nan = np.isnan(col) if col.dtype.kind == "f" else np.zeros(len(col), dtype=bool)
        if nan.any():
            if spec.required:
                raise row_error(name, _first(nan), "missing")
            col = np.where(nan, 1.0 if spec.default else 0.0, col)
        bad = (col != 0) & (col != 1)  # pydantic takes 0 and 1 only as booleans
        if bad.any():
            i = _first(bad)
            raise row_error(name, i, "bool_parsing", value=_item(col[i]))
        return col == 1
    low = np.char.lower(np.char.strip(col.astype(str)))
    absent = np.isin(low, list(_NOT_GIVEN))
    bad = ~(np.isin(low, list(_TRUE)) | np.isin(low, list(_FALSE)) | absent)
    if bad.any():
        i = _first(bad)
        raise row_error(name, i, "bool_parsing", value=col[i])
    if absent.any() and spec.required:
        raise row_error(name, _first(absent), "missing")
    return np.isin(low, list(_TRUE)) | (absent & bool(spec.default))


def _check_bounds(col: np.ndarray, bounds: Mapping[str, float], name: str, n: int) -> None:
    for key, bound in bounds.items():
        if not n:
            continue
        edge = col.min() if key in ("ge", "gt") else col.max()  # one pass, no temporary
        if edge != edge:  # NaN in an optional column: compare without it
            if np.isnan(col).all():
                continue
            edge = np.nanmin(col) if key in ("ge", "gt") else np.nanmax(col)
        if {"ge": edge >= bound, "gt": edge > bound, "le": edge <= bound, "lt": edge < bound}[key]:
            continue
        bad = {"ge": col < bound, "gt": col <= bound, "le": col > bound, "lt": col >= bound}[key]
        if bad.any():
            i = _first(bad)
            raise row_error(name, i, _WORD[key], {key: bound}, _item(col[i]))


def _clean_floats(col: np.ndarray, bounds: Mapping[str, float], n: int) -> bool:
    """True when a float column has no NaN, no infinity and every value within the bounds,
    found with one min and one max pass (no temporaries); False: check it the long way, which
    names the first bad row."""
    if not n:
        return False
    lo, hi = col.min(), col.max()
    if lo != lo or lo == -np.inf or hi == np.inf:
        return False
    for key, bound in bounds.items():
        if not {"ge": lo >= bound, "gt": lo > bound, "le": hi <= bound, "lt": hi < bound}[key]:
            return False
    return True


def _check_finite(col: np.ndarray, name: str) -> None:
    if col.dtype.kind == "f" and len(col):
        bad = np.isinf(col)
        if bad.any():
            i = _first(bad)
            raise row_error(name, i, "finite_number", value=_item(col[i]))


def _check_strings(cat: Categorical, spec: FieldSpec) -> None:
    """Choices, lengths and pattern, checked once per distinct value."""
    name = spec.name
    checks: list[tuple[str, dict, typing.Callable]] = []
    if spec.choices is not None:
        choices = set(spec.choices)
        checks.append(("enum", {"expected": spec.expected()}, lambda v: v in choices or (v is None and spec.nullable)))
    else:
        checks.append(("string_type", {}, lambda v: isinstance(v, str) or (v is None and spec.nullable)))
    if spec.min_length is not None:
        checks.append(("string_too_short", {"min_length": spec.min_length},
                       lambda v: v is None or len(v) >= spec.min_length))
    if spec.max_length is not None:
        checks.append(("string_too_long", {"max_length": spec.max_length},
                       lambda v: v is None or len(v) <= spec.max_length))
    if spec.pattern is not None:
        rx = re.compile(spec.pattern)  # pydantic searches the pattern in the stripped value
        checks.append(("string_pattern_mismatch", {"pattern": spec.pattern},
                       lambda v: v is None or rx.search(v) is not None))
    for kind, ctx, ok in checks:
        bad = ~cat._mask(ok)
        if bad.any():
            i = _first(bad)
            raise row_error(name, i, kind, ctx, cat[i])


def _strip(v):
    return v.strip() if isinstance(v, str) else v


def _check_objects(col: np.ndarray, spec: FieldSpec) -> None:
    """Each cell of an object input (a list, a {year: amount}) by the field's own validator."""
    adapter = spec.adapter()
    for i, cell in enumerate(col):
        if cell is None or (isinstance(cell, float) and cell != cell):
            if spec.required:
                raise row_error(spec.name, i, "missing")
            continue
        try:
            adapter.validate_python(cell)
        except ValidationError as exc:
            e = exc.errors(include_url=False)[0]
            loc = ".".join(str(p) for p in e.get("loc", ()))
            raise RuleInputError([{
                "field": f"{spec.name}.{loc}" if loc else spec.name, "row": i + 1, "type": e.get("type", ""),
                "message": f"第{i + 1}行：{message_for(e.get('type', ''), e.get('ctx') or {}, e.get('msg', ''))}",
            }]) from None


def _value_bounds(spec: FieldSpec) -> dict:
    """The bounds of the values of a {key: number} input (e.g. dict[int, NonNegativeFloat])."""
    args = typing.get_args(spec.annotation)
    if len(args) != 2:
        return {}
    value_type = args[1]
    out = {}
    for m in getattr(value_type, "__metadata__", ()):
        for key in ("ge", "gt", "le", "lt"):
            if getattr(m, key, None) is not None:
                out[key] = getattr(m, key)
    return out


def _conversion_error(name: str, kind: str, col, exc: Exception) -> RuleInputError:
    """A column that would not convert: the first cell that does not, with its row."""
    kind_error = {"float": "float_parsing", "int": "int_parsing", "date": "date_parsing",
                  "bool": "bool_parsing"}.get(kind, "type")
    convert = {"float": lambda v: np.float64(v), "int": lambda v: np.float64(v),
               "date": lambda v: np.datetime64(v, "D")}.get(kind)
    if convert is not None:
        for i, cell in enumerate(col):
            try:
                convert(cell)
            except (ValueError, TypeError):
                return row_error(name, i, kind_error, value=cell)
    return RuleInputError([{"field": name, "type": kind_error, "message": message_for(kind_error, {}, f"类型不符：{exc}")}])


def _default_column(spec: FieldSpec, n: int):
    kind, default = spec.kind, spec.default
    if kind == "float":
        return np.full(n, np.nan if default is None else float(default))
    if kind == "int":
        return np.full(n, np.nan) if default is None else np.full(n, int(default), dtype=np.int64)
    if kind == "bool":
        return np.full(n, bool(default))
    if kind == "str":
        # an optional text not given is None, as in one case (an empty text is not an enumerated value)
        return Categorical(np.zeros(n, dtype=np.intp), [None if default is None and spec.nullable else str(default or "")])
    return np.full(n, None, dtype=object)


def _as_of_fill(rule: Rule, columns: Mapping[str, Any], n: int, at: dt.date | None):
    derived = rule.default_as_of(columns) if (rule.default_as_of is not None and at is None) else None
    return derived if derived is not None else np.full(n, np.datetime64(at or today(), "D"))


def prepare_columns(rule: Rule, columns: Mapping[str, Any], n: int | None = None, at: dt.date | None = None) -> tuple[dict, int]:
    """Convert and check the input columns of a table; fill the missing optional ones."""
    specs = field_specs(rule.inputs)
    unknown = [k for k in columns if k not in specs]
    if unknown:
        raise RuleInputError([{"field": k, "type": "extra_forbidden", "message": message_for("extra_forbidden")}
                              for k in unknown])
    if n is None:
        sized = [v for v in columns.values() if not isinstance(v, Mapping)]
        n = len(sized[0]) if sized else 0
    aliases = getattr(rule.inputs, "ALIASES", {})
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        kind = spec.kind
        if name not in columns:
            if name == "as_of":
                out[name] = _as_of_fill(rule, columns, n, at)
                continue
            if spec.required:
                raise RuleInputError([{"field": name, "type": "missing", "message": message_for("missing")}])
            out[name] = _default_column(spec, n)
            continue
        raw = columns[name]
        if isinstance(raw, Mapping) and kind == "object":
            # the wide form of a {key: value} input: one column per key
            wide = {}
            bounds = _value_bounds(spec)
            for key, v in raw.items():
                try:
                    arr = np.asarray(v, dtype=float)
                except (ValueError, TypeError):
                    raise RuleInputError([{"field": f"{name}.{key}", "type": "float_parsing",
                                           "message": message_for("float_parsing")}]) from None
                if arr.shape != (n,):
                    raise RuleInputError([{"field": f"{name}.{key}", "type": "rows",
                                           "message": f"该列有{arr.size}行，应为{n}行"}])
                if not _clean_floats(arr, bounds, n):
                    _check_finite(arr, f"{name}.{key}")
                    _check_bounds(arr, bounds, f"{name}.{key}", n)
                wide[key] = arr
            out[name] = wide
            continue
        if isinstance(raw, Categorical):
            col = raw
        else:
            col = raw if isinstance(raw, np.ndarray) else np.asarray(raw, dtype=object if kind in ("str", "object") else None)
        if len(col) != n:
            raise RuleInputError([{"field": name, "type": "rows", "message": f"该列有{len(col)}行，应为{n}行"}])
        checked = False
        try:
            if kind == "float":
                col = np.asarray(col, dtype=np.float64)
                checked = _clean_floats(col, spec.bounds(), n)
                if checked:
                    pass  # finite, within the bounds, nothing missing: checked with two passes
                elif n and np.isnan(col.min()):
                    if spec.required:
                        raise row_error(name, _first(np.isnan(col)), "missing")
                    if not spec.nullable and spec.default is not None:
                        col = np.where(np.isnan(col), float(spec.default), col)  # not given: the default
                if not checked:
                    _check_finite(col, name)
            elif kind == "int" and col.dtype.kind in "iu":
                col = col.astype(np.int64, copy=False)
            elif kind == "int":
                f = col.astype(np.float64)
                nan = np.isnan(f)
                if nan.any() and not spec.required and not spec.nullable and spec.default is not None:
                    f = np.where(nan, float(spec.default), f)  # not given: the default
                    nan = np.zeros(n, dtype=bool)
                if nan.any():
                    if spec.required:
                        raise row_error(name, _first(nan), "missing")
                    col = f  # an optional count: NaN where not given
                    f = np.where(nan, 0.0, f)
                    frac = f != np.floor(f)
                else:
                    frac = f != np.floor(f)
                    if not frac.any():
                        col = f.astype(np.int64)
                if frac.any():
                    i = _first(frac)
                    raise row_error(name, i, "int_from_float", value=_item(col[i]))
            elif kind == "bool":
                col = _to_bool(col, spec)
            elif kind == "str":
                cat = raw if isinstance(raw, Categorical) else Categorical.from_array(col, spec.choices or ())
                cat = cat.relabel(_strip)  # as pydantic does (str_strip_whitespace)
                if not spec.nullable and not spec.required and spec.default is not None:
                    cat = cat.relabel(lambda v, d=spec.default: d if v is None else v)  # not given: the default
                amap = aliases.get(name)
                if amap:
                    cat = cat.relabel(lambda v, m=amap: m.get(v, v))
                _check_strings(cat, spec)
                col = cat
            elif kind == "date":
                col = np.asarray(col, dtype="datetime64[D]")
                if n and np.isnat(col).any():
                    if name == "as_of":
                        # rows without a date: as if the column were absent (derived, or today)
                        col = np.where(np.isnat(col), _as_of_fill(rule, columns, n, at), col)
                    elif spec.required:
                        raise row_error(name, _first(np.isnat(col)), "missing")
            elif kind == "object":
                _check_objects(col, spec)
        except RuleInputError:
            raise
        except (ValueError, TypeError) as exc:
            raise _conversion_error(name, kind, col, exc) from None
        if kind in ("float", "int") and not checked:
            _check_bounds(col, spec.bounds(), name, n)
        out[name] = col
    return out, n
