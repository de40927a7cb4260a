"""Typed step inputs: what a caller may send with a step, declared once as a pydantic model.

A step says `@step(..., input=MeetingInput)`; the kernel then

- validates what any channel sends (API body, page form, CLI `--data`) with that model —
  unknown fields refused (`extra="forbid"`), each error a Chinese message naming the field
  (`StepInputInvalid`, 422) — before anything is locked or written;
- publishes the model's JSON schema (the step's request body in the OpenAPI document and in
  `kmgov procedures describe`);
- renders it as the step's form (`form_fields`): dates as date inputs, money as amounts,
  year → amount mappings as rows, choices as labelled options, lists as one item per line;
- parses that form back (`form_data`) into the same dict the API would send.

A step without an input takes nothing: any field sent is refused. The names the kernel sets
itself (who acts, when, why, the state) can never be fields of an input (`RESERVED`).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import typing
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticValidationError

from kmgov.core.money import (
    UNIT_WORDS,
    WAN,
    YUAN,
    amount_convert,
    amount_decimal,
    amount_parse,
    amount_text,
    unit_code,
)

from .errors import StepInputInvalid

#: Names a caller can never set: the kernel fills them from the request and the clock.
RESERVED = frozenset({
    "actor", "reason", "now", "time", "at", "state", "expected_state", "version", "data",
    "reference", "org", "applicant", "procedure", "step",
})


#: An amount of yuan: not negative, at most two decimals (fen), at most 10^14.
Money = Annotated[Decimal, Field(ge=0, le=Decimal("1e14"), decimal_places=2)]
#: One line of a list (a name, a unit, a member of a meeting).
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class StepInput(BaseModel):
    """Base of every step's input. Unknown fields are refused; strings are stripped."""

    # built on first use, not at import (as rules.inputs.RuleInput)
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False,
                              use_enum_values=True, defer_build=True)


def check_input_model(model: type[BaseModel], *, step: str) -> None:
    """Refuse, at declaration time, an input that would let a caller set a kernel name."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"step {step!r}: input must be a pydantic model, not {model!r}")
    if model.model_config.get("extra") != "forbid":
        raise TypeError(f"step {step!r}: input {model.__name__} must forbid extra fields "
                        "(inherit kmgov.procedures.inputs.StepInput)")
    clash = RESERVED & set(model.model_fields)
    if clash:
        raise TypeError(f"step {step!r}: input {model.__name__} may not declare "
                        f"{sorted(clash)} (the kernel sets them)")


def field_label(model: type[BaseModel] | None, name: str) -> str:
    if model is None:
        return name
    info = model.model_fields.get(name)
    # titles are catalogue msgids (gettext_noop where declared): the reader's language
    return gettext(info.title) if info is not None and info.title else name


# ---------------------------------------------------------------- validation

def zh_message(err: dict) -> str:
    """A pydantic error as a Chinese sentence (without the field's name): the rules kernel's
    one table of messages (`kmgov.rules.inputs.message_for`), shared by rule inputs, tables of
    cases and step inputs."""
    from kmgov.rules.inputs import message_for

    return message_for(err.get("type", ""), err.get("ctx") or {}, str(err.get("msg", ""))
                       ) if err.get("type") else "填写有误"


def zh_errors(exc: PydanticValidationError, model: type[BaseModel] | None) -> list[dict]:
    """[{"field", "message"}] for each error; the message starts with the field's label."""
    out = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err.get("loc", ())]
        name = loc[0] if loc else "__all__"
        label = field_label(model, name)
        where = "".join(f"第{int(p) + 1}项" if p.isdigit() else f"（{p}）" for p in loc[1:])
        message = zh_message(err)
        out.append({"field": ".".join(loc) or "__all__",
                    "message": f"{label}{where}：{message}" if name != "__all__" else message})
    return out


