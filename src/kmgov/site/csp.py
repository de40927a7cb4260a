"""Content Security Policy (issue 15 item 6), our own middleware (a header, nothing more).

Scripts run only from the site's own static files (`script-src 'self'`, no 'unsafe-inline', no
eval): no template holds an inline `<script>` or an `on*=` attribute (tests/site/test_csp.py
checks the templates, and a browser test loads the chart and map pages with no violation).
A page that cannot do without an inline script (django-ninja's Swagger UI at /api/v1/docs)
marks it with the per-request nonce `request.csp_nonce`, which the header names. Styles may be
inline (`style=` attributes of the layout and the charts' containers): CSS cannot run code.
Images may be `data:` URIs (charts exported as PNG). Frames, plugins, other origins: none.
`KMGOV_CSP_REPORT_URI`, when set, receives the browsers' violation reports.
"""

from __future__ import annotations

import secrets

from django.conf import settings


def policy(nonce: str) -> str:
    parts = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
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
