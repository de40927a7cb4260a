"""Fuzz the rules API with schemathesis: nothing it sends yields a server error (5xx).

Two schemas: the API's own OpenAPI document (rule ids and bodies of any shape), and one built
from every rule's input schema, so that the bodies are (mostly) well-formed inputs of real
rules — the cases most likely to reach the formulas.
"""

import copy
import json

import pytest
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from kmgov.rules import RULES  # noqa: E402
from kmgov.wsgi import application  # noqa: E402

api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(path_regex="^/api/v1/rules")


def _rules_spec() -> dict:
    paths, components = {}, {}
    for rule in RULES.values():
        s = copy.deepcopy(rule.schema())
        defs = s.pop("$defs", {})
        text = json.dumps(s)
        for name, d in defs.items():
            key = f"{rule.id.replace('.', '_')}__{name}"
            components[key] = json.loads(json.dumps(d).replace("#/$defs/", f"#/components/schemas/{rule.id.replace('.', '_')}__"))
            text = text.replace(f'"#/$defs/{name}"', f'"#/components/schemas/{key}"')
        paths[f"/api/v1/rules/{rule.id}/decide"] = {"post": {
            "operationId": rule.id.replace(".", "_"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": json.loads(text)}}},
            "responses": {"200": {"description": "decision"}, "404": {"description": "unknown"}, "422": {"description": "bad input"}},
        }}
    return {"openapi": "3.0.3", "info": {"title": "rules", "version": "1"}, "paths": paths,
            "components": {"schemas": components}}


rules_schema = schemathesis.openapi.from_dict(_rules_spec())
rules_schema.app = application
# the coverage phase (boundary values of every field of 40 rules) is the slow part: it runs when
# KMGOV_FUZZ_COVERAGE=1; the API schema above always gets all phases
if __import__("os").environ.get("KMGOV_FUZZ_COVERAGE") != "1":
    rules_schema.config.phases.update(phases=["examples", "fuzzing"])
FUZZ = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
# 38 rules × examples: keep the suite quick; raise KMGOV_FUZZ_EXAMPLES for a longer run
FUZZ_RULES = settings(max_examples=int(__import__("os").environ.get("KMGOV_FUZZ_EXAMPLES", "5")), deadline=None,
                      suppress_health_check=list(HealthCheck))


@pytest.mark.django_db
@api_schema.parametrize()
@FUZZ
def test_rules_api_has_no_server_error(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:500])


@pytest.mark.django_db
@rules_schema.parametrize()
@FUZZ_RULES
def test_every_rule_survives_generated_inputs(case):
    response = case.call()
    assert response.status_code < 500, (case.formatted_path, case.body, response.text[:500])
    # schemathesis also probes other methods (405) and malformed bodies (400)
    assert response.status_code in (200, 400, 405, 422), (case.method, case.formatted_path, case.body, response.text[:500])
