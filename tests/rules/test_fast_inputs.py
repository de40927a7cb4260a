"""The compiled validator of one case's inputs (kmgov.rules.fastinput) gives exactly what the
rule's pydantic schema gives — the same values of the same types — or steps aside (None) so
that pydantic validates and words the refusal; it never accepts a value pydantic refuses."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from rule_strategies import MISSING, row_strategy, violations

from kmgov.rules import RULES, decide
from kmgov.rules.fastinput import fast_validator
from kmgov.rules.inputs import field_specs

FAST = sorted(r for r in RULES if fast_validator(RULES[r].inputs) is not None)


def _typed(d):
    if isinstance(d, dict):
        return {k: _typed(v) for k, v in d.items()}
    return (type(d).__name__, d)


def test_the_usual_rules_have_one():
    assert {"headquarters.certification", "agriculture.land_transfer_reward", "agriculture.cost_share"} <= set(FAST)
    # a schema with a validator of its own keeps pydantic (60号 三(一)5: one quantity at a time)
    assert fast_validator(RULES["carbon.offset"].inputs) is None


@pytest.mark.parametrize("rule_id", FAST)
def test_same_values_and_types_as_pydantic(rule_id):
    rule = RULES[rule_id]
    fast = fast_validator(rule.inputs)
    used = []

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(row_strategy(rule))
    def check(row):
        expected = rule.inputs.model_validate(row).model_dump()
        got = fast(row)
        if got is not None:
            used.append(1)
            assert _typed(got) == _typed(expected)
            assert list(got) == list(expected)

    check()
    assert used, "the fast validator never took a generated case"


@pytest.mark.parametrize("rule_id", FAST)
def test_steps_aside_on_what_pydantic_refuses(rule_id):
    rule = RULES[rule_id]
    fast = fast_validator(rule.inputs)
    specs = field_specs(rule.inputs)
    base = {n: s.default for n, s in specs.items() if not s.required}
    for name, spec in specs.items():
        for kind, bad in violations(spec):
            row = {k: v for k, v in base.items() if k != name}
            if bad is not MISSING:
                row[name] = bad
            assert fast(row) is None, (name, kind, bad)
    assert fast({**base, "no_such_input": 1}) is None


def test_decisions_unchanged_through_either_path():
    # 63号 附件 第六条: 1亿 / 5亿 / 2500万 → comprehensive (and 第七条(一) functional.general)
    case = {"registered_in_kunming": True, "pays_tax_in_kunming": True, "fits_industrial_policy": True,
            "clean_record": True, "revenue_share_from_subsidiaries": 0.3, "subsidiaries": 3,
            "capital_or_net_assets_yuan": 1e8, "revenue_last_year_yuan": 5e8,
            "local_tax_share_by_year_yuan": {"2010": 2.5e7, "2009": 2e7}, "years_operating_in_kunming": 5,
            "as_of": "2011-03-15"}
    fast = decide("headquarters.certification", case).to_dict()
    assert fast_validator(RULES["headquarters.certification"].inputs)(case) is not None
    # the same case in a form only pydantic takes (a whole number as text): the same decision
    slow = decide("headquarters.certification", {**case, "subsidiaries": "3"}).to_dict()
    assert fast == slow and fast["qualifies_for"] == ["comprehensive", "functional.general"]
    # 59号 四(五): 2000亩 is the shared boundary, taken by the higher tier (150元/亩): 300,000 元
    assert decide("agriculture.land_transfer_reward", {"area_mu": 2000, "as_of": dt.date(2011, 1, 1)}).outputs["amount_yuan"] == 300_000
