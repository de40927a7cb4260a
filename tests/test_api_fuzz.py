"""Fuzz every endpoint of /api/v1/ but the rules' (tests/rules/test_schemathesis.py) with
schemathesis, anonymously and as a logged-in official with a bearer token, over a library
holding the seed gazette and an organisation tree: nothing it sends yields a server error."""

import pytest
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from kmgov.wsgi import application  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).exclude(
    path_regex="^/api/v1/rules")
FUZZ = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))


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
