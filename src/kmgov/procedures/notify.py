"""The notification outbox: one message to many people, each delivery a row (docs/procedures.md).

`notify(recipients, subject=, body=, source=, …)` runs inside the caller's transaction and
writes one `Notification` and, per recipient, one `Delivery` per channel it can be reached by:

- **inbox** (站内消息) when the recipient has an account: delivered at once, read at
  `/notifications/` and `GET /api/v1/notifications`;
- **email** through Django's mail backend (`EMAIL_BACKEND`) when an address is known;
- **sms** through the SMS gateway named by `settings.KMGOV_SMS_BACKEND` (a class with
  `send(phone, text) -> message id`, raising `SmsError`); the default `LoggingSmsBackend` only
  logs (logger `kmgov.sms`) and keeps the messages in `LoggingSmsBackend.outbox`.

E-mail and SMS leave only when the transaction commits (`transaction.on_commit`), so a refused
write sends nothing; each delivery then becomes `sent` or `failed` (with the error).
`deliveries_send()` retries what is still pending. The same person is reached once per channel
whatever the number of reasons (a monitor of three points gets one SMS).

Preferences: a person with an account chooses the channels at `/notifications/settings/`
(`NotificationPreference`, set by `preference_set`); `notify()` leaves out the channels they
switched off, and uses the e-mail address and mobile number they gave when the sender gives
none. Without a saved choice every channel with an address is used, as before.

Acknowledgement: the recipient confirms in the inbox (`delivery_acknowledge(…, actor=user)`);
for an SMS or a call, an official whose roles reach the notification's unit records it on the
recipient's behalf with how it was confirmed (`note`, e.g. "电话回复确认"). Both are audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from kmgov.core.audit import audit_record
from kmgov.core.scope import can_change_org

from .errors import ProcedureError
from .models import Delivery, Notification, NotificationPreference

log = logging.getLogger("kmgov.sms")
DEFAULT_SMS_BACKEND = "kmgov.procedures.notify.LoggingSmsBackend"


class SmsError(RuntimeError):
    """The gateway refused or failed a message."""


class LoggingSmsBackend:
    """Sends nothing: logs each SMS and keeps it in `outbox` (development, tests, demo)."""

    outbox: list[dict] = []

    def send(self, phone: str, text: str) -> str:
        if not phone.strip():
            raise SmsError("没有手机号码")
        LoggingSmsBackend.outbox.append({"phone": phone, "text": text})
        log.info("SMS to %s: %s", phone, text)
        return f"log-{len(LoggingSmsBackend.outbox)}"


def sms_backend():
    return import_string(getattr(settings, "KMGOV_SMS_BACKEND", DEFAULT_SMS_BACKEND))()


@dataclass(frozen=True)
class Recipient:
    name: str
    role: str = ""        # in what capacity (监测人, 包乡县级领导 …), shown with the delivery
    phone: str = ""
    email: str = ""
    user: Any = None      # an account: the message also goes to its inbox


class NotificationNotFound(ProcedureError):
    status = 404
    code = "not_found"


def _channels(r: Recipient, pref: NotificationPreference | None = None):
    email, phone = r.email, r.phone
    if pref is not None:
        email = email or pref.email_address
        phone = phone or pref.phone
    wants = pref.wants if pref is not None else (lambda _channel: True)
    if r.user is not None and wants("inbox"):
        yield Delivery.Channel.INBOX, ("user", r.user.pk), ""
    if email and wants("email"):
        yield Delivery.Channel.EMAIL, ("email", email.strip().lower()), email.strip()
    if phone and wants("sms"):
        yield Delivery.Channel.SMS, ("sms", phone.replace(" ", "")), phone.strip()


def notify(recipients, *, subject: str, body: str, source: str, ref: str = "", org=None,
           actor=None, now: dt.datetime | None = None) -> Notification:
    """Write the notification and its deliveries; e-mail and SMS leave on commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must run inside the transaction of the change it reports")
    moment = now or timezone.now()
    note = Notification.objects.create(subject=subject, body=body, source=source, ref=ref, org=org,
                                       sent_by=actor if getattr(actor, "is_authenticated", False) else None)
    recipients = list(recipients)
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(
        user_id__in=[r.user.pk for r in recipients if r.user is not None])}
    seen: set = set()
    rows = []
    for r in recipients:
        pref = prefs.get(r.user.pk) if r.user is not None else None
        for channel, key, address in _channels(r, pref):
            if key in seen:
                continue
            seen.add(key)
            inbox = channel == Delivery.Channel.INBOX
            rows.append(Delivery(
                notification=note, channel=channel, recipient_name=r.name, recipient_role=r.role,
                address=address, user=r.user,
                status=Delivery.Status.SENT if inbox else Delivery.Status.PENDING,
                sent_at=moment if inbox else None))
    Delivery.objects.bulk_create(rows)
    audit_record(actor=actor, action="notification.send", obj=note, org=org,
                 extra={"source": source, "ref": ref, "deliveries": len(rows)})
    pending = [d for d in rows if d.status == Delivery.Status.PENDING]
    if pending:
        # They leave on commit, sent from the rows just written (no second read of them); a
        # savepoint rolled back drops its callback with it, so nothing rolled back is sent.
        transaction.on_commit(lambda: _deliver(note, pending))
    return note


def _send(d: Delivery, note: Notification, backend) -> None:
    if d.channel == Delivery.Channel.EMAIL:
        send_mail(note.subject, note.body, None, [d.address], fail_silently=False)
    elif d.channel == Delivery.Channel.SMS:
        backend.send(d.address, f"【{note.subject}】{note.body}")


