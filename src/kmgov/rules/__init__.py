"""Rules as code: cited parameters, rules returning explained decisions, one case or a table.

Policies import from here: `from kmgov.rules import rule, RuleInput, Ctx`.
"""

from .citation import Citation
from .decision import Decision, Step
from .engine import (
    RULES,
    Ctx,
    Rule,
    RuleError,
    RuleInput,
    RuleInputError,
    UnknownRule,
    decide,
    get_rule,
    rule,
    run_batch,
)
from .parameters import PARAMETERS

__all__ = [
    "PARAMETERS", "RULES", "Citation", "Ctx", "Decision", "Rule", "RuleError", "RuleInput",
    "RuleInputError", "Step", "UnknownRule", "decide", "get_rule", "rule", "run_batch",
]
