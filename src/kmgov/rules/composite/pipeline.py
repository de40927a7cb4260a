"""The pipeline: data (units × indicators) + framework + `Spec` → scores at every level, ranks.

Pure numpy; no database, no Django. Each step is a function of arrays so that the sensitivity
analysis (`sensitivity.py`) can re-run only what changes: weights change nothing before the
aggregation, so a weight draw re-aggregates the normalised matrix it was given.

Missing cells are NaN. With imputation "none" a unit's group score is the weighted mean of the
indicators it has (the weights renormalised over them), as the handbook allows; a group with
nothing for a unit is missing, and so on up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .spec import CompositeError, Framework, Spec, check_spec, fingerprint

INDEX = "指数"


# ---------------------------------------------------------------- 1. imputation

def impute(x: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Fill missing cells with the indicator's mean or median over the units that have it.
    Returns the filled matrix and the mask of the cells filled."""
    x = np.array(x, dtype=float)
    missing = np.isnan(x)
    if method == "none" or not missing.any():
        return x, np.zeros_like(missing)
    for j in range(x.shape[1]):
        col = x[:, j]
        have = col[~np.isnan(col)]
        if have.size == 0:
            continue  # nothing to impute from: the indicator stays missing for everyone
        col[np.isnan(col)] = have.mean() if method == "mean" else np.median(have)
    return x, missing & ~np.isnan(x)


# ---------------------------------------------------------------- 2. outliers

def skew_kurtosis(col: np.ndarray) -> tuple[float, float]:
    """Population moments: skewness m3/m2^1.5 and excess kurtosis m4/m2² − 3 (0 for a
    constant column)."""
    v = col[~np.isnan(col)]
    if v.size < 3:
        return 0.0, 0.0
    d = v - v.mean()
    m2 = float(np.mean(d**2))
    if m2 == 0:
        return 0.0, 0.0
    return float(np.mean(d**3) / m2**1.5), float(np.mean(d**4) / m2**2 - 3)


def _fails(col, t) -> bool:
    s, k = skew_kurtosis(col)
    return abs(s) > t.skew_threshold and k > t.kurtosis_threshold


def treat_column(col: np.ndarray, t, low_goalpost: float | None = None) -> tuple[np.ndarray, dict]:
    """Winsorise on the side of the skew, one point at a time (the extreme value takes the
    next one's), up to `winsor_max`; if the column still fails, log-transform the original
    instead: log(1 + x − c), c the fixed lower goalpost when there is one (so that the
    transform is the same every year), else the column's minimum."""
    skew0, kurt0 = skew_kurtosis(col)
    log = {"skew": round(skew0, 4), "kurtosis": round(kurt0, 4), "treatment": "none",
           "winsorised": 0, "points": []}
    if not _fails(col, t):
        return col, log
    out = col.copy()
    ok = ~np.isnan(out)
    points = []
    for _ in range(t.winsor_max):
        s, _k = skew_kurtosis(out)
        idx = np.where(ok)[0]
        order = idx[np.argsort(out[idx], kind="stable")]
        if s > 0:
            extreme, nxt = order[-1], order[-2]
        else:
            extreme, nxt = order[0], order[1]
        points.append(int(extreme))
        out[extreme] = out[nxt]
        if not _fails(out, t):
            log.update(treatment="winsorised", winsorised=len(points), points=points)
            return out, log
    if t.log_after:
        c = low_goalpost if low_goalpost is not None else float(np.nanmin(col))
        out = np.log1p(np.maximum(col - c, 0.0))
        log.update(treatment="log", shift=c)
        return out, log
    log.update(treatment="winsorised", winsorised=len(points), points=points, still_failing=True)
    return out, log


def treat(x: np.ndarray, framework: Framework, spec: Spec) -> tuple[np.ndarray, list[dict]]:
    x = np.array(x, dtype=float)
    logs = []
    if not spec.outliers.enabled:
        return x, logs
    for j, ind in enumerate(framework.indicators):
        gp = spec.goalposts.get(ind.code)
        col, log = treat_column(x[:, j], spec.outliers, gp.low if gp else None)
        x[:, j] = col
        logs.append({"indicator": ind.code, **log})
    return x, logs


def _goalpost_in_treated_units(value, log):
    """A goalpost of a log-transformed indicator, transformed the same way."""
    if value is None or log is None or log.get("treatment") != "log":
        return value
    return float(np.log1p(max(value - log["shift"], 0.0)))


# ---------------------------------------------------------------- 3. normalisation

