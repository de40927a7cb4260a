"""Rules as code: cited parameters, rules returning explained decisions, one case or a table.

Policies import from here: `from kmgov.rules import rule, RuleInput, Ctx`; code outside a rule
reads a parameter with `parameter_value(name, on)` (docs/rules.md).

The parts, each with one reason to change:

- `inputs`      the input base class `RuleInput` and one description of each field's
                constraints (`FieldSpec`), with the Chinese messages of both paths;
- `registry`    `Rule`, `@rule`, `get_rule`, `rule_list`;
- `resolution`  parameter values at a date through the administrators' overrides
                (`parameter_value`, `parameter_at`, `resolve`), caches and invalidation;
- `context`     `Ctx` (what a rule is written against), `Categorical`, the trace helpers;
- `single`      one case: `validate_inputs`, `decide`;
- `columns`     a table's input columns converted and checked (`prepare_columns`);
- `batch`       `run_batch` (by parameter epoch, in chunks, or row by row), `batch_rows`.
"""

from .citation import Citation
from .context import Ctx
from .decision import Decision, Step, parameters_in_trace
from .errors import RuleError, RuleInputError, UnknownRule
from .inputs import RuleInput, today
from .labels import amount_label, amount_labels, outcome_label, outcome_labels, value_labels
from .parameters import PARAMETERS, ParameterError, ParameterNotInForce
from .registry import RULES, Rule, get_rule, rule, rule_list
from .resolution import invalidate_overrides, parameter_at, parameter_value
from .single import decide

__all__ = [
    "PARAMETERS", "RULES", "Citation", "Ctx", "Decision", "ParameterError", "ParameterNotInForce",
    "Rule", "RuleError", "RuleInput", "RuleInputError", "Step", "UnknownRule", "decide",
    "get_rule", "invalidate_overrides", "parameter_at", "parameter_value", "rule", "rule_list",
    "run_batch", "today",
    # decisions explained in Chinese and kept by the procedures kernel
    "amount_label", "amount_labels", "outcome_label", "outcome_labels", "parameters_in_trace", "value_labels",
]


def __getattr__(name: str):
    # The batch path loads numpy (≈ 0.2–0.5 s of CPU): only when it is used (`kmgov ask`, a
    # page, one decision do not).
    if name == "run_batch":
        from .batch import run_batch

        return run_batch
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
