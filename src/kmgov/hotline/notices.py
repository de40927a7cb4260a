"""What the desk sends through the kernel's outbox (`kmgov.procedures.notify`): the caller's
receipt (number and check code), the answer, the closing result and a merge, to the contact
the caller gave (e-mail through Django's mail backend, SMS through the gateway for a mobile
number, the inbox for a logged-in citizen); and the reminders and escalations of the reply
periods to the officials awaited (each delivery a `Delivery` row, preferences honoured)."""

from __future__ import annotations

import re

from django.db import transaction

from kmgov.procedures.notify import Recipient, notify

SOURCE = "hotline"
_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FOLLOW_UP = "可在 96128 公众服务页面（/hotline/）凭工单号和查询码查询办理进度。"


def _caller(ticket) -> Recipient | None:
    phone = (ticket.caller_phone or "").replace(" ", "").replace("-", "")
    email = (ticket.caller_email or "").strip()
    user = ticket.applicant if ticket.applicant_id else None
    r = Recipient(name=ticket.caller_name or "来电人", role="来电人",
                  phone=phone if _MOBILE.match(phone) else "",
                  email=email if _EMAIL.match(email) else "", user=user)
    return r if (r.phone or r.email or r.user) else None


def to_caller(ticket, *, subject: str, body: str, actor=None, now=None):
    """One message to the caller by every contact they gave; None when they gave none."""
    r = _caller(ticket)
    if r is None:
        return None
    return notify([r], subject=subject, body=body, source=SOURCE, ref=ticket.number,
                  org=ticket.org, actor=actor, now=now)


def receipt(ticket, *, actor=None, now=None):
    return to_caller(ticket, subject=f"96128 已受理您的诉求（工单号 {ticket.number}）",
                     body=f"您的诉求已受理。工单号：{ticket.number}，查询码：{ticket.check_code}。"
                          + FOLLOW_UP, actor=actor, now=now)


def answered(ticket, *, actor=None, now=None):
    return to_caller(ticket, subject=f"96128 答复（工单号 {ticket.number}）",
                     body=ticket.answer_text, actor=actor, now=now)


def finished(ticket, *, actor=None, now=None):
    """The closing result to the caller, and to the callers of the duplicates merged into it."""
    to_caller(ticket, subject=f"96128 工单已办结（工单号 {ticket.number}）", body=ticket.result,
              actor=actor, now=now)
    for dup in ticket.duplicates.all():
        to_caller(dup, subject=f"96128 工单已办结（工单号 {dup.number}）",
                  body=f"与您的诉求合并办理的工单已办结：{ticket.result}", actor=actor, now=now)


def merged(ticket, master, *, actor=None, now=None):
    return to_caller(ticket, subject=f"96128 工单已合并办理（工单号 {ticket.number}）",
                     body=ticket.result, actor=actor, now=now)


# --- officials: the reply period's reminders and escalations ------------------------------


def _officials(deadline) -> list[Recipient]:
    from kmgov.core.models import RoleAssignment

    if deadline.target_user_id:
        u = deadline.target_user
        return [Recipient(name=u.get_full_name() or u.username, user=u, email=u.email or "")]
    rows = (RoleAssignment.objects.filter(role=deadline.target_role, org=deadline.target_org)
            .select_related("user"))
    return [Recipient(name=a.user.get_full_name() or a.user.username,
                      role=a.get_role_display(), user=a.user, email=a.user.email or "",
                      phone=a.phone or "")
            for a in rows if a.user.is_active]


def deadline_fired(sender, deadline, item=None, **kwargs):
    """Receiver of the kernel's `deadline_fired` (sent on commit after the sweep): a ticket's
    reminder or escalation also goes out through the outbox to the people it targets."""
    from django.contrib.contenttypes.models import ContentType

    from kmgov.procedures.models import DeadlineKind

    from .models import Ticket

    if deadline.content_type_id != ContentType.objects.get_for_model(Ticket).pk:
        return
    recipients = _officials(deadline)
    if not recipients:
        return
    kind = "催办" if deadline.kind == DeadlineKind.REMINDER else "超期督办"
    with transaction.atomic():
        notify(recipients, subject=f"96128 工单{kind}（{deadline.case_reference}）",
               body=deadline.message, source=SOURCE, ref=deadline.case_reference,
               org=deadline.target_org)
