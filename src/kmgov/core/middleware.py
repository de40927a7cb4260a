from django.utils.functional import SimpleLazyObject

from .models import ApiToken


def _token_user(key):
    token = ApiToken.objects.select_related("user").filter(key=key, user__is_active=True).first()
    return token.user if token else None


class BearerTokenMiddleware:
    """`Authorization: Bearer <key>` acts as the token's user. Such a request carries no
    cookie-borne credentials, so it is exempt from CSRF checks; a wrong key is a 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Bearer "):
            user = _token_user(header[7:].strip())
            if user is None:
                from django.http import JsonResponse

                return JsonResponse({"detail": "无效的访问令牌 (invalid bearer token)"}, status=401)
            request.user = SimpleLazyObject(lambda: user)
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character can be stored by no text column of PostgreSQL (and means nothing in a
    Chinese form): refuse it wherever a request carries text — path, query string, and
    form or JSON bodies — with a 400 naming the problem, before any view runs. Uploaded files
    (multipart) are binary and are judged by the attachment checks instead."""

    TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from urllib.parse import unquote

        where = None
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            where = "网址或查询参数 (path or query)"
        elif request.content_type.startswith(self.TEXT_BODIES):
            body = request.body
            encoded_nul = b"%00" if "urlencoded" in request.content_type else b"\\u0000"
            if b"\x00" in body or encoded_nul in body:
                where = "请求内容 (body)"
        if where:
            from django.http import JsonResponse

            return JsonResponse(
                {"detail": f"{where}含有空字符（NUL），无法处理 (NUL character refused)"},
                status=400)
        return self.get_response(request)
