"""The site's URLs: the API, Django's admin, login and language switch, then the urlconf every
installed app declares on its AppConfig (`contributions.urls`, discovered by kmgov.site), and
the site's Chinese error pages."""

from django.contrib import admin
from django.urls import include, path

from kmgov.api import api
from kmgov.site import discovery, ops

urlpatterns = [
    path("healthz", ops.healthz),
    path("readyz", ops.readyz),
    path("metrics", ops.metrics),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *discovery.urlpatterns(),
]

handler400 = "kmgov.site.views.bad_request"
handler403 = "kmgov.site.views.permission_denied"
handler404 = "kmgov.site.views.page_not_found"
handler500 = "kmgov.site.views.server_error"