def _rank_ascending(v: np.ndarray) -> np.ndarray:
    """1 for the lowest, n for the highest; ties share the mean of their ranks; NaN stays."""
    out = np.full(v.shape, np.nan)
    ok = ~np.isnan(v)
    vals = v[ok]
    ranks = np.empty(vals.size)
    for i, a in enumerate(vals):
        below = np.sum(vals < a)
        same = np.sum(vals == a)
        ranks[i] = below + (same + 1) / 2
    out[ok] = ranks
    return out


def normalise(x: np.ndarray, framework: Framework, spec: Spec, logs=None) -> np.ndarray:
    lo_s, hi_s = spec.scale
    logs_by = {entry["indicator"]: entry for entry in (logs or [])}
    out = np.empty_like(x, dtype=float)
    for j, ind in enumerate(framework.indicators):
        col = x[:, j]
        gp = spec.goalposts.get(ind.code)
        tlog = logs_by.get(ind.code)
        d = ind.direction
        if spec.normalisation == "minmax":
            lo = _goalpost_in_treated_units(gp.low, tlog) if gp and gp.low is not None else np.nanmin(col)
            hi = _goalpost_in_treated_units(gp.high, tlog) if gp and gp.high is not None else np.nanmax(col)
            if not hi > lo:
                raise CompositeError(f"指标“{ind.name or ind.code}”的上下限相同，无法做极差标准化；请设定固定上下限",
                                     field=ind.code)
            y = (col - lo) / (hi - lo) if d > 0 else (hi - col) / (hi - lo)
            out[:, j] = lo_s + (hi_s - lo_s) * np.clip(y, 0.0, 1.0)
        elif spec.normalisation == "zscore":
            mean = gp.mean if gp and gp.mean is not None else np.nanmean(col)
            if gp and gp.sd is not None:
                sd = gp.sd
            else:
                have = col[~np.isnan(col)]
                sd = float(np.std(have, ddof=1)) if have.size > 1 else 0.0
            if not sd > 0:
                raise CompositeError(f"指标“{ind.name or ind.code}”的标准差为0，无法做 Z 分数标准化", field=ind.code)
            out[:, j] = d * (col - mean) / sd
        elif spec.normalisation == "rank":
            out[:, j] = _rank_ascending(d * col)
        else:  # target
            if gp is None or gp.target is None or gp.target <= 0:
                raise CompositeError(f"目标距离法须为指标“{ind.name or ind.code}”设定大于0的目标值",
                                     field=ind.code)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = col / gp.target if d > 0 else np.where(col > 0, gp.target / col, 1.0)
            ratio = np.where(np.isnan(col), np.nan, np.clip(ratio, 0.0, 1.0))
            out[:, j] = lo_s + (hi_s - lo_s) * ratio
    return out


# ---------------------------------------------------------------- 4. aggregation

@dataclass(frozen=True)
class Level:
    children: tuple[str, ...]
    parents: tuple[str, ...]  # the parent of each child
    groups: tuple[str, ...]  # the distinct parents, in order of first appearance


def levels(framework: Framework) -> list[Level]:
    out = []
    depth = framework.depth
    children = [i.code for i in framework.indicators]
    chains = {i.code: i.parents for i in framework.indicators}
    for lvl in range(depth):
        parents = []
        for c in children:
            chain = chains[c]
            parents.append(chain[lvl] if lvl < len(chain) else INDEX)
        groups = tuple(dict.fromkeys(parents))
        out.append(Level(tuple(children), tuple(parents), groups))
        # the chain of a group is the rest of its members' chain
        for c, g in zip(children, parents):
            if g != INDEX:
                chains.setdefault(g, chains[c])
        children = list(groups)
    return out


def _arithmetic(v, w):
    have = ~np.isnan(v)
    ww = np.where(have, w, 0.0)
    tot = ww.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, np.nansum(np.where(have, v, 0.0) * ww, axis=1) / tot, np.nan)


def _geometric(v, w, group):
    have = ~np.isnan(v)
    if np.any(v[have & (w > 0)] <= 0):
        raise CompositeError(f"几何平均要求“{group}”下的值均为正数；请选用下限大于0的标准化区间（如 1—100）或其他方法",
                             field="aggregation")
    ww = np.where(have, w, 0.0)
    tot = ww.sum(axis=1)
    logs = np.where(have & (ww > 0), np.log(np.where(have & (v > 0), v, 1.0)), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, np.exp((logs * ww).sum(axis=1) / tot), np.nan)


