"""The web form generated from each rule's input schema."""

import pytest

from kmgov.rules import RULES


@pytest.mark.django_db
def test_list_page(client):
    r = client.get("/rules/")
    assert r.status_code == 200
    assert "headquarters.certification" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_form(client, rule_id):
    r = client.get(f"/rules/{rule_id}/")
    assert r.status_code == 200
    html = r.content.decode()
    for name in RULES[rule_id].schema().get("properties", {}):
        assert f'name="{name}"' in html


@pytest.mark.django_db
def test_form_shows_decision_trace_and_links(client):
    r = client.post("/rules/agriculture.land_transfer_reward/", {"area_mu": "2000", "as_of": "2011-01-01"})
    html = r.content.decode()
    assert r.status_code == 200 and "300000.0" in html
    assert "/gazette/doc/" in html and "?node=" in html and "四(五)" in html


@pytest.mark.django_db
def test_form_headquarters_json_field_and_errors(client):
    data = {"registered_in_kunming": "on", "pays_tax_in_kunming": "on", "fits_industrial_policy": "on", "clean_record": "on",
            "revenue_share_from_subsidiaries": "0.3", "subsidiaries": "3", "capital_or_net_assets_yuan": "100000000",
            "revenue_last_year_yuan": "500000000", "local_tax_share_by_year_yuan": '{"2010": 25000000}',
            "years_operating_in_kunming": "5", "as_of": "2011-03-15"}
    r = client.post("/rules/headquarters.certification/", data)
    assert r.status_code == 200 and "comprehensive" in r.content.decode()
    r = client.post("/rules/headquarters.certification/", {**data, "subsidiaries": "-1"})
    assert r.status_code == 422 and 'class="error"' in r.content.decode()
    r = client.post("/rules/headquarters.certification/", {**data, "local_tax_share_by_year_yuan": "{oops"})
    assert r.status_code == 422


@pytest.mark.django_db
def test_unknown_rule_page_404(client):
    assert client.get("/rules/nope/").status_code == 404
