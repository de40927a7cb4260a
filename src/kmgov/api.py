"""The JSON API under /api/v1/ (OpenAPI at /api/v1/openapi.json): the routers every installed
app declares on its AppConfig (`contributions.api`), discovered by kmgov.site; refusals
rendered one way (kmgov.site.refusals). This module names no app."""

from ninja import NinjaAPI

from kmgov.site import discovery, refusals

api = NinjaAPI(
    title="kmgov API",
    version="1",
    description="昆明市人民政府公报（2010年第15号）所设各项制度的接口。",
    urls_namespace="api",
)

refusals.install(api)
discovery.mount_api(api)
