"""Typed step inputs (issue 8, item 1): every step of every registered procedure declares
what it takes; the kernel publishes it (describe, OpenAPI), refuses anything else with 422
and a Chinese message per field, and never lets a caller set the names it sets itself."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from kmgov.core.models import AuditEntry
from kmgov.procedures.declare import registered, steps_of
from kmgov.procedures.inputs import RESERVED, StepInput, check_input_model

# The five procedures of wave 1 (and their report), plus the kernel's test-only sample.
EXPECTED = {"hq", "building", "forest", "ag-claim", "mediation-claim", "mediation-report",
            "sample"}


def test_describe_lists_every_procedure_with_states_steps_and_schemas():
    out = io.StringIO()
    call_command("procedures", "describe", "--json", stdout=out)
    procs = {p["code"]: p for p in json.loads(out.getvalue())}
    assert EXPECTED <= set(procs)
    for code, p in procs.items():
        assert p["name"] and p["states"], code
        # Every state carries a Chinese label, not its code.
        assert all(s["label"] != s["name"] and any("\u4e00" <= ch <= "\u9fff" for ch in s["label"])
                   for s in p["states"]), (code, p["states"])
        assert p["steps"], code
        for st in p["steps"]:
            assert st["input"]["type"] == "object" and st["input"]["additionalProperties"] is False
            assert st["from"] and st["to"] and st["who"], (code, st["name"])
            assert not RESERVED & set(st["input"].get("properties", {})), (code, st["name"])
    # States and steps carry English too (docs/ui-strings-en.tsv → the catalogue); the
    # test-only sample app is not translated.
    def english(text):
        return text and not any("\u4e00" <= ch <= "\u9fff" for ch in text)

    for code, p in procs.items():
        if code.startswith("sample"):
            continue
        assert english(p["name_en"]), (code, p["name_en"])
        assert all(english(s["label_en"]) for s in p["states"]), (code, p["states"])
        assert all(english(st["label_en"]) for st in p["steps"]), (code, p["steps"])
    assert {"hotline", "hq-statistics"} <= set(procs)
    # 63号 附件 第十九条's yearly statistics report is a scheduled filing (the obligation).
    (ob,) = procs["hq-statistics"]["obligations"]
    assert ob["code"] == "hq-statistics" and ob["period"] == "year"
    assert ob["receiver"]["code"] == "city_department" and ob["filed_by_step"] == "submit"
    assert ob["window"]["parameter"] == "headquarters.statistics_window"
    # The joint meeting takes its date and attendees (62号 附件1 第十条; 63号 附件 第十二条).
    meeting = next(s for s in procs["building"]["steps"] if s["name"] == "meeting_pass")
    props = meeting["input"]["properties"]
    assert props["meeting_date"]["format"] == "date"
    assert {"meeting_date", "meeting_members", "proposed_reward_yuan"} <= set(
        meeting["input"]["required"])
    # Who may take a step and what deadline it starts are part of the description.
    submit = next(s for s in procs["sample"]["steps"] if s["name"] == "submit")
    assert submit["deadlines"][0]["days"] == 15 and submit["deadlines"][0]["count"] == "working"
    assert submit["applicant"] is True


def test_describe_one_procedure_and_unknown_code(capsys):
    out = io.StringIO()
    call_command("procedures", "describe", "sample", stdout=out)
    assert "审核通过" in out.getvalue() and "核定金额（万元）" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有编号为“nope”的办事程序"):
        call_command("procedures", "describe", "nope", stdout=io.StringIO())


def test_openapi_has_one_operation_per_step_with_its_schema(client):
    doc = client.get("/api/v1/openapi.json").json()
    for code, model in registered().items():
        for name, spec in steps_of(model).items():
            path = f"/api/v1/cases/{code}/{{reference}}/steps/{name}"
            assert path in doc["paths"], path
            op = doc["paths"][path]["post"]
            body = op["requestBody"]["content"]["application/json"]["schema"]
            assert body["additionalProperties"] is False
            assert set(body["properties"]) == {"reason", "expected_state", "data"}
            data = body["properties"]["data"]
            assert data["additionalProperties"] is False
            expected = set(spec.input.model_fields) if spec.input else set()
            assert set(data.get("properties", {})) == expected, path
            assert "$ref" not in json.dumps(data), path  # self-contained bodies
            assert spec.label in op["summary"]


def test_an_input_may_not_declare_a_kernel_name():
    class Sneaky(StepInput):
        now: str = ""

    with pytest.raises(TypeError, match="may not declare"):
        check_input_model(Sneaky, step="x")

    from pydantic import BaseModel

    class Lax(BaseModel):
        amount: int = 0

    with pytest.raises(TypeError, match="must forbid extra fields"):
        check_input_model(Lax, step="x")


BAD_BODIES = [
    ({"data": {"now": "2001-01-01T00:00:00"}}, "now"),
    ({"data": {"actor": 1}}, "actor"),
    ({"data": {"reason": "x"}}, "reason"),
    ({"data": {"no_such_field": 1}}, "no_such_field"),
    ({"now": "2001-01-01T00:00:00"}, "now"),
    ({"data": "not an object"}, "data"),
]


@pytest.mark.django_db
def test_every_step_of_every_procedure_refuses_kernel_names_and_unknown_fields(
        settings, tmp_path, monkeypatch):
    """Through the API, for a real case of every wave-1 procedure (made by `kmgov demo`) and
    the sample: each step refuses these bodies with 422 naming the field; nothing changes."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("demo", "--no-migrate", stdout=io.StringIO())
    from kmgov.core.services import user_create

    admin = user_create(username="root-test", is_superuser=True,
                        roles=[("administrator", "kunming")])
    # The 96128 desk's ticket (an anonymous citizen on the web) and the yearly statistics
    # report the demo's certified headquarters owes (63号 附件 第十九条).
    from kmgov.core.models import OrgUnit
    from kmgov.hotline.services import ticket_create
    from kmgov.procedures.filing_services import filing_start, slots_open

    ticket_create(channel="web", request_type="complaint", text="小区旁工地夜间施工噪音扰民，请处理。")
    owed = slots_open("hq-statistics", "2026")
    assert owed["opened"] >= 1, owed
    hq = registered()["hq"].objects.filter(state="filed").select_related("org").first()
    filing_start("hq-statistics", "2026", org=OrgUnit.objects.get(pk=hq.org_id), actor=admin)
    client = Client()
    client.force_login(admin)
    seen = set()
    for code, model in registered().items():
        case = model.objects.order_by("pk").first()
        if case is None:
            continue
        seen.add(code)
        before = (case.state, case.version, case.state_changed_at,
                  AuditEntry.objects.count())
        for name in steps_of(model):
            for body, field in BAD_BODIES:
                r = client.post(f"/api/v1/cases/{code}/{case.reference}/steps/{name}",
                                json.dumps(body), content_type="application/json")
                assert r.status_code == 422, (code, name, body, r.content[:300])
                out = r.json()
                assert out["code"] == "invalid_input" and out["field"] == field, (code, name, out)
                assert any("\u4e00" <= ch <= "\u9fff" for ch in out["detail"]), out
        case.refresh_from_db()
        assert (case.state, case.version, case.state_changed_at,
                AuditEntry.objects.count()) == before, code
    assert {"hq", "building", "forest", "ag-claim", "mediation-claim", "hotline",
            "hq-statistics"} <= seen, seen


@pytest.mark.django_db
def test_cli_step_validates_like_the_api(people, new_case):
    from django.core.management.base import CommandError

    case = new_case()
    with pytest.raises(CommandError, match="“now”由系统记录，不能填写"):
        call_command("procedures", "step", "sample", case.reference, "withdraw",
                     "--as", people.applicant.username, "--data", '{"now": "2001-01-01"}',
                     stdout=io.StringIO())
    case.refresh_from_db()
    assert case.state == "draft" and case.version == 0
    out = io.StringIO()
    call_command("procedures", "step", "sample", case.reference, "withdraw",
                 "--as", people.applicant.username, "--reason", "不再申请", "--json", stdout=out)
    assert json.loads(out.getvalue())["state"] == "withdrawn"

