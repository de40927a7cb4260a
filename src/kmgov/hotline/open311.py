"""Open311 GeoReport v2 at /open311/v2/ (JSON and XML, by extension): discovery, services,
service definition, POST a request (with api_key), token, GET requests, GET one request.

Services are the desk's topics; the request type (query, complaint …) is the service's one
attribute (`attribute[request_type]`). `agency_responsible` is the department the ticket is
with; `expected_datetime` its reply deadline. Errors use the standard's shape:
`[{"code": 400, "description": "…"}]` (XML `<errors><error>…`).
Descriptions are published only for requests that came in through Open311 itself: a caller
who phoned did not agree to have their words on a public API.
"""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element, SubElement, tostring

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from kmgov.core import calendar
from kmgov.core.ratelimit import client_ip

from . import services
from .models import DONE_STATUSES, Channel, Open311Key, RequestType, Ticket, Topic

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-25T00:00:00+08:00"
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90


class Open311Error(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description


# --- rendering ------------------------------------------------------------------------------


def _xml_value(parent, key, value):
    el = SubElement(parent, key)
    if isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is not None:
        el.text = str(value)
    return el


def _xml(root_name, item_name, items) -> bytes:
    root = Element(root_name)
    for item in items:
        node = SubElement(root, item_name)
        _xml_fill(node, item)
    return b'<?xml version="1.0" encoding="utf-8"?>' + tostring(root, encoding="unicode").encode()


def _xml_fill(node, item: dict):
    for k, v in item.items():
        if isinstance(v, list):
            holder = SubElement(node, k)
            child_name = {"attributes": "attribute", "values": "value", "endpoints": "endpoint",
                          "formats": "format"}.get(k, k[:-1])
            for x in v:
                if isinstance(x, dict):
                    _xml_fill(SubElement(holder, child_name), x)
                else:
                    _xml_value(holder, child_name, x)
        elif isinstance(v, dict):
            _xml_fill(SubElement(node, k), v)
        else:
            _xml_value(node, k, v)


def _respond(fmt, data, *, root=None, item=None, status=200):
    if fmt == "xml":
        if isinstance(data, dict):
            body = _xml_single(root, data)
        else:
            body = _xml(root, item, data)
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _xml_single(root_name, data: dict) -> bytes:
    root = Element(root_name)
    _xml_fill(root, data)
    return b'<?xml version="1.0" encoding="utf-8"?>' + tostring(root, encoding="unicode").encode()


def _error(fmt, code, description):
    return _respond(fmt, [{"code": code, "description": description}], root="errors",
                    item="error", status=code)


def _guard(view):
    def wrapped(request, *args, fmt="json", **kwargs):
        if fmt not in ("json", "xml"):
            return _error("json", 404, "格式应为 .json 或 .xml (format must be json or xml)")
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as e:
            return _error(fmt, e.code, e.description)
        except services.RateLimited as e:
            resp = _error(fmt, 429, str(e))
            resp["Retry-After"] = str(e.retry_after)
            return resp
        except ValidationError as e:
            msgs = ([f"{k}: {m}" for k, ms in e.message_dict.items() for m in ms]
                    if hasattr(e, "error_dict") else e.messages)
            return _error(fmt, 400, "；".join(msgs))
        except PermissionDenied as e:
            return _error(fmt, 403, str(e) or "forbidden")
    wrapped.__name__ = view.__name__
    return wrapped


def _iso(d: dt.datetime | None) -> str | None:
    return calendar.local(d).isoformat(timespec="seconds") if d else None


# --- views ------------------------------------------------------------------------------------


@_guard
def discovery(request, *, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": CHANGESET,
        "contact": "昆明市人民政府市长热线办公室（96128 / 12345）",
        "key_service": "向市长热线办申请 api_key (kmgov hotline key <label>)",
        "endpoints": [{"specification": SPEC, "url": base, "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    }
    return _respond(fmt, data, root="discovery")


def _service(t: Topic) -> dict:
    return {
        "service_code": t.code, "service_name": t.name,
        "description": f"{t.name}（牵头部门：{t.lead_org.name}{'；' + t.docno if t.docno else ''}）",
        "metadata": True, "type": "realtime",
        "keywords": ",".join(t.keywords), "group": t.group or "其他",
    }


@_guard
def services_list(request, *, fmt):
    topics = Topic.objects.select_related("lead_org").order_by("code")
    return _respond(fmt, [_service(t) for t in topics], root="services", item="service")


def _topic(code) -> Topic:
    t = Topic.objects.select_related("lead_org").filter(code=code).first()
    if t is None:
        raise Open311Error(404, f"没有该服务 (unknown service_code {code})")
    return t


@_guard
def service_definition(request, code, *, fmt):
    t = _topic(code)
    data = {
        "service_code": t.code,
        "attributes": [{
            "variable": True, "code": "request_type", "datatype": "singlevaluelist",
            "required": True, "datatype_description": "诉求类型", "order": 1,
            "description": "诉求类型（查询、行政审批、投诉、举报、建议、其他）",
            "values": [{"key": k, "name": v} for k, v in RequestType.choices],
        }],
    }
    return _respond(fmt, data, root="service_definition")


def _request_out(t: Ticket, *, public_text: bool) -> dict:
    closed = t.state in DONE_STATUSES
    notice = t.get_status_display()
    if t.due_at and not closed:
        notice += f"，回复期限 {calendar.local(t.due_at):%Y-%m-%d %H:%M}"
    return {
        "service_request_id": t.number,
        "status": "closed" if closed else "open",
        "status_notes": t.get_status_display(),
        "service_name": t.topic.name if t.topic else None,
        "service_code": t.topic.code if t.topic else "other",
        "description": t.text[:4000] if public_text else None,
        "agency_responsible": t.assigned_org.name if t.assigned_org else "市政府市长热线办公室（96128）",
        "service_notice": notice,
        "requested_datetime": _iso(t.received_at),
        "updated_datetime": _iso(t.closed_at if closed and t.closed_at else t.updated_at),
        "expected_datetime": _iso(t.due_at or t.reply_due_at),
        "address": None, "address_id": None, "zipcode": None, "lat": None, "long": None,
        "media_url": None,
    }


def _requests_qs():
    return Ticket.objects.select_related("topic", "assigned_org")


@csrf_exempt
@_guard
def requests_view(request, *, fmt):
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method != "GET":
        raise Open311Error(405, "method not allowed")
    qs = _requests_qs()
    ids = request.GET.get("service_request_id")
    if ids:
        qs = qs.filter(number__in=[i.strip() for i in ids.split(",") if i.strip()][:MAX_REQUESTS])
    else:
        end = _parse_dt(request.GET.get("end_date"), "end_date") or timezone.now()
        start = (_parse_dt(request.GET.get("start_date"), "start_date")
                 or end - dt.timedelta(days=DEFAULT_DAYS))
        qs = qs.filter(received_at__gte=start, received_at__lte=end)
        if request.GET.get("service_code"):
            qs = qs.filter(topic__code__in=request.GET["service_code"].split(","))
        status = request.GET.get("status")
        if status == "open":
            qs = qs.exclude(state__in=DONE_STATUSES)
        elif status == "closed":
            qs = qs.filter(state__in=DONE_STATUSES)
        elif status:
            raise Open311Error(400, "status 应为 open 或 closed")
    rows = [_request_out(t, public_text=t.api_key_id is not None)
            for t in qs.order_by("-received_at")[:MAX_REQUESTS]]
    return _respond(fmt, rows, root="service_requests", item="request")


def _parse_dt(value, name):
    if not value:
        return None
    try:
        d = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} 应为 ISO 8601 时间 (e.g. 2026-11-25T10:00:00+08:00)") from None
    return d if d.tzinfo else d.replace(tzinfo=calendar.TZ)


def _post_request(request, fmt):
    p = request.POST
    key = Open311Key.objects.filter(key=p.get("api_key", ""), active=True).first()
    if key is None:
        raise Open311Error(403, "api_key 无效 (invalid api_key)")
    topic = _topic(p.get("service_code", ""))
    request_type = p.get("attribute[request_type]") or "other"
    if request_type not in RequestType.values:
        raise Open311Error(400, "attribute[request_type] 取值无效")
    text = p.get("description", "")
    name = " ".join(x for x in (p.get("last_name", ""), p.get("first_name", "")) if x)
    address = p.get("address_string", "")
    if address:
        text = f"{text}\n地点：{address}"
    files = [(f.name, f.content_type or "", f.read()) for f in request.FILES.getlist("media")]
    t = services.ticket_create(
        channel=Channel.WEB, request_type=request_type, text=text, topic=topic,
        caller_name=name, caller_phone=p.get("phone", ""), caller_email=p.get("email", ""),
        attachments=files, source_ip=client_ip(request) or None, api_key=key)
    data = [{"service_request_id": t.number, "token": t.number,
             "service_notice": _request_out(t, public_text=True)["service_notice"],
             "account_id": None}]
    return _respond(fmt, data, root="service_requests", item="request", status=201)


@_guard
def request_one(request, rid, *, fmt):
    t = _requests_qs().filter(number=rid).first()
    if t is None:
        raise Open311Error(404, f"没有该请求 (unknown service_request_id {rid})")
    return _respond(fmt, [_request_out(t, public_text=t.api_key_id is not None)],
                    root="service_requests", item="request")


@_guard
def token_view(request, token, *, fmt):
    t = _requests_qs().filter(number=token).first()
    if t is None:
        raise Open311Error(404, "没有该 token (unknown token)")
    return _respond(fmt, [{"service_request_id": t.number, "token": token}],
                    root="service_requests", item="request")
