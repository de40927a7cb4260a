"""The web form of a rule, generated from its input schema (the same schema as API and CLI).

Widgets people can fill: an amount (`…_yuan`) is a number with a unit choice 元/万元; an
amount by year (`…_by_year_yuan`, {year: yuan}) is rows of year + amount + unit; a date is a
date picker; an enumerated value a list of its Chinese names; a quantity shows its unit (亩).
What the person typed is kept on an error, row by row and with the unit chosen."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from kmgov.core.money import amount_parse, amount_split

from .labels import input_label


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
    unit: str = ""  # shown after the input (亩, 年 …); money fields choose 元/万元 instead
    money_unit: str = "yuan"  # the unit chosen for a money field: yuan | wan
    rows: list = field(default_factory=list)  # year_amounts: [(year, amount, unit), …]
    options: list = field(default_factory=list)  # select: [(value, label), …]
    help: str = ""


#: Rows offered for an amount by year (enough for 63号 第八条's three years and the one before).
YEAR_ROWS = 5
_UNIT_WORDS = {"_mu": "亩", "_years": "年", "_days": "日", "_months": "个月", "_persons": "人",
               "_m2": "平方米"}


def _option_label(code: str, aliases: dict | None = None) -> str:
    """An option's words: the field's own first Chinese alias (`RuleInput.ALIASES`, the
    catalogue the API and CLI also accept), else the site-wide catalogue of codes."""
    for alias, value in (aliases or {}).items():
        if value == code and re.search(r"[\u4e00-\u9fff]", alias):
            return gettext(alias)
    from .templatetags.rules_plain import plain

    return plain(code)


def _fill_rows(f: FormField, value) -> None:
    rows = []
    if isinstance(value, dict):
        for y, v in sorted(value.items(), key=lambda kv: str(kv[0])):
            amount, unit = _split_money(v)
            rows.append((str(y), amount, unit))
    while len(rows) < YEAR_ROWS:
        rows.append(("", "", "wan"))
    f.rows = rows


def _split_money(v) -> tuple[str, str]:
    """An amount in yuan shown in 万元 when it is a whole number of 万 (else in 元)."""
    return amount_split(v)


def fill_value(f: FormField, v) -> None:
    """Show a stored input `v` (yuan, dict, bool …) in the field as a person would type it."""
    if f.widget == "year_amounts":
        _fill_rows(f, v)
    elif f.widget == "money":
        f.value, f.money_unit = _split_money(v) if v not in (None, "") else ("", "yuan")
    elif f.widget == "json":
        f.value = json.dumps(v, ensure_ascii=False)
    elif f.widget == "checkbox":
        f.value = v
    else:
        f.value = "true" if v is True else "false" if v is False else v


_TRAILING_UNIT = re.compile(r"（(?:元|亩)）")


def _resolve(schema: dict, spec: dict) -> dict:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return {**schema.get("$defs", {}).get(name, {}), **{k: v for k, v in spec.items() if k != "$ref"}}
    return spec


def fields_from_schema(schema: dict, aliases: dict | None = None) -> list[FormField]:
    """The form fields of a rule's input schema; `aliases` (the input's `ALIASES`) names the
    options in words."""
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
        label = input_label(spec.get("description") or inner.get("description")) or name
        default = spec.get("default")
        f = FormField(name=name, label=label, widget="text", required=name in required, default=default,
                      minimum=inner.get("minimum"), maximum=inner.get("maximum"))
        if "enum" in inner:
            f.widget, f.choices = "select", [str(c) for c in inner["enum"]]
            f.options = [(c, _option_label(c, (aliases or {}).get(name))) for c in f.choices]
        elif t == "object" and name.endswith("_by_year_yuan"):
            f.widget = "year_amounts"
        elif t == "number" and name.endswith("_yuan"):
            f.widget = "money"
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
        f.unit = next((w for suffix, w in _UNIT_WORDS.items() if name.endswith(suffix)), "")
        f.label = _TRAILING_UNIT.sub("", f.label)
        if f.widget == "year_amounts":
            f.label = f.label.split("，{")[0]
            _fill_rows(f, default)
        else:
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
        if f.widget == "year_amounts":
            value, error = _parse_rows(f, data)
            if error:
                errors[f.name] = error
            elif value:
                inputs[f.name] = value
            continue
        raw = (data.get(f.name) or "").strip()
        f.value = raw
        if f.widget == "money":
            f.money_unit = "wan" if data.get(f"{f.name}__unit") == "wan" else "yuan"
        if raw == "":
            continue
        if f.widget == "money":
            yuan = _yuan(raw, f.money_unit)
            if yuan is None:
                errors[f.name] = f"{f.label}：请填写数字金额（如 2500）"
            else:
                inputs[f.name] = yuan
        elif f.widget == "tristate":
            inputs[f.name] = raw == "true"
        elif f.widget == "json":
            try:
                inputs[f.name] = json.loads(raw)
            except ValueError:
                errors[f.name] = f"{f.label}：格式不正确"
        else:
            inputs[f.name] = raw
    return inputs, errors


def _yuan(raw: str, unit: str) -> float | None:
    """The typed amount in yuan (the kernel's one reading of 元/万元, `kmgov.core.money`);
    rule inputs are JSON numbers."""
    d = amount_parse(raw, unit)
    return None if d is None else float(d)


def _parse_rows(f: FormField, data) -> tuple[dict, str]:
    """Rows of year + amount + unit → {year: yuan}; every row kept as typed for redisplay."""
    rows, out, problems = [], {}, []
    n = max(YEAR_ROWS, *(int(k.rsplit("_", 1)[1]) + 1 for k in data
                         if k.startswith(f"{f.name}__year_") and k.rsplit("_", 1)[1].isdigit()),
            0)
    for i in range(min(n, 50)):
        year = (data.get(f"{f.name}__year_{i}") or "").strip()
        amount = (data.get(f"{f.name}__amount_{i}") or "").strip()
        unit = "yuan" if data.get(f"{f.name}__unit_{i}") == "yuan" else "wan"
        rows.append((year, amount, unit))
        if not year and not amount:
            continue
        if not (year.isdigit() and len(year) == 4):
            problems.append(f"第{i + 1}行：年份须为四位数字（如 2025）")
            continue
        if amount == "":
            problems.append(f"第{i + 1}行：请填写{year}年的金额")
            continue
        yuan = _yuan(amount, unit)
        if yuan is None or yuan < 0:
            problems.append(f"第{i + 1}行：{year}年的金额须为不小于0的数字")
            continue
        if int(year) in out:
            problems.append(f"第{i + 1}行：{year}年重复填写")
            continue
        out[int(year)] = yuan
    f.rows = rows
    return out, "；".join(problems)
