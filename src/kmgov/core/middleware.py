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
