"""The rule registry and the two ways of evaluating one rule: one case (with its full trace)
and a table of cases (numpy columns, no trace). A rule is written once, as a function of a
`Ctx`; the same function runs in both modes, so the batch result equals the one-case result.

Inside a rule:
- `c.x.<input>` reads an input (a Python value, or a numpy column in batch mode);
- `c.p(name)` reads a parameter at the decision date (recorded with value, effective date and
  reference, and attached to the next step);
- `c.threshold(label, value, param)` compares with a threshold parameter whose metadata gives
  the comparison and the word it comes from (counting convention, SPEC §13);
- `c.condition(label, ok, cite=…)` records a yes/no condition; failed conditions are listed
  as unmet in a refusal;
- `c.step(check, result, …)` records any other step;
- `c.all`, `c.any`, `c.not_`, `c.where`, `c.isin`, `c.minimum`, `c.maximum` work in both modes.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import threading
import time
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kmgov.core.errors import Refusal

from .citation import Citation
from .decision import Decision, ParamUse, Step
from .parameters import (
    CONVENTION,
    PARAMETERS,
    Parameter,
    ParameterError,
    ParameterNotInForce,
    ValueAt,
)

_TOL = 1e-9


# ---------------------------------------------------------------------------------------------
# Errors every channel renders the same way: each names the field.


class RuleError(Refusal):
    """A rule's refusal (a kind of the site-wide `Refusal`): 422 for input, 404 for no rule."""

    status = 422
    code = "rule_input"


class UnknownRule(RuleError):
    status = 404
    code = "unknown_rule"

    def __init__(self, rule_id: str):
        self.rule_id = rule_id
        super().__init__(f"unknown rule: {rule_id}")

    def errors(self) -> list[dict]:
        return [{"field": "rule", "message": str(self)}]


class RuleInputError(RuleError):
    def __init__(self, errors: list[dict]):
        self._errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))

    def errors(self) -> list[dict]:
        return self._errors

    @classmethod
    def from_validation(cls, exc: ValidationError) -> RuleInputError:
        errs = []
        for e in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in e.get("loc", ())) or "__root__"
            errs.append({"field": loc, "message": e.get("msg", ""), "type": e.get("type", "")})
        return cls(errs)


# ---------------------------------------------------------------------------------------------
# Inputs


def today() -> dt.date:
    # Asia/Shanghai, whatever the server's zone: the gazette's dates are Beijing dates.
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()


