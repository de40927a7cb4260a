"""Errors every channel of the rules kernel renders the same way: each names the field.

`RuleInputError.errors()` is a list of `{"field", "message", "type"[, "row"]}`: the field's
name (dotted for nested inputs), a Chinese message, the kind of error (pydantic's error type,
so that a caller may word it its own way) and, for a table of cases, the 1-based row.
"""

from __future__ import annotations

from pydantic import ValidationError

from kmgov.core.errors import Refusal


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

    def __reduce__(self):  # crosses process boundaries intact (a Dask worker's refusal)
        return (type(self), (self._errors,))

    @classmethod
    def from_validation(cls, exc: ValidationError) -> RuleInputError:
        from .inputs import message_for

        errs = []
        for e in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in e.get("loc", ())) or "__root__"
            kind = e.get("type", "")
            errs.append({"field": loc, "message": message_for(kind, e.get("ctx") or {}, e.get("msg", "")),
                         "type": kind})
        return cls(errs)
