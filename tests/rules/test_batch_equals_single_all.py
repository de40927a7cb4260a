"""Every rule, valid inputs generated from its own field constraints (rule_strategies.py):
each generated row is a valid case, and the batch result equals the one-case result row by
row. And the other way round: a row that one case refuses, a table refuses too (same field,
same Chinese message, with its row)."""

import datetime as dt
import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_strategies import MISSING, row_strategy, violations

from kmgov.rules import RULES, RuleInputError, decide, run_batch
from kmgov.rules.inputs import field_specs

ALL = sorted(RULES)
COMPARED: dict[str, int] = {}


def _columns(rule, rows):
    """A table from rows: a key absent from a row is an empty cell (None)."""
    # as_of always: a rule whose every input is optional still has one row per case
    names = [n for n in field_specs(rule.inputs) if n == "as_of" or any(n in r for r in rows)]
    cols = {}
    for name in names:
        col = np.empty(len(rows), dtype=object)
        col[:] = [r.get(name) for r in rows]
        cols[name] = col
    return cols


def _same(a, b):
    if isinstance(b, np.generic):
        b = b.item()
    if a is None or (isinstance(a, float) and a != a):
        return b is None or (isinstance(b, float) and b != b)
    if isinstance(a, float) or isinstance(b, float):
        return b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a))
    return a == b


@pytest.mark.parametrize("rule_id", ALL)
def test_batch_equals_one_case(rule_id):
    rule = RULES[rule_id]
    COMPARED[rule_id] = 0

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.lists(row_strategy(rule), min_size=1, max_size=6))
    def check(rows):
        # every generated row is valid: a refusal here is a bug of the generator or the rule
        singles = [decide(rule_id, row).to_dict() for row in rows]
        res = run_batch(rule_id, _columns(rule, rows))
        keys = (["outcome"] if rule.outcomes else []) + list(rule.outputs)
        for i, one in enumerate(singles):
            for k in keys:
                if k not in res and not any(c.startswith(k + ".") for c in res):
                    continue  # an output only the one-case decision gives (e.g. the grounds of a warning)
                v = one.get(k)
                if k in rule.list_outputs and f"{k}.{rule.list_outputs[k][0]}" in res:
                    assert v == [c for c in rule.list_outputs[k] if res[f"{k}.{c}"][i]], (rows[i], k)
                elif isinstance(v, dict) and k in res:  # decided row by row: the whole value
                    assert res[k][i] == v, (rows[i], k)
                elif isinstance(v, dict):
                    for sub, x in v.items():
                        assert _same(x, res[f"{k}.{sub}"][i]), (rows[i], k, sub)
                else:
                    assert _same(v, res[k][i]), (rows[i], k, v, res[k][i])
        COMPARED[rule_id] += len(rows)

    check()
    assert COMPARED[rule_id] > 0, f"{rule_id}: no valid row compared"


# ---- a row refused by one case is refused by a table


@functools.cache
def _valid_row(rule_id):
    from hypothesis import find

    return find(row_strategy(RULES[rule_id]), lambda row: True, settings=settings(database=None))


CASES = [(rid, spec.name, what, value) for rid in ALL for spec in field_specs(RULES[rid].inputs).values()
         for what, value in violations(spec)]


