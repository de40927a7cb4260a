"""The JSON API under /api/v1/ (OpenAPI at /api/v1/openapi.json). Kernel routers are mounted
here; policy modules add theirs through `kmgov.registry`."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI

from kmgov.core.api import router as core_router
from kmgov.gazette.api import router as gazette_router

api = NinjaAPI(
    title="kmgov API",
    version="1",
    description="昆明市人民政府公报（2010年第15号）所设各项制度的接口。",
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权操作"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=400)


api.add_router("/", core_router)
api.add_router("/gazette", gazette_router)

from kmgov.hotline.api import install as _install_hotline  # noqa: E402

_install_hotline(api)
