"""Content Security Policy (issue 15 item 6), our own middleware (a header, nothing more).

Scripts and styles come only from the site's own static files (`script-src 'self'`,
`style-src 'self'`: no 'unsafe-inline', no eval): no template holds an inline `<script>`, an
`on*=` attribute, a `style=` attribute or a `<style>` element (tests/web/test_no_inline_code.py),
and tests/browser/test_csp.py loads the chart, map, console and API documentation pages in
Chromium with no violation. Scripts may still set styles through the CSSOM (ECharts does),
which CSP allows. A page that could not do without an inline script would mark it with the
per-request nonce `request.csp_nonce`, which the header names (none needs it now; django-ninja's
Swagger UI loads its scripts from static files). Images may be `data:` or `blob:` URIs (charts
exported as PNG). Frames, plugins, other origins: none.
`KMGOV_CSP_REPORT_URI`, when set, receives the browsers' violation reports.
"""

from __future__ import annotations

import secrets

from django.conf import settings


def policy(nonce: str) -> str:
    parts = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    report = getattr(settings, "KMGOV_CSP_REPORT_URI", "")
    if report:
        parts.append(f"report-uri {report}")
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy(nonce)
        return response
