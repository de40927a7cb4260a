from django.conf import settings

from kmgov.core.errors import Refusal

from .refusals import render_refusal

#: Channels that answer in their own format (JSON, XML): their 405 is left as it is.
OWN_FORMAT = ("/api/", "/open311/")


class RefusalMiddleware:
    """A refusal a page's view did not handle itself becomes the refusal page, with its status
    (the API renders its own through its exception handler, before this sees anything).

    So does a page's bare 405: an address that only takes a form's POST (a step, an upload,
    the 96128 console's missed calls), opened with GET from a bookmark or the history, answers
    the refusal page in the layout, still 405 and naming the methods it allows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 405 and not getattr(response, "streaming", False)
                and not response.content and not request.path.startswith(OWN_FORMAT)):
            page = render_refusal(request, status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Refusal) and not (settings.DEBUG and exception.status >= 500):
            return render_refusal(request, exception)
        return None
