from django.conf import settings

from kmgov.core.errors import Refusal

from .refusals import render_refusal


class RefusalMiddleware:
    """A refusal a page's view did not handle itself becomes the refusal page, with its status
    (the API renders its own through its exception handler, before this sees anything)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refusal) and not (settings.DEBUG and exception.status >= 500):
            return render_refusal(request, exception)
        return None
