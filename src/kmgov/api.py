"""The JSON API under /api/v1/ (OpenAPI at /api/v1/openapi.json): the kernel's routers and
each policy module's, mounted here (this channel module may name policies; the kernel never does)."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI

from kmgov.core.api import router as core_router
from kmgov.gazette.api import router as gazette_router
from kmgov.hotline.api import install as _install_hotline
from kmgov.policies.agriculture.api import router as agriculture_router
from kmgov.policies.buildings.api import router as buildings_router
from kmgov.policies.forestry.api import router as forestry_router
from kmgov.policies.headquarters.api import router as headquarters_router
from kmgov.policies.mediation.api import router as mediation_router
from kmgov.procedures.api import render_error as _procedure_refusal
from kmgov.procedures.api import router as procedures_router
from kmgov.procedures.errors import ProcedureError
from kmgov.rules.api import router as rules_router

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


@api.exception_handler(ProcedureError)
def _procedure_error(request, exc):
    return _procedure_refusal(api, request, exc)


api.add_router("/", core_router)
api.add_router("/", procedures_router)
api.add_router("/gazette", gazette_router)
api.add_router("/rules", rules_router)
api.add_router("/headquarters", headquarters_router)
api.add_router("/buildings", buildings_router)

api.add_router("/forestry", forestry_router)
api.add_router("/agriculture", agriculture_router)
api.add_router("/mediation", mediation_router)

_install_hotline(api)
