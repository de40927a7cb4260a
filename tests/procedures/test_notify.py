"""The notification outbox (`kmgov.procedures.notify`): one message, one delivery row per person
and channel, e-mail and SMS sent only when the transaction commits, acknowledgement by the
recipient or, saying how, by the sending unit; a failed gateway is recorded, not raised."""

import pytest
from django.core import mail
from django.db import transaction

from kmgov.core.models import AuditEntry, OrgUnit
from kmgov.procedures import notify
from kmgov.procedures.errors import ProcedureError
from kmgov.procedures.models import Delivery, Notification


class FailingGateway:
    def send(self, phone, text):
        raise notify.SmsError("网关拒绝：余额不足")


@pytest.fixture(autouse=True)
def _sms_log():
    notify.LoggingSmsBackend.outbox.clear()
    yield
    notify.LoggingSmsBackend.outbox.clear()


def send(people, recipients, **kw):
    with transaction.atomic():
        return notify.notify(recipients, subject="地质灾害气象预警（橙色）", body="今夜有强降雨",
                             source="sample", ref="w-1", org=OrgUnit.objects.get(code="panlong"),
                             actor=people.office, **kw)


def test_each_channel_one_row_sent_on_commit(people, django_capture_on_commit_callbacks):
    recipients = [
        notify.Recipient("张三", "监测人", phone="13900000001", email="zs@example.cn"),
        notify.Recipient("李四", "监测人", phone="13900000002"),
        notify.Recipient("县政府值班", "带班领导", user=people.government),
        # the same phone again (a monitor of two points): reached once
        notify.Recipient("张三", "监测人", phone="13900000001"),
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        note = send(people, recipients)
    rows = list(note.deliveries.order_by("id").values_list("channel", "recipient_name", "status"))
    # before commit: the inbox copy is delivered, e-mail and SMS wait
    assert rows == [("email", "张三", "pending"), ("sms", "张三", "pending"),
                    ("sms", "李四", "pending"), ("inbox", "县政府值班", "sent")]
    assert mail.outbox == [] and notify.LoggingSmsBackend.outbox == []
    for cb in callbacks:
        cb()
    assert set(note.deliveries.values_list("status", flat=True)) == {"sent"}
    assert [m.to for m in mail.outbox] == [["zs@example.cn"]]
    assert [s["phone"] for s in notify.LoggingSmsBackend.outbox] == ["13900000001", "13900000002"]
    assert "今夜有强降雨" in notify.LoggingSmsBackend.outbox[0]["text"]
    assert AuditEntry.objects.filter(action="notification.send", object_id=str(note.pk)).exists()


def test_rolled_back_write_sends_nothing(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify.notify([notify.Recipient("张三", phone="13900000001")], subject="s", body="b",
                          source="sample", actor=people.office)
            raise RuntimeError("the change that carried it failed")
    assert not Notification.objects.exists() and not Delivery.objects.exists()
    assert notify.LoggingSmsBackend.outbox == []


def test_gateway_failure_is_the_deliverys_outcome(people, settings, django_capture_on_commit_callbacks):
    settings.KMGOV_SMS_BACKEND = "procedures.test_notify.FailingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        note = send(people, [notify.Recipient("张三", phone="13900000001")])
    d = note.deliveries.get()
    assert d.status == "failed" and "余额不足" in d.error
    # retried later with a working gateway
    settings.KMGOV_SMS_BACKEND = notify.DEFAULT_SMS_BACKEND
    d.status = "pending"
    d.save()
    assert notify.deliveries_send() == {"sent": 1, "failed": 0}


def test_acknowledgement_by_recipient_or_sender_with_how(people, client):
    note = send(people, [notify.Recipient("县政府值班", user=people.government),
                         notify.Recipient("张三", phone="13900000001")])
    inbox = note.deliveries.get(channel="inbox")
    sms = note.deliveries.get(channel="sms")
    # the recipient confirms in the inbox page
    client.force_login(people.government)
    page = client.get("/notifications/")
    assert "今夜有强降雨" in page.content.decode()
    client.post("/notifications/", {"delivery": inbox.pk})
    inbox.refresh_from_db()
    assert inbox.acknowledged_at is not None and inbox.acknowledged_by == people.government
    # someone else's delivery is not found for another county's official
    with pytest.raises(ProcedureError) as exc:
        notify.delivery_acknowledge(sms.pk, actor=people.wuhua_office, note="电话")
    assert exc.value.status == 404
    # the sending unit records it for the SMS recipient, and must say how
    with pytest.raises(ProcedureError) as exc:
        notify.delivery_acknowledge(sms.pk, actor=people.office)
    assert exc.value.field == "note"
    d = notify.delivery_acknowledge(sms.pk, actor=people.office, note="电话回复确认")
    assert d.ack_note == "电话回复确认"
    assert notify.summary(note) == {"total": 2, "acknowledged": 2, "channels": {"inbox": 1, "sms": 1},
                                    "status": {"sent": 1, "pending": 1}}
    assert AuditEntry.objects.filter(action="notification.acknowledge").count() == 2


def test_api_lists_own_messages_and_acknowledges(people, client):
    note = send(people, [notify.Recipient("县政府值班", user=people.government)])
    client.force_login(people.government)
    r = client.get("/api/v1/notifications")
    assert r.status_code == 200 and [x["subject"] for x in r.json()] == ["地质灾害气象预警（橙色）"]
    d = note.deliveries.get()
    r = client.post(f"/api/v1/notifications/{d.pk}/ack", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["acknowledged_at"]
    client.force_login(people.wuhua_office)
    assert client.get("/api/v1/notifications").json() == []
    r = client.post(f"/api/v1/notifications/{d.pk}/ack", {}, content_type="application/json")
    assert r.status_code == 404


def test_api_paging_is_bounded(people, client):
    client.force_login(people.government)
    assert client.get("/api/v1/notifications?offset=9223372036854775807").status_code == 422
    assert client.get("/api/v1/notifications?offset=0&limit=5").status_code == 200
