"""Structured logs (issue 15 item 6): one JSON object per line on stderr, each carrying the id
of the request it belongs to.

- `RequestIdMiddleware` (first in settings.MIDDLEWARE) takes the caller's `X-Request-ID` when
  it is a plain token (letters, digits, `-_.:`; at most 128 characters; a reverse proxy sets
  it), or makes one, keeps it in a context variable for the request's duration, and returns it
  in the response's `X-Request-ID`;
- `RequestIdFilter` puts it on every log record (`request_id`, "-" outside a request);
- `JsonFormatter` writes time (UTC, ISO 8601), level, logger, message, request id, the
  record's own extra fields, and the traceback (`exc_info`) as text;
- every 5xx is logged by Django's own `django.request` logger (an uncaught exception with its
  traceback, a view's own 5xx answer without one); settings.LOGGING sends it through this
  formatter, with the request's method, path and the status.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import traceback
import uuid

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("kmgov_request_id", default="-")
_TOKEN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
HEADER = "HTTP_X_REQUEST_ID"

# Attributes every LogRecord has; anything else on a record was passed as `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime",
                                                                        "request_id"}


def request_id() -> str:
    return REQUEST_ID.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs a 4xx after the middleware has returned: its request says
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", REQUEST_ID.get()),
        }
        for key, value in vars(record).items():
            if key == "request" and hasattr(value, "path"):  # django.request's records
                out["method"], out["path"] = getattr(value, "method", None), value.path
            elif key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            out["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            out["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        elif record.exc_text:
            out["traceback"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get(HEADER, "")
        rid = given if _TOKEN.match(given) else uuid.uuid4().hex
        request.request_id = rid
        token = REQUEST_ID.set(rid)
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        response["X-Request-ID"] = rid
        return response
