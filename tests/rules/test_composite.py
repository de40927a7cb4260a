"""The composite-indicator pipeline on a 3-county × 4-indicator example worked by hand.

Counties A, B, C; indicators i1, i2 (group G1) and i3, i4 (group G2); i4 is "less is better"
(direction −1). Two aggregation levels: indicators → G1, G2 → index.

          i1    i2    i3   i4(−)
    A     10   200     5    30
    B     25   100    15    10
    C     40   300    10    20

No database: pure computation.
"""

import math

import numpy as np
import pytest

from kmgov.rules.composite import (
    INDEX,
    CompositeError,
    Framework,
    Goalpost,
    Indicator,
    OutlierTreatment,
    Spec,
    fingerprint,
    impute,
    indicator_removal,
    method_choices,
    ranks,
    run,
    skew_kurtosis,
    treat_column,
    weight_perturbation,
)

UNITS = ("A", "B", "C")
DATA = [[10, 200, 5, 30],
        [25, 100, 15, 10],
        [40, 300, 10, 20]]
FW = Framework(indicators=(
    Indicator(code="i1", parents=("G1",)), Indicator(code="i2", parents=("G1",)),
    Indicator(code="i3", parents=("G2",)), Indicator(code="i4", direction=-1, parents=("G2",)),
), level_names=("分组", "指数"))
TARGETS = {"i1": Goalpost(target=40), "i2": Goalpost(target=250), "i3": Goalpost(target=20),
           "i4": Goalpost(target=10)}


def approx(values, rel=1e-6):
    return pytest.approx(values, rel=rel, abs=1e-9)


def matrix(m):
    """A matrix as one flat list (pytest.approx compares flat sequences)."""
    return [float(v) for row in m for v in row]


def scores(result, level, group):
    return list(result.levels[level][group])


def test_minmax_arithmetic():
    r = run(UNITS, DATA, FW, Spec(normalisation="minmax", aggregation=("arithmetic", "arithmetic")))
    # i1: (x−10)/(40−10)·100 → A 0, B 50, C 100
    # i2: (x−100)/(300−100)·100 → A 50, B 0, C 100
    # i3: (x−5)/(15−5)·100 → A 0, B 100, C 50
    # i4 (less is better): (30−x)/(30−10)·100 → A 0, B 100, C 50
    assert matrix(r.prepared.normalised) == approx(matrix([[0, 50, 0, 0], [50, 0, 100, 100], [100, 100, 50, 50]]))
    # G1 = (i1+i2)/2 → A 25, B 25, C 100;  G2 = (i3+i4)/2 → A 0, B 100, C 50
    assert scores(r, 0, "G1") == approx([25, 25, 100])
    assert scores(r, 0, "G2") == approx([0, 100, 50])
    # index = (G1+G2)/2 → A 12.5, B 62.5, C 75; ranks C 1, B 2, A 3
    assert list(r.index) == approx([12.5, 62.5, 75])
    assert list(r.rank) == [3, 2, 1]


def test_zscore_arithmetic():
    r = run(UNITS, DATA, FW, Spec(normalisation="zscore", aggregation=("arithmetic", "arithmetic")))
    # sample sd (n−1): i1 mean 25, sd √((15²+0+15²)/2)=15 → A −1, B 0, C 1
    # i2 mean 200, sd √((0+100²+100²)/2)=100 → A 0, B −1, C 1
    # i3 mean 10, sd √((5²+5²+0)/2)=5 → A −1, B 1, C 0
    # i4 mean 20, sd 10, sign flipped → A −1, B 1, C 0
    assert matrix(r.prepared.normalised) == approx(matrix([[-1, 0, -1, -1], [0, -1, 1, 1], [1, 1, 0, 0]]))
    # G1 → A −0.5, B −0.5, C 1; G2 → A −1, B 1, C 0; index → A −0.75, B 0.25, C 0.5
    assert list(r.index) == approx([-0.75, 0.25, 0.5])
    assert list(r.rank) == [3, 2, 1]


def test_rank_arithmetic():
    r = run(UNITS, DATA, FW, Spec(normalisation="rank", aggregation=("arithmetic", "arithmetic")))
    # ascending ranks (1 = worst): i1 A1 B2 C3; i2 A2 B1 C3; i3 A1 B3 C2; i4 on −x: A1 B3 C2
    assert matrix(r.prepared.normalised) == approx(matrix([[1, 2, 1, 1], [2, 1, 3, 3], [3, 3, 2, 2]]))
    # G1 → 1.5, 1.5, 3; G2 → 1, 3, 2; index → 1.25, 2.25, 2.5
    assert list(r.index) == approx([1.25, 2.25, 2.5])
    assert list(r.rank) == [3, 2, 1]


