"""Login throttling (django-axes) for every way of signing in with a password.

django-axes's backend needs the request (the address it counts); Django's own `authenticate`
callers without one — `Client.login` in tests, a management command — are not a login form an
attacker can reach, so they pass through to the next backend instead of failing."""

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
