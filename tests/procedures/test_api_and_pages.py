"""The inbox and the generic case endpoints through HTTP: refusals as 403/404/409/400."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from procedures.helpers import PDF, at

from kmgov.procedures.services import case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(monkeypatch):
    """Pin "now" inside the sample window (3月1日至31日) for requests."""
    fixed = at(2026, 3, 10, 10)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    return fixed


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def step(client, case, name, **body):
    return client.post(f"/api/v1/cases/sample/{case.reference}/steps/{name}", body,
                       content_type="application/json")


def test_inbox_api_scoped_by_role_and_org(people, new_case, march):
    case = case_transition(new_case(), "submit", actor=people.applicant, now=march)
    r = client_for(people.office).get("/api/v1/inbox")
    assert r.status_code == 200
    [item] = r.json()
    assert item["case_reference"] == case.reference and item["what"] == "审核申报"
    assert item["assignee"] == "盘龙区 · 县级领导小组办公室" and item["kind"] == "action"
    assert client_for(people.wuhua_office).get("/api/v1/inbox").json() == []
    assert Client().get("/api/v1/inbox").status_code == 401


def test_case_detail_and_steps_through_the_api(people, new_case, march):
    case = new_case()
    applicant = client_for(people.applicant)
    body = applicant.get(f"/api/v1/cases/sample/{case.reference}").json()
    assert body["state"] == "draft" and body["state_label"] == "草稿"
    assert [s["name"] for s in body["steps"]] == ["submit", "withdraw"]
    assert body["attachments"][0]["key"] == "licence"
    r = step(applicant, case, "submit", expected_state="draft")
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "submitted"
    office = client_for(people.office)
    r = step(office, case, "approve", reason="同意", data={"approved_amount": 50})
    assert r.status_code == 200 and r.json()["state"] == "approved"
    history = r.json()["history"]
    assert [(h["action"], h["from_state"], h["to_state"], h["actor"]) for h in history] == [
        ("sample.create", "", "draft", "qiye"),
        ("sample.attachment_add", "draft", "draft", "qiye"),
        ("sample.submit", "draft", "submitted", "qiye"),
        ("sample.approve", "submitted", "approved", "panlong-ban")]


def test_refusals_have_their_status_and_chinese_message(people, new_case, march):
    case = case_transition(new_case(), "submit", actor=people.applicant, now=march)
    # Another county's official: the case does not exist for them.
    r = step(client_for(people.wuhua_office), case, "approve")
    assert r.status_code == 404 and "无权查看" in r.json()["detail"]
    assert client_for(people.wuhua_office).get(
        f"/api/v1/cases/sample/{case.reference}").status_code == 404
    # Seen but not theirs to decide.
    r = step(client_for(people.city_office), case, "approve")
    assert r.status_code == 403 and r.json()["code"] == "denied"
    # Stale: the page showed "draft".
    r = step(client_for(people.applicant), case, "withdraw", expected_state="draft")
    assert r.status_code == 409 and r.json()["code"] == "state_changed"
    # Bad data names its field; nothing changes.
    r = step(client_for(people.office), case, "approve", data={"approved_amount": 999})
    assert r.status_code == 422 and r.json()["field"] == "approved_amount"
    assert "核定金额" in r.json()["detail"]
    case.refresh_from_db()
    assert case.state == "submitted"
    # Unauthenticated writes are refused before anything is looked up.
    assert Client().post(f"/api/v1/cases/sample/{case.reference}/steps/approve", {},
                         content_type="application/json").status_code == 401


def test_window_refusal_through_the_api(people, new_case, monkeypatch):
    case = new_case()
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 7, 1, 9))
    r = step(client_for(people.applicant), case, "submit")
    assert r.status_code == 400
    assert r.json()["detail"].startswith("申报期为每年3月1日至31日")
    assert "下次开放：2027年3月1日" in r.json()["detail"]


def test_upload_through_the_api(people, new_case, settings, march):
    case = new_case(with_licence=False)
    c = client_for(people.applicant)
    url = f"/api/v1/cases/sample/{case.reference}/attachments"
    exe = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100)
    exe.name = "营业执照.pdf"
    r = c.post(url, {"key": "licence", "file": exe})
    assert r.status_code == 400 and r.json()["field"] == "file"
    assert "Windows可执行程序" in r.json()["detail"]
    pdf = io.BytesIO(PDF)
    pdf.name = "营业执照.pdf"
    r = c.post(url, {"key": "licence", "file": pdf})
    assert r.status_code == 200 and r.json()["attachments"][0]["type"] == "application/pdf"


def test_inbox_page(people, new_case, march):
    case_transition(new_case(), "submit", actor=people.applicant, now=march)
    r = client_for(people.office).get("/inbox/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "我的待办" in html and "审核申报" in html and "YL-2026-00001" in html
    # the 类型 column names the item's procedure (it was empty for every item)
    assert '<tr class="kind-action">\n      <td>样例申报</td>' in html
    # 15 working days from 10 Mar 2026 end on 31 Mar (due at 24:00 that day).
    assert "2026-03-31" in html and "2026-04-01" not in html
    r = client_for(people.wuhua_office).get("/inbox/")
    assert "暂无待办事项" in r.content.decode()
    assert Client().get("/inbox/").status_code == 302


def test_case_page_steps_and_refusals(people, new_case, march):
    case = new_case()
    url = f"/cases/sample/{case.reference}/"
    applicant = client_for(people.applicant)
    html = applicant.get(url).content.decode()
    assert "样例申报 · YL-2026-00001" in html and "草稿" in html and "提交申报" in html
    r = applicant.post(url + "steps/submit/", {"expected_state": "draft"}, follow=True)
    assert "已办理：已提交待审核" in r.content.decode()
    # A second click on the stale page is refused with the reason, nothing changes.
    r = applicant.post(url + "steps/submit/", {"expected_state": "draft"}, follow=True)
    assert "状态已变更" in r.content.decode()
    office = client_for(people.office)
    html = office.get(url).content.decode()
    assert "审核通过" in html and "退回修改" in html and "草稿 → 已提交待审核" in html
    assert "营业执照复印件" in html and "提交申报" in html
    assert "2026-03-31（含当日）" in html  # 15 working days from 10 Mar 2026
    r = office.post(url + "steps/reject/", {"expected_state": "submitted"}, follow=True)
    assert "“不予批准”须填写理由" in r.content.decode()
    assert client_for(people.wuhua_office).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_case_page_upload_refusal(people, new_case, settings, march):
    case = new_case(with_licence=False)
    url = f"/cases/sample/{case.reference}/attachments/"
    exe = io.BytesIO(b"MZ" + b"\x00" * 64)
    exe.name = "statement.pdf"
    r = client_for(people.applicant).post(url, {"key": "statement", "file": exe}, follow=True)
    assert "Windows可执行程序" in r.content.decode()
    assert not case.attachments().exists()


def test_admin_lists_kernel_rows_read_only(people, new_case, march):
    from kmgov.core.services import user_create

    case_transition(new_case(), "submit", actor=people.applicant, now=march)
    admin_user = user_create(username="root", is_superuser=True)
    c = client_for(admin_user)
    for page in ("deadline", "inboxitem", "attachment"):
        r = c.get(f"/admin/procedures/{page}/")
        assert r.status_code == 200 and "YL-2026-00001" in r.content.decode(), page
    assert c.get("/admin/procedures/deadline/add/").status_code == 403


def test_inbox_offset_is_bounded_with_the_field_named(people, new_case, march):
    """An offset past what the databases take for OFFSET (2⁶³, which the API fuzz sent) is a
    422 naming `offset`, not a database error; the largest allowed one is an empty page."""
    case_transition(new_case(), "submit", actor=people.applicant, now=march)
    office = client_for(people.office)
    r = office.get("/api/v1/inbox?offset=9223372036854775808")
    assert r.status_code == 422
    assert any("offset" in e["loc"] for e in r.json()["detail"])
    assert office.get("/api/v1/inbox?offset=1000000001").status_code == 422
    r = office.get("/api/v1/inbox?offset=1000000000")
    assert r.status_code == 200 and r.json() == []
    assert len(office.get("/api/v1/inbox?offset=0").json()) == 1


def test_every_api_offset_has_the_same_bound():
    """`/inbox`, `/filings/{code}` and `/notifications` declare their `offset` once
    (procedures.paging.offset_param): the API description shows the same bound for each."""
    from kmgov.procedures.paging import MAX_OFFSET

    spec = Client().get("/api/v1/openapi.json").json()
    offsets = {path: p["schema"] for path, ops in spec["paths"].items() for op in ops.values()
               for p in op.get("parameters", []) if p["name"] == "offset"}
    assert {"/api/v1/inbox", "/api/v1/filings/{code}", "/api/v1/notifications"} <= set(offsets)
    assert all(s.get("maximum") == MAX_OFFSET and s.get("minimum") == 0 for s in offsets.values()), offsets
