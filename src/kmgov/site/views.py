"""The site's error pages (handler400/403/404/500 in kmgov.urls): Chinese, in the site's
layout, with the status code Django chose. The message of a Http404 or PermissionDenied raised
by a view (Chinese in this project) is shown; for 500 nothing of the exception is."""

from django.http import HttpResponseServerError
from django.template.loader import render_to_string

from .refusals import render_refusal


def _message(exception) -> str:
    if exception is None:
        return ""
    args = getattr(exception, "args", ())
    if args and isinstance(args[0], str):
        return args[0]
    return ""


def bad_request(request, exception=None):
    return render_refusal(request, status=400, message=_message(exception))


def permission_denied(request, exception=None):
    return render_refusal(request, status=403, message=_message(exception))


def page_not_found(request, exception=None):
    msg = _message(exception)
    # Django's resolver says "Resolver404" with a dict; only a view's own message is shown.
    return render_refusal(request, status=404, message=msg)


def server_error(request):
    try:
        return render_refusal(request, status=500)
    except Exception:  # the layout itself failed: a plain page that needs nothing
        return HttpResponseServerError(render_to_string("site/plain_500.html"))
