"""Sensitivity and uncertainty analysis of a composite index: how stable is each unit's rank?

Three analyses, each giving per unit the median rank and its 5–95 % interval (numpy's linear
percentile), with the ranks of every scenario:

- `weight_perturbation`: every weight (indicators and groups) multiplied by an independent
  uniform factor in [1 − spread, 1 + spread], `draws` times (≥ 1,000 by default). Draws come in
  fixed chunks, each with its own generator spawned from one `numpy.random.SeedSequence(seed)`,
  so the result depends on the seed only — not on how many processes ran the chunks;
- `method_choices`: the specification with one choice changed at a time (imputation, outlier
  treatment, normalisation, the method of each level); a choice that cannot run on the data
  (e.g. a geometric mean of z-scores) is reported with its reason instead of ranks;
- `indicator_removal`: the index recomputed without each indicator in turn.

Scenarios run in parallel over the machine's cores (`concurrent.futures` processes, forked:
workers only compute with numpy). `workers=1` runs them in this process, with the same result.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

import numpy as np

from .pipeline import INDEX, aggregate, levels, prepare, ranks, run
from .spec import (
    AGGREGATION_LABELS,
    IMPUTATION_LABELS,
    NORMALISATION_LABELS,
    CompositeError,
    Framework,
    Spec,
)

CHUNK = 100  # draws per chunk: fixed, so that the seed alone decides every draw
MIN_DRAWS = 1000


@dataclass
class RankSummary:
    units: tuple[str, ...]
    median: list[float]
    p05: list[float]
    p95: list[float]
    best: list[float]
    worst: list[float]

    def as_dict(self) -> dict:
        return {"units": list(self.units), "median": self.median, "p05": self.p05, "p95": self.p95,
                "best": self.best, "worst": self.worst}


@dataclass
class Analysis:
    kind: str
    summary: RankSummary
    scenarios: list[dict] = field(default_factory=list)  # {label, ranks | error}
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "summary": self.summary.as_dict(), "scenarios": self.scenarios,
                "params": self.params}


def summarise(units, rank_matrix: np.ndarray) -> RankSummary:
    """Per unit (column): median, 5th and 95th percentiles, best and worst rank."""
    m = np.asarray(rank_matrix, dtype=float)

    def r(a):
        return [None if np.isnan(v) else round(float(v), 4) for v in a]

    with np.errstate(all="ignore"):
        return RankSummary(tuple(units), r(np.nanmedian(m, axis=0)), r(np.nanpercentile(m, 5, axis=0)),
                           r(np.nanpercentile(m, 95, axis=0)), r(np.nanmin(m, axis=0)), r(np.nanmax(m, axis=0)))


def _pool(workers: int | None, jobs: int):
    n = workers or min(os.cpu_count() or 1, 8)
    n = max(1, min(n, jobs))
    if n == 1:
        return None
    return ProcessPoolExecutor(max_workers=n, mp_context=get_context("fork"))


def _map(fn, args: list, workers: int | None):
    pool = _pool(workers, len(args))
    if pool is None:
        return [fn(a) for a in args]
    with pool:
        return list(pool.map(fn, args))


# ---------------------------------------------------------------- weights

def _weight_keys(framework: Framework) -> list[str]:
    keys = list(framework.codes())
    for i in framework.indicators:
        for g in i.parents:
            if g not in keys:
                keys.append(g)
    return keys


def _weight_chunk(args):
    norm, framework, spec, keys, n, spread, seed_seq = args
    rng = np.random.default_rng(seed_seq)
    base = np.array([spec.weight(k) for k in keys])
    lv = levels(framework)
    out = np.empty((n, norm.shape[0]))
    for d in range(n):
        factors = rng.uniform(1 - spread, 1 + spread, size=len(keys))
        w = dict(zip(keys, base * factors))
        out[d] = ranks(aggregate(norm, framework, spec, w, lv)[-1][INDEX])
    return out


def weight_perturbation(units, values, framework: Framework, spec: Spec, *, draws: int = MIN_DRAWS,
                        spread: float = 0.25, seed: int = 0, workers: int | None = None) -> Analysis:
    if draws < 1:
        raise CompositeError("抽样次数须大于0", field="draws")
    if not 0 < spread < 1:
        raise CompositeError("权重扰动幅度须在0与1之间", field="spread")
    p = prepare(units, values, framework, spec)
    keys = _weight_keys(framework)
    sizes = [CHUNK] * (draws // CHUNK) + ([draws % CHUNK] if draws % CHUNK else [])
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    args = [(p.normalised, framework, spec, keys, n, spread, s) for n, s in zip(sizes, seeds)]
    matrix = np.vstack(_map(_weight_chunk, args, workers))
    return Analysis("weights", summarise(units, matrix),
                    params={"draws": draws, "spread": spread, "seed": seed,
                            "distribution": f"每个权重乘以[{1 - spread:g}, {1 + spread:g}]上的均匀随机数"})


# ---------------------------------------------------------------- method choices

def alternatives(spec: Spec, level_names: tuple[str, ...] = ()) -> list[tuple[str, Spec]]:
    """The specification with one choice changed at a time, each with a Chinese label (naming
    the level by what it builds, e.g. 合成为子系统, when the framework names its levels)."""
    out = []
    for m in ("none", "mean", "median"):
        if m != spec.imputation:
            out.append((f"插补：{IMPUTATION_LABELS[m]}", spec.with_(imputation=m)))
    out.append(("异常值处理：" + ("不处理" if spec.outliers.enabled else "偏度/峰度检验后缩尾或取对数"),
                spec.with_(outliers=spec.outliers.model_copy(update={"enabled": not spec.outliers.enabled}))))
    for m in ("minmax", "zscore", "rank", "target"):
        if m != spec.normalisation:
            out.append((f"标准化：{NORMALISATION_LABELS[m]}", spec.with_(normalisation=m)))
    for lvl, current in enumerate(spec.aggregation):
        for m in ("arithmetic", "geometric", "copeland"):
            if m != current:
                agg = list(spec.aggregation)
                agg[lvl] = m
                where = f"合成为{level_names[lvl]}" if lvl < len(level_names) else f"第{lvl + 1}层合成"
                out.append((f"{where}：{AGGREGATION_LABELS[m]}", spec.with_(aggregation=tuple(agg))))
    return out


def _scenario(args):
    label, units, values, framework, spec = args
    try:
        r = run(units, values, framework, spec)
    except CompositeError as exc:
        return {"label": label, "error": exc.message}
    return {"label": label, "ranks": [None if np.isnan(v) else float(v) for v in r.rank]}


def _collect(kind, units, scenarios, params=None) -> Analysis:
    rows = [s["ranks"] for s in scenarios if "ranks" in s]
    m = np.array(rows, dtype=float) if rows else np.full((1, len(units)), np.nan)
    return Analysis(kind, summarise(units, m), scenarios, params or {})


def method_choices(units, values, framework: Framework, spec: Spec, *, workers: int | None = None) -> Analysis:
    args = [("当前规格", units, values, framework, spec)]
    args += [(label, units, values, framework, alt) for label, alt in alternatives(spec, framework.level_names)]
    return _collect("methods", units, _map(_scenario, args, workers))


# ---------------------------------------------------------------- indicator removal

def without(framework: Framework, spec: Spec, values, code: str):
    """The framework, specification and data without indicator `code` (its groups kept while
    they have another member)."""
    keep = [j for j, i in enumerate(framework.indicators) if i.code != code]
    fw = Framework(indicators=tuple(framework.indicators[j] for j in keep),
                   level_names=framework.level_names)
    groups = {g for i in fw.indicators for g in i.parents}
    sp = spec.with_(weights={k: w for k, w in spec.weights.items() if k != code and (k in groups or k in fw.codes())},
                    goalposts={k: g for k, g in spec.goalposts.items() if k != code})
    return fw, sp, np.asarray(values, dtype=float)[:, keep]


def indicator_removal(units, values, framework: Framework, spec: Spec, *, workers: int | None = None) -> Analysis:
    if len(framework.indicators) < 2:
        raise CompositeError("只有一个指标，无法逐一剔除", field="indicators")
    names = {i.code: i.name or i.code for i in framework.indicators}
    args = []
    for code in framework.codes():
        fw, sp, vals = without(framework, spec, values, code)
        args.append((f"剔除：{names[code]}", units, vals, fw, sp))
    return _collect("removal", units, _map(_scenario, args, workers))
