"""Plain outcomes (issue 13, item 2): one sentence of result, then for each unmet condition
what was found, what the gazette requires, the provision and what to do — derived from the
decision's trace by `kmgov.rules.plain`, in every channel (page, API `summary`)."""

import json

import pytest
from django.template.loader import render_to_string

from kmgov.rules import decide
from kmgov.rules.plain import explain, fmt_date, fmt_money, fmt_value

# 63号 附件: basic conditions met (第五条), capital 1.5亿元 and revenue 6亿元 (第六条(一)(二) met),
# but last year's local share 2000万元 < 2500万元 (第六条(三)) → not 综合型; 第七条(一) 一般职能型
# needs 4000万元 / 2亿元 / 1000万元: met.
HQ = {"registered_in_kunming": True, "pays_tax_in_kunming": True, "fits_industrial_policy": True,
      "clean_record": True, "revenue_share_from_subsidiaries": 0.5, "subsidiaries": 5,
      "capital_or_net_assets_yuan": 150_000_000, "revenue_last_year_yuan": 600_000_000,
      "local_tax_share_by_year_yuan": {"2025": 20_000_000}, "years_operating_in_kunming": 5,
      "as_of": "2026-03-10"}


def test_values_for_people():
    assert fmt_money(25_000_000) == "2500万元" and fmt_money(500_000_000) == "5亿元"
    assert fmt_money(375_000) == "37.5万元" and fmt_money(3500.5) == "3,500.50元"
    assert fmt_date("2010-09-16") == "2010年9月16日"
    assert fmt_value(0.3, "/1") == "30%" and fmt_value(2500, "mu") == "2,500亩"
    assert fmt_value(True) == "是" and fmt_value([1, 2]) == "1、2"


def test_the_type_applied_for_not_met_says_why_and_what_instead():
    d = decide("headquarters.certification", HQ).to_dict()
    p = explain(d, focus="comprehensive")
    assert p["sentence"] == "申报的综合型总部：不符合认定条件，1项条件未满足；可改报一般职能型总部。"
    [f] = p["findings"]
    assert f["found"] == "实际为2000万元，低于要求的2500万元"
    assert f["required"] == "综合型：上一年度地方分成部分2500万元以上"
    assert f["citation"]["text"] == "昆政发〔2010〕63号 附件 第六条(三)"
    assert f["todo"] == "可改报一般职能型总部"
    # the type that is met: one sentence, nothing unmet
    assert explain(d, focus="functional.general")["sentence"] == "申报的一般职能型总部：符合认定条件。"
    # no type chosen (the rule's own page): what it may apply for
    assert "可申请认定的类型：一般职能型总部" in explain(d)["sentence"]


def test_a_basic_condition_unmet_keeps_its_own_advice():
    # 第五条(四): 下属分支企业不少于3个; 2 given.
    d = decide("headquarters.certification", {**HQ, "subsidiaries": 2}).to_dict()
    p = explain(d, focus="functional.general")
    texts = [f["text"] for f in p["findings"]]
    assert any(t.startswith("下属分支企业不少于3个：实际为2个，低于要求的3个（昆政发〔2010〕63号 附件 第五条(四)）")
               for t in texts), texts
    assert "目前不符合任何类型的认定条件" in p["sentence"]


def test_an_amount_is_the_sentence():
    # 59号 四(五): 流转2000亩以上，每亩150元 → 2500亩 × 150 = 375000元 = 37.5万元
    p = explain(decide("agriculture.land_transfer_reward", {"area_mu": 2500,
                                                           "as_of": "2011-01-01"}).to_dict())
    assert "37.5万元" in p["sentence"] and not p["findings"]


def test_the_partial_folds_the_trace_below_the_sentence():
    d = decide("headquarters.certification", HQ).to_dict()
    html = render_to_string("rules/_plain.html", {"p": explain(d, focus="comprehensive")})
    assert "可改报一般职能型总部" in html and 'href="/gazette/doc/' in html


@pytest.mark.django_db
def test_the_api_adds_a_summary(client):
    r = client.post("/api/v1/rules/headquarters.certification/decide", data=json.dumps(HQ),
                    content_type="application/json")
    body = r.json()
    assert r.status_code == 200 and body["outcome"] == "eligible"  # existing fields kept
    assert body["summary"].startswith("符合总部企业认定条件，可申请认定的类型：一般职能型总部")
