"""The JSON API of the notification outbox (on the procedures router): one's own inbox
messages and their acknowledgement (`kmgov.procedures.notify`)."""

from __future__ import annotations

from ninja import Query, Schema

from kmgov.core.api_auth import LOGIN_REQUIRED

from . import notify
from .api import ErrorOut, router
from .paging import offset_param


class DeliveryOut(Schema):
    id: int
    subject: str
    body: str
    source: str
    ref: str
    channel: str
    status: str
    sent_at: str | None
    acknowledged_at: str | None


class AckIn(Schema):
    note: str = ""


def _out(d) -> DeliveryOut:
    return DeliveryOut(id=d.pk, subject=d.notification.subject, body=d.notification.body,
                       source=d.notification.source, ref=d.notification.ref, channel=d.channel,
                       status=d.status, sent_at=d.sent_at.isoformat() if d.sent_at else None,
                       acknowledged_at=d.acknowledged_at.isoformat() if d.acknowledged_at else None)


@router.get("/notifications", response=list[DeliveryOut], auth=LOGIN_REQUIRED,
            summary="我的通知（站内消息）")
def notifications(request, limit: int = Query(200, ge=1, le=1000),
                  offset: int = offset_param()):
    return [_out(d) for d in notify.inbox_of(request.user)[offset:offset + limit]]


@router.post("/notifications/{delivery_id}/ack", response={200: DeliveryOut, 400: ErrorOut, 404: ErrorOut},
             auth=LOGIN_REQUIRED, summary="确认收到一条通知（本人，或发送单位代为确认并说明方式）")
def acknowledge(request, delivery_id: int, body: AckIn):
    return _out(notify.delivery_acknowledge(delivery_id, actor=request.user, note=body.note))
