"""Authentication for JSON endpoints that change things: a bearer token or a logged-in session
(with its CSRF token). Reads use the user the middleware has put on the request, anonymous
included, and apply scope in their selectors."""

from ninja.security import HttpBearer, django_auth

from .middleware import _token_user


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        # The middleware has looked the same token up for this request already: one query.
        known = getattr(request, "_kmgov_bearer", None)
        if known is not None and known[0] == token:
            return known[1]
        return _token_user(token)


LOGIN_REQUIRED = [BearerAuth(), django_auth]