def test_distance_to_target_arithmetic():
    r = run(UNITS, DATA, FW, Spec(normalisation="target", goalposts=TARGETS,
                                  aggregation=("arithmetic", "arithmetic")))
    # i1 x/40: 25, 62.5, 100; i2 x/250 capped at 1: 80, 40, 100; i3 x/20: 25, 75, 50;
    # i4 (less is better) 10/x: 33.333, 100, 50
    assert matrix(r.prepared.normalised) == approx(matrix([[25, 80, 25, 100 / 3], [62.5, 40, 75, 100], [100, 100, 50, 50]]))
    # G1 → 52.5, 51.25, 100; G2 → (25+33.333)/2 = 29.1667, 87.5, 50
    # index → (52.5+29.1667)/2 = 40.8333, (51.25+87.5)/2 = 69.375, 75
    assert list(r.index) == approx([40.833333, 69.375, 75], rel=1e-5)
    assert list(r.rank) == [3, 2, 1]


def test_geometric_on_distance_to_target():
    r = run(UNITS, DATA, FW, Spec(normalisation="target", goalposts=TARGETS,
                                  aggregation=("geometric", "geometric")))
    # G1 = √(i1·i2): A √(25·80) = √2000 = 44.7214, B √(62.5·40) = 50, C √(100·100) = 100
    # G2 = √(i3·i4): A √(25·33.333) = 28.8675, B √(75·100) = 86.6025, C √(50·50) = 50
    assert scores(r, 0, "G1") == approx([44.72136, 50, 100], rel=1e-5)
    assert scores(r, 0, "G2") == approx([28.86751, 86.60254, 50], rel=1e-5)
    # index = √(G1·G2): A √(44.7214·28.8675) = 35.9304, B √(50·86.6025) = 65.8037, C √5000 = 70.7107
    assert list(r.index) == approx([35.93041, 65.80370, 70.71068], rel=1e-5)
    assert list(r.rank) == [3, 2, 1]


def test_geometric_then_arithmetic_per_level():
    r = run(UNITS, DATA, FW, Spec(normalisation="target", goalposts=TARGETS,
                                  aggregation=("geometric", "arithmetic")))
    # index = (G1+G2)/2 with the geometric G1, G2 above: A (44.7214+28.8675)/2 = 36.7944,
    # B (50+86.6025)/2 = 68.3013, C (100+50)/2 = 75
    assert list(r.index) == approx([36.79444, 68.30127, 75], rel=1e-5)


def test_geometric_refuses_zero():
    # min-max on 0–100 puts A's i1 at 0: a geometric mean would be 0 whatever else A has
    with pytest.raises(CompositeError) as exc:
        run(UNITS, DATA, FW, Spec(normalisation="minmax", aggregation=("geometric", "arithmetic")))
    assert exc.value.field == "aggregation" and "正数" in exc.value.message


def test_copeland_both_levels():
    r = run(UNITS, DATA, FW, Spec(normalisation="minmax", aggregation=("copeland", "copeland")))
    # G1 (i1, i2): A–B: i1 B, i2 A → 1:1, a tie; C beats A and B on both → A −1, B −1, C +2
    #   scaled (s+2)/4·100 → 25, 25, 100
    # G2 (i3, i4): B beats A and C on both, C beats A on both → A −2, B +2, C 0 → 0, 100, 50
    assert scores(r, 0, "G1") == approx([25, 25, 100])
    assert scores(r, 0, "G2") == approx([0, 100, 50])
    # index: A–B: G1 tie (½ each), G2 B → 0.5 : 1.5, B wins; A–C: C on both;
    #   B–C: G1 C, G2 B → 1 : 1, a tie → A −2, B +1, C +1 → 0, 75, 75
    assert list(r.index) == approx([0, 75, 75])
    # non-compensatory: C's lead on G1 no longer buys it first place alone — B and C share it
    assert list(r.rank) == [3, 1, 1]


def test_arithmetic_then_copeland():
    r = run(UNITS, DATA, FW, Spec(normalisation="minmax", aggregation=("arithmetic", "copeland")))
    # G1 25, 25, 100 and G2 0, 100, 50 (arithmetic, as in the min-max test) give the same
    # pairwise outcomes as above → A 0, B 75, C 75
    assert list(r.index) == approx([0, 75, 75])
    assert list(r.rank) == [3, 1, 1]