def validate_input(model: type[BaseModel] | None, raw: Any, *, step_label: str) -> BaseModel | None:
    """The validated input of a step, or `StepInputInvalid` naming each bad field."""
    if isinstance(raw, BaseModel):
        raw = raw.model_dump()
    raw = raw if raw is not None else {}
    if not isinstance(raw, dict):
        raise StepInputInvalid(f"“{step_label}”的填写内容应为一组字段",
                               errors=[{"field": "data", "message": "应为一组字段（JSON对象）"}])
    known = set(model.model_fields) if model is not None else set()
    unknown = [k for k in raw if k not in known]
    # Unknown fields and kernel names are named first: never half-accepted, and the caller
    # who sent `now` learns that it is the kernel's, whatever else is wrong.
    errors = [{"field": str(k), "message": (
        f"“{k}”由系统记录，不能填写" if k in RESERVED else
        f"“{step_label}”无须填写内容，不接受“{k}”" if model is None else
        f"“{step_label}”不接受“{k}”（可填：{'、'.join(field_label(model, n) for n in known)}）")}
        for k in unknown]
    if model is None:
        if errors:
            raise StepInputInvalid("；".join(e["message"] for e in errors), errors=errors)
        return None
    try:
        validated = model.model_validate({k: v for k, v in raw.items() if k in known})
    except PydanticValidationError as exc:
        errors += zh_errors(exc, model)
    if errors:
        raise StepInputInvalid("；".join(e["message"] for e in errors), errors=errors) from None
    return validated


def invalid_from_django(exc, model: type[BaseModel] | None = None) -> StepInputInvalid:
    """A step method's own `django.core.exceptions.ValidationError` (data its input model
    could not judge alone, e.g. a date before submission) as the same 422 refusal."""
    if hasattr(exc, "error_dict"):
        errors = [{"field": name, "message": "；".join(msgs) if name == "__all__" else
                   (f"{field_label(model, name)}：" if model and name in model.model_fields
                    and not any(field_label(model, name) in m for m in msgs) else "")
                   + "；".join(msgs)}
                  for name, msgs in exc.message_dict.items()]
    else:
        errors = [{"field": "__all__", "message": "；".join(exc.messages)}]
    return StepInputInvalid("；".join(e["message"] for e in errors), errors=errors)


def json_schema(model: type[BaseModel] | None) -> dict:
    """The input's JSON schema (an empty object that admits nothing for a step without one)."""
    if model is None:
        return {"type": "object", "properties": {}, "additionalProperties": False,
                "title": "无须填写"}
    return model.model_json_schema()


def jsonable(value: Any) -> Any:
    """An input's value for the audit trail and the decision record (JSON types only)."""
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump())
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, (list, tuple, set)):
        return [jsonable(x) for x in value]
    if isinstance(value, dict):
        return {str(k): jsonable(x) for k, x in value.items()}
    return str(value)


# ---------------------------------------------------------------- forms

def _unwrap(annotation):
    """(base type, optional?) of an annotation: Optional[X] → (X, True)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            base, _ = _unwrap(args[0])
            return base, True
    return annotation, False


def _choices_of(base) -> list[tuple[str, str]] | None:
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return [(str(m.value), str(getattr(m, "label", m.value))) for m in base]
    if typing.get_origin(base) is typing.Literal:
        return [(str(v), str(v)) for v in typing.get_args(base)]
    return None


def _kind(info, base) -> str:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if extra.get("widget"):
        return str(extra["widget"])
    if _choices_of(base) is not None:
        return "choice"
    if base is bool:
        return "bool"
    if base is dt.date:
        return "date"
    if base is dt.datetime:
        return "datetime"
    if base is Decimal:
        return "money" if extra.get("money", True) else "number"
    if base in (int, float):
        return "number"
    origin = typing.get_origin(base)
    if origin in (list, tuple, set):
        return "lines"
    if origin is dict:
        return "table"
    if base is str and any(getattr(m, "max_length", 0) and m.max_length > 200
                           for m in info.metadata):
        return "textarea"
    return "text"


def _bounds(info) -> tuple[Any, Any]:
    """(lowest, highest) allowed by the field's ge/gt/le/lt constraints, for the form."""
    lo = hi = None
    for m in info.metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else (
            getattr(m, "gt", None) if getattr(m, "gt", None) is not None else lo)
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else (
            getattr(m, "lt", None) if getattr(m, "lt", None) is not None else hi)
    return lo, hi


