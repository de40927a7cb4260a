"""CLI and API: the same decisions, errors that name the field (CLI exit status 2, API 4xx)."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kmgov.rules import PARAMETERS, decide


def run(*args, stdin=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    call_command("rules", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_list_and_show():
    out, _ = run("list", "--json")
    ids = {r["id"] for r in json.loads(out)}
    assert {"headquarters.certification", "buildings.qualification", "agriculture.conversion_subsidy",
            "agriculture.offsite_rent_subsidy", "agriculture.training_subsidy", "agriculture.land_transfer_reward",
            "agriculture.cost_share", "carbon.offset", "forestry.transformation_subsidy",
            "forestry.low_yield_classification", "mediation.reward", "safety.staffing_requirement"} <= ids
    out, _ = run("show", "agriculture.land_transfer_reward", "--json")
    data = json.loads(out)
    assert "area_mu" in data["inputs_schema"]["properties"]
    assert any(p["name"] == "agriculture.land_transfer_reward" and p["citation"]["path"] == "四(五)" for p in data["parameters"])
    out, _ = run("show", "agriculture.land_transfer_reward")
    assert "昆政发〔2010〕59号 四(五)" in out


def test_cli_decide_json(tmp_path):
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"area_mu": 2000, "as_of": "2011-01-01"}), encoding="utf-8")
    out, _ = run("decide", "agriculture.land_transfer_reward", "--input", str(f), "--json")
    d = json.loads(out)
    assert d["rule"] == "agriculture.land_transfer_reward" and d["outcome"] == "eligible"
    assert d["amount_yuan"] == 300_000 and d["trace"]
    out, _ = run("decide", "agriculture.land_transfer_reward", "--input", str(f), "--json",
                 "--set", "agriculture.land_transfer_reward[1].amount=160")
    assert json.loads(out)["amount_yuan"] == 320_000
    out, _ = run("decide", "agriculture.land_transfer_reward", "--input", str(f))
    assert json.loads(out)["amount_yuan"] == 300_000  # JSON without --json too
    out, _ = run("decide", "agriculture.land_transfer_reward", "--input", str(f), "--text")
    assert "300000" in out and "四(五)" in out


@pytest.mark.parametrize("args,payload,needle", [
    (("decide", "no.such_rule"), {}, "unknown rule"),
    (("decide", "agriculture.land_transfer_reward"), {}, "area_mu"),
    (("decide", "agriculture.land_transfer_reward"), {"area_mu": -3}, "area_mu"),
    (("decide", "agriculture.land_transfer_reward"), {"area_mu": "x"}, "area_mu"),
    (("decide", "agriculture.training_subsidy"), {"people": -1}, "people"),
    (("decide", "agriculture.training_subsidy"), {"people": 1.5}, "people"),
    (("decide", "agriculture.training_subsidy"), {"people": 1, "bogus": 1}, "bogus"),
])
def test_cli_errors_exit_2(tmp_path, args, payload, needle):
    f = tmp_path / "in.json"
    f.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(CommandError) as e:
        run(*args, "--input", str(f), "--json")
    assert e.value.returncode == 2 and needle in str(e.value)


def test_cli_bad_json_and_bad_set(tmp_path):
    f = tmp_path / "in.json"
    f.write_text("{nope", encoding="utf-8")
    with pytest.raises(CommandError) as e:
        run("decide", "agriculture.training_subsidy", "--input", str(f))
    assert e.value.returncode == 2
    f.write_text('{"people": 1}', encoding="utf-8")
    with pytest.raises(CommandError) as e:
        run("decide", "agriculture.training_subsidy", "--input", str(f), "--set", "no.such.param=1")
    assert e.value.returncode == 2 and "no.such.param" in str(e.value)


def test_cli_batch_roundtrip(tmp_path):
    src = tmp_path / "cases.csv"
    src.write_text("id,area_mu\nA,500\nB,1000\nC,2000\nD,3000\n", encoding="utf-8")
    dst = tmp_path / "out.csv"
    out, _ = run("batch", "agriculture.land_transfer_reward", "--input", str(src), "--output", str(dst), "--json", "--at", "2011-01-01")
    summary = json.loads(out)
    assert summary["rows"] == 4 and summary["outcomes"] == {"eligible": 3, "ineligible": 1}
    rows = list(csv.DictReader(dst.open(encoding="utf-8")))
    assert [float(r["amount_yuan"]) for r in rows] == [0, 100_000, 300_000, 600_000]
    assert [r["id"] for r in rows] == ["A", "B", "C", "D"]  # row identifiers pass through
    run("batch", "agriculture.land_transfer_reward", "--input", str(src), "--output", str(dst), "--json", "--at", "2011-01-01",
        "--set", "agriculture.land_transfer_reward[2].amount=250")
    rows = list(csv.DictReader(dst.open(encoding="utf-8")))
    assert float(rows[3]["amount_yuan"]) == 750_000


def test_cli_batch_headquarters_csv(tmp_path):
    src = tmp_path / "hq.csv"
    src.write_text(
        "registered_in_kunming,pays_tax_in_kunming,fits_industrial_policy,clean_record,revenue_share_from_subsidiaries,subsidiaries,"
        "capital_or_net_assets_yuan,revenue_last_year_yuan,local_tax_share_by_year_yuan.2010,local_tax_share_by_year_yuan.2009,"
        "years_operating_in_kunming,as_of\n"
        "true,true,true,true,0.3,3,100000000,500000000,25000000,,5,2011-03-15\n"
        "true,true,true,true,0.3,2,100000000,500000000,25000000,,5,2011-03-15\n", encoding="utf-8")
    dst = tmp_path / "out.csv"
    run("batch", "headquarters.certification", "--input", str(src), "--output", str(dst), "--json")
    rows = list(csv.DictReader(dst.open(encoding="utf-8")))
    assert rows[0]["qualifies_for"] == "comprehensive;functional.general" and rows[1]["outcome"] == "ineligible"


def test_cli_batch_errors(tmp_path):
    src = tmp_path / "cases.csv"
    src.write_text("area_mu\n500\n-1\n", encoding="utf-8")
    with pytest.raises(CommandError) as e:
        run("batch", "agriculture.land_transfer_reward", "--input", str(src), "--output", str(tmp_path / "o.csv"), "--json")
    assert e.value.returncode == 2 and "area_mu" in str(e.value) and "第2行" in str(e.value)  # row-level messages are Chinese, as for one case
    src.write_text("acres\n5\n", encoding="utf-8")
    with pytest.raises(CommandError) as e:
        run("batch", "agriculture.land_transfer_reward", "--input", str(src), "--output", str(tmp_path / "o.csv"), "--json")
    assert "acres" in str(e.value)


def test_console_script_exit_status(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    import kmgov

    env = dict(os.environ, PYTHONPATH=str(Path(kmgov.__file__).resolve().parents[1]))
    p = subprocess.run([sys.executable, "-m", "kmgov", "rules", "decide", "agriculture.training_subsidy", "--input", "-", "--json"],
                       input='{"people": -5}', capture_output=True, text=True, timeout=60, env=env)
    assert p.returncode == 2 and "people" in p.stderr


# ---- API


def post(client, rule_id, payload):
    return client.post(f"/api/v1/rules/{rule_id}/decide", data=json.dumps(payload), content_type="application/json")


def test_api_list_show_decide(client):
    r = client.get("/api/v1/rules")
    assert r.status_code == 200 and any(x["id"] == "headquarters.certification" for x in r.json())
    r = client.get("/api/v1/rules/headquarters.certification")
    body = r.json()
    assert r.status_code == 200 and "local_tax_share_by_year_yuan" in body["inputs_schema"]["properties"]
    assert all(p["citation"]["docno"] == "昆政发〔2010〕63号" for p in body["parameters"])
    r = post(client, "agriculture.cost_share", {"district": "晋宁县", "amount_yuan": 1000, "as_of": "2011-01-01"})
    assert r.status_code == 200 and (r.json()["city_yuan"], r.json()["county_yuan"]) == (700, 300)
    r = post(client, "agriculture.land_transfer_reward",
             {"inputs": {"area_mu": 2500, "as_of": "2011-01-01"}, "set": {"agriculture.land_transfer_reward[1].amount": 160}})
    assert r.json()["amount_yuan"] == 400_000


@pytest.mark.parametrize("rule_id,payload,status,field", [
    ("nope", {}, 404, "rule"),
    ("agriculture.land_transfer_reward", {}, 422, "area_mu"),
    ("agriculture.land_transfer_reward", {"area_mu": -1}, 422, "area_mu"),
    ("agriculture.land_transfer_reward", {"area_mu": [1]}, 422, "area_mu"),
    ("forestry.transformation_subsidy", {"area_mu": 1, "pilot": "maybe"}, 422, "pilot"),
    ("mediation.reward", {"ordinary": -2}, 422, "ordinary"),
    ("headquarters.certification", {"registered_in_kunming": True}, 422, "pays_tax_in_kunming"),
    ("safety.admonition_answer_deadline", {"issued_on": "9999-12-31"}, 422, "__root__"),
    ("agriculture.training_subsidy", {"inputs": {"people": 1}, "set": {"zzz": 1}}, 422, "set.zzz"),
])
def test_api_errors_name_the_field(client, rule_id, payload, status, field):
    r = post(client, rule_id, payload)
    assert r.status_code == status
    assert field in {e["field"] for e in r.json()["errors"]}


def test_api_malformed_body(client):
    r = client.post("/api/v1/rules/agriculture.training_subsidy/decide", data="{x", content_type="application/json")
    assert 400 <= r.status_code < 500
    r = client.post("/api/v1/rules/agriculture.training_subsidy/decide", data="[1, 2]", content_type="application/json")
    assert 400 <= r.status_code < 500


# ---- interpretations changed by an administrator, recorded in the audit log


@pytest.mark.django_db
def test_interpretation_override_is_dated_and_audited(django_user_model):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from kmgov.core.models import AuditEntry
    from kmgov.rules.services import parameter_override_create

    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw-123456")
    with pytest.raises(ValidationError):  # the gazette's own numbers are not editable
        parameter_override_create(parameter="agriculture.conversion_subsidy_rate", value=1200,
                                  effective_from=dt.date(2012, 1, 1), actor=admin)
    o = parameter_override_create(parameter="agriculture.land_transfer_shared_boundary", value="lower",
                                  effective_from=dt.date(2012, 1, 1), note="领导小组解释", actor=admin)
    from kmgov.rules import invalidate_overrides

    invalidate_overrides()
    before = decide("agriculture.land_transfer_reward", {"area_mu": 2000, "as_of": "2011-06-01"}).to_dict()
    after = decide("agriculture.land_transfer_reward", {"area_mu": 2000, "as_of": "2012-06-01"}).to_dict()
    assert before["amount_yuan"] == 300_000 and after["amount_yuan"] == 200_000
    (interp,) = [i for i in after["interpretations"] if i["name"] == "agriculture.land_transfer_shared_boundary"]
    assert interp["source"] == f"override:{o.pk}" and interp["effective"] == "2012-01-01"
    assert AuditEntry.objects.filter(action="rules.parameter_override.create", object_id=str(o.pk)).exists()
    invalidate_overrides()


def test_every_rule_has_a_schema_and_citations():
    from kmgov.rules import RULES

    assert len(RULES) >= 35
    for r in RULES.values():
        assert r.citations, r.id
        assert r.schema()["type"] == "object"
        assert r.doc, r.id
    assert len(PARAMETERS.names()) > 150


def test_show_lists_the_parameters_the_rule_reads():
    from kmgov.rules import RULES

    names = RULES["headquarters.certification"].parameter_names()
    assert "headquarters.growth_needs_year_before" in names and "headquarters.growth_finance_min_revenue" in names
    assert "headquarters.application_window" not in names
    assert RULES["agriculture.land_transfer_reward"].parameter_names() == [
        "agriculture.land_transfer_below_minimum_rate", "agriculture.land_transfer_reward", "agriculture.land_transfer_shared_boundary"]
