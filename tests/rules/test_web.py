"""The web form generated from each rule's input schema."""

import pytest

from kmgov.rules import RULES


@pytest.mark.django_db
def test_list_page(client):
    r = client.get("/rules/")
    assert r.status_code == 200
    html = r.content.decode()
    # each rule by its title under its document's name, linked; no rule code shown
    assert 'href="/rules/headquarters.certification/">总部企业认定</a>' in html
    assert "总部经济（昆政发〔2010〕63号）" in html and "<code>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_form(client, rule_id):
    r = client.get(f"/rules/{rule_id}/")
    assert r.status_code == 200
    html = r.content.decode()
    for name in RULES[rule_id].schema().get("properties", {}):
        # an amount by year is rows of year + amount + unit; every other input one control
        assert f'name="{name}"' in html or f'name="{name}__year_0"' in html
        # labelled by its description, never by its code
        assert f"<code>{name}</code>" not in html


@pytest.mark.django_db
def test_form_shows_decision_trace_and_links(client):
    r = client.post("/rules/agriculture.land_transfer_reward/", {"area_mu": "2000", "as_of": "2011-01-01"})
    html = r.content.decode()
    # 59号 四(五): 2000亩 × 150元/亩 = 300000元, shown as 30万元 (no Python float)
    assert r.status_code == 200 and "30万元" in html and "300000.0" not in html
    assert "/gazette/doc/" in html and "?node=" in html and "四(五)" in html


@pytest.mark.django_db
def test_form_headquarters_tax_rows_units_and_errors(client):
    # 63号 附件 第六条: capital 1亿元, revenue 5亿元, last year's local share 2500万元 → 综合型;
    # the amounts typed in 万元 (the unit choice) and tax by year as rows
    data = {"registered_in_kunming": "on", "pays_tax_in_kunming": "on", "fits_industrial_policy": "on", "clean_record": "on",
            "revenue_share_from_subsidiaries": "0.3", "subsidiaries": "3",
            "capital_or_net_assets_yuan": "10000", "capital_or_net_assets_yuan__unit": "wan",
            "revenue_last_year_yuan": "500000000", "revenue_last_year_yuan__unit": "yuan",
            "local_tax_share_by_year_yuan__year_0": "2010", "local_tax_share_by_year_yuan__amount_0": "2500",
            "local_tax_share_by_year_yuan__unit_0": "wan",
            "years_operating_in_kunming": "5", "as_of": "2011-03-15"}
    r = client.post("/rules/headquarters.certification/", data)
    html = r.content.decode()
    assert r.status_code == 200 and "综合型总部" in html and ">comprehensive<" not in html
    r = client.post("/rules/headquarters.certification/", {**data, "subsidiaries": "-1"})
    assert r.status_code == 400 and 'class="error"' in r.content.decode()
    # a year that is not a year: refused in Chinese beside the rows, the rows kept as typed
    r = client.post("/rules/headquarters.certification/", {**data, "local_tax_share_by_year_yuan__year_0": "20x0"})
    html = r.content.decode()
    assert r.status_code == 400 and "第1行：年份须为四位数字" in html
    assert 'value="20x0"' in html and 'value="2500"' in html


@pytest.mark.django_db
def test_unknown_rule_page_404(client):
    assert client.get("/rules/nope/").status_code == 404
