"""Every vectorised rule, inputs generated from its own schema: batch == one case, row by row."""

import datetime as dt
import enum
import types
import typing

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kmgov.rules import RULES, RuleInputError, decide, run_batch

VECTORISED = sorted(r.id for r in RULES.values() if r.vectorised)


def _bounds(info):
    lo = hi = None
    for m in info.metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
    return lo, hi


def _strategy(annotation, info):
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return st.one_of(st.none(), _strategy(args[0], info))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.sampled_from([m.value for m in annotation])
    if annotation is bool:
        return st.booleans()
    lo, hi = _bounds(info)
    if annotation is int:
        return st.integers(0 if lo is None else int(lo), 400 if hi is None else int(hi))
    if annotation is float:
        top = 1.0 if hi is not None and hi <= 1 else 3e9
        specials = [x for x in (0.0, 0.2, 0.29, 0.3, 0.4, 0.5, 1.0, 5.0, 1000.0, 2000.0, 3000.0, 5000.0, 10000.0, 1e7, 5e7, 1e8)
                    if x <= top]
        return st.one_of(st.sampled_from(specials), st.floats(0 if lo is None else lo, top, allow_nan=False))
    if annotation is str:
        return st.sampled_from(["", "五华区", "盘龙区", "晋宁县", "滇源镇", "宜良县", "寻甸县"])
    if annotation is dt.date:
        return st.dates(dt.date(2010, 7, 1), dt.date(2013, 12, 31))
    if origin is dict:
        return st.dictionaries(st.integers(2005, 2013), st.sampled_from([0.0, 1.4e6, 1.5e6, 1.9e6, 2.5e6, 1e7, 3e7]), max_size=5)
    raise NotImplementedError(annotation)


def _rows_strategy(rule):
    fields = {name: _strategy(info.annotation, info) for name, info in rule.inputs.model_fields.items()}
    return st.lists(st.fixed_dictionaries(fields), min_size=1, max_size=6)


def _same(a, b):
    if isinstance(b, np.generic):
        b = b.item()
    if a is None or (isinstance(a, float) and a != a):
        return b is None or (isinstance(b, float) and b != b)
    if isinstance(a, float) or isinstance(b, float):
        return b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a))
    return a == b


@pytest.mark.parametrize("rule_id", VECTORISED)
def test_batch_equals_one_case(rule_id):
    rule = RULES[rule_id]

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_rows_strategy(rule))
    def check(rows):
        valid, singles = [], []
        for row in rows:
            try:
                singles.append(decide(rule_id, row).to_dict())
            except RuleInputError:
                continue
            valid.append(row)
        if not valid:
            return
        cols = {k: [r[k] for r in valid] for k in valid[0]}
        res = run_batch(rule_id, cols)
        for i, one in enumerate(singles):
            keys = (["outcome"] if rule.outcomes else []) + list(rule.outputs)
            for k in keys:
                if k not in res and not any(c.startswith(k + ".") for c in res):
                    continue  # an output only the one-case decision gives (e.g. the grounds of a warning)
                v = one.get(k)
                if k in rule.list_outputs:
                    assert v == [c for c in rule.list_outputs[k] if res[f"{k}.{c}"][i]], (valid[i], k)
                elif isinstance(v, dict):
                    for sub, x in v.items():
                        assert _same(x, res[f"{k}.{sub}"][i]), (valid[i], k, sub)
                else:
                    assert _same(v, res[k][i]), (valid[i], k, v, res[k][i])

    check()