def copeland_scores(v, w) -> np.ndarray:
    """Copeland count from the weighted outranking matrix: e[a,b] = Σ w_k over the indicators
    where a beats b, plus half of those where they tie (both present); a wins the pair when
    e[a,b] > e[b,a]. Score = wins − losses (from −(n−1) to n−1)."""
    both = ~np.isnan(v)[:, None, :] & ~np.isnan(v)[None, :, :]
    a, b = v[:, None, :], v[None, :, :]
    with np.errstate(invalid="ignore"):
        e = (np.where(both & (a > b), w, 0.0) + 0.5 * np.where(both & (a == b), w, 0.0)).sum(axis=2)
    diff = e - e.T
    return np.sign(diff).sum(axis=1)


def _copeland(v, w, scale):
    n = v.shape[0]
    score = copeland_scores(v, w)
    if n < 2:
        return np.full(n, (scale[0] + scale[1]) / 2)
    # onto the scale: −(n−1) → low, n−1 → high, so that it may be aggregated further up
    return scale[0] + (scale[1] - scale[0]) * (score + (n - 1)) / (2 * (n - 1))


def aggregate(norm: np.ndarray, framework: Framework, spec: Spec,
              weights: dict[str, float] | None = None, lv: list[Level] | None = None) -> list[dict]:
    """Scores at each level: a list (lowest first) of {group: array over units}; the last
    holds the index under `INDEX`."""
    weights = spec.weights if weights is None else weights
    lv = lv or levels(framework)
    current = {code: norm[:, j] for j, code in enumerate(framework.codes())}
    out = []
    for method, level in zip(spec.aggregation, lv):
        scores = {}
        for g in level.groups:
            kids = [c for c, p in zip(level.children, level.parents) if p == g]
            v = np.column_stack([current[c] for c in kids])
            w = np.array([float(weights.get(c, 1.0)) for c in kids])
            if method == "arithmetic":
                scores[g] = _arithmetic(v, w)
            elif method == "geometric":
                scores[g] = _geometric(v, w, g)
            else:
                scores[g] = _copeland(v, w, spec.scale)
        out.append(scores)
        current = scores
    return out


def ranks(scores: np.ndarray) -> np.ndarray:
    """1 for the highest score; ties share the best rank (1, 2, 2, 4); NaN scores get NaN."""
    s = np.asarray(scores, dtype=float)
    out = np.full(s.shape, np.nan)
    ok = ~np.isnan(s)
    # rounding keeps float noise (1e-15) from splitting equal scores
    r = np.round(s[ok], 9)
    out[ok] = [1 + np.sum(r > a) for a in r]
    return out


# ---------------------------------------------------------------- the whole run

@dataclass
class Prepared:
    """Everything before the weights: imputed, treated and normalised data."""

    units: tuple[str, ...]
    raw: np.ndarray
    imputed_mask: np.ndarray
    treated: np.ndarray
    treatment: list[dict]
    normalised: np.ndarray


@dataclass
class Result:
    units: tuple[str, ...]
    index: np.ndarray
    rank: np.ndarray
    levels: list[dict] = field(default_factory=list)
    prepared: Prepared | None = None
    fingerprint: str = ""

    def as_dict(self) -> dict:
        """Plain JSON (NaN → None), the way a run is stored."""
        def f(a):
            return [None if np.isnan(v) else round(float(v), 10) for v in a]

        p = self.prepared
        return {
            "units": list(self.units), "index": f(self.index), "rank": f(self.rank),
            "levels": [{g: f(v) for g, v in lvl.items()} for lvl in self.levels],
            "normalised": [f(row) for row in p.normalised] if p else [],
            "imputed": [[bool(c) for c in row] for row in p.imputed_mask] if p else [],
            "treatment": p.treatment if p else [],
            "fingerprint": self.fingerprint,
        }


def prepare(units, values, framework: Framework, spec: Spec) -> Prepared:
    check_spec(spec, framework)
    raw = np.array(values, dtype=float)
    if raw.ndim != 2 or raw.shape != (len(units), len(framework.indicators)):
        raise CompositeError(f"数据须为 {len(units)} 个单位 × {len(framework.indicators)} 个指标",
                             field="values")
    if len(units) < 2:
        raise CompositeError("至少需要两个单位才能排序", field="units")
    imputed, mask = impute(raw, spec.imputation)
    treated, logs = treat(imputed, framework, spec)
    norm = normalise(treated, framework, spec, logs)
    return Prepared(tuple(units), raw, mask, treated, logs, norm)


def run(units, values, framework: Framework, spec: Spec) -> Result:
    """The index of each unit and its rank (1 = best) under `spec`."""
    p = prepare(units, values, framework, spec)
    lv = aggregate(p.normalised, framework, spec)
    index = lv[-1][INDEX]
    return Result(p.units, index, ranks(index), lv, p, fingerprint(spec, framework, units, p.raw))
