"""Composite indicators: the JRC/OECD handbook's pipeline as a versioned specification.

Pure computation (numpy, pydantic), like the rules kernel; it names no policy. A policy gives a
`Framework` (indicators, their direction and groups), a data matrix (units × indicators, NaN for
missing) and a `Spec`; `run` gives the scores at every level and the ranks; `sensitivity` tells
how stable the ranks are (weights, method choices, indicator removal), in parallel.

    from kmgov.rules.composite import Framework, Indicator, Spec, run
"""

from .pipeline import (
    INDEX,
    Prepared,
    Result,
    aggregate,
    copeland_scores,
    impute,
    levels,
    normalise,
    prepare,
    ranks,
    run,
    skew_kurtosis,
    treat,
    treat_column,
)
from .sensitivity import (
    MIN_DRAWS,
    Analysis,
    RankSummary,
    alternatives,
    indicator_removal,
    method_choices,
    summarise,
    weight_perturbation,
)
from .spec import (
    AGGREGATION_LABELS,
    IMPUTATION_LABELS,
    NORMALISATION_LABELS,
    SPEC_SCHEMA,
    CompositeError,
    Framework,
    Goalpost,
    Indicator,
    OutlierTreatment,
    Spec,
    check_spec,
    fingerprint,
)

__all__ = [
    "AGGREGATION_LABELS", "IMPUTATION_LABELS", "INDEX", "MIN_DRAWS", "NORMALISATION_LABELS", "SPEC_SCHEMA",
    "Analysis", "CompositeError", "Framework", "Goalpost", "Indicator", "OutlierTreatment", "Prepared",
    "RankSummary", "Result", "Spec", "aggregate", "alternatives", "check_spec", "copeland_scores",
    "fingerprint", "impute", "indicator_removal", "levels", "method_choices", "normalise", "prepare",
    "ranks", "run", "skew_kurtosis", "summarise", "treat", "treat_column", "weight_perturbation",
]