def org_choices(*, kinds: tuple[str, ...] = (), under: str | None = None
                ) -> list[tuple[str, str]]:
    """Organisation units as form choices (code → name, in tree order): for inputs naming a
    unit (a department to transfer to, a government to warn). An input model offers them
    from its `form_choices(field)` class method."""
    from kmgov.core.models import OrgUnit

    qs = OrgUnit.objects.all()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if under:
        root = OrgUnit.objects.filter(code=under).first()
        qs = qs.filter(path__startswith=root.path) if root else qs.none()
    return [(u.code, u.name) for u in qs.order_by("path")]


class FormField:
    """One field of a step's form, as a template renders it."""

    def __init__(self, name: str, info, *, value: Any = None, error: str = "",
                 choices: list[tuple[str, str]] | None = None, unit: str | None = None):
        base, optional = _unwrap(info.annotation)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        self.name = name
        self.label = info.title or name
        self.help = info.description or ""
        self.required = info.is_required()
        self.kind = "choice" if choices is not None else _kind(info, base)
        self.unit = extra.get("unit", "") if self.kind != "money" else ""
        if self.unit and self.label.endswith(f"（{self.unit}）"):
            self.unit = ""  # the title says it already
        self.min, self.max = _bounds(info)
        self.step = "1" if base is int else "any"
        if self.kind == "money":
            # 元 or 万元 chosen beside the input (`money_units`); the label drops its unit
            self.base_unit, form_unit = money_units(info)
            # the title in the reader's language first: its msgid is the whole title, unit
            # included ("联审会议拟奖励（元）"); the Chinese then drops its unit
            self.label = _TITLE_UNIT.sub("", gettext(self.label))
            self.money_unit = unit_code(unit, form_unit) if unit else form_unit
            self.unit_words = [(code, word) for code, word in UNIT_WORDS.items()]
        if self.kind == "money" and self.min is None:
            self.min = 0
        self.choices = choices if choices is not None else (
            _choices_of(base) or [(str(k), str(v)) for k, v in
                                  (extra.get("choices") or {}).items()])
        self.error = error
        self.key_label = extra.get("key_label", "年度")
        self.value_label = extra.get("value_label", "金额")
        if value is None and not info.is_required():
            default = info.get_default(call_default_factory=True)
            value = None if default is None else default
        self.value = value
        if self.kind == "lines":
            self.text = "\n".join(str(v) for v in (value or []))
        elif self.kind == "table":
            rows = list((value or {}).items()) if isinstance(value, dict) else list(value or [])
            self.rows = [(str(k), "" if v is None else str(v)) for k, v in rows] + [("", "")] * 3
        elif self.kind == "bool":
            self.checked = value in (True, "on", "true", "1")
        elif self.kind == "flags":
            on = value if isinstance(value, dict) else {}
            self.flags = [(k, label, bool(on.get(k))) for k, label in self.choices]
        elif self.kind == "money" and unit is None and value not in (None, ""):
            # a stored amount (in the field's unit) shown in the form's unit when exact
            d = amount_decimal(value)
            self.text = str(value) if d is None else amount_text(
                amount_convert(d, self.base_unit, self.money_unit))
        else:
            self.text = "" if value is None else str(value)


#: A money field's title may end with its unit; the form shows the unit in its own select.
_TITLE_UNIT = re.compile(r"（(?:元|万元)）$")


