"""Refusals: the one error type every channel renders the same way.

A refusal says, in Chinese, what was refused and why, names the field or condition when there
is one, and carries the HTTP status it stands for. The kernel's own refusals derive from it
(`procedures.errors.ProcedureError`, `rules.errors.RuleError`, `gazette.parsed.GazetteParseError`),
and every channel renders it once:

- the JSON API: `{"detail": message, "field": field, "code": code}` with `status`
  (`kmgov.site.refusals.install`, one exception handler);
- the web pages: the Chinese refusal page in the site's layout, with `status`
  (`kmgov.site.middleware.RefusalMiddleware`; 403/404/400/500 pages come from the same template);
- the CLI: `CommandError(display, returncode=2)` (`command_error` below; `kmgov` itself turns an
  uncaught refusal into the same line and exit code 2).
"""

from __future__ import annotations


class Refusal(Exception):
    status = 400
    code = "invalid"
    #: What the page's heading says for this kind of refusal.
    title = "无法办理"

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code

    def as_dict(self) -> dict:
        return {"detail": self.message, "field": self.field, "code": self.code}

    def display(self) -> str:
        """One line for people: the message, prefixed by the field when it names one."""
        return f"{self.field}：{self.message}" if self.field else self.message


class InvalidInput(Refusal):
    """What was submitted cannot be taken as it is (a field missing, malformed, out of range)."""

    status = 422
    code = "invalid_input"
    title = "提交的内容有误"


class NotFound(Refusal):
    """Not there, or not within the caller's reach (the two look alike on purpose)."""

    status = 404
    code = "not_found"
    title = "没有找到"


class Forbidden(Refusal):
    """The caller may see it but may not do this."""

    status = 403
    code = "denied"
    title = "无权操作"


def command_error(exc: Refusal):
    """The CLI's rendering of a refusal: its line, exit code 2 (as `kmgov gazette` does)."""
    from django.core.management import CommandError

    return CommandError(exc.display(), returncode=2)


def form_status(exc=None) -> int:
    """The status of a page that shows a refused HTML form again with its errors and what was
    typed: 403 when the refusal is about who may act (`Forbidden`, Django's `PermissionDenied`),
    409 when the thing changed meanwhile (a stale step form, a building another applicant
    holds), else 400 — whatever status the refusal carries for the API (422 invalid input).
    One rule for every module's forms (docs/architecture.md)."""
    from django.core.exceptions import PermissionDenied

    if isinstance(exc, PermissionDenied) or getattr(exc, "status", None) == 403:
        return 403
    return 409 if getattr(exc, "status", None) == 409 else 400


def field_errors(exc) -> dict[str, str]:
    """A refusal or a Django `ValidationError` as {field: Chinese message} for a form to show
    beside each field (`__all__` for what names no field): a refusal's list of errors
    (`StepInputInvalid.errors`, keyed by the top field of a nested name), else its one field;
    a ValidationError's dict. Pages re-render the form with these and what was typed."""
    out: dict[str, str] = {}
    errors = getattr(exc, "errors", None)
    if isinstance(exc, Refusal):
        if isinstance(errors, list) and errors:
            for e in errors:
                name = str(e.get("field") or "__all__").split(".")[0]
                out[name] = f"{out[name]}；{e['message']}" if name in out else e["message"]
        else:
            out[exc.field or "__all__"] = exc.message
        return out
    if hasattr(exc, "error_dict"):
        return {name: "；".join(msgs) for name, msgs in exc.message_dict.items()}
    if hasattr(exc, "messages"):
        return {"__all__": "；".join(exc.messages)}
    return {"__all__": str(exc)}
