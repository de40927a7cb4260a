"""What a rule returns: a Decision with its outcome, amounts, details and a trace of Steps."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, NamedTuple

from .citation import Citation

_SIMPLE = (bool, int, str, type(None))
_SIMPLE_SET = frozenset(_SIMPLE)
_PLAIN = frozenset((*_SIMPLE, float))


def _py_dict(d: dict) -> dict:
    """`_py` of a dict of mostly plain values (a step's values); when every value is a plain
    Python value and none is NaN (the usual step), the dict itself."""
    plain = _PLAIN
    for v in d.values():
        if type(v) not in plain or v != v:
            break
    else:
        return d  # already JSON-ready: the step's own dict (as a Step's values always were)
    out = {}
    for k, v in d.items():
        t = type(v)
        if t in _SIMPLE_SET:
            out[k] = v
        elif t is float:
            out[k] = None if v != v else v
        else:
            out[k] = _py(v)
    return out


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
    # numpy values come only from a process that has imported numpy (a table's evaluation);
    # one that has not (`kmgov ask`) is not made to import it to learn that a value is not one
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(v, np.ndarray):
            return _py(v.item()) if v.ndim == 0 else [_py(x) for x in v.tolist()]
        if isinstance(v, np.generic):
            return _py(v.item())
    if isinstance(v, dict):
        return {k: _py(x) for k, x in v.items()}
    return v



@dataclass
class ParamUse:
    """A parameter a step used: its value and the date that value took effect."""

    name: str
    value: Any
    effective: str  # ISO date the value took effect
    citation: Citation | None
    interpretation: bool = False
    source: str = "gazette"
    comparison: str | None = None
    word: str | None = None

    def __post_init__(self):
        self._json = self._to_dict()  # serialised once (a use is shared by every decision on its date)
        self._test = None  # the threshold comparison of this value (context.threshold)

    def to_dict(self) -> dict:
        return self._json

    def _to_dict(self) -> dict:
        return {
            "name": self.name,
            "value": self.value,
            "effective": self.effective,
            "interpretation": self.interpretation,
            "source": self.source,
            "comparison": self.comparison,
            "word": self.word,
            "reference": self.citation.reference if self.citation else None,
            "citation": self.citation.to_dict() if self.citation else None,
        }


class Step(NamedTuple):
    """One step of a trace. A decision keeps its steps as plain tuples in this order (cheap to
    record: one per condition, threshold or amount); `Decision.steps` shows them as `Step`s and
    `Decision.to_dict()` turns them into dicts, only when they are read or serialised."""

    check: str
    result: Any
    values: dict = {}
    citation: Citation | None = None
    parameters: list[ParamUse] = []
    note: str | None = None
    ok: bool | None = None  # for conditions: met or not

    def to_dict(self) -> dict:
        return step_json(self)


_json_of = attrgetter("_json")


def step_json(t: tuple) -> dict:
    """A recorded step (a `Step` or the raw tuple of the same fields) as JSON."""
    return trace_json((t,))[0]


def trace_json(steps) -> list[dict]:
    """Recorded steps as JSON, in one loop (a traced decision has tens of them)."""
    out = []
    append = out.append
    simple, plain = _SIMPLE_SET, _PLAIN
    py, py_dict = _py, _py_dict
    for check, result, values, citation, params, note, ok in steps:
        tv = type(values)
        if tv is tuple:  # a threshold's (value, comparison, threshold, word, convention), inlined
            value, op, thr, word, convention = values
            t = type(value)
            if t is float:
                if value != value:
                    value = None
            elif t not in simple:
                value = py(value)
            if type(thr) not in plain or thr != thr:
                thr = py(thr)
            values = {"value": value, "comparison": op, "threshold": thr, "word": word, "convention": convention}
        elif tv is dict:
            values = py_dict(values)
        elif not values:
            values = {}
        append({
            "check": check,
            "values": values,
            "result": result if type(result) in simple else py(result),
            "ok": ok,
            "citation": citation._json if citation is not None else None,
            "parameters": ([params[0]._json] if len(params) == 1 else list(map(_json_of, params))) if params else [],
            "note": note,
        })
    return out


def _threshold_values(t: tuple) -> dict:
    """The values of a threshold step, recorded as (value, comparison, threshold, word, convention)."""
    value, op, thr, word, convention = t
    tv = type(value)
    if tv is float:
        if value != value:
            value = None
    elif tv not in _SIMPLE_SET:
        value = _py(value)
    if type(thr) not in _PLAIN or thr != thr:
        thr = _py(thr)
    return {"value": value, "comparison": op, "threshold": thr, "word": word, "convention": convention}


def _as_step(t: tuple) -> Step:
    check, result, values, citation, params, note, ok = t
    if type(values) is tuple:
        values = _threshold_values(values)
    return Step(check, _py(result), _py_dict(values) if values else {}, citation, list(params), note, ok)


class Decision:
    """A rule's answer for one case: outcome, outputs, details, the unmet conditions and the
    trace (kept as the tuples the evaluation recorded; `steps` and `to_dict()` convert them)."""

    __slots__ = ("rule", "outcome", "outputs", "details", "_steps", "unmet", "as_of", "interpretations", "inputs",
                 "unmet_alternatives")

    def __init__(self, rule: str, outcome: str | None, outputs: dict, details: dict, steps: list, unmet: list[dict],
                 as_of: str, interpretations: list[dict], inputs: dict | None = None,
                 unmet_alternatives: list[dict] | None = None):
        self.rule = rule
        self.outcome = outcome
        self.outputs = outputs
        self.details = details
        self._steps = steps
        self.unmet = unmet
        self.as_of = as_of
        self.interpretations = interpretations
        self.inputs = inputs  # the validated inputs the rule ran on (with as_of)
        self.unmet_alternatives = unmet_alternatives if unmet_alternatives is not None else []

    @property
    def steps(self) -> list[Step]:
        return [_as_step(t) for t in self._steps]

    def __repr__(self) -> str:
        return f"Decision(rule={self.rule!r}, outcome={self.outcome!r}, outputs={self.outputs!r})"

    def __eq__(self, other) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self.to_dict() == other.to_dict() and self.inputs == other.inputs

    __hash__ = None  # type: ignore[assignment]

    def reasons(self) -> list[str]:
        """The unmet conditions in Chinese, each with its provision (for refusal messages)."""
        out = []
        for u in self.unmet:
            text = u.get("condition", "")
            if u.get("threshold") is not None:
                text += f"（{u.get('field')} = {u.get('value')}，{u.get('comparison')} {u.get('threshold')}）"
            if u.get("reference"):
                text += f"〔{u['reference'].split('：')[0]}〕"
            out.append(text)
        return out

    def parameters_used(self) -> list[dict]:
        """The parameter values (and administrators' interpretation overrides, `source`
        `override:<id>`) the decision used, each once, with its citation."""
        return parameters_in_trace(trace_json(self._steps))

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"rule": self.rule}
        if self.outcome is not None:
            out["outcome"] = self.outcome
        out.update(self.outputs)
        out["as_of"] = self.as_of
        out["details"] = self.details
        if self.unmet:
            out["unmet"] = self.unmet
        if self.unmet_alternatives:
            out["unmet_alternatives"] = self.unmet_alternatives
        out["interpretations"] = self.interpretations
        out["trace"] = trace_json(self._steps)
        return out


def parameters_in_trace(trace: list[dict]) -> list[dict]:
    """The parameters a decision used (from its trace, `to_dict()` form), once each in order of
    first use: name, value, the date it took effect, where the value came from (`gazette`, an
    administrator's `override:<id>`, `what-if`), whether it is an interpretation, and its
    citation."""
    seen: dict[str, dict] = {}
    for s in trace:
        for p in s.get("parameters") or ():
            if p["name"] not in seen:
                seen[p["name"]] = {k: p.get(k) for k in (
                    "name", "value", "effective", "source", "interpretation", "reference")}
    return list(seen.values())