def money_units(info) -> tuple[str, str]:
    """(unit the value is kept in, unit the form offers first) of a `Money` field, as codes of
    `kmgov.core.money`. Kept in yuan unless the field declares `unit: "万元"` or its title ends
    with （万元）; the form starts in `form_unit` when declared (e.g. 63号's statistics in 万元),
    else in the kept unit. The API and the stored data keep the kept unit."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    base = unit_code(extra.get("unit"), WAN if (info.title or "").endswith("（万元）") else YUAN)
    return base, unit_code(extra.get("form_unit"), base)


def form_fields(model: type[BaseModel] | None, *, values: dict | None = None,
                errors: dict | None = None, choices: bool = True) -> list[FormField]:
    """The fields of a step's form; `choices=False` skips choices loaded at render time
    (parsing a posted form needs only each field's kind)."""
    if model is None:
        return []
    values = values or {}
    errors = errors or {}
    hook = getattr(model, "form_choices", None) if choices else None
    return [FormField(name, info, value=values.get(name), error=errors.get(name, ""),
                      choices=hook(name) if hook else None, unit=values.get(f"{name}__unit"))
            for name, info in model.model_fields.items()]


def form_data(model: type[BaseModel] | None, post) -> dict:
    """A step form's POST as the dict the API would send (empty optional fields left out)."""
    return form_parse(model, post)[0]


def form_parse(model: type[BaseModel] | None, post) -> tuple[dict, dict, dict]:
    """A step form's POST as (the dict the API would send, what was typed in each money field
    with its unit — to show it back as typed —, errors the form itself finds: an amount whose
    conversion is finer than a fen). An amount typed in the other unit than the field keeps is
    converted exactly (`kmgov.core.money`); one that is not a number is passed on as typed,
    for the input's validation to name."""
    if model is None:
        return {}, {}, {}
    data: dict[str, Any] = {}
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in form_fields(model, choices=False):
        name = field.name
        if field.kind == "money":
            raw = (post.get(name) or "").strip()
            unit = unit_code(post.get(f"{name}__unit"), field.money_unit)
            typed[name], typed[f"{name}__unit"] = raw, unit
            if raw == "":
                continue
            converted = amount_parse(raw, unit, field.base_unit)
            if converted is None:
                data[name] = raw
                continue
            if unit == field.base_unit:  # as typed, without thousands separators
                data[name] = re.sub(r"[,，\s]", "", raw)
                continue
            data[name] = amount_text(converted)
            if converted.normalize().as_tuple().exponent < -2:
                errors[name] = (f"{field.label}：{raw}{UNIT_WORDS[unit]}折合"
                                f"{amount_text(converted)}{UNIT_WORDS[field.base_unit]}，"
                                f"最多保留2位小数，请改填或换用{UNIT_WORDS[field.base_unit]}")
            continue
        if field.kind == "bool":
            data[name] = post.get(name) in ("on", "true", "1")
        elif field.kind == "lines":
            raw = post.get(name, "")
            data[name] = [x.strip() for x in raw.splitlines() if x.strip()]
            if not data[name] and not field.required:
                del data[name]
        elif field.kind == "flags":
            if post.get(f"{name}__present") or any(post.get(f"{name}__{k}") for k, _ in
                                                   field.choices):
                data[name] = {k: post.get(f"{name}__{k}") in ("on", "true", "1")
                              for k, _ in field.choices}
        elif field.kind == "table":
            keys, vals = post.getlist(f"{name}__key"), post.getlist(f"{name}__value")
            rows = {k.strip(): v.strip() for k, v in zip(keys, vals, strict=False)
                    if k.strip() or v.strip()}
            if rows or field.required:
                data[name] = rows
        else:
            raw = post.get(name, "")
            raw = raw.strip() if isinstance(raw, str) else raw
            if raw != "":  # an empty required field is left out: "必填"
                data[name] = raw
    return data, typed, errors
