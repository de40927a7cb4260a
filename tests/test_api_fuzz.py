"""Fuzz every endpoint of /api/v1/ but the rules' (tests/rules/test_schemathesis.py) with
schemathesis, anonymously, as a logged-in official with a bearer token, and (issue 15) with a
token of every role (one account per role, at a unit where that role sits, plus a superuser),
over a library holding the seed gazette and an organisation tree: nothing it sends yields a
server error. Bounded for CI: 8 examples per operation for the first test, 1 for the role
sweep (each example sent with all 13 identities, made once for the module)."""

import pytest
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, Phase, settings  # noqa: E402

from kmgov.wsgi import application  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).exclude(
    path_regex="^/api/v1/rules")
FUZZ = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
# The role sweep sends one generated example per operation (the `generate` phase only): with
# the explicit phase on, schemathesis 4 adds its coverage phase (boundary and negative cases,
# tens per operation), which the first test runs already; sent with all 14 identities that took
# 20–55 s per operation, most of a CI run.
FUZZ_ROLES = settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck),
                      phases=[Phase.generate])

# A unit of the seed organisation tree where each role sits (kmgov.core.orgtree); the
# enterprise is made by the fixture.
ROLE_AT = {
    "public": "kunming", "enterprise": "ent-fuzz", "township_staff": "panlong-dianyuan",
    "county_department": "jinning-agriculture", "county_office": "panlong",
    "county_government": "jinning", "city_department": "city-finance",
    "city_office": "city-agriculture", "hotline_operator": "city-mayors-hotline",
    "department_liaison": "city-forestry", "auditor": "kunming", "administrator": "kunming",
}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # schemathesis calls the WSGI application directly; at the end of each request Django
    # closes "old" connections (when a request starts and ends), which would close the test's own transaction on PostgreSQL.
    # Django's test Client disconnects the same handler for the same reason.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(db, org_tree):
    from kmgov.core.services import api_token_create, user_create

    user = user_create(username="fuzz_official", password="pw-fuzz-1",
                       roles=[("county_office", "panlong"), ("city_department", "city-finance")])
    return api_token_create(user=user).key


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_has_no_server_error(case, token):
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.formatted_path, case.body,
                                             response.text[:500])


@pytest.fixture(scope="module")
def role_tokens(django_db_setup, django_db_blocker):
    """The 13 identities, made once for the module and committed: the organisation tree, one
    account per role and a superuser, each with its token. Each fuzzed operation still runs in
    its own test transaction, so what it writes rolls back; the module's own rows are flushed
    at the end, as a transactional test's are. (Made per operation, they cost about 1.3 s
    each, which is what had bounded this sweep to a quarter of the identities.)"""
    from module_rows import committed_for_module

    from kmgov.core.models import OrgUnit, Role
    from kmgov.core.services import api_token_create, org_tree_load, user_create

    assert set(ROLE_AT) == set(Role.values)  # a new role must be fuzzed too

    def build() -> dict[str, str]:
        org_tree_load()
        OrgUnit(code="ent-fuzz", name="盘龙示例企业有限公司", kind="enterprise",
                parent=OrgUnit.objects.get(code="panlong")).save()
        tokens = {role: api_token_create(user=user_create(username=f"fuzz-{role}",
                                                          roles=[(role, org)])).key
                  for role, org in ROLE_AT.items()}
        root = user_create(username="fuzz-superuser")
        root.is_superuser = root.is_staff = True
        root.save()
        tokens["superuser"] = api_token_create(user=root).key
        return tokens

    with committed_for_module(django_db_blocker, build) as tokens:
        yield tokens


@pytest.mark.django_db
@schema.parametrize()
@FUZZ_ROLES
def test_api_has_no_server_error_for_any_role(case, role_tokens):
    # Every operation is sent with every identity: one account per role and a superuser.
    for role in sorted(role_tokens):
        token = role_tokens[role]
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, (role, case.method, case.formatted_path, case.body,
                                             response.text[:500])