def test_weights_indicator_and_group():
    r = run(UNITS, DATA, FW, Spec(weights={"i2": 3}, aggregation=("arithmetic", "arithmetic")))
    # G1 = (1·i1 + 3·i2)/4 → A (0+150)/4 = 37.5, B (50+0)/4 = 12.5, C 100
    # index = (G1+G2)/2 → A 18.75, B 56.25, C 75
    assert list(r.index) == approx([18.75, 56.25, 75])
    r = run(UNITS, DATA, FW, Spec(weights={"G2": 3}, aggregation=("arithmetic", "arithmetic")))
    # index = (G1 + 3·G2)/4 → A (25+0)/4 = 6.25, B (25+300)/4 = 81.25, C (100+150)/4 = 62.5
    assert list(r.index) == approx([6.25, 81.25, 62.5])
    assert list(r.rank) == [3, 1, 2]


def test_fixed_goalposts_make_years_comparable():
    gp = {"i1": Goalpost(low=0, high=50), "i2": Goalpost(low=0, high=400),
          "i3": Goalpost(low=0, high=20), "i4": Goalpost(low=0, high=40)}
    spec = Spec(goalposts=gp, aggregation=("arithmetic", "arithmetic"))
    r = run(UNITS, DATA, FW, spec)
    # A: i1 10/50 = 20, i2 200/400 = 50, i3 5/20 = 25, i4 (40−30)/40 = 25 → G1 35, G2 25 → 30
    assert r.index[0] == pytest.approx(30)
    # the next year B and C change (C beyond the goalpost of i1: clipped to 100); A does not,
    # so A's index does not move — with data-driven bounds it would
    year2 = [DATA[0], [30, 150, 12, 15], [90, 350, 18, 12]]
    r2 = run(UNITS, year2, FW, spec)
    assert r2.index[0] == pytest.approx(30)
    assert r2.prepared.normalised[2][0] == pytest.approx(100)
    free = run(UNITS, year2, FW, Spec(aggregation=("arithmetic", "arithmetic")))
    assert free.index[0] != pytest.approx(run(UNITS, DATA, FW, Spec(aggregation=("arithmetic", "arithmetic"))).index[0])


def test_imputation():
    data = [row[:] for row in DATA]
    data[1][1] = float("nan")  # B's i2 missing
    # none: i2 over A and C only (200→0, 300→100); B's G1 = its i1 alone = 50
    r = run(UNITS, data, FW, Spec(imputation="none", aggregation=("arithmetic", "arithmetic")))
    assert scores(r, 0, "G1") == approx([0, 50, 100])
    # mean: B's i2 = (200+300)/2 = 250 → (250−200)/100·100 = 50; G1 B = (50+50)/2 = 50
    r = run(UNITS, data, FW, Spec(imputation="mean", aggregation=("arithmetic", "arithmetic")))
    assert r.prepared.treated[1][1] == 250
    assert bool(r.prepared.imputed_mask[1][1]) and not r.prepared.imputed_mask[0][0]
    filled, mask = impute(np.array([[1.0], [np.nan], [2.0], [10.0]]), "median")
    assert filled[1][0] == 2.0 and mask[1][0]


def test_outliers_winsorised_then_logged():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], dtype=float)
    s, k = skew_kurtosis(x)
    assert s > 2 and k > 3.5  # mean 14.5: one far point makes it skewed and peaked
    out, log = treat_column(x, OutlierTreatment())
    # one point: 100 takes the next value, 9; [1..9, 9] is within the thresholds
    assert log["treatment"] == "winsorised" and log["winsorised"] == 1 and out[-1] == 9
    out, log = treat_column(x, OutlierTreatment(winsor_max=0))
    # no winsorising allowed: log(1 + x − min) instead: log(1 + 100 − 1) = log 100
    assert log["treatment"] == "log" and out[-1] == pytest.approx(math.log(100))
    same, log = treat_column(np.array([1.0, 2, 3, 4]), OutlierTreatment())
    assert log["treatment"] == "none" and list(same) == [1, 2, 3, 4]


def test_ranks_share_ties():
    assert list(ranks(np.array([5.0, 7, 7, 1]))) == [3, 1, 1, 4]


def test_refusals_name_the_field():
    with pytest.raises(CompositeError) as exc:
        run(UNITS, DATA, FW, Spec(aggregation=("arithmetic",)))
    assert exc.value.field == "aggregation"
    with pytest.raises(CompositeError) as exc:
        run(UNITS, DATA, FW, Spec(normalisation="target", aggregation=("arithmetic", "arithmetic")))
    assert exc.value.field == "i1"
    with pytest.raises(CompositeError) as exc:
        run(UNITS, DATA, FW, Spec(weights={"nope": 1}, aggregation=("arithmetic", "arithmetic")))
    assert exc.value.field == "weights"


