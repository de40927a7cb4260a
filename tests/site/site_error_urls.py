"""A urlconf for the error-page tests: the site's own, plus views that refuse or fail."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from kmgov.core.errors import InvalidInput
from kmgov.procedures.errors import StateChanged
from kmgov.urls import handler400, handler403, handler404, handler500  # noqa: F401
from kmgov.urls import urlpatterns as site_urlpatterns


def invalid(request):
    raise InvalidInput("面积须为正数", field="面积（亩）")


def state_changed(request):
    raise StateChanged("该事项已由他人办理，当前状态：已受理")


def suspicious(request):
    raise SuspiciousOperation("bad")


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("t/invalid/", invalid),
    path("t/state-changed/", state_changed),
    path("t/suspicious/", suspicious),
    path("t/broken/", broken),
    *site_urlpatterns,
]
