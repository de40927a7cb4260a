"""The web step form, judged by the server and not only by the browser (issue 13 item 3):

- a negative step (refusing, returning) is refused without its confirmation box ticked — the
  message in Chinese beside the box, nothing changed, everything typed kept;
- an amount is typed in 元 or 万元 and converted exactly into the unit the field keeps, and
  comes back in the unit typed when the step is refused.

Through Django's client (no browser), on the kernel's sample procedure (tests/procedures/sample).
"""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from procedures.helpers import at

from kmgov.core.models import AuditEntry
from kmgov.procedures.services import case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(people, new_case, monkeypatch):
    fixed = at(2026, 3, 10, 10)  # inside the sample's window (3月1日至31日)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    return case_transition(new_case(), "submit", actor=people.applicant, now=fixed)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _entries(case):
    return AuditEntry.objects.filter(object_id=str(case.pk)).count()


def _textarea(html: str, id_: str) -> str:
    m = re.search(rf'<textarea[^>]*id="{id_}"[^>]*>(.*?)</textarea>', html, re.S)
    return m.group(1) if m else ""


def test_a_refusal_without_its_confirmation_is_refused_and_keeps_the_reason(people, submitted):
    url = f"/cases/sample/{submitted.reference}/"
    office = client_for(people.office)
    before = _entries(submitted)
    r = office.post(url + "steps/reject/", {"expected_state": "submitted",
                                            "reason": "营业执照已过期"}, follow=True)
    html = r.content.decode()
    submitted.refresh_from_db()
    # nothing changed: still awaiting review, no entry in the audit trail
    assert submitted.state == "submitted" and _entries(submitted) == before
    # the message beside the box, in Chinese, and in the error summary linking to the box
    error = re.search(r'<p class="govuk-error-message error" id="step-reject-confirm-error"'
                      r'[^>]*>([^<]*)</p>', html)
    assert error and error.group(1) == "请先勾选确认框，确认办理“不予批准”"
    assert html.index('id="step-reject-confirm-error"') < html.index('id="step-reject-confirm"')
    assert '<a href="#step-reject-confirm">' in html
    assert 'aria-describedby="step-reject-confirm-error"' in html
    # what was typed is kept
    assert _textarea(html, "step-reject-reason") == "营业执照已过期"
    # ticked: taken
    r = office.post(url + "steps/reject/", {"expected_state": "submitted", "confirm": "on",
                                            "reason": "营业执照已过期"}, follow=True)
    submitted.refresh_from_db()
    assert submitted.state == "rejected" and _entries(submitted) == before + 1


def test_missing_reason_and_confirmation_are_named_together(people, submitted):
    url = f"/cases/sample/{submitted.reference}/"
    r = client_for(people.office).post(url + "steps/return_for_changes/",
                                       {"expected_state": "submitted"}, follow=True)
    html = r.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert 'id="step-return_for_changes-reason-error"' in html
    assert "“退回修改”须填写理由" in html
    assert "请先勾选确认框，确认办理“退回修改”" in html


def test_who_may_not_take_the_step_is_refused_as_before(people, submitted):
    url = f"/cases/sample/{submitted.reference}/"
    # another county's office: the case does not exist for it (404), confirmation or not
    assert client_for(people.wuhua_office).post(
        url + "steps/reject/", {"expected_state": "submitted", "reason": "x"}).status_code == 404
    # the applicant sees the case but may not reject it: the kernel's refusal, not a request
    # to tick a box it was never shown
    r = client_for(people.applicant).post(url + "steps/reject/", {
        "expected_state": "submitted", "reason": "x"}, follow=True)
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert "请先勾选确认框" not in r.content.decode()


def test_the_json_api_takes_a_negative_step_without_a_confirmation(people, submitted):
    # machine clients send expected_state; the confirmation is the page's (docs/architecture.md)
    r = client_for(people.office).post(
        f"/api/v1/cases/sample/{submitted.reference}/steps/reject",
        {"reason": "营业执照已过期", "expected_state": "submitted"},
        content_type="application/json")
    assert r.status_code == 200, r.content
    submitted.refresh_from_db()
    assert submitted.state == "rejected"


def test_an_amount_typed_in_yuan_is_kept_in_wan_and_comes_back_as_typed(people, submitted):
    url = f"/cases/sample/{submitted.reference}/"
    office = client_for(people.office)
    page = office.get(url).content.decode()
    # the field keeps 万元 (its title says so): 万元 offered first, 元 beside it
    assert 'name="approved_amount__unit"' in page
    assert re.search(r'id="step-approve-approved_amount-unit"[^>]*>'
                     r'<option value="yuan">元</option><option value="wan" selected>万元</option>',
                     page)
    # 2,000,000 元 = 200 万元 > the 100 万元 applied for: refused by the step itself
    r = office.post(url + "steps/approve/", {"expected_state": "submitted",
                                             "approved_amount": "2000000",
                                             "approved_amount__unit": "yuan"}, follow=True)
    html = r.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert "核定金额须大于0且不超过申请金额100.00万元" in html
    # shown back as typed, in 元
    assert re.search(r'id="step-approve-approved_amount" name="approved_amount" '
                     r'value="2000000"', html)
    assert '<option value="yuan" selected>元</option>' in html
    # 500,000 元 = 50 万元 exactly
    office.post(url + "steps/approve/", {"expected_state": "submitted",
                                         "approved_amount": "500000",
                                         "approved_amount__unit": "yuan"})
    submitted.refresh_from_db()
    assert submitted.state == "approved" and submitted.approved_amount == Decimal("50.00")


def test_a_conversion_finer_than_a_fen_is_refused_before_anything_is_written(people, submitted):
    url = f"/cases/sample/{submitted.reference}/"
    before = _entries(submitted)
    # 123 元 = 0.0123 万元: the field keeps two decimals of 万元
    r = client_for(people.office).post(url + "steps/approve/", {
        "expected_state": "submitted", "approved_amount": "123",
        "approved_amount__unit": "yuan"}, follow=True)
    submitted.refresh_from_db()
    assert submitted.state == "submitted" and _entries(submitted) == before
    assert "核定金额：123元折合0.0123万元，最多保留2位小数" in r.content.decode()
