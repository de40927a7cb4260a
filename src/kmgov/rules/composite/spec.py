"""The versioned specification of a composite-indicator pipeline and the framework it runs on.

The steps are those of the JRC/OECD *Handbook on Constructing Composite Indicators* (2008):
imputation → outlier treatment → normalisation → weighting and aggregation, one level at a
time. A `Spec` says every choice; it is data (pydantic, JSON), stored with every run, so the
same inputs and the same specification give the same index (`fingerprint`).

`SPEC_SCHEMA` names the shape of the specification itself: a stored specification written
under another schema is refused rather than read wrongly.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kmgov.core.errors import Refusal

SPEC_SCHEMA = "kmgov.composite/1"

Imputation = Literal["none", "mean", "median"]
Normalisation = Literal["minmax", "zscore", "rank", "target"]
Aggregation = Literal["arithmetic", "geometric", "copeland"]

IMPUTATION_LABELS = {"none": "不插补（按已有指标重新分配权重）", "mean": "以各单位均值插补",
                     "median": "以各单位中位数插补"}
NORMALISATION_LABELS = {"minmax": "极差标准化（固定上下限）", "zscore": "Z 分数标准化（固定均值、标准差）",
                        "rank": "排序标准化", "target": "目标距离法（固定目标值）"}
AGGREGATION_LABELS = {"arithmetic": "加权算术平均", "geometric": "加权几何平均",
                      "copeland": "Copeland 两两比较计数（非补偿）"}


class CompositeError(Refusal):
    """A pipeline that cannot run on these inputs (Chinese message, naming the field)."""

    status = 422
    code = "invalid_input"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Goalpost(_Strict):
    """Fixed bounds of one indicator, in its own unit, kept across years so that years compare:
    min-max maps `low`→scale low and `high`→scale high (values outside are clipped); z-score
    uses `mean` and `sd`; distance to target uses `target`."""

    low: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0)
    target: float | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError("下限须小于上限")
        return self


class OutlierTreatment(_Strict):
    """An indicator fails when |skewness| > `skew_threshold` AND excess kurtosis >
    `kurtosis_threshold` (the thresholds of the JRC practice, 2.0 and 3.5); it is winsorised
    one point at a time, on the side of its skew, up to `winsor_max` points; if it still fails,
    the original values are log-transformed instead (`log_after`)."""

    enabled: bool = True
    skew_threshold: float = Field(default=2.0, gt=0)
    kurtosis_threshold: float = Field(default=3.5, gt=0)
    winsor_max: int = Field(default=5, ge=0)
    log_after: bool = True


class Spec(_Strict):
    schema_id: Literal["kmgov.composite/1"] = SPEC_SCHEMA
    imputation: Imputation = "none"
    outliers: OutlierTreatment = OutlierTreatment(enabled=False)
    normalisation: Normalisation = "minmax"
    scale: tuple[float, float] = (0.0, 100.0)
    goalposts: dict[str, Goalpost] = Field(default_factory=dict)
    #: One method per level, lowest first (indicators → domains, domains → subsystems, …).
    aggregation: tuple[Aggregation, ...] = ("arithmetic",)
    #: Relative weights of indicators and groups within their parent; 1 when absent (equal).
    weights: dict[str, float] = Field(default_factory=dict)

    @field_validator("scale")
    @classmethod
    def _scale(cls, v):
        if not v[0] < v[1]:
            raise ValueError("标准化区间的下限须小于上限")
        return v

    @field_validator("weights")
    @classmethod
    def _weights(cls, v):
        for k, w in v.items():
            if w < 0:
                raise ValueError(f"{k} 的权重不能为负数")
        return v

    def weight(self, key: str) -> float:
        return float(self.weights.get(key, 1.0))

    def with_(self, **changes) -> Spec:
        return self.model_copy(update=changes)


class Indicator(_Strict):
    code: str
    name: str = ""
    #: +1: more is better; -1: less is better.
    direction: Literal[1, -1] = 1
    #: The groups the indicator belongs to, lowest first (e.g. ["经济基础", "发展基础"]).
    parents: tuple[str, ...] = ()


class Framework(_Strict):
    indicators: tuple[Indicator, ...]
    #: Names of the aggregation levels, lowest first (e.g. ("方面", "子系统", "指数")).
    level_names: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self):
        if not self.indicators:
            raise ValueError("指标体系中没有指标")
        depths = {len(i.parents) for i in self.indicators}
        if len(depths) != 1:
            raise ValueError("各指标的上级层次数须相同")
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            raise ValueError("指标代码重复")
        # a group has one parent
        up: dict[str, str] = {}
        for i in self.indicators:
            for lower, upper in zip(i.parents, i.parents[1:]):
                if up.setdefault(lower, upper) != upper:
                    raise ValueError(f"分组 {lower} 属于两个上级")
        return self

    @property
    def depth(self) -> int:
        """Aggregation steps: one per level of groups, plus the last into the index."""
        return len(self.indicators[0].parents) + 1

    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]


def check_spec(spec: Spec, framework: Framework) -> None:
    """Refuse a specification that does not fit the framework."""
    if len(spec.aggregation) != framework.depth:
        raise CompositeError(f"须为 {framework.depth} 个层次各选一种合成方法，收到 {len(spec.aggregation)} 个",
                             field="aggregation")
    known = set(framework.codes()) | {g for i in framework.indicators for g in i.parents}
    for key in spec.weights:
        if key not in known:
            raise CompositeError(f"权重中的“{key}”不是指标或分组", field="weights")
    for key in spec.goalposts:
        if key not in framework.codes():
            raise CompositeError(f"固定上下限中的“{key}”不是指标", field="goalposts")


def canonical(obj) -> str:
    """JSON with sorted keys and no spaces: what a fingerprint hashes."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def fingerprint(spec: Spec, framework: Framework, units, values) -> str:
    """SHA-256 of the specification, the framework and the inputs (missing cells as null):
    two runs with the same fingerprint give the same index."""
    rows = [[None if v != v else float(v) for v in row] for row in values]  # NaN → null
    payload = {"spec": spec.model_dump(mode="json"), "framework": framework.model_dump(mode="json"),
               "units": list(units), "values": rows}
    return hashlib.sha256(canonical(payload).encode()).hexdigest()
