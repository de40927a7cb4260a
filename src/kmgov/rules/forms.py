"""The web form of a rule, generated from its input schema (the same schema as API and CLI)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FormField:
    name: str
    label: str
    widget: str  # number | integer | checkbox | tristate | select | text | date | json
    required: bool
    choices: list[str] = field(default_factory=list)
    value: Any = ""
    default: Any = None
    error: str = ""
    minimum: Any = None
    maximum: Any = None


def _resolve(schema: dict, spec: dict) -> dict:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return {**schema.get("$defs", {}).get(name, {}), **{k: v for k, v in spec.items() if k != "$ref"}}
    return spec


def fields_from_schema(schema: dict) -> list[FormField]:
    out = []
    required = set(schema.get("required", []))
    for name, spec in schema.get("properties", {}).items():
        nullable = False
        inner = spec
        if "anyOf" in spec:
            opts = [_resolve(schema, o) for o in spec["anyOf"]]
            non_null = [o for o in opts if o.get("type") != "null"]
            nullable = len(non_null) < len(opts)
            inner = {**non_null[0], **{k: v for k, v in spec.items() if k not in ("anyOf",)}} if non_null else spec
        inner = _resolve(schema, inner)
        t = inner.get("type")
        label = spec.get("description") or inner.get("description") or name
        default = spec.get("default")
        f = FormField(name=name, label=label, widget="text", required=name in required, default=default,
                      minimum=inner.get("minimum"), maximum=inner.get("maximum"))
        if "enum" in inner:
            f.widget, f.choices = "select", [str(c) for c in inner["enum"]]
        elif t == "boolean":
            f.widget = "tristate" if nullable or (default is None and name not in required) else "checkbox"
        elif t == "integer":
            f.widget = "integer"
        elif t == "number":
            f.widget = "number"
        elif t == "string" and inner.get("format") == "date":
            f.widget = "date"
        elif t in ("object", "array"):
            f.widget = "json"
        f.value = "" if default is None else (json.dumps(default, ensure_ascii=False) if f.widget == "json" else default)
        out.append(f)
    return out


def parse_form(fields: list[FormField], data) -> tuple[dict, dict]:
    """Read submitted values into rule inputs; return (inputs, errors by field)."""
    inputs, errors = {}, {}
    for f in fields:
        if f.widget == "checkbox":
            f.value = data.get(f.name) in ("on", "true", "1")
            inputs[f.name] = f.value
            continue
        raw = (data.get(f.name) or "").strip()
        f.value = raw
        if raw == "":
            continue
        if f.widget == "tristate":
            inputs[f.name] = raw == "true"
        elif f.widget == "json":
            try:
                inputs[f.name] = json.loads(raw)
            except ValueError:
                errors[f.name] = "不是有效的 JSON / not valid JSON"
        else:
            inputs[f.name] = raw
    return inputs, errors
