"""A rule's inputs: the pydantic base class, and one description of each field's constraints.

A rule declares its input once, as a `RuleInput` (pydantic) with `Field(ge=…, pattern=…)`.
pydantic validates one case from it; `field_specs()` reads the *same* declaration into a
`FieldSpec` per field (kind, required, choices, bounds, lengths, pattern) that the batch
columns (`columns.py`) check column by column and the property tests generate valid inputs
from. A constraint that `FieldSpec` does not know is refused when the rule is registered, so a
table can never accept what one case refuses because a constraint was silently skipped.

Messages are Chinese and worded once here (`message_for`), for one case and for a table alike.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop as N_
from pydantic import BaseModel, ConfigDict, Field, model_validator

# ---------------------------------------------------------------------------------------------
# The base of every rule's input schema


def today() -> dt.date:
    """Today in Beijing (Asia/Shanghai), whatever the server's zone: the gazette's dates are
    Beijing dates. The only default "as of" date of the kernel besides a case's own date."""
    from kmgov.core.calendar import TZ

    return dt.datetime.now(TZ).date()


class RuleInput(BaseModel):
    """Base of every rule's input schema. `as_of` is the date the rule is applied on: the
    parameters in force on that date are used (default: today, Beijing time)."""

    # defer_build: a schema's validator is built on its first use, not when its module is
    # imported (a hundred schemas, ≈ 0.1 s of every command's start; `kmgov ask` uses one)
    model_config = ConfigDict(extra="forbid", use_enum_values=True, str_strip_whitespace=True, allow_inf_nan=False,
                              defer_build=True)
    # Other spellings a form or a file may use for an enumerated value: {field: {alias: value}}.
    ALIASES: typing.ClassVar[dict[str, dict[str, str]]] = {}

    as_of: dt.date | None = Field(default=None, description=N_("适用日期（默认今天）"))

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
# One description of a field's constraints


def field_kind(annotation) -> tuple[str, tuple | None]:
    """Reduce a field annotation to a column kind (float, int, bool, str, date, object) and,
    for enumerations and literals, the allowed values."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return field_kind(args[0])
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


def _nullable(annotation) -> bool:
    origin = typing.get_origin(annotation)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation)


_CHECKED = ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern")
# constraints pydantic knows that the columns do not check: refused on a scalar field
_UNCHECKED = ("multiple_of", "max_digits", "decimal_places", "strict", "allow_inf_nan", "min_items", "max_items")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # float | int | bool | str | date | object
    required: bool
    nullable: bool
    default: Any
    choices: tuple | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    annotation: Any = None  # the field's type (object fields: each cell is validated with it)
    metadata: tuple = ()
    description: str = ""

    def bounds(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in ("ge", "gt", "le", "lt") if getattr(self, k) is not None}

    def expected(self) -> str:
        """The allowed values as a message shows them."""
        return "、".join(repr(c) for c in self.choices or ())

    def adapter(self):
        """A pydantic validator of one value of this field (object fields in a table)."""
        from pydantic import TypeAdapter

        ann = self.annotation
        if self.metadata:
            ann = typing.Annotated[(ann, *self.metadata)]
        return TypeAdapter(ann)


_SPECS: dict[type, dict[str, FieldSpec]] = {}


def field_specs(model: type[BaseModel]) -> dict[str, FieldSpec]:
    """The constraints of every field of `model`, read from its pydantic declaration."""
    specs = _SPECS.get(model)
    if specs is not None:
        return specs
    specs = {}
    for name, info in model.model_fields.items():
        kind, choices = field_kind(info.annotation)
        found: dict[str, Any] = {}
        for m in info.metadata:
            for key in _CHECKED + _UNCHECKED:
                v = getattr(m, key, None)
                if v is not None:
                    found[key] = v
            known = any(getattr(m, k, None) is not None for k in _CHECKED + _UNCHECKED)
            if not known and kind != "object":
                raise TypeError(f"{model.__name__}.{name}: constraint {m!r} is not checked on a table of cases")
        unchecked = [k for k in _UNCHECKED if k in found]
        if unchecked and kind != "object":
            raise TypeError(f"{model.__name__}.{name}: {', '.join(unchecked)} is not checked on a table of cases")
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        specs[name] = FieldSpec(
            name=name, kind=kind, required=info.is_required(), nullable=_nullable(info.annotation),
            default=getattr(default, "value", default), choices=choices,
            **{k: found[k] for k in _CHECKED if k in found},
            annotation=info.annotation, metadata=tuple(info.metadata), description=info.description or "",
        )
    _SPECS[model] = specs
    return specs


# ---------------------------------------------------------------------------------------------
# Messages, worded once for one case (pydantic's error types) and for a table


_MESSAGES = {
    "missing": "必填",
    "extra_forbidden": "不是此规则的输入",
    "greater_than_equal": "应不小于{ge}",
    "greater_than": "应大于{gt}",
    "less_than_equal": "应不大于{le}",
    "less_than": "应小于{lt}",
    "string_too_short": "至少{min_length}个字符",
    "string_too_long": "至多{max_length}个字符",
    "too_short": "至少{min_length}项",
    "too_long": "至多{max_length}项",
    "string_pattern_mismatch": "格式不符，应符合 {pattern}",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "bool_parsing": "应为是或否（true/false）",
    "bool_type": "应为是或否（true/false）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数",
    "string_type": "应为文字",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不带时刻",
    "dict_type": "应为对象（{{键: 值}}）",
    "list_type": "应为列表",
    "json_invalid": "不是有效的 JSON",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_places": "最多保留{decimal_places}位小数",
    "decimal_max_digits": "数值过大",
    "decimal_whole_digits": "数值过大",
    "decimal_not_finite": "应为有限的数",
    "datetime_parsing": "应为日期时间（YYYY-MM-DD HH:MM）",
    "datetime_type": "应为日期时间（YYYY-MM-DD HH:MM）",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "model_type": "应为对象（{{键: 值}}）",
    "model_attributes_type": "应为对象（{{键: 值}}）",
}


def _expected(text: str) -> str:
    # pydantic writes "'a', 'b' or 'c'"; a table's check writes the same list with 、
    return text.replace(" or ", ", ").replace(", ", "、")


def _number(v):
    # a bound reads the same whether the field is an int or a float (0, not 0.0)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def message_for(kind: str, ctx: dict | None = None, fallback: str = "") -> str:
    """The Chinese message of an error of this kind (a pydantic error type), else `fallback`."""
    if kind == "string_too_short" and (ctx or {}).get("min_length") == 1:
        return "不能为空"
    if kind in ("value_error", "assertion_error"):  # a validator's own (Chinese) sentence
        for prefix in ("Value error, ", "Assertion failed, "):
            fallback = fallback.removeprefix(prefix)
        return fallback or kind
    template = _MESSAGES.get(kind)
    if template is None:
        return fallback or kind
    ctx = {k: _number(v) for k, v in (ctx or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = _expected(str(ctx["expected"]))
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return fallback or template
