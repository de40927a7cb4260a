"""Rules as code: cited parameters, rules returning explained decisions, one case or a table.

Policies import from here: `from kmgov.rules import rule, RuleInput, Ctx`.
"""

from .citation import Citation
from .decision import Decision, Step, parameters_in_trace
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
from .labels import amount_label, amount_labels, outcome_label, outcome_labels
from .parameters import PARAMETERS

__all__ = [
    "PARAMETERS", "RULES", "Citation", "Ctx", "Decision", "Rule", "RuleError", "RuleInput",
    "RuleInputError", "Step", "UnknownRule", "decide", "get_rule", "rule", "run_batch",
    # decisions explained in Chinese and kept by the procedures kernel
    "amount_label", "amount_labels", "outcome_label", "outcome_labels", "parameters_in_trace",
]
