"""The evaluation context `c` a rule is written against, and the trace it writes.

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

One case: Python values and a full trace. A table: numpy columns (strings as `Categorical`
codes), no trace, the same results.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from .citation import Citation
from .decision import ParamUse, _py, _py_dict  # noqa: F401 (_py_dict, _py: used here and by batch)
from .errors import RuleInputError
from .lazy import np
from .parameters import CONVENTION, PARAMETERS, Parameter, ParameterNotInForce
from .resolution import _use_cache_put, resolve, use_cache

if TYPE_CHECKING:
    from .registry import Rule

_TOL = 1e-9

class _NS:
    """The inputs as attributes (`x.area_mu`: a plain instance attribute, the cheapest read in
    Python) and as a mapping (`x["tax_1"]`, `x.get(...)`)."""

    def __init__(self, data: dict):
        self.__dict__ = data

    def __getitem__(self, key):
        return self.__dict__[key]

    def __contains__(self, key) -> bool:
        return key in self.__dict__

    def get(self, key, default=None):
        return self.__dict__.get(key, default)


_CONVENTION_OF = {None: "", **CONVENTION}


def _tester(op: str, thr):
    """`_op(value, op, thr)` as a one-argument function, the tolerance worked out once."""
    if isinstance(thr, (int, float)) and not isinstance(thr, bool):
        tol = _TOL * max(1.0, abs(float(thr)))
        if op == ">=":
            bound = thr - tol
            return lambda v: v >= bound
        if op == ">":
            bound = thr + tol
            return lambda v: v > bound
        if op == "<=":
            bound = thr + tol
            return lambda v: v <= bound
        if op == "<":
            bound = thr - tol
            return lambda v: v < bound
    return lambda v: _op(v, op, thr)


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


def _compact(codes: np.ndarray, n_categories: int) -> np.ndarray:
    """Codes in one byte when there are fewer than 256 categories (a district, a township)."""
    return codes.astype(np.uint8) if n_categories < 256 else codes


def _factorize_texts(col):
    """(codes, distinct values) of a column of texts (and None) with pyarrow when it is
    installed (the `batch` extra) and the column holds nothing else; None otherwise."""
    if not isinstance(col, np.ndarray) or col.dtype != object or len(col) < 4096:
        return None
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - the test extra installs it
        return None
    try:
        arr = pa.array(col, type=pa.string())  # refuses anything but str and None
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    enc = arr.dictionary_encode(null_encoding="encode")
    uniques = enc.dictionary.to_pylist()
    return enc.indices.to_numpy(zero_copy_only=False), uniques


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
        fast = _factorize_texts(col)
        if fast is not None:  # codes from Arrow's hash table: one pass in C, not a dict lookup per row
            codes, uniques = fast
            remap = np.empty(len(uniques), dtype=np.intp)
            for j, v in enumerate(uniques):
                i = lut.get(v)
                if i is None:
                    i = lut[v] = len(cats)
                    cats.append(v)
                remap[j] = i
            return cls(_compact(remap[codes] if len(uniques) else codes.astype(np.intp), len(cats)), cats)
        for v in set(col.tolist()) if isinstance(col, np.ndarray) else set(col):
            if v not in lut:
                lut[v] = len(cats)
                cats.append(v)
        codes = np.fromiter(map(lut.__getitem__, col), dtype=np.intp, count=len(col))
        return cls(_compact(codes, len(cats)), cats)

    def __len__(self) -> int:
        return len(self.codes)

    def _mask(self, pred) -> np.ndarray:
        m = np.fromiter((bool(pred(c)) for c in self.categories), dtype=bool, count=len(self.categories))
        hits = np.flatnonzero(m)
        codes = self.codes
        if len(hits) == 0:
            return np.zeros(len(codes), dtype=bool)
        if len(hits) == len(m):
            return np.ones(len(codes), dtype=bool)
        if len(hits) <= 3 and codes.itemsize == 1:
            # one or a few categories of small codes: comparisons over bytes beat a gather
            out = codes == hits[0]
            for h in hits[1:]:
                out |= codes == h
            return out
        return m[codes]

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
        self.steps: list[tuple] = []  # decision.Step fields, as plain tuples
        self.unmet: list[dict] = []
        self.details: dict = {}
        self.interpretations: dict[str, dict] = {}
        self._pending: list[ParamUse] = []
        self.group: str | None = None
        self._cmp_cache: dict = {}
        # (parameter, date) → ParamUse, checked against the administrators' overrides once per case
        self._uses = None if (vector or overrides) else use_cache()
        self._policy = rule.policy

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
        return self._use(par).value

    def _use(self, par: Parameter) -> ParamUse:
        """The parameter's value at the decision date, recorded for the next step."""
        uses = self._uses
        use = None if uses is None else uses.get((par.name, self.when))
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
            if uses is not None:
                _use_cache_put((par.name, self.when), use)
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
        return use

    # -- trace
    def step(self, check: str, result=None, *, values: dict | None = None, cite=None, note: str | None = None, ok=None):
        if self.vector:
            self._pending = []
            return
        # the parameters read since the last step; none: an empty tuple, never the pending list
        # itself (a later read would land in this step's trace too)
        params = self._pending or ()
        if params:
            self._pending = []
        citation = self._citation(cite, params)
        # a light tuple (decision.Step's fields); made JSON-ready only when serialised
        self.steps.append((check, result, values, citation, params, note, None if ok is None else bool(ok)))

    def threshold(self, label: str, value, name: str, *, cite=None, field: str | None = None, note: str | None = None,
                  todo: str | None = None, words: dict | None = None):
        """Compare `value` with threshold parameter `name` using its declared comparison.
        A label that holds values is a msgid with placeholders and `words` the values
        (`N_("第%(q)s季度…")`, `words={"q": 2}`): the trace and `condition` hold it filled in
        Chinese, the unmet entry keeps both so that `plain.finding` words it in any language."""
        uses = self._uses
        if uses is not None and cite is None and not self._pending:
            # the usual step of a traced decision: a gazette threshold already compared once on
            # this date (its record in the use cache, cleared with it when an override changes)
            rec = uses.get((self._policy, name, self.when))
            if rec is not None:
                params, op, thr, word, convention, test, citation = rec
                res = test(value)
                met = bool(res)
                check = label % words if words else label
                self.steps.append((check, met, (value, op, thr, word, convention), citation, params, note, met))
                if not met:
                    self._unmet_threshold(label, field, value, op, thr, word, params[0].name, citation,
                                          todo, words)
                return res
        par = self.rule._params.get(name) or self.param(name)
        op = par.comparison or ">="
        if self.vector:
            thr = self.p(name)
            # the same column against the same threshold (e.g. 5000万 for each growth type): once
            key = (id(value), op, repr(thr))
            hit = self._cmp_cache.get(key)
            if hit is not None and hit[0] is value:
                return hit[1]
            res = _op(value, op, thr)
            self._cmp_cache[key] = (value, res)
            return res
        uses = self._uses
        use = uses.get((par.name, self.when)) if uses is not None and not par.interpretation else None
        if use is None:
            use = self._use(par)
        else:  # the usual case, inlined: a cached use of a gazette value, recorded for this step
            self._pending.append(use)
        thr = use.value
        test = use._test
        if test is None:  # the comparison with its tolerance, worked out once per (parameter, date)
            test = use._test = _tester(op, thr)
        res = test(value)
        met = bool(res)
        word = par.word
        # the step, recorded inline (the hot path of a traced decision: one per threshold)
        params = self._pending
        self._pending = []
        if cite is None:  # as step(): the first parameter read since the last step, else the rule's
            citation = params[0].citation or (self.rule.citations[0] if self.rule.citations else None)
        else:
            citation = self._citation(cite, params)
        convention = _CONVENTION_OF.get(word, "")
        if uses is not None and cite is None and len(params) == 1 and not par.interpretation:
            # this threshold's step on this date, for the next decisions (the fast path above)
            _use_cache_put((self._policy, name, self.when), ((use,), op, thr, word, convention, test, citation))
        # the values as a tuple: decision.trace_json makes them the step's dict
        # {"value", "comparison", "threshold", "word", "convention"} when the trace is serialised
        check = label % words if words else label
        self.steps.append((check, met, (value, op, thr, word, convention), citation, params, note, met))
        if not met:
            self._unmet_threshold(label, field, value, op, thr, word, par.name, citation, todo, words)
        return res

    def _unmet_threshold(self, label, field, value, op, thr, word, parameter, citation, todo,
                         words=None) -> None:
        entry = {"group": self.group, "condition": label % words if words else label, "field": field,
                 "value": _py(value), "comparison": op, "threshold": _py(thr), "word": word,
                 "parameter": parameter, "reference": citation.reference if citation else None}
        if todo:
            entry["todo"] = todo
        if words:
            entry["label"], entry["words"] = label, words
        self.unmet.append(entry)

    def _citation(self, cite, params):
        citation = _CITE_CACHE.get(cite) if type(cite) is tuple else None
        if citation is None:
            citation = _cite(cite)
        if citation is None:
            if params:
                citation = params[0].citation
            if citation is None and self.rule.citations:
                citation = self.rule.citations[0]
        return citation

    def condition(self, label: str, ok, *, cite=None, values: dict | None = None, field: str | None = None, note=None,
                  todo: str | None = None, words: dict | None = None):
        """A yes/no condition; `words` as for `threshold`."""
        if not self.vector:
            if words:
                label, msgid = label % words, label
            met = bool(ok)
            # the step, recorded inline (as step() would)
            params = self._pending or ()  # as step(): never the pending list itself
            if params:
                self._pending = []
            citation = _CITE_CACHE.get(cite) if type(cite) is tuple else None
            if citation is None:
                citation = self._citation(cite, params)
            self.steps.append((label, met, values, citation, params, note, met))
            if not met:
                self.unmet.append(
                    {"group": self.group, "condition": label, "field": field, "value": _py((values or {}).get(field)) if field else None,
                     "reference": citation.reference if citation else None}
                )
                if todo:
                    self.unmet[-1]["todo"] = todo
                if words:
                    self.unmet[-1]["label"], self.unmet[-1]["words"] = msgid, words
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
        return all(conds)

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
        return any(conds)

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

