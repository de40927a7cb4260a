"""The rule registry: `@rule` registers a rule when its policy app loads; `get_rule` and
`rule_list` find them. The kernel never names a policy (apps.py autodiscovers `<app>.rules`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .citation import Citation
from .errors import UnknownRule
from .inputs import RuleInput, field_specs
from .parameters import PARAMETERS


@dataclass
class Rule:
    id: str
    title: str
    formula: Callable
    inputs: type[RuleInput]
    outputs: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ("ineligible",)
    citations: tuple[Citation, ...] = ()
    vectorised: bool = True
    prepare_vector: Callable | None = None
    list_outputs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    doc: str = ""
    _params: dict = field(default_factory=dict, repr=False)
    # when the inputs do not give `as_of`: a date derived from the inputs (one case: a dict
    # → date | None; a table: columns → datetime64 column | None), else today
    default_as_of: Callable | None = None
    # words the outcome for people: plain(decision_dict, result, focus) amends rules.plain's
    # result (sentence, findings and their `todo`)
    plain: Callable | None = None

    @property
    def policy(self) -> str:
        return self.id.split(".", 1)[0]

    def schema(self) -> dict:
        return self.inputs.model_json_schema()

    def parameter_names(self) -> list[str]:
        """The parameters the rule reads: the names its formula mentions (string literals and
        f-string patterns), else every parameter of its policy."""
        cached = self.__dict__.get("_param_names")
        if cached is not None:
            return cached
        import ast
        import inspect
        import re
        import textwrap

        prefix = self.policy + "."
        names = [n for n in PARAMETERS.names() if n.startswith(prefix)]
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(self.formula)))
        except (OSError, TypeError, SyntaxError):
            tree = None
        pats = []
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                pats.append(re.escape(node.value))
            elif isinstance(node, ast.JoinedStr):
                parts = [re.escape(v.value) if isinstance(v, ast.Constant) else "[^.]+" for v in node.values]
                if any(isinstance(v, ast.Constant) for v in node.values):
                    pats.append("".join(parts))
        rx = [re.compile(p) for p in pats if p]
        used = [n for n in names if any(r.fullmatch(n) or r.fullmatch(n[len(prefix):]) for r in rx)]
        self.__dict__["_param_names"] = used or names
        return self.__dict__["_param_names"]

    def describe(self, when: dt.date | None = None) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "doc": self.doc,
            "outputs": list(self.outputs),
            "outcomes": list(self.outcomes),
            "vectorised": self.vectorised,
            "citations": [c.to_dict() for c in self.citations],
            "inputs_schema": self.schema(),
        }


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    title: str,
    inputs: type[RuleInput],
    outputs: Iterable[str] = (),
    outcomes: Iterable[str] = (),
    refusals: Iterable[str] = ("ineligible",),
    cite: Iterable[tuple] = (),
    vectorised: bool = True,
    prepare_vector: Callable | None = None,
    list_outputs: Mapping[str, Iterable[str]] | None = None,
    default_as_of: Callable | None = None,
    plain: Callable | None = None,
):
    """Register a rule. `cite` lists (docno, path, quote) of the provisions it implements."""

    field_specs(inputs)  # refuses a constraint that a table of cases would not check

    def deco(fn):
        RULES[rule_id] = Rule(
            id=rule_id,
            title=title,
            formula=fn,
            inputs=inputs,
            outputs=tuple(outputs),
            outcomes=tuple(outcomes),
            refusals=tuple(refusals),
            citations=tuple(Citation(*c) for c in cite),
            vectorised=vectorised,
            prepare_vector=prepare_vector,
            list_outputs={k: tuple(v) for k, v in (list_outputs or {}).items()},
            doc=(fn.__doc__ or "").strip(),
            default_as_of=default_as_of,
            plain=plain,
        )
        return fn

    return deco


def get_rule(rule_id: str) -> Rule:
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def rule_list() -> list[Rule]:
    """Every registered rule, by id."""
    return [RULES[k] for k in sorted(RULES)]
