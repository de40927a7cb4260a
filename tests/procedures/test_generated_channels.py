"""A minimal procedure (tests/procedures/sample: `SampleNotice`, a model, its declaration and
no code of its own for pages, API or CLI) gets its list and case pages, a form per step
generated from the step's input, an API operation per step, the CLI and the inbox."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from procedures.helpers import at

from kmgov.procedures.services import case_create


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def notice(people):
    from procedures.sample.models import SampleNotice

    return case_create(SampleNotice, actor=people.applicant, org=people.enterprise_org,
                       now=at(2026, 3, 10, 10))


def test_pages_form_and_inbox(people, notice):
    applicant = client_for(people.applicant)
    listing = applicant.get("/cases/sample-notice/").content.decode()
    assert "样例报送" in listing and notice.reference in listing
    url = f"/cases/sample-notice/{notice.reference}/"
    page = applicant.get(url).content.decode()
    # The step's form from its input: labelled fields, a date input, an amount.
    assert 'type="date"' in page and "发生日期" in page and "涉及金额" in page
    # the amount's unit is chosen beside it (元 first: the field keeps yuan), not in its label
    assert re.search(r'name="\w+__unit"[^>]*><option value="yuan" selected>元</option>', page)
    assert 'name="summary"' in page and "草稿" in page
    # A bad date comes back with the typed summary kept and a message naming the field.
    r = applicant.post(f"{url}steps/file/", {"expected_state": "draft", "summary": "漏报一起",
                                             "happened_on": "2026-02-30", "next": url},
                       follow=True)
    page = r.content.decode()
    assert "发生日期：应为日期" in page and "漏报一起" in page
    notice.refresh_from_db()
    assert notice.state == "draft" and notice.version == 0
    r = applicant.post(f"{url}steps/file/", {"expected_state": "draft", "summary": "漏报一起",
                                             "happened_on": "2026-03-09", "amount_yuan": "",
                                             "next": url}, follow=True)
    assert "已报送，待县级办公室签收" in r.content.decode()
    notice.refresh_from_db()
    assert notice.summary == "漏报一起" and str(notice.happened_on) == "2026-03-09"
    # The county office (盘龙, the enterprise's county) finds it in its inbox; 五华 does not.
    inbox = client_for(people.office).get("/inbox/").content.decode()
    assert notice.reference in inbox and "签收报送事项" in inbox
    assert notice.reference not in client_for(people.wuhua_office).get("/inbox/").content.decode()
    assert client_for(people.wuhua_office).get(url).status_code == 404
    assert client_for(people.wuhua_office).get("/cases/sample-notice/").content.decode().count(
        notice.reference) == 0
    assert Client().get("/cases/sample-notice/").status_code == 302  # to the login page
    assert client_for(people.applicant).get("/cases/no-such-procedure/").status_code == 404


def test_api_and_cli(people, notice):
    doc = Client().get("/api/v1/openapi.json").json()
    op = doc["paths"]["/api/v1/cases/sample-notice/{reference}/steps/file"]["post"]
    data = op["requestBody"]["content"]["application/json"]["schema"]["properties"]["data"]
    assert set(data["required"]) == {"summary", "happened_on"}
    r = client_for(people.applicant).post(
        f"/api/v1/cases/sample-notice/{notice.reference}/steps/file",
        json.dumps({"data": {"summary": "", "happened_on": "2026-03-09"}}),
        content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "summary"
    assert r.json()["detail"] == "报送事项摘要：不能为空"
    r = client_for(people.applicant).post(
        f"/api/v1/cases/sample-notice/{notice.reference}/steps/file",
        json.dumps({"data": {"summary": "漏报一起", "happened_on": "2026-03-09",
                             "amount_yuan": "12.345"}}), content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "amount_yuan"
    out = io.StringIO()
    call_command("procedures", "step", "sample-notice", notice.reference, "file",
                 "--as", people.applicant.username, "--json",
                 "--data", '{"summary": "漏报一起", "happened_on": "2026-03-09"}', stdout=out)
    assert json.loads(out.getvalue())["state"] == "filed"
    out = io.StringIO()
    call_command("procedures", "step", "sample-notice", notice.reference, "acknowledge",
                 "--as", people.office.username, stdout=out)
    assert "已签收" in out.getvalue()
    out = io.StringIO()
    call_command("procedures", "describe", "sample-notice", "--json", stdout=out)
    (desc,) = json.loads(out.getvalue())
    assert [s["name"] for s in desc["steps"]] == ["acknowledge", "file"]
