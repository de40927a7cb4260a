"""One case: validate the inputs (the schema's compiled fast validator for the usual
well-typed case, else the rule's pydantic schema), evaluate the rule with a full trace, and
return a `Decision`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from .context import Ctx, _py
from .decision import Decision
from .errors import RuleInputError
from .fastinput import fast_validator
from .inputs import RuleInput, message_for, today
from .parameters import ParameterError
from .registry import Rule, get_rule
from .resolution import check_overrides


def validate_inputs(rule: Rule, inputs: Any) -> RuleInput:
    if not isinstance(inputs, Mapping):
        raise RuleInputError([{"field": "__root__", "type": "dict_type", "message": message_for("dict_type")}])
    try:
        return rule.inputs.model_validate(dict(inputs))
    except ValidationError as exc:
        raise RuleInputError.from_validation(exc) from None


def decide(rule_id: str, inputs: Any, *, overrides: Mapping[str, Any] | None = None) -> Decision:
    rule = get_rule(rule_id)
    fast = fast_validator(rule.inputs) if type(inputs) is dict else None
    data = fast(inputs) if fast is not None else None
    if data is None:  # not the usual well-typed case (or a schema with validators): pydantic
        data = validate_inputs(rule, inputs).model_dump()
    check_overrides(overrides)
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
        raise RuleInputError([{"field": field, "message": f"无法按这些输入计算：{exc}"}]) from None
    out = dict(out)
    outcome = out.pop("outcome", None)
    details = {**c.details, **out.pop("details", {})}
    outputs = {}
    for key, value in out.items():
        if key in rule.list_outputs and isinstance(value, dict):
            value = [k for k in rule.list_outputs[key] if bool(value.get(k))]
        outputs[key] = _py(value)
    outcome = _py(outcome)
    refused = outcome in rule.refusals
    unmet = c.unmet if refused else []
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
        # conditions of alternatives not taken (an HQ type not reached): for the plain outcome
        # of the alternative the person chose (rules.plain), not reasons for the decision
        unmet_alternatives=[] if refused else c.unmet,
    )
