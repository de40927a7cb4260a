"""One case's inputs without a pydantic model per call, where the schema allows it.

`fast_validator(model)` builds once per input schema a function that takes the case's dict and
returns exactly what `model.model_validate(data).model_dump()` would — or None whenever it is
not sure (a value not of the field's own Python type, a bound not met, an unknown key, a field
it does not know): the caller then validates with pydantic, which gives the value or the error
message as before. So it never accepts what pydantic refuses and never changes a value
pydantic would keep; it only saves building and dumping a model for the usual, well-typed case.

Schemas with validators of their own (`field_validator`, a `model_validator` besides the
aliases of `RuleInput`) or serialisers get no fast validator.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable

from .inputs import field_specs

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_IMMUTABLE = (type(None), bool, int, float, str, dt.date)
_BOUND_OK = {"ge": lambda v, b: v >= b, "gt": lambda v, b: v > b, "le": lambda v, b: v <= b, "lt": lambda v, b: v < b}

_CACHE: dict[type, Callable | None] = {}


def fast_validator(model) -> Callable[[dict], dict | None] | None:
    if model in _CACHE:
        return _CACHE[model]
    try:
        fn = _build(model)
    except _NotFast:
        fn = None
    _CACHE[model] = fn
    return fn


class _NotFast(Exception):
    pass


def _bounds_check(bounds: dict) -> Callable[[float], bool]:
    checks = [(_BOUND_OK[k], b) for k, b in bounds.items()]
    if not checks:
        return lambda v: True
    if set(bounds) == {"ge"}:  # the usual one (amounts, counts ≥ 0)
        lo = bounds["ge"]
        return lambda v: v >= lo
    return lambda v: all(ok(v, b) for ok, b in checks)


def _field(spec, info) -> Callable:
    """A converter of one present value: returns the value, or raises _Unsure."""
    kind = spec.kind
    nullable = spec.nullable
    within = _bounds_check(spec.bounds())
    if kind == "bool":
        def conv(v):
            if type(v) is bool or (v is None and nullable):
                return v
            raise _Unsure
    elif kind == "int":
        def conv(v):
            if type(v) is int and within(v):
                return v
            if v is None and nullable:
                return v
            raise _Unsure
    elif kind == "float":
        def conv(v):
            t = type(v)
            if t is float:
                if v - v == 0.0 and within(v):  # finite (inf − inf and NaN are NaN)
                    return v
            elif t is int:
                if within(v) and abs(v) < 2**53:
                    return float(v)
            elif v is None and nullable:
                return v
            raise _Unsure
    elif kind == "date":
        def conv(v):
            t = type(v)
            if t is dt.date:
                return v
            if t is str and len(v) == 10 and _ISO_DAY.fullmatch(v):
                try:
                    return dt.date.fromisoformat(v)
                except ValueError:
                    raise _Unsure from None
            if v is None and nullable:
                return v
            raise _Unsure
    elif kind == "str":
        choices = spec.choices
        if choices is not None:
            if not all(type(c) is str for c in choices):
                raise _NotFast
            allowed = frozenset(choices)

            def conv(v):
                if type(v) is str and v in allowed:
                    return v
                if v is None and nullable:
                    return v
                raise _Unsure
        else:
            if spec.pattern is not None:  # pydantic's regular expressions are not Python's: its own check
                raise _NotFast
            lo, hi = spec.min_length, spec.max_length

            def conv(v):
                if type(v) is str:
                    s = v.strip()
                    if (lo is None or len(s) >= lo) and (hi is None or len(s) <= hi):
                        return s
                elif v is None and nullable:
                    return v
                raise _Unsure
    elif kind == "object":
        conv = _year_amounts(spec)
    else:  # pragma: no cover - field_kind gives only these
        raise _NotFast
    return conv


def _year_amounts(spec) -> Callable:
    """dict[int, <number with bounds>] (e.g. {year: amount}): keys int or digit strings."""
    ann = spec.annotation
    if typing.get_origin(ann) is not dict or spec.metadata:
        raise _NotFast
    key_t, val_t = typing.get_args(ann)
    if key_t is not int:
        raise _NotFast
    base = typing.get_args(val_t)[0] if typing.get_origin(val_t) is typing.Annotated else val_t
    if base is not float:
        raise _NotFast
    bounds = {}
    for m in getattr(val_t, "__metadata__", ()):
        for key in ("ge", "gt", "le", "lt"):
            if getattr(m, key, None) is not None:
                bounds[key] = getattr(m, key)
        known = any(getattr(m, k, None) is not None for k in ("ge", "gt", "le", "lt"))
        if not known:
            raise _NotFast
    within = _bounds_check(bounds)
    nullable = spec.nullable

    def conv(v):
        if type(v) is not dict:
            if v is None and nullable:
                return v
            raise _Unsure
        out = {}
        for k, x in v.items():
            tk = type(k)
            if tk is int:
                key = k
            elif tk is str and k.isascii() and k.isdigit():
                key = int(k)
            else:
                raise _Unsure
            tx = type(x)
            if tx is float and x - x == 0.0 and within(x):
                out[key] = x
            elif tx is int and within(x) and abs(x) < 2**53:
                out[key] = float(x)
            else:
                raise _Unsure
        return out

    return conv


class _Unsure(Exception):
    pass


def _build(model):
    decorators = model.__pydantic_decorators__
    if (decorators.field_validators or decorators.validators or decorators.root_validators
            or decorators.field_serializers or decorators.model_serializers or decorators.computed_fields):
        raise _NotFast
    if set(decorators.model_validators) - {"_aliases"}:
        raise _NotFast
    if model.model_config.get("extra") != "forbid" or not model.model_config.get("use_enum_values"):
        raise _NotFast
    specs = field_specs(model)
    fields = []
    for name, info in model.model_fields.items():
        if info.alias not in (None, name) or info.validation_alias not in (None, name):
            raise _NotFast
        spec = specs[name]
        conv = _field(spec, info)
        if spec.required:
            fields.append((name, conv, True, None))
        else:
            default = info.get_default(call_default_factory=False)
            if info.default_factory is not None or not isinstance(default, _IMMUTABLE):
                raise _NotFast
            default = getattr(default, "value", default)
            fields.append((name, conv, False, default))
    names = frozenset(n for n, *_ in fields)
    aliases = getattr(model, "ALIASES", {}) or {}

    def validate(data: dict) -> dict | None:
        if not names.issuperset(data):
            return None  # an unknown key: pydantic words the refusal
        if aliases:
            data = dict(data)
            for name, amap in aliases.items():
                v = data.get(name)
                if isinstance(v, str) and v.strip() in amap:
                    data[name] = amap[v.strip()]
        out = {}
        try:
            for name, conv, required, default in fields:
                if name in data:
                    out[name] = conv(data[name])
                elif required:
                    return None
                else:
                    out[name] = default
        except _Unsure:
            return None
        return out

    return validate
