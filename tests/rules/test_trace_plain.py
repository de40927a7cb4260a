"""The trace pages show values in words (issue 8, item 3): no `True`/`False`/`None`, no Python
dicts or lists, and the fields a step compared named by the rule's own description."""

import re

import pytest
from django.template.loader import render_to_string

from kmgov.rules import decide
from kmgov.rules.templatetags.rules_plain import plain, plain_values

# 63号 附件 第五条至第七条: a comprehensive HQ that meets every test.
HQ = {"registered_in_kunming": True, "pays_tax_in_kunming": True, "fits_industrial_policy": True,
      "clean_record": True, "revenue_share_from_subsidiaries": 0.4, "subsidiaries": 5,
      "capital_or_net_assets_yuan": 120_000_000, "revenue_last_year_yuan": 600_000_000,
      "local_tax_share_by_year_yuan": {"2025": 30_000_000}, "years_operating_in_kunming": 8,
      "as_of": "2026-03-10"}


def test_values_in_words():
    assert plain(True) == "是" and plain(False) == "否" and plain(None) == "—"
    assert plain(120000000.0) == "120,000,000" and plain(0.25) == "0.25"
    assert plain(["a", "b"]) == "a、b"
    assert plain("eligible") == "符合条件"
    # A code a rule accepts under a Chinese alias is shown by that alias (106号 三(二)).
    assert plain("hazardous_goods") == "危险物品"
    text = plain_values({"registered_in_kunming": True, "subsidiaries": 5},
                        "headquarters.certification")
    # The field's description without its provision in brackets (第五条(一)).
    assert text == "注册地在昆明市的企业法人：是；下属分支企业数：5", text


@pytest.mark.parametrize("rule_id, inputs", [("headquarters.certification", HQ)])
def test_trace_partial_has_no_python_values(rule_id, inputs):
    decision = decide(rule_id, inputs).to_dict()
    html = render_to_string("rules/_trace.html", {"decision": decision})
    text = re.sub(r"<[^>]+>", " ", re.sub(r'title="[^"]*"', "", html))
    assert not re.search(r"\bTrue\b|\bFalse\b|\bNone\b|\{'|\['", text), text[:2000]
    assert "registered_in_kunming" not in text and "capital_or_net_assets_yuan" not in text
    # 第六条(一): 综合型 needs registered capital or net assets of 1亿元 or more (以上 includes
    # it); amounts are shown in the gazette's units, the company's 1.2亿元 beside it.
    assert "须1亿元以上" in text and "实际为1.2亿元" in text and "100,000,000" not in text
