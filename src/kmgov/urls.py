from django.contrib import admin
from django.urls import include, path

from kmgov.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kmgov.web.urls")),
    path("", include("kmgov.gazette.urls")),
    path("", include("kmgov.procedures.urls")),
    path("", include("kmgov.rules.urls")),
    path("", include("kmgov.policies.headquarters.urls")),
    path("", include("kmgov.policies.buildings.urls")),
    path("", include("kmgov.policies.forestry.urls")),
    path("", include("kmgov.policies.agriculture.urls")),
    path("", include("kmgov.policies.mediation.urls")),
    path("", include("kmgov.hotline.urls")),
]
