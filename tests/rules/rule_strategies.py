"""Hypothesis strategies of *valid* inputs for any rule, built from the same field constraints
that validate one case and a table (`kmgov.rules.inputs.field_specs`): bounds, lengths,
patterns (`from_regex`), choices, required fields. Also: for each field, values that break
one of its constraints (the refusal tests)."""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing

from hypothesis import strategies as st
from pydantic import BaseModel

from kmgov.rules.inputs import FieldSpec, field_specs

# Dates inside the years the gazette's rules were written for (every parameter in force).
FIRST_DAY, LAST_DAY = dt.date(2010, 7, 1), dt.date(2013, 12, 31)
NAMES = ["五华区", "盘龙区", "晋宁县", "滇源镇", "宜良县", "寻甸县", "经开区", "阿子营镇"]
FLOAT_SPECIALS = (0.0, 0.2, 0.29, 0.3, 0.4, 0.5, 1.0, 5.0, 1000.0, 2000.0, 3000.0, 5000.0, 10000.0, 1e7, 5e7, 1e8)


def _bounds_of(metadata) -> dict:
    out = {}
    for m in metadata:
        for key in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern"):
            if getattr(m, key, None) is not None:
                out[key] = getattr(m, key)
        out.update(_bounds_of(getattr(m, "metadata", ())))  # Annotated[int, Field(ge=0)]
    return out


def _number(kind: str, c: dict):
    lo = c.get("ge", c.get("gt"))
    hi = c.get("le", c.get("lt"))
    if kind == "int":
        lo_i = 0 if lo is None else int(lo) + (1 if "gt" in c else 0)
        hi_i = lo_i + 400 if hi is None else int(hi) - (1 if "lt" in c else 0)
        return st.integers(lo_i, hi_i)
    top = hi if hi is not None else 3e9
    bottom = 0.0 if lo is None else float(lo)
    specials = [x for x in FLOAT_SPECIALS if bottom <= x <= top and ("gt" not in c or x > c["gt"]) and ("lt" not in c or x < c["lt"])]
    floats = st.floats(bottom, float(top), allow_nan=False, allow_infinity=False,
                       exclude_min="gt" in c, exclude_max="lt" in c)
    return st.one_of(st.sampled_from(specials), floats) if specials else floats


def _text(c: dict):
    lo, hi = c.get("min_length", 0), c.get("max_length")
    if "pattern" in c:
        s = st.from_regex(c["pattern"], fullmatch=True)
    else:
        s = st.one_of(st.sampled_from(NAMES), st.text("五华盘龙区县镇乡村", max_size=hi or 12))
    # as pydantic does: the value is stripped before its length is checked
    return s.filter(lambda v: lo <= len(v.strip()) and (hi is None or len(v.strip()) <= hi))


def strategy_for(annotation, constraints: dict | None = None):
    """Valid values of one annotated type."""
    c = dict(constraints or {})
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return strategy_for(base, {**_bounds_of(meta), **c})
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return st.one_of(st.none(), strategy_for(args[0], c))
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_strategy(annotation)
    if isinstance(annotation, type) and hasattr(annotation, "__members__"):  # an Enum
        return st.sampled_from([m.value for m in annotation])
    if annotation is bool:
        return st.booleans()
    if annotation in (int, float):
        return _number(annotation.__name__, c)
    if annotation is str:
        return _text(c)
    if annotation is dt.date:
        return st.dates(FIRST_DAY, LAST_DAY)
    if origin is dict:
        key, value = typing.get_args(annotation)
        amounts = st.sampled_from([0.0, 1.4e6, 1.5e6, 1.9e6, 2.5e6, 1e7, 3e7])
        values = amounts if typing.get_origin(value) is typing.Annotated or value is float else strategy_for(value)
        return st.dictionaries(st.integers(2005, 2013) if key is int else strategy_for(key), values, max_size=5)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return st.lists(strategy_for(item), min_size=c.get("min_length", 0), max_size=min(c.get("max_length", 6), 6))
    raise NotImplementedError(annotation)


