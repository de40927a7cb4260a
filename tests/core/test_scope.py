"""Scope (SPEC X-5): each person sees only what their role and place in the tree allow.
Checked with real requests through the pages and the API."""

import pytest
from django.test import Client

from kmgov.core.services import api_token_create, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org_tree):
    return {
        "wuhua": user_create(username="wuhua_office", password="pw-wuhua-1",
                             roles=[("county_office", "wuhua")], display_name="五华区办公室"),
        "panlong": user_create(username="panlong_office", password="pw-panlong-1",
                               roles=[("county_office", "panlong")], display_name="盘龙区办公室"),
        "dianyuan": user_create(username="dianyuan_staff", password="pw-dy-1",
                                roles=[("township_staff", "panlong-dianyuan")]),
        "city": user_create(username="city_office", password="pw-city-1",
                            roles=[("city_office", "kunming")]),
    }


def _login(user, password):
    c = Client()
    assert c.login(username=user.username, password=password)
    return c


def test_county_official_sees_own_county_staff_but_not_another_county(people):
    c = _login(people["wuhua"], "pw-wuhua-1")
    own = c.get("/api/v1/orgs/wuhua/staff")
    assert own.status_code == 200
    assert [r["username"] for r in own.json()] == ["wuhua_office"]
    other = c.get("/api/v1/orgs/panlong/staff")
    assert other.status_code == 404
    assert "panlong_office" not in other.content.decode()
    assert c.get("/orgs/panlong/staff/").status_code == 404
    assert c.get("/orgs/wuhua/staff/").status_code == 200


def test_county_official_reaches_townships_below_but_township_not_above(people):
    c = _login(people["panlong"], "pw-panlong-1")
    names = [r["username"] for r in c.get("/api/v1/orgs/panlong/staff").json()]
    assert names == ["panlong_office", "dianyuan_staff"]
    t = _login(people["dianyuan"], "pw-dy-1")
    assert t.get("/api/v1/orgs/panlong-dianyuan/staff").status_code == 200
    assert t.get("/api/v1/orgs/panlong/staff").status_code == 404


def test_city_office_sees_every_county(people):
    c = _login(people["city"], "pw-city-1")
    for code in ("wuhua", "panlong", "panlong-dianyuan"):
        assert c.get(f"/api/v1/orgs/{code}/staff").status_code == 200


def test_anonymous_sees_the_public_tree_but_no_staff_or_audit(people):
    c = Client()
    tree = c.get("/api/v1/orgs")
    assert tree.status_code == 200 and any(o["name"] == "晋宁县" for o in tree.json())
    assert c.get("/api/v1/orgs/wuhua/staff").status_code == 404
    assert c.get("/api/v1/audit").status_code == 404
    assert c.get("/orgs/wuhua/staff/").status_code == 404


def test_audit_log_is_scoped(people):
    c = _login(people["wuhua"], "pw-wuhua-1")
    orgs = {e["org"] for e in c.get("/api/v1/audit").json()}
    assert orgs == {"wuhua"}  # the role grant recorded at 五华, nothing of 盘龙
    city = _login(people["city"], "pw-city-1")
    assert {"wuhua", "panlong"} <= {e["org"] for e in city.get("/api/v1/audit").json()}


def test_bearer_token_acts_as_its_user_and_a_wrong_token_is_refused(people):
    token = api_token_create(user=people["wuhua"])
    c = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token.key}"}
    assert c.get("/api/v1/orgs/wuhua/staff", **auth).status_code == 200
    assert c.get("/api/v1/orgs/panlong/staff", **auth).status_code == 404
    bad = c.get("/api/v1/orgs/wuhua/staff", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401 and "invalid" in bad.json()["detail"]


def test_audit_limit_out_of_range_is_a_422_naming_the_field(people):
    c = _login(people["city"], "pw-city-1")
    r = c.get("/api/v1/audit", {"limit": -1})
    assert r.status_code == 422 and "limit" in r.content.decode()
    assert len(c.get("/api/v1/audit", {"limit": 1}).json()) == 1


def test_nul_characters_are_dropped_from_text_and_refused_in_paths(people):
    c = _login(people["city"], "pw-city-1")
    # A NUL can be stored by no PostgreSQL text column: it is dropped, the rest is answered.
    r = c.get("/api/v1/orgs", {"kind": "county\x00"})
    assert r.status_code == 200 and {o["kind"] for o in r.json()} == {"county"}
    assert c.get("/api/v1/orgs/wu%00hua/staff").status_code == 400
    r = c.post("/api/v1/rules/mediation.reward/decide", data='{"ordinary": 2, "county": "\\u0000"}',
               content_type="application/json")
    assert r.status_code == 200 and r.json()["amount_yuan"] == 200  # 108号: 2 × 100 元
