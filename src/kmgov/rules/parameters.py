"""Parameters in the OpenFisca file layout, read by the kernel without OpenFisca.

A policy app keeps one parameter per YAML file under `parameters/` (a folder's `index.yaml`
describes the folder). Each file is either a parameter (`description`, `metadata`, dated
`values`, each value with its own `metadata.reference`), a scale (`brackets` of `threshold`
and `amount`), or a node whose keys are parameters (used for the annexed tables).

The full name of a parameter is `<app label>.<folders>.<file stem>[.<key>]`; its value *at a
date* is the latest value whose date is on or before that date, together with that date (the
effective date) and its reference. Interpretations (SPEC §13) carry `metadata.interpretation:
true`; an administrator may add dated overrides of them (see `models.ParameterOverride`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .citation import Citation

try:  # libyaml is much faster; the files are plain YAML either way
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

RESERVED = {"description", "metadata", "unit", "reference", "documentation"}

# The counting convention of SPEC §13 (民法通则 art. 155): the word a threshold comes from
# decides whether the number itself counts.
CONVENTION = {
    "以上": "含本数（以上）",
    "以下": "含本数（以下）",
    "以内": "含本数（以内）",
    "届满": "含本数（届满）",
    "及以上": "含本数（及以上）",
    "不低于": "含本数（不低于）",
    "不少于": "含本数（不少于）",
    "至少": "含本数（至少）",
    "不高于": "含本数（不高于）",
    "含": "含本数",
    "不满": "不含本数（不满）",
    "不足": "不含本数（不足）",
    "超过": "不含本数（超过）",
    "以外": "不含本数（以外）",
    "小于": "不含本数（小于）",
    "低于": "不含本数（低于）",
}


class ParameterError(LookupError):
    pass


class ParameterNotInForce(ParameterError):
    def __init__(self, name: str, when: dt.date, first: dt.date | None):
        self.name, self.when, self.first = name, when, first
        super().__init__(
            f"parameter {name} has no value on {when.isoformat()}"
            + (f" (in force from {first.isoformat()})" if first else "")
        )


@dataclass(frozen=True)
class ValueAt:
    """A parameter's value at a date: the value, the date it took effect, its reference."""

    value: Any
    start: dt.date
    citation: Citation | None
    source: str = "gazette"  # "gazette" | "override:<id>" | "what-if"


@dataclass
class Parameter:
    name: str
    description: str
    unit: str | None
    metadata: dict
    values: list[ValueAt] = field(default_factory=list)  # ascending by start
    brackets: list[dict] | None = None  # scales: [{"threshold": [ValueAt], "amount": [ValueAt]}]
    file_path: str = ""

    def __post_init__(self) -> None:
        self.citation: Citation | None = Citation.from_value(self.metadata.get("citation") or self.metadata.get("reference"))
        self.interpretation: bool = bool(self.metadata.get("interpretation"))
        self.comparison: str | None = self.metadata.get("comparison")
        self.word: str | None = self.metadata.get("word")

    @property
    def is_scale(self) -> bool:
        return self.brackets is not None

    @property
    def first_date(self) -> dt.date | None:
        if self.is_scale:
            dates = [v.start for b in self.brackets for k in ("threshold", "amount") for v in b[k]]
            return min(dates) if dates else None
        return self.values[0].start if self.values else None

    def at(self, when: dt.date) -> ValueAt:
        if self.is_scale:
            return self._scale_at(when)
        return _latest(self.name, self.values, when)

    def _scale_at(self, when: dt.date) -> ValueAt:
        pairs, starts, cite = [], [], None
        for b in self.brackets:
            t = _latest(self.name, b["threshold"], when)
            a = _latest(self.name, b["amount"], when)
            pairs.append([t.value, a.value])
            starts += [t.start, a.start]
            cite = cite or a.citation
        return ValueAt(pairs, max(starts), self.citation or cite)

    def describe(self, when: dt.date | None = None) -> dict:
        out = {
            "name": self.name,
            "description": self.description,
            "unit": self.unit,
            "interpretation": self.interpretation,
            "comparison": self.comparison,
            "word": self.word,
            "convention": CONVENTION.get(self.word or ""),
            "citation": self.citation.to_dict() if self.citation else None,
            "note": self.metadata.get("note"),
        }
        if self.is_scale:
            out["brackets"] = [
                {
                    k: [{"start": v.start.isoformat(), "value": v.value} for v in b[k]]
                    for k in ("threshold", "amount")
                }
                for b in self.brackets
            ]
        else:
            out["values"] = [
                {
                    "start": v.start.isoformat(),
                    "value": v.value,
                    "reference": v.citation.reference if v.citation else None,
                }
                for v in self.values
            ]
        if when is not None:
            try:
                va = self.at(when)
                out["value_at"] = {"date": when.isoformat(), "value": va.value, "start": va.start.isoformat()}
            except ParameterNotInForce:
                out["value_at"] = None
        return out