def field_strategy(spec: FieldSpec):
    c = {k: getattr(spec, k) for k in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern")
         if getattr(spec, k) is not None}
    return strategy_for(spec.annotation, c)


def model_strategy(model: type[BaseModel]):
    specs = field_specs(model) if hasattr(model, "ALIASES") else _plain_specs(model)
    required = {n: field_strategy(s) for n, s in specs.items() if s.required}
    optional = {n: field_strategy(s) for n, s in specs.items() if not s.required}
    return st.fixed_dictionaries(required, optional=optional)


def _plain_specs(model):
    """A nested pydantic model (e.g. one option of a list): its fields as specs."""
    from kmgov.rules.inputs import FieldSpec as FS
    from kmgov.rules.inputs import field_kind

    out = {}
    for name, info in model.model_fields.items():
        kind, choices = field_kind(info.annotation)
        b = _bounds_of(info.metadata)
        out[name] = FS(name=name, kind=kind, required=info.is_required(), nullable=False, default=None, choices=choices,
                       annotation=info.annotation, **b)
    return out


# Rules whose schema has a model validator across fields (the one thing field constraints do
# not say): the shape of a valid row, written here from the validator.
def _exactly_one(*names):
    def shape(rule):
        specs = field_specs(rule.inputs)
        return st.one_of(*[st.fixed_dictionaries({n: field_strategy(specs[n]).filter(lambda v: v is not None)})
                           for n in names])
    return shape


def _hq_dated(rule):
    # Without as_of the application is dated 1 March after the last year of local tax given
    # (headquarters.rules._default_as_of); 63号's parameters are in force from 2010-06-18, so
    # a history that ends before 2010 needs its as_of.
    return model_strategy(rule.inputs).filter(
        lambda r: r.get("as_of") is not None or max(r["local_tax_share_by_year_yuan"], default=9999) >= 2010)


SHAPES = {
    # carbon.offset: OffsetInput._exactly_one (60号 三(一)5: one quantity to offset at a time)
    "carbon.offset": _exactly_one("fuel_litres", "km_travelled", "co2_tonnes", "donation_yuan"),
    "headquarters.certification": _hq_dated,
}


def row_strategy(rule):
    if rule.id in SHAPES:
        return SHAPES[rule.id](rule)
    return model_strategy(rule.inputs)


# ---------------------------------------------------------------------------------------------
# Values that break one constraint of a field: (what, value); `MISSING` means "leave it out".

MISSING = object()


def violations(spec: FieldSpec) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    if spec.name == "as_of":
        return [("date_parsing", "2011-02-30")]
    if spec.required:
        out.append(("missing", MISSING))
    if spec.kind in ("int", "float"):
        if spec.ge is not None:
            out.append(("greater_than_equal", spec.ge - 1))
        if spec.gt is not None:
            out.append(("greater_than", spec.gt))
        if spec.le is not None:
            out.append(("less_than_equal", spec.le + 1))
        if spec.lt is not None:
            out.append(("less_than", spec.lt))
        if spec.kind == "int":
            lo = spec.ge if spec.ge is not None else 0
            out.append(("int_from_float", lo + 0.5))
        else:
            out.append(("finite_number", math.inf))
    if spec.kind == "bool":
        out.append(("bool_parsing", 2))
    if spec.kind == "str":
        if spec.choices is not None:
            out.append(("enum", "no_such_choice"))
        if spec.max_length is not None:
            out.append(("string_too_long", "区" * (spec.max_length + 1)))
        if spec.min_length:
            out.append(("string_too_short", " " * spec.min_length))
        if spec.pattern is not None:
            rx = re.compile(spec.pattern)
            bad = next(v for v in ("", "x", "无效", "enterprises_", "0") if rx.search(v.strip()) is None)
            out.append(("string_pattern_mismatch", bad))
    if spec.kind == "date":
        out.append(("date_parsing", "2011-02-30"))
    return out