@pytest.mark.parametrize("rule_id,field,what,value", CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_a_row_refused_alone_is_refused_in_a_table(rule_id, field, what, value):
    rule = RULES[rule_id]
    good = dict(_valid_row(rule_id))
    bad = dict(good)
    if value is MISSING:
        bad.pop(field, None)
        # a missing required column: the table names the field
        cols = _columns(rule, [good])
        cols.pop(field, None)
        table = cols
    else:
        bad[field] = value
        table = _columns(rule, [good, bad])
    decide(rule_id, good)  # the base row is valid
    with pytest.raises(RuleInputError) as one:
        decide(rule_id, bad)
    assert field in {e["field"].split(".")[0] for e in one.value.errors()}, one.value.errors()
    with pytest.raises(RuleInputError) as many:
        run_batch(rule_id, table)
    errs = many.value.errors()
    assert field in {e["field"].split(".")[0] for e in errs}, errs
    if value is not MISSING:
        assert errs[0].get("row") == 2 and errs[0]["message"].startswith("第2行："), errs
    # the same words for the same fault
    single_msg = next(e["message"] for e in one.value.errors() if e["field"].split(".")[0] == field)
    assert single_msg in errs[0]["message"], (single_msg, errs[0]["message"])


def test_donor_sign_pattern_refused_alone_and_in_a_table():
    # 60号 三(一): the sign is for an enterprise (企业) or an individual (个人) donor; the input
    # declares donor_type with pattern ^(enterprise|individual)$.
    with pytest.raises(RuleInputError) as one:
        decide("carbon.donor_sign", {"donation_yuan": 5000, "donor_type": "government", "as_of": "2011-01-01"})
    assert one.value.errors()[0]["field"] == "donor_type"
    with pytest.raises(RuleInputError) as many:
        run_batch("carbon.donor_sign", {"donation_yuan": [5000.0, 5000.0], "donor_type": ["enterprise", "government"]},
                  at=dt.date(2011, 1, 1))
    (err,) = many.value.errors()
    assert err["field"] == "donor_type" and err["row"] == 2 and err["type"] == "string_pattern_mismatch"
    assert err["message"] == "第2行：格式不符，应符合 ^(enterprise|individual)$，收到 'government'"
    # valid spellings are accepted by both; 5000元 ÷ 500元/亩 = 10亩 (三(二)), 10亩及以上 → eligible
    res = run_batch("carbon.donor_sign", {"donation_yuan": [5000.0, 4999.0], "donor_type": [" enterprise", "individual"]},
                    at=dt.date(2011, 1, 1))
    assert list(res["outcome"].tolist()) == ["eligible", "ineligible"]
    assert decide("carbon.donor_sign", {"donation_yuan": 5000, "donor_type": " enterprise", "as_of": "2011-01-01"}).outcome == "eligible"


# ---- a table longer than one pass (rules.batch.CHUNK_ROWS) gives the rows of one pass


def _as_lists(res):
    """Columns as lists, an empty (NaN) cell as None: NaN equals nothing, not even itself."""
    def cell(x):
        return None if isinstance(x, float) and x != x else x

    return {k: [cell(x) for x in (v.to_array() if hasattr(v, "to_array") else np.asarray(v)).tolist()]
            for k, v in res.items()}


@pytest.mark.parametrize("rule_id", ALL)
def test_a_table_in_several_passes_equals_one_pass(rule_id, monkeypatch):
    """Tables over CHUNK_ROWS rows (10⁶) are evaluated a slice at a time; here the slice is
    two rows, so that a 3–7-row table crosses it."""
    from kmgov.rules import batch

    rule = RULES[rule_id]

    @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.lists(row_strategy(rule), min_size=3, max_size=7))
    def check(rows):
        monkeypatch.setattr(batch, "CHUNK_ROWS", 1 << 20)
        whole = _as_lists(run_batch(rule_id, _columns(rule, rows)))
        monkeypatch.setattr(batch, "CHUNK_ROWS", 2)
        assert _as_lists(run_batch(rule_id, _columns(rule, rows))) == whole

    check()


def test_headquarters_table_with_every_year_given_in_several_passes(monkeypatch):
    """The case that failed: every row gives all four years of local tax for the same year of
    application, so the HQ rule's `prepare_vector` reduces `has_k` to a plain True (met by
    every row) — which the slicing into passes tried to index (TypeError on tables over 10⁶
    rows). Worked by hand, applying in March 2011: 第八条 成长型, the finance kind — a financial
    institution with 上一年度营业收入5000万元以上 (5,000万 exactly: 以上 includes it), capital
    of 100万 (below every 综合型/职能型 threshold, so no other type applies); the last three
    years' local tax each 150万元以上 and each year's growth 超过20% (2008: 150万 on 100万 =
    50 %; 2009: 190万 on 150万 = 26.7 %; 2010: 240万 on 190万 = 26.3 %): growth.finance. The
    second row repeats the first; the third has 140万 in 2008, below 150万: nothing."""
    from kmgov.rules import batch

    base = {"registered_in_kunming": True, "pays_tax_in_kunming": True, "fits_industrial_policy": True,
            "clean_record": True, "revenue_share_from_subsidiaries": 0.5, "subsidiaries": 3,
            "capital_or_net_assets_yuan": 1e6, "revenue_last_year_yuan": 5e7,
            "financial_institution": True,
            "years_operating_in_kunming": 5.0, "as_of": dt.date(2011, 3, 15)}
    taxes = [{2007: 1_000_000, 2008: 1_500_000, 2009: 1_900_000, 2010: 2_400_000},
             {2007: 1_000_000, 2008: 1_500_000, 2009: 1_900_000, 2010: 2_400_000},
             {2007: 1_000_000, 2008: 1_400_000, 2009: 1_900_000, 2010: 2_400_000}]
    rows = [{**base, "local_tax_share_by_year_yuan": t} for t in taxes]
    cols = {k: np.array([r[k] for r in rows], dtype=object) for k in base}
    cols["as_of"] = np.array([np.datetime64(r["as_of"], "D") for r in rows])
    years = sorted(taxes[0])
    wide = {y: np.array([float(t[y]) for t in taxes]) for y in years}  # the wide form: a column a year
    monkeypatch.setattr(batch, "CHUNK_ROWS", 2)
    res = run_batch("headquarters.certification", {**cols, "local_tax_share_by_year_yuan": wide})
    singles = [decide("headquarters.certification", r).to_dict()["qualifies_for"] for r in rows]
    got = [[c for c in RULES["headquarters.certification"].list_outputs["qualifies_for"]
            if res[f"qualifies_for.{c}"][i]] for i in range(3)]
    assert got == singles
    assert got == [["growth.finance"], ["growth.finance"], []]