def _latest(name: str, values: list[ValueAt], when: dt.date) -> ValueAt:
    found = None
    for v in values:
        if v.start <= when:
            found = v
        else:
            break
    if found is None:
        raise ParameterNotInForce(name, when, values[0].start if values else None)
    return found


def _date(key) -> dt.date:
    if isinstance(key, dt.datetime):
        return key.date()
    if isinstance(key, dt.date):
        return key
    return dt.date.fromisoformat(str(key))


def _values(data: dict, default_cite) -> list[ValueAt]:
    out = []
    for key, item in data.items():
        if isinstance(item, dict):
            meta = item.get("metadata") or {}
            cite = Citation.from_value(meta.get("citation") or meta.get("reference")) or default_cite
            out.append(ValueAt(item.get("value"), _date(key), cite))
        else:
            out.append(ValueAt(item, _date(key), default_cite))
    out.sort(key=lambda v: v.start)
    return out


def _build(name: str, data: dict, path: str) -> dict[str, Parameter]:
    meta = dict(data.get("metadata") or {})
    if "reference" in data and "reference" not in meta:
        meta["reference"] = data["reference"]
    unit = meta.get("unit") or data.get("unit")
    cite = Citation.from_value(meta.get("citation") or meta.get("reference"))
    if "values" in data:
        return {name: Parameter(name, data.get("description", ""), unit, meta, _values(data["values"], cite), None, path)}
    if "brackets" in data:
        brackets = []
        for b in data["brackets"]:
            brackets.append({k: _values(b.get(k) or {}, cite) for k in ("threshold", "amount")})
        return {name: Parameter(name, data.get("description", ""), unit, meta, [], brackets, path)}
    out: dict[str, Parameter] = {}
    for key, child in data.items():
        if key in RESERVED or not isinstance(child, dict):
            continue
        out.update(_build(f"{name}.{key}", child, path))
    return out


def load_directory(prefix: str, directory: Path | str) -> tuple[dict[str, Parameter], dict[str, str]]:
    """Read every parameter under `directory`; return (parameters, folder descriptions)."""
    params: dict[str, Parameter] = {}
    folders: dict[str, str] = {}
    directory = Path(directory)
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        rel = Path(root).relative_to(directory)
        base = ".".join([prefix, *rel.parts])
        for fname in sorted(files):
            stem, ext = os.path.splitext(fname)
            if ext not in (".yaml", ".yml"):
                continue
            with open(os.path.join(root, fname), encoding="utf-8") as fh:
                data = yaml.load(fh, Loader=_Loader) or {}
            if stem == "index":
                folders[base] = data.get("description", "")
                continue
            params.update(_build(f"{base}.{stem}", data, os.path.join(root, fname)))
    return params, folders


class ParameterRegistry:
    def __init__(self) -> None:
        self.params: dict[str, Parameter] = {}
        self.folders: dict[str, str] = {}
        self.directories: dict[str, Path] = {}

    def register_directory(self, prefix: str, directory: Path | str) -> None:
        params, folders = load_directory(prefix, directory)
        self.params.update(params)
        self.folders.update(folders)
        self.directories[prefix] = Path(directory)

    def __contains__(self, name: str) -> bool:
        return name in self.params

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.params[name]
        except KeyError:
            raise ParameterError(f"unknown parameter: {name}") from None

    def get(self, name: str) -> Parameter | None:
        return self.params.get(name)

    def names(self) -> list[str]:
        return sorted(self.params)

    def breakpoints(self) -> list[dt.date]:
        dates = set()
        for p in self.params.values():
            if p.is_scale:
                dates.update(v.start for b in p.brackets for k in ("threshold", "amount") for v in b[k])
            else:
                dates.update(v.start for v in p.values)
        return sorted(dates)


PARAMETERS = ParameterRegistry()


def parse_override_value(text: str) -> Any:
    """`--set NAME=VALUE`: the value is read as YAML (numbers, booleans, lists, strings)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text
