"""What a rule returns: a Decision with its outcome, amounts, details and a trace of Steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .citation import Citation


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

    def to_dict(self) -> dict:
        d = self.__dict__.get("_json")
        if d is None:
            d = self._json = self._to_dict()
        return d

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


@dataclass
class Step:
    check: str
    result: Any
    values: dict = field(default_factory=dict)
    citation: Citation | None = None
    parameters: list[ParamUse] = field(default_factory=list)
    note: str | None = None
    ok: bool | None = None  # for conditions: met or not

    def to_dict(self) -> dict:
        return {
            "check": self.check,
            "values": self.values,
            "result": self.result,
            "ok": self.ok,
            "citation": self.citation.to_dict() if self.citation else None,
            "parameters": [p.to_dict() for p in self.parameters],
            "note": self.note,
        }


@dataclass
class Decision:
    rule: str
    outcome: str | None
    outputs: dict
    details: dict
    steps: list[Step]
    unmet: list[dict]
    as_of: str
    interpretations: list[dict]
    inputs: dict | None = None  # the validated inputs the rule ran on (with as_of)
    unmet_alternatives: list[dict] = field(default_factory=list)

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
        return parameters_in_trace([s.to_dict() for s in self.steps])

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
        out["trace"] = [s.to_dict() for s in self.steps]
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