class RuleInput(BaseModel):
    """Base of every rule's input schema. `as_of` is the date the rule is applied on: the
    parameters in force on that date are used (default: today, Beijing time)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True, str_strip_whitespace=True, allow_inf_nan=False)
    # Other spellings a form or a file may use for an enumerated value: {field: {alias: value}}.
    ALIASES: typing.ClassVar[dict[str, dict[str, str]]] = {}

    as_of: dt.date | None = Field(default=None, description="适用日期（默认今天）")

    @model_validator(mode="before")
    @classmethod
    def _aliases(cls, data):
        if isinstance(data, dict) and cls.ALIASES:
            data = dict(data)
            for name, amap in cls.ALIASES.items():
                v = data.get(name)
                if isinstance(v, str) and v.strip() in amap:
                    data[name] = amap[v.strip()]
        return data


# ---------------------------------------------------------------------------------------------
# Registry


@dataclass
class Rule:
    id: str
    title: str
    formula: Callable
    inputs: type[RuleInput]
    outputs: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ("ineligible",)
    citations: tuple[Citation, ...] = ()
    vectorised: bool = True
    prepare_vector: Callable | None = None
    list_outputs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    doc: str = ""
    _params: dict = field(default_factory=dict, repr=False)
    # when the inputs do not give `as_of`: a date derived from the inputs (one case: a dict
    # → date | None; a table: columns → datetime64 column | None), else today
    default_as_of: Callable | None = None

    @property
    def policy(self) -> str:
        return self.id.split(".", 1)[0]

    def schema(self) -> dict:
        return self.inputs.model_json_schema()

    def parameter_names(self) -> list[str]:
        """The parameters the rule reads: the names its formula mentions (string literals and
        f-string patterns), else every parameter of its policy."""
        cached = self.__dict__.get("_param_names")
        if cached is not None:
            return cached
        import ast
        import inspect
        import re
        import textwrap

        prefix = self.policy + "."
        names = [n for n in PARAMETERS.names() if n.startswith(prefix)]
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(self.formula)))
        except (OSError, TypeError, SyntaxError):
            tree = None
        pats = []
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                pats.append(re.escape(node.value))
            elif isinstance(node, ast.JoinedStr):
                parts = [re.escape(v.value) if isinstance(v, ast.Constant) else "[^.]+" for v in node.values]
                if any(isinstance(v, ast.Constant) for v in node.values):
                    pats.append("".join(parts))
        rx = [re.compile(p) for p in pats if p]
        used = [n for n in names if any(r.fullmatch(n) or r.fullmatch(n[len(prefix):]) for r in rx)]
        self.__dict__["_param_names"] = used or names
        return self.__dict__["_param_names"]

    def describe(self, when: dt.date | None = None) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "doc": self.doc,
            "outputs": list(self.outputs),
            "outcomes": list(self.outcomes),
            "vectorised": self.vectorised,
            "citations": [c.to_dict() for c in self.citations],
            "inputs_schema": self.schema(),
        }


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    title: str,
    inputs: type[RuleInput],
    outputs: Iterable[str] = (),
    outcomes: Iterable[str] = (),
    refusals: Iterable[str] = ("ineligible",),
    cite: Iterable[tuple] = (),
    vectorised: bool = True,
    prepare_vector: Callable | None = None,
    list_outputs: Mapping[str, Iterable[str]] | None = None,
    default_as_of: Callable | None = None,
):
    """Register a rule. `cite` lists (docno, path, quote) of the provisions it implements."""

    def deco(fn):
        RULES[rule_id] = Rule(
            id=rule_id,
            title=title,
            formula=fn,
            inputs=inputs,
            outputs=tuple(outputs),
            outcomes=tuple(outcomes),
            refusals=tuple(refusals),
            citations=tuple(Citation(*c) for c in cite),
            vectorised=vectorised,
            prepare_vector=prepare_vector,
            list_outputs={k: tuple(v) for k, v in (list_outputs or {}).items()},
            doc=(fn.__doc__ or "").strip(),
            default_as_of=default_as_of,
        )
        return fn

    return deco


def get_rule(rule_id: str) -> Rule:
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


# ---------------------------------------------------------------------------------------------
# Parameter resolution: gazette values, administrators' dated overrides of interpretations,
# and what-if overrides (`--set NAME=VALUE`, never stored).

_db_cache: dict[str, Any] = {"at": 0.0, "data": None}
_db_lock = threading.Lock()
DB_CACHE_SECONDS = 5.0


def invalidate_overrides() -> None:
    _db_cache["data"] = None
    _use_cache.clear()


# (parameter, date) → ParamUse, valid while the administrators' overrides are unchanged
_use_cache: dict = {}
_use_cache_owner: list = [None]


def _use_cache_get(key):
    data = _db_overrides()
    if _use_cache_owner[0] is not data:
        _use_cache.clear()
        _use_cache_owner[0] = data
    return _use_cache.get(key)


def _use_cache_put(key, use) -> None:
    if len(_use_cache) > 100_000:
        _use_cache.clear()
    _use_cache[key] = use


def _db_overrides() -> dict[str, list[tuple[dt.date, Any, str]]]:
    now = time.monotonic()
    data = _db_cache["data"]
    if data is not None and now - _db_cache["at"] < DB_CACHE_SECONDS:
        return data
    with _db_lock:
        data = {}
        try:
            from .models import ParameterOverride

            for o in ParameterOverride.objects.order_by("effective_from", "id"):
                data.setdefault(o.parameter, []).append((o.effective_from, o.value, f"override:{o.pk}"))
        except Exception:  # no table yet (before migrate), or no database at all
            data = {}
        _db_cache.update(at=now, data=data)
    return data


def check_overrides(overrides: Mapping[str, Any] | None) -> None:
    errs = []
    for name in overrides or {}:
        base = name.split("[", 1)[0]
        if base not in PARAMETERS:
            errs.append({"field": f"set.{name}", "message": f"unknown parameter: {name}"})
    if errs:
        raise RuleInputError(errs)


def resolve(name: str, when: dt.date, overrides: Mapping[str, Any] | None = None) -> ValueAt:
    par = PARAMETERS[name]
    va = par.at(when)
    if par.interpretation:
        db = _db_overrides().get(name)
        if db:
            for start, value, src in db:
                if start <= when and start >= va.start:
                    va = ValueAt(value, start, va.citation, src)
    if overrides:
        if name in overrides:
            va = ValueAt(overrides[name], va.start, va.citation, "what-if")
        elif par.is_scale:
            pairs = [list(p) for p in va.value]
            changed = False
            for i, pair in enumerate(pairs):
                for j, key in enumerate(("threshold", "amount")):
                    k = f"{name}[{i}].{key}"
                    if k in overrides:
                        pair[j] = overrides[k]
                        changed = True
            if changed:
                va = ValueAt(pairs, va.start, va.citation, "what-if")
    return va


# ---------------------------------------------------------------------------------------------
# The evaluation context


class _NS(dict):
    __slots__ = ()

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def _op(value, op: str, thr):
    tol = _TOL * max(1.0, abs(float(thr))) if isinstance(thr, (int, float)) else 0.0
    if op == ">=":
        return value >= thr - tol
    if op == ">":
        return value > thr + tol
    if op == "<=":
        return value <= thr + tol
    if op == "<":
        return value < thr - tol
    if op == "==":
        return value == thr
    raise ValueError(f"unknown comparison {op}")


_SIMPLE = (bool, int, str, type(None))


def _py(v):
    """A JSON-ready Python value: numpy scalars and 0-d arrays unwrapped, NaN → None."""
    t = type(v)
    if t in _SIMPLE:
        return v
    if t is float:
        return None if v != v else v  # NaN: "not applicable" in a column, None in JSON
    if t is dict:
        return {k: _py(x) for k, x in v.items()}
    if t is list or t is tuple:
        return [_py(x) for x in v]
    if isinstance(v, np.ndarray):
        return _py(v.item()) if v.ndim == 0 else [_py(x) for x in v.tolist()]
    if isinstance(v, np.generic):
        return _py(v.item())
    if isinstance(v, dict):
        return {k: _py(x) for k, x in v.items()}
    return v


class Categorical:
    """A column of strings kept as small integer codes into a list of categories: comparing
    with a string, membership and relabelling cost one pass over integers, not over strings."""

    __slots__ = ("codes", "categories")

    def __init__(self, codes: np.ndarray, categories: list):
        self.codes = codes
        self.categories = categories

    @classmethod
    def from_array(cls, col, known=()) -> Categorical:
        cats = list(known)
        lut = {v: i for i, v in enumerate(cats)}
        for v in set(col.tolist()) if isinstance(col, np.ndarray) else set(col):
            if v not in lut:
                lut[v] = len(cats)
                cats.append(v)
        codes = np.fromiter(map(lut.__getitem__, col), dtype=np.intp, count=len(col))
        return cls(codes, cats)

    def __len__(self) -> int:
        return len(self.codes)

    def _mask(self, pred) -> np.ndarray:
        m = np.fromiter((bool(pred(c)) for c in self.categories), dtype=bool, count=len(self.categories))
        return m[self.codes] if len(m) else np.zeros(len(self.codes), dtype=bool)

    def __eq__(self, other):  # type: ignore[override]
        return self._mask(lambda c: c == other)

    def __ne__(self, other):  # type: ignore[override]
        return ~self._mask(lambda c: c == other)

    __hash__ = None  # type: ignore[assignment]

    def isin(self, values) -> np.ndarray:
        vals = set(values)
        return self._mask(lambda c: c in vals)

    def relabel(self, fn) -> Categorical:
        return Categorical(self.codes, [fn(c) for c in self.categories])

    def to_array(self) -> np.ndarray:
        table = np.empty(len(self.categories), dtype=object)
        table[:] = self.categories
        return table[self.codes]

    def astype(self, dtype):
        return self.to_array().astype(dtype)

    def tolist(self) -> list:
        return self.to_array().tolist()

    def __iter__(self):
        cats = self.categories
        return (cats[i] for i in self.codes.tolist())

    @property
    def dtype(self):
        return np.dtype(object)

    def __getitem__(self, idx):
        if isinstance(idx, (int, np.integer)):
            return self.categories[self.codes[idx]]
        return Categorical(self.codes[idx], self.categories)


class Ctx:
    def __init__(self, rule: Rule, inputs: dict, when: dt.date, overrides=None, vector: bool = False, n: int = 1):
        self.rule = rule
        self.x = _NS(inputs)
        self.when = when
        self.overrides = overrides
        self.vector = vector
        self.n = n
        self.steps: list[Step] = []
        self.unmet: list[dict] = []
        self.details: dict = {}
        self.interpretations: dict[str, dict] = {}
        self._pending: list[ParamUse] = []
        self.group: str | None = None
        self._cmp_cache: dict = {}

    # -- parameters
    def param(self, name: str) -> Parameter:
        cache = self.rule._params
        par = cache.get(name)
        if par is None:
            full = name if name in PARAMETERS else f"{self.rule.policy}.{name}"
            par = cache[name] = PARAMETERS[full]
        return par

    def p(self, name: str):
        par = self.param(name)
        if self.vector:
            try:
                return resolve(par.name, self.when, self.overrides).value
            except ParameterNotInForce as exc:
                raise RuleInputError([{"field": "as_of", "message": f"{self.when.isoformat()}: {exc}"}]) from None
        key = (par.name, self.when)
        use = None if self.overrides else _use_cache_get(key)
        if use is None:
            try:
                va = resolve(par.name, self.when, self.overrides)
            except ParameterNotInForce as exc:
                raise RuleInputError(
                    [{"field": "as_of", "message": f"{self.when.isoformat()}: {exc}"}]
                ) from None
            use = ParamUse(
                par.name, va.value, va.start.isoformat(), va.citation or par.citation,
                par.interpretation, va.source, par.comparison, par.word,
            )
            if not self.overrides:
                _use_cache_put(key, use)
        self._pending.append(use)
        if par.interpretation:
            self.interpretations[par.name] = {
                "name": par.name,
                "value": use.value,
                "effective": use.effective,
                "source": use.source,
                "description": par.description,
                "note": par.metadata.get("note"),
            }
        return use.value

    # -- trace
    def step(self, check: str, result=None, *, values: dict | None = None, cite=None, note: str | None = None, ok=None):
        if self.vector:
            self._pending = []
            return
        params, self._pending = self._pending, []
        citation = _cite(cite)
        if citation is None and params:
            citation = params[0].citation
        if citation is None and self.rule.citations:
            citation = self.rule.citations[0]
        self.steps.append(
            Step(check, _py(result), _py(values or {}), citation, params, note, None if ok is None else bool(ok))
        )

    def threshold(self, label: str, value, name: str, *, cite=None, field: str | None = None, note: str | None = None):
        """Compare `value` with threshold parameter `name` using its declared comparison."""
        par = self.param(name)
        thr = self.p(name)
        op = par.comparison or ">="
        if self.vector:
            # the same column against the same threshold (e.g. 5000万 for each growth type): once
            key = (id(value), op, repr(thr))
            hit = self._cmp_cache.get(key)
            if hit is not None and hit[0] is value:
                return hit[1]
            res = _op(value, op, thr)
            self._cmp_cache[key] = (value, res)
            return res
        res = _op(value, op, thr)
        if not self.vector:
            word = par.word
            conv = CONVENTION.get(word or "", "")
            self.step(
                label,
                bool(res),
                values={"value": value, "comparison": op, "threshold": thr, "word": word, "convention": conv},
                cite=cite,
                note=note,
                ok=bool(res),
            )
            if not res:
                self.unmet.append(
                    {"group": self.group, "condition": label, "field": field, "value": _py(value),
                     "comparison": op, "threshold": _py(thr), "word": word, "parameter": par.name,
                     "reference": self.steps[-1].citation.reference if self.steps[-1].citation else None}
                )
        return res

    def condition(self, label: str, ok, *, cite=None, values: dict | None = None, field: str | None = None, note=None):
        if not self.vector:
            self.step(label, bool(ok), values=values, cite=cite, note=note, ok=bool(ok))
            if not ok:
                self.unmet.append(
                    {"group": self.group, "condition": label, "field": field, "value": _py((values or {}).get(field)) if field else None,
                     "reference": self.steps[-1].citation.reference if self.steps[-1].citation else None}
                )
        return ok

    def section(self, name: str | None):
        self.group = name
        return self

    # -- operations valid on scalars and on columns
    def all(self, *conds):
        if self.vector:
            arrays = [c for c in conds if isinstance(c, np.ndarray) and c.ndim]
            if any(not c for c in conds if not (isinstance(c, np.ndarray) and c.ndim)):
                return np.zeros(self.n, dtype=bool)
            if not arrays:
                return np.ones(self.n, dtype=bool)
            out = arrays[0].copy() if len(arrays) == 1 else np.logical_and(arrays[0], arrays[1])
            for c in arrays[2:]:
                np.logical_and(out, c, out=out)
            return out
        return all(bool(c) for c in conds)

    def any(self, *conds):
        if self.vector:
            arrays = [c for c in conds if isinstance(c, np.ndarray) and c.ndim]
            if any(bool(c) for c in conds if not (isinstance(c, np.ndarray) and c.ndim)):
                return np.ones(self.n, dtype=bool)
            if not arrays:
                return np.zeros(self.n, dtype=bool)
            out = arrays[0].copy() if len(arrays) == 1 else np.logical_or(arrays[0], arrays[1])
            for c in arrays[2:]:
                np.logical_or(out, c, out=out)
            return out
        return any(bool(c) for c in conds)

    def not_(self, c):
        return np.logical_not(c) if self.vector else not c

    def where(self, cond, a, b):
        if self.vector:
            if isinstance(a, (str, Categorical)) and isinstance(b, (str, Categorical)) and isinstance(cond, np.ndarray):
                if isinstance(a, str) and isinstance(b, str):
                    # a labelled outcome: the boolean column itself is the code (no copy)
                    return Categorical(cond.view(np.uint8), [b, a])
                cats: list = []
                index: dict = {}

                def codes(v):
                    if isinstance(v, str):
                        if v not in index:
                            index[v] = len(cats)
                            cats.append(v)
                        return index[v]
                    remap = np.empty(len(v.categories), dtype=np.intp)
                    for i, cat in enumerate(v.categories):
                        if cat not in index:
                            index[cat] = len(cats)
                            cats.append(cat)
                        remap[i] = index[cat]
                    return remap[v.codes]

                ca, cb = codes(a), codes(b)
                return Categorical(np.where(cond, ca, cb), cats)
            return np.where(cond, a, b)
        return a if cond else b

    def isin(self, x, values):
        values = list(values)
        if self.vector:
            if isinstance(x, Categorical):
                return x.isin(values)
            return np.isin(x, values)
        return x in values

    def minimum(self, a, b):
        return np.minimum(a, b) if self.vector else min(a, b)

    def maximum(self, a, b):
        return np.maximum(a, b) if self.vector else max(a, b)

    def round(self, a, digits: int = 2):
        """Round half away from zero (to the fen for money), the same way in both modes."""
        q = 10.0**digits
        if self.vector:
            r = np.abs(a)
            r *= q
            r += 0.5
            np.floor(r, out=r)
            r /= q
            return np.copysign(r, a, out=r)
        if a != a:
            return a
        return math.copysign(math.floor(abs(a) * q + 0.5) / q, a) if a else 0.0

    def isnan(self, a):
        if self.vector:
            return np.isnan(a)
        return a is None or (isinstance(a, float) and a != a)

    def num(self, a):
        """A number, or NaN where the input was not given (so both modes compute alike)."""
        if self.vector:
            return a
        return float("nan") if a is None else a

    def ceil(self, a):
        return np.ceil(a) if self.vector else (a if a != a else float(math.ceil(a)))

    def full(self, value):
        if self.vector:
            if isinstance(value, str):
                return Categorical(np.zeros(self.n, dtype=np.uint8), [value])
            return np.full(self.n, value)
        return value


_CITE_CACHE: dict = {}


def _cite(cite) -> Citation | None:
    if cite is None:
        return None
    if isinstance(cite, Citation):
        return cite
    if isinstance(cite, tuple):
        c = _CITE_CACHE.get(cite)
        if c is None:
            c = _CITE_CACHE[cite] = Citation(*cite)
        return c
    if isinstance(cite, str) and cite in PARAMETERS:
        return PARAMETERS[cite].citation
    return Citation.from_value(cite)


# ---------------------------------------------------------------------------------------------
# One case


def validate_inputs(rule: Rule, inputs: Any) -> RuleInput:
    if not isinstance(inputs, Mapping):
        raise RuleInputError([{"field": "__root__", "message": "inputs must be a JSON object"}])
    try:
        return rule.inputs.model_validate(dict(inputs))
    except ValidationError as exc:
        raise RuleInputError.from_validation(exc) from None


def decide(rule_id: str, inputs: Any, *, overrides: Mapping[str, Any] | None = None) -> Decision:
    rule = get_rule(rule_id)
    model = validate_inputs(rule, inputs)
    check_overrides(overrides)
    data = model.model_dump()
    when = data.get("as_of")
    if when is None and rule.default_as_of is not None:
        when = rule.default_as_of(data)
        if when is not None:
            c_note = f"as_of not given: {when.isoformat()} derived from the inputs"
            data["_as_of_note"] = c_note
    when = when or today()
    data["as_of"] = when
    c = Ctx(rule, data, when, overrides)
    try:
        out = rule.formula(c)
    except ParameterError as exc:
        raise RuleInputError([{"field": "parameters", "message": str(exc)}]) from None
    except (ArithmeticError, ValueError, TypeError) as exc:
        # e.g. a date at the end of the calendar plus a 15-day period, or a what-if value of the
        # wrong type: the inputs (or overrides) are outside what the rule can compute with
        field = "set" if overrides else "__root__"
        raise RuleInputError([{"field": field, "message": f"cannot compute with these inputs: {exc}"}]) from None
    out = dict(out)
    outcome = out.pop("outcome", None)
    details = {**c.details, **out.pop("details", {})}
    outputs = {}
    for key, value in out.items():
        if key in rule.list_outputs and isinstance(value, dict):
            value = [k for k in rule.list_outputs[key] if bool(value.get(k))]
        outputs[key] = _py(value)
    outcome = _py(outcome)
    unmet = c.unmet if outcome in rule.refusals else []
    return Decision(
        rule=rule.id,
        outcome=outcome,
        outputs=outputs,
        details=_py(details),
        steps=c.steps,
        unmet=unmet,
        as_of=when.isoformat(),
        interpretations=list(c.interpretations.values()),
        inputs=data,
    )


# ---------------------------------------------------------------------------------------------
# A table of cases


def _field_kind(annotation) -> tuple[str, tuple | None]:
    """Reduce a field annotation to a column kind: float, int, bool, str, date, object."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _field_kind(args[0])
        return "object", None
    if origin is typing.Literal:
        return "str", tuple(typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "str", tuple(m.value for m in annotation)
    if annotation is bool:
        return "bool", None
    if annotation is int:
        return "int", None
    if annotation is float:
        return "float", None
    if annotation is str:
        return "str", None
    if annotation is dt.date:
        return "date", None
    return "object", None


_TRUE = {"true", "1", "yes", "y", "t", "是"}
_FALSE = {"false", "0", "no", "n", "f", "否", "", "none", "nan"}


def _to_bool(col: np.ndarray, name: str) -> np.ndarray:
    if col.dtype == bool:
        return col
    if col.dtype.kind in "iuf":
        return col != 0
    low = np.char.lower(np.char.strip(col.astype(str)))
    bad = ~(np.isin(low, list(_TRUE)) | np.isin(low, list(_FALSE)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise RuleInputError([{"field": name, "message": f"row {i + 1}: not a boolean: {col[i]!r}"}])
    return np.isin(low, list(_TRUE))


def _constraints(field_info) -> dict:
    out = {}
    for m in field_info.metadata:
        for key in ("ge", "gt", "le", "lt"):
            v = getattr(m, key, None)
            if v is not None:
                out[key] = v
    return out


def prepare_columns(rule: Rule, columns: Mapping[str, Any], n: int | None = None, at: dt.date | None = None) -> tuple[dict, int]:
    fields = rule.inputs.model_fields
    unknown = [k for k in columns if k not in fields]
    if unknown:
        raise RuleInputError([{"field": k, "message": "not an input of this rule"} for k in unknown])
    if n is None:
        sized = [v for v in columns.values() if not isinstance(v, Mapping)]
        n = len(sized[0]) if sized else 0
    aliases = getattr(rule.inputs, "ALIASES", {})
    out: dict[str, np.ndarray] = {}
    for name, info in fields.items():
        kind, choices = _field_kind(info.annotation)
        if name not in columns:
            if name == "as_of":
                derived = rule.default_as_of(columns) if (rule.default_as_of is not None and at is None) else None
                out[name] = derived if derived is not None else np.full(n, np.datetime64(at or today(), "D"))
                continue
            if info.is_required():
                raise RuleInputError([{"field": name, "message": "Field required"}])
            default = info.get_default(call_default_factory=True)
            if kind == "float":
                out[name] = np.full(n, np.nan if default is None else float(default))
            elif kind == "int":
                out[name] = np.full(n, np.nan) if default is None else np.full(n, int(default), dtype=np.int64)
            elif kind == "bool":
                out[name] = np.full(n, bool(default))
            elif kind == "str":
                out[name] = Categorical(np.zeros(n, dtype=np.intp), ["" if default is None else str(getattr(default, "value", default))])
            else:
                out[name] = np.full(n, None, dtype=object)
            continue
        raw = columns[name]
        if isinstance(raw, Mapping) and kind == "object":
            # the wide form of a {key: value} input: one column per key
            wide = {}
            for key, v in raw.items():
                arr = np.asarray(v, dtype=float)
                if arr.shape != (n,):
                    raise RuleInputError([{"field": f"{name}.{key}", "message": f"column has {arr.size} rows, expected {n}"}])
                if (arr < 0).any():
                    i = int(np.flatnonzero(arr < 0)[0])
                    raise RuleInputError([{"field": f"{name}.{key}", "message": f"row {i + 1}: must be ≥ 0, got {arr[i]}"}])
                wide[key] = arr
            out[name] = wide
            continue
        if isinstance(raw, Categorical):
            col = raw
        else:
            col = raw if isinstance(raw, np.ndarray) else np.asarray(raw, dtype=object if kind in ("str", "object") else None)
        if len(col) != n:
            raise RuleInputError([{"field": name, "message": f"column has {len(col)} rows, expected {n}"}])
        try:
            if kind == "float":
                col = np.asarray(col, dtype=np.float64)
                bounds = _constraints(info)
                lo = col.min() if n else 0.0  # one pass, no temporary: NaN shows up as NaN
                if info.is_required() and "ge" in bounds and lo == lo and lo >= bounds["ge"]:
                    pass  # no NaN, no value below the bound
                elif np.isnan(col).any() and info.is_required():
                    i = int(np.flatnonzero(np.isnan(col))[0])
                    raise RuleInputError([{"field": name, "message": f"row {i + 1}: missing number"}])
            elif kind == "int" and col.dtype.kind in "iu":
                col = col.astype(np.int64, copy=False)
            elif kind == "int":
                f = col.astype(np.float64)
                if not info.is_required() and np.isnan(f).any():
                    col = f  # an optional count: NaN where not given
                    f = np.where(np.isnan(f), 0.0, f)
                    if (f != np.floor(f)).any():
                        i = int(np.flatnonzero(f != np.floor(f))[0])
                        raise RuleInputError([{"field": name, "message": f"row {i + 1}: not an integer: {col[i]!r}"}])
                elif (f != np.floor(f)).any():
                    i = int(np.flatnonzero(f != np.floor(f))[0])
                    raise RuleInputError([{"field": name, "message": f"row {i + 1}: not an integer: {col[i]!r}"}])
                else:
                    col = f.astype(np.int64)
            elif kind == "bool":
                col = _to_bool(col, name)
            elif kind == "str":
                cat = raw if isinstance(raw, Categorical) else Categorical.from_array(col, choices or ())
                amap = aliases.get(name)
                if amap:
                    cat = cat.relabel(lambda v, amap=amap: amap.get(v, v))
                if choices is not None:
                    bad = ~cat.isin(choices)
                    if bad.any():
                        i = int(np.flatnonzero(bad)[0])
                        raise RuleInputError([{"field": name, "message": f"row {i + 1}: {cat[i]!r} is not one of {list(choices)}"}])
                col = cat
            elif kind == "date":
                col = np.asarray(col, dtype="datetime64[D]")
                if name == "as_of" and n and np.isnat(col).any():
                    # rows without a date: as if the column were absent (derived, or today)
                    derived = rule.default_as_of(columns) if (rule.default_as_of is not None and at is None) else None
                    fill = derived if derived is not None else np.full(n, np.datetime64(at or today(), "D"))
                    col = np.where(np.isnat(col), fill, col)
        except RuleInputError:
            raise
        except (ValueError, TypeError) as exc:
            raise RuleInputError([{"field": name, "message": f"wrong type: {exc}"}]) from None
        for key, bound in _constraints(info).items():
            if kind not in ("float", "int") or not n:
                continue
            edge = col.min() if key in ("ge", "gt") else col.max()
            if edge != edge:  # NaN in an optional column: compare without it
                edge = np.nanmin(col) if key in ("ge", "gt") else np.nanmax(col)
            if edge != edge or {"ge": edge >= bound, "gt": edge > bound, "le": edge <= bound, "lt": edge < bound}[key]:
                continue
            bad = {"ge": col < bound, "gt": col <= bound, "le": col > bound, "lt": col >= bound}[key]
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                word = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}[key]
                raise RuleInputError([{"field": name, "message": f"row {i + 1}: must be {word} {bound}, got {col[i]}"}])
        out[name] = col
    return out, n


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
    points = PARAMETERS.breakpoints()
    for lst in _db_overrides().values():
        points += [d for d, _, _ in lst]
    bp = np.array(sorted(set(points)), dtype="datetime64[D]")
    epoch = np.searchsorted(bp, as_of, side="right")
    uniq = [epoch[0]] if n and epoch.min() == epoch.max() else np.unique(epoch)
    if n == 0 or len(uniq) == 1:
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
        return {k: v[lo:hi] for k, v in col.items()}
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
        d = decide(rule.id, inputs, overrides=overrides).to_dict()
        rows.append(d)
    keys = (["outcome"] if rule.outcomes else []) + list(rule.outputs)
    out = {}
    for k in keys:
        out[k] = np.array([r.get(k) for r in rows], dtype=object)
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
