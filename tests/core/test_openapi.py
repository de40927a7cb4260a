import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_served_and_printed_agree():
    served = Client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    out = io.StringIO()
    call_command("openapi", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["paths"].keys() == served.json()["paths"].keys()
    assert "/api/v1/gazette/search" in printed["paths"]
    assert "/api/v1/gazette/documents/{docno}/node" in printed["paths"]


def test_api_docs_page_loads_no_asset_from_outside():
    html = Client().get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html.replace("https://swagger.io", "")