def test_same_inputs_same_index():
    spec = Spec(normalisation="zscore", outliers=OutlierTreatment(), aggregation=("arithmetic", "copeland"))
    a, b = run(UNITS, DATA, FW, spec), run(UNITS, DATA, FW, Spec.model_validate_json(spec.model_dump_json()))
    assert a.as_dict() == b.as_dict()
    assert a.fingerprint == fingerprint(spec, FW, UNITS, DATA)
    assert a.fingerprint != fingerprint(spec.with_(weights={"i1": 2}), FW, UNITS, DATA)


SPEC = Spec(aggregation=("arithmetic", "arithmetic"))


def test_weight_perturbation_reproducible_with_seed():
    one = weight_perturbation(UNITS, DATA, FW, SPEC, draws=1000, seed=7, workers=1)
    two = weight_perturbation(UNITS, DATA, FW, SPEC, draws=1000, seed=7, workers=2)
    # the seed alone decides the draws: one process or two give the same summary
    assert one.summary.as_dict() == two.summary.as_dict()
    assert one.params["draws"] == 1000
    s = one.summary
    # C leads B by 12.5 points (75 vs 62.5). C falls behind only in a corner of the draws: G1's
    # weight low, G2's high and i1's high at once, e.g. g1 0.75, g2 1.25, w1 1.25, w2 0.75:
    # G1 B = 50·1.25/2 = 31.25 (C 100), G2 B 100 (C 50) → C − B = (0.75·68.75 − 1.25·50)/2 < 0.
    # That corner holds far fewer than 5 % of the draws (counted below), so C's median rank and
    # its whole 5–95 % interval are first
    assert s.median[2] == 1 and s.p05[2] == 1 and s.p95[2] == 1
    # A is last in every draw: it is last or tied last on every indicator
    assert s.median[0] == 3 and s.p05[0] == 3 and s.p95[0] == 3
    other = weight_perturbation(UNITS, DATA, FW, SPEC, draws=1000, seed=8, workers=1)
    assert other.params["seed"] == 8


def test_weight_perturbation_moves_close_units():
    # C's i3 drops to 6: i3 → A 0, B 100, C 10; G2 C = (10+50)/2 = 30; index C (100+30)/2 = 65
    # against B's 62.5: 2.5 points apart, so ±25 % weights swap them in some draws
    data = [DATA[0], DATA[1], [40, 300, 6, 20]]
    a = weight_perturbation(UNITS, data, FW, SPEC, draws=1000, seed=1, workers=1)
    s = a.summary
    assert s.p05[1] == 1 and s.p95[1] == 2  # B is sometimes first, sometimes second
    assert s.p05[2] == 1 and s.p95[2] == 2


def test_method_choices_and_removal():
    m = method_choices(UNITS, DATA, FW, SPEC, workers=2)
    labels = [s["label"] for s in m.scenarios]
    assert labels[0] == "当前规格" and any("Copeland" in label for label in labels)
    by = {s["label"]: s for s in m.scenarios}
    # Copeland at the top level: B and C share first place (see test_arithmetic_then_copeland)
    assert by["合成为指数：Copeland 两两比较计数（非补偿）"]["ranks"] == [3, 1, 1]
    # geometric means of min-max values with zeros cannot run: reported, not hidden
    assert "正数" in by["合成为分组：加权几何平均"]["error"]
    # target normalisation needs targets the spec does not have
    assert "目标值" in by["标准化：目标距离法（固定目标值）"]["error"]
    r = indicator_removal(UNITS, DATA, FW, SPEC, workers=1)
    rem = {s["label"]: s["ranks"] for s in r.scenarios}
    # without i1: G1 = i2 alone → A 50, B 0, C 100; index A 25, B 50, C 75 → 3, 2, 1
    assert rem["剔除：i1"] == [3, 2, 1]
    # without i3: G2 = i4 → A 0, B 100, C 50: same index as before → 3, 2, 1
    assert rem["剔除：i3"] == [3, 2, 1]
    assert r.summary.median == [3, 2, 1]


def test_index_level_is_the_last():
    r = run(UNITS, DATA, FW, SPEC)
    assert list(r.levels[-1]) == [INDEX]


def test_weight_draws_count_the_corner():
    from kmgov.rules.composite.pipeline import prepare
    from kmgov.rules.composite.sensitivity import _weight_chunk, _weight_keys

    p = prepare(UNITS, DATA, FW, SPEC)
    seq = np.random.SeedSequence(7).spawn(1)[0]
    m = _weight_chunk((p.normalised, FW, SPEC, _weight_keys(FW), 1000, 0.25, seq))
    # C second in a few draws only (the corner of test_weight_perturbation_reproducible_with_seed)
    assert 0 <= np.sum(m[:, 2] == 2) < 50
    assert m.shape == (1000, 3)
