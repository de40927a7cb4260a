"""Run by test_replica.py in a pytest of its own, with KMGOV_REPLICA_DATABASE_URL set: the
`replica` alias is then a TEST MIRROR of default (settings), so both connections see the same
test database and each keeps its own query log. Not collected by the suite's own run (the
name does not start with test_)."""

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kmgov.core.models import OrgUnit, Role
from kmgov.core.replica import replica_reads
from kmgov.core.services import org_tree_load, user_create

WRITES = ("INSERT", "UPDATE", "DELETE")

# The report pages and endpoints marked @reads_from_replica (kmgov.core.replica).
REPORTS = [
    "/dashboards/city/",
    "/dashboards/agriculture/",
    "/dashboards/agriculture.xlsx",
    "/dashboards/geohazards/",
    "/construction/report/?period=2026-06",
    "/construction/report/?period=2026-06&format=xlsx",
    "/api/v1/construction/city-report/2026-06",
    "/safety/consolidated/?period=2026H1",
    "/api/v1/safety/consolidated?period=2026H1",
    "/hotline/dashboard/",
    "/hotline/dashboard.xlsx",
    "/api/v1/hotline/stats",
    "/geohazards/points/export.xlsx",
    "/api/v1/geohazards/points.xlsx",
    "/buildings/register/export.xlsx?year=2025",
]


def _sql(ctx) -> list[str]:
    return [q["sql"].lstrip().upper() for q in ctx.captured_queries]


@pytest.fixture
def reader(transactional_db):
    org_tree_load()
    return user_create(username="replica-reader", is_superuser=True,
                       roles=[(Role.CITY_OFFICE, "kunming")])


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reports_read_from_the_replica_and_writes_stay_on_default(reader):
    assert connections["replica"].settings_dict["NAME"] == connections["default"].settings_dict["NAME"]
    c = Client()
    c.force_login(reader)
    for url in REPORTS:
        with CaptureQueriesContext(connections["replica"]) as replica, \
                CaptureQueriesContext(connections["default"]) as default:
            r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
        on_replica = _sql(replica)
        # the report's reads went to the replica, and nothing was written there
        assert on_replica, f"{url}: no query on the replica"
        assert not [q for q in on_replica if q.startswith(WRITES)], url
        # default kept only the session and the account (read before the view runs), and
        # whatever the request wrote
        assert not [q for q in _sql(default) if "core_orgunit" in q.lower() and q.startswith("SELECT")
                    and "django_session" not in q.lower()], url


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_other_pages_and_every_write_stay_on_default(reader):
    c = Client()
    c.force_login(reader)
    with CaptureQueriesContext(connections["replica"]) as replica, \
            CaptureQueriesContext(connections["default"]) as default:
        assert c.get("/orgs/").status_code == 200                    # not a report
        # a write made while reports are being read (inside the marked views' context):
        # the service's transaction and its reads stay on default
        with replica_reads():
            user_create(username="written-during-report", roles=[(Role.COUNTY_OFFICE, "panlong")])
            unit = OrgUnit.objects.get(code="panlong")   # outside a transaction: the replica
    assert unit.name == "盘龙区"
    on_replica = _sql(replica)
    assert on_replica and all(q.startswith("SELECT") for q in on_replica)
    assert any("core_orgunit" in q.lower() for q in on_replica)
    written = [q for q in _sql(default) if q.startswith(WRITES)]
    assert any("AUTH_USER" in q for q in written) and any("CORE_ROLEASSIGNMENT" in q for q in written)
