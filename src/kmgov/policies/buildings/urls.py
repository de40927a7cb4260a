from django.urls import path

from . import register_views, views

app_name = "buildings"

urlpatterns = [
    path("buildings/register/", register_views.register_list, name="register"),
    path("buildings/register/import/", register_views.register_import, name="register_import"),
    path("buildings/register/export.xlsx", register_views.register_export,
         name="register_export"),
    path("buildings/register/<int:pk>/", register_views.register_detail, name="register_detail"),
    path("buildings/targets/", register_views.targets, name="targets"),
] + [path(f"buildings/{p.pattern}", p.callback, name=p.name) for p in views.pages]
