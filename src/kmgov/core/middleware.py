import datetime as dt
import functools
import json
import re

from django.utils.functional import SimpleLazyObject

from .models import ApiToken


def _token_user(key):
    """The active user of a live token (not revoked, not expired), or None. Its last use is
    noted at most once an hour (not a write per request).

    One raw SELECT, its text built once per process (every API request with a token runs it:
    building the ORM's join, filters and two instances cost more CPU than the query itself).
    It returns the user's row, the token's id and whether its last use is over an hour old;
    the user is made by the ORM from that row (its fields' converters applied)."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    rows = list(_token_user_model().objects.raw(
        _token_sql(), [adapt(now - _HOUR), ApiToken.digest(key), adapt(now), True]))
    if not rows:
        return None
    user = rows[0]
    if user.kmgov_token_stale:
        ApiToken.objects.filter(pk=user.kmgov_token_id).update(last_used_at=now)
    del user.kmgov_token_id, user.kmgov_token_stale
    return user


def _token_user_model():
    return ApiToken._meta.get_field("user").related_model


_HOUR = dt.timedelta(hours=1)


@functools.cache
def _token_sql() -> str:
    from django.db import connection

    qn = connection.ops.quote_name
    user = _token_user_model()._meta
    token = ApiToken._meta
    f = {name: qn(token.get_field(name).column)
         for name in ("id", "user", "key_hash", "revoked_at", "expires_at", "last_used_at")}
    cols = ", ".join(f"u.{qn(field.column)}" for field in user.concrete_fields)
    return (f"SELECT {cols}, t.{f['id']} AS kmgov_token_id, "
            f"(t.{f['last_used_at']} IS NULL OR t.{f['last_used_at']} < %s) AS kmgov_token_stale "
            f"FROM {qn(token.db_table)} t INNER JOIN {qn(user.db_table)} u "
            f"ON u.{qn(user.pk.column)} = t.{f['user']} "
            f"WHERE t.{f['key_hash']} = %s AND t.{f['revoked_at']} IS NULL "
            f"AND (t.{f['expires_at']} IS NULL OR t.{f['expires_at']} > %s) "
            f"AND u.{qn(user.get_field('is_active').column)} = %s "
            f"ORDER BY t.{f['id']} LIMIT 1")


class IdleTimeoutMiddleware:
    """A signed-in browser session ends after settings.KMGOV_SESSION_IDLE_MINUTES without a
    request; the time of the last request is kept in the session, written at most once a
    minute (not a session write per request)."""

    KEY = "kmgov_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.conf import settings
        from django.contrib.auth import logout

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.KMGOV_SESSION_IDLE_MINUTES * 60:
                logout(request)  # then the request goes on as an anonymous one
            elif last is None or now - last >= 60:
                request.session[self.KEY] = now
        return self.get_response(request)


class BearerTokenMiddleware:
    """`Authorization: Bearer <key>` acts as the token's user. Such a request carries no
    cookie-borne credentials, so it is exempt from CSRF checks; a wrong key is a 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Bearer "):
            key = header[7:].strip()
            user = _token_user(key)
            request._kmgov_bearer = (key, user)  # for the API's BearerAuth (api_auth)
            if user is None:
                from django.http import JsonResponse

                return JsonResponse({"detail": "无效的访问令牌 (invalid bearer token)"}, status=401)
            request.user = SimpleLazyObject(lambda: user)
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)


class DropNulMiddleware:
    """NUL characters can be stored by no text column of PostgreSQL and mean nothing in a
    Chinese form (they come from pasted or transcribed text): drop them from the query string
    and from form and JSON bodies before any view reads them, as the hotline drops other control
    characters; a path holding one names no page and is refused with a 400. Uploaded files
    (multipart) are binary and are judged by the attachment checks instead."""

    TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            from django.http import JsonResponse

            return JsonResponse({"detail": "网址含有空字符（NUL） (NUL character in the path)"},
                                status=400)
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            request.META["QUERY_STRING"] = query.replace("%00", "").replace("\x00", "")
        if request.content_type.startswith(self.TEXT_BODIES):
            body = request.body
            encoded = b"%00" if "urlencoded" in request.content_type else b"\\u0000"
            if b"\x00" in body or encoded in body:
                # HttpRequest.body returns _body once it is read; the views see the clean text.
                request._body = body.replace(b"\x00", b"").replace(encoded, b"")
            if "json" in request.content_type and (b"\\ud" in body or b"\\uD" in body):
                field = lone_surrogate_field(request._body if hasattr(request, "_body") else body)
                if field is not None:
                    from django.http import JsonResponse

                    return JsonResponse({"detail": f"{field or '正文'}：含有无法存储的字符（孤立的"
                                                   f"UTF-16 代理项） (lone surrogate in the text)",
                                         "field": field, "code": "invalid_text"}, status=400)
        return self.get_response(request)


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_field(body: bytes) -> str | None:
    """The dotted path of the first string (or key) of a JSON body holding a lone UTF-16
    surrogate (an escape such as \\ud800 without its pair), "" for the body itself, None when
    there is none or the body is not JSON (the view reports that). No database can store such
    a character (PostgreSQL refuses it), and no keyboard types one."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    stack = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return path
        elif isinstance(value, dict):
            for key, item in value.items():
                here = f"{path}.{key}" if path else str(key)
                if _SURROGATE.search(key):
                    return _SURROGATE.sub("?", here)
                stack.append((here, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value))
    return None