def _deliver(note: Notification | None, deliveries, backend=None) -> dict:
    """Send these pending deliveries; each row records its outcome — those sent in one
    UPDATE (only rows still pending: a sender running beside does not count one twice)."""
    backend = backend or sms_backend()
    counts = {"sent": 0, "failed": 0}
    sent: list[int] = []
    for d in deliveries:
        try:
            _send(d, note or d.notification, backend)
        except Exception as exc:  # any gateway or SMTP failure is the delivery's outcome
            d.status, d.error = Delivery.Status.FAILED, str(exc)[:300]
            d.save(update_fields=["status", "error", "sent_at"])
            counts["failed"] += 1
        else:
            sent.append(d.pk)
    if sent:
        Delivery.objects.filter(pk__in=sent, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENT, error="", sent_at=timezone.now())
        counts["sent"] = len(sent)
    return counts


def deliveries_send(*, notification: int | list[int] | None = None, limit: int = 1000) -> dict:
    """Send the pending e-mail and SMS deliveries (of one notification or a list of them, or
    all); each row records its outcome — those sent in one UPDATE. Returns counts
    {"sent", "failed"}."""
    qs = Delivery.objects.filter(status=Delivery.Status.PENDING).select_related("notification")
    if isinstance(notification, list):
        qs = qs.filter(notification_id__in=notification)
    elif notification is not None:
        qs = qs.filter(notification_id=notification)
    return _deliver(None, qs.order_by("id")[:limit])


@transaction.atomic
def delivery_acknowledge(delivery_id: int, *, actor, note: str = "",
                         now: dt.datetime | None = None) -> Delivery:
    """Record that the recipient has the message: by the recipient in the inbox, or by an
    official of the sending unit on the recipient's behalf (saying how, in `note`)."""
    # Lock the delivery row only (its notification's unit may be empty: PostgreSQL cannot lock
    # the nullable side of an outer join).
    d = (Delivery.objects.select_for_update(of=("self",))
         .select_related("notification", "notification__org").filter(pk=delivery_id).first())
    own = d is not None and d.user_id is not None and d.user_id == getattr(actor, "pk", None)
    org = d.notification.org if d is not None else None
    if d is None or not (own or (org is not None and can_change_org(actor, org))):
        raise NotificationNotFound("没有这条通知", field="delivery")
    if not own and not note.strip():
        raise ProcedureError("代为确认时须说明确认方式（如：电话回复确认）", field="note")
    if d.acknowledged_at is None:
        d.acknowledged_at = now or timezone.now()
        d.acknowledged_by = actor
        d.ack_note = note.strip()[:200] or "本人确认"
        d.save(update_fields=["acknowledged_at", "acknowledged_by", "ack_note"])
        audit_record(actor=actor, action="notification.acknowledge", obj=d, org=org,
                     extra={"notification": d.notification_id, "channel": d.channel,
                            "recipient": d.recipient_name})
    return d


CHANNELS = ("inbox", "email", "sms")


@transaction.atomic
def preference_set(user, *, channels, email_address: str = "", phone: str = "",
                   actor=None) -> NotificationPreference:
    """Save which channels `user` wants (a subset of inbox, email, sms) and the addresses to
    use; only the user (or an administrator) may. Audited."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    actor = actor or user
    if actor.pk != user.pk and not getattr(actor, "is_superuser", False):
        raise ProcedureError("只能修改自己的通知设置", field="user")
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ProcedureError(f"没有该通知渠道：{'、'.join(sorted(unknown))}", field="channels")
    email_address, phone = email_address.strip(), phone.replace(" ", "").strip()
    if email_address:
        try:
            validate_email(email_address)
        except ValidationError:
            raise ProcedureError("电子邮件地址格式不正确", field="email_address") from None
    if phone and not (phone.lstrip("+").isdigit() and 7 <= len(phone.lstrip("+")) <= 15):
        raise ProcedureError("手机号应为 7–15 位数字", field="phone")
    pref, _ = NotificationPreference.objects.get_or_create(user=user)
    before = {c: pref.wants(c) for c in CHANNELS}
    for c in CHANNELS:
        setattr(pref, c, c in channels)
    pref.email_address, pref.phone = email_address, phone
    pref.save()
    audit_record(actor=actor, action="notification.preference", obj=pref,
                 extra={"before": before, "after": {c: pref.wants(c) for c in CHANNELS}})
    return pref


def preference_of(user) -> NotificationPreference:
    """The user's saved choice, or the default (every channel) unsaved."""
    return (NotificationPreference.objects.filter(user=user).first()
            or NotificationPreference(user=user))


def inbox_of(user):
    """The messages in `user`'s inbox, newest first."""
    return (Delivery.objects.filter(user=user, channel=Delivery.Channel.INBOX)
            .select_related("notification").order_by("-notification__created_at", "-id"))


def summary(notification: Notification) -> dict:
    """Counts of a notification's deliveries: per channel, per status, acknowledged."""
    out: dict[str, Any] = {"total": 0, "acknowledged": 0, "channels": {}, "status": {}}
    for d in notification.deliveries.all():
        out["total"] += 1
        out["acknowledged"] += d.acknowledged_at is not None
        out["channels"][d.channel] = out["channels"].get(d.channel, 0) + 1
        out["status"][d.status] = out["status"].get(d.status, 0) + 1
    return out
