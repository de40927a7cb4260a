"""Open311 GeoReport v2: responses validate against the standard's JSON schemas (read from
../shared/standards/open311-georeport-v2/), XML mirrors JSON, errors use the standard's
shape, and the PyPI client `georeport` reads services and requests from a running server."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from lxml import etree

from kmgov.hotline import services
from kmgov.hotline.models import Ticket

SCHEMAS = Path(settings.SHARED_DIR) / "standards" / "open311-georeport-v2"
BASE = "/open311/v2"


def _validator(name):
    """A Draft 4 validator for one schema, its `$ref`s ("request.json") resolved beside it."""
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT4

    registry = Registry().with_resources(
        (f.name, DRAFT4.create_resource(json.loads(f.read_text())))
        for f in SCHEMAS.glob("*.json") if f.name != "swagger.json")
    schema = json.loads((SCHEMAS / name).read_text())
    return jsonschema.Draft4Validator(schema, registry=registry,
                                      format_checker=jsonschema.FormatChecker())


@pytest.fixture
def api_key(desk):
    return services.open311_key_create(label="test client").key


@pytest.mark.django_db
def test_services_and_definition_validate(desk):
    c = Client()
    r = c.get(f"{BASE}/services.json")
    assert r.status_code == 200
    _validator("services.json").validate(r.json())
    codes = {s["service_code"] for s in r.json()}
    assert {"agriculture", "buildings", "hotline", "utility-water"} <= codes
    r = c.get(f"{BASE}/services/buildings.json")
    _validator("service-definition.json").validate(r.json())
    assert r.json()["attributes"][0]["code"] == "request_type"
    x = etree.fromstring(c.get(f"{BASE}/services.xml").content)
    assert x.tag == "services" and len(x.findall("service")) == len(codes)
    d = c.get(f"{BASE}/discovery.json").json()
    assert d["endpoints"][0]["formats"] == ["text/xml", "application/json"]


@pytest.mark.django_db
def test_post_get_and_errors(api_key):
    c = Client()
    r = c.post(f"{BASE}/requests.json", {"api_key": api_key, "service_code": "buildings",
                                         "attribute[request_type]": "complaint",
                                         "description": "写字楼电梯常年故障，物业不修。",
                                         "first_name": "明", "last_name": "李"})
    assert r.status_code == 201, r.content
    rid = r.json()[0]["service_request_id"]
    t = Ticket.objects.get(number=rid)
    assert t.assigned_org.code == "city-mayors-hotline" and t.channel == "web"
    one = c.get(f"{BASE}/requests/{rid}.json").json()
    _validator("requests.json").validate(one)
    assert one[0]["agency_responsible"] == "昆明市人民政府市长热线办公室"
    assert one[0]["expected_datetime"] is not None and one[0]["status"] == "open"
    many = c.get(f"{BASE}/requests.json", {"status": "open"}).json()
    _validator("requests.json").validate(many)
    assert rid in {m["service_request_id"] for m in many}
    assert c.get(f"{BASE}/tokens/{rid}.json").json()[0]["service_request_id"] == rid
    xml = etree.fromstring(c.get(f"{BASE}/requests/{rid}.xml").content)
    assert xml.tag == "service_requests" and xml.find("request/service_request_id").text == rid
    # Errors in the standard's shape, JSON and XML.
    bad = c.post(f"{BASE}/requests.json", {"api_key": "wrong", "service_code": "buildings",
                                           "description": "x"})
    assert bad.status_code == 403 and bad.json()[0]["code"] == 403
    bad = c.post(f"{BASE}/requests.xml", {"api_key": "wrong", "service_code": "buildings"})
    assert etree.fromstring(bad.content).find("error/code").text == "403"
    assert c.get(f"{BASE}/services/nope.json").json()[0]["code"] == 404
    assert c.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400
    empty = c.post(f"{BASE}/requests.json", {"api_key": api_key, "service_code": "buildings",
                                             "description": ""})
    assert empty.status_code == 400 and "text" in empty.json()[0]["description"]


@pytest.mark.django_db(transaction=True)
def test_georeport_client_reads_the_running_server(live_server, api_key):
    from georeport import GeoReport

    services.ticket_create(channel="web", request_type="complaint", text="路灯不亮",
                           topic="construction", source_ip="10.3.3.3")
    for fmt in ("json", "xml"):
        client = GeoReport(live_server.url + BASE, output_format=fmt)
        svc = client.get_service_list()
        assert any(s["service_code"] == "forestry" for s in svc)
        reqs = client.get_service_requests()
        if fmt == "xml" and isinstance(reqs, dict):
            reqs = [reqs]
        assert reqs and reqs[0]["agency_responsible"] == "昆明市人民政府市长热线办公室"
