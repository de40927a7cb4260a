"""One way to show a refusal (`kmgov.core.errors.Refusal`) in each channel of the site:
the JSON API (`install`), the web pages (`render_refusal`, used by the middleware and by the
400/403/404/500 handlers), the CLI (`kmgov.core.errors.command_error`, and `kmgov.cli`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_noop as _noop

from kmgov.core.errors import Refusal

#: The heading of the page for each status, when the refusal does not give its own (Chinese;
#: site/refusal.html translates it when English is chosen).
TITLES = {
    400: _noop("请求有误"),
    403: _noop("无权访问"),
    404: _noop("没有找到该页面"),
    405: _noop("此地址不能直接打开"),
    409: _noop("状态已变化"),
    422: _noop("提交的内容有误"),
    429: _noop("操作过于频繁"),
    500: _noop("服务器内部错误"),
}
#: What the reader can do next, per status.
HINTS = {
    400: _noop("请检查网址或所填内容后重试。"),
    403: _noop("您的账号没有办理此事项的权限。如需办理，请联系本单位管理员。"),
    404: _noop("该页面或事项不存在，或不在您的查看范围内。"),
    405: _noop("此地址只接收表单的提交。请回到原来的页面，在页面的表单中办理。"),
    409: _noop("他人已先行办理，请刷新页面查看最新状态。"),
    422: _noop("请按提示修改所填内容后重新提交。"),
    429: _noop("请稍后再试。"),
    500: _noop("系统出现错误，已记录。请稍后再试，或联系系统管理员。"),
}


def install(api) -> None:
    """The API's exception handlers: every refusal as {"detail", "field", "code"} with its
    status; Django's PermissionDenied as 403 and ValidationError as 400 in the same words."""

    @api.exception_handler(Refusal)
    def _refusal(request, exc: Refusal):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        body = {"detail": str(exc) or "无权操作"}
        if getattr(exc, "code", None):
            body["code"] = exc.code
        return api.create_response(request, body, status=403)

    @api.exception_handler(ValidationError)
    def _invalid(request, exc):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(request, {"detail": detail}, status=400)


def render_refusal(request, exc: Refusal | None = None, *, status: int | None = None,
                   message: str = ""):
    """The Chinese error page in the site's layout (`site/refusal.html`, which 400.html …
    500.html extend), with the refusal's status."""
    status = status or (exc.status if exc is not None else 400)
    title = getattr(exc, "title", None) if exc is not None else None
    if exc is not None and type(exc).title == Refusal.title:
        title = None  # a plain refusal: the status says more than the generic heading
    ctx = {
        "status": status,
        "title": title or TITLES.get(status, "无法办理"),
        "message": (exc.message if exc is not None else message) or "",
        "field": getattr(exc, "field", None),
        "code": getattr(exc, "code", None),
        "hint": HINTS.get(status, ""),
    }
    return render(request, f"{status}.html" if status in (400, 403, 404, 500)
                  else "site/refusal.html", ctx, status=status)
