from django.urls import path

from . import kb_views, open311, views

app_name = "hotline"

urlpatterns = [
    path("hotline/", views.public, name="public"),
    path("hotline/t/<str:number>/files/<int:pk>/", views.public_file, name="public_file"),
    path("hotline/console/", views.console, name="console"),
    path("hotline/console/t/<str:number>/", views.console_ticket, name="console_ticket"),
    path("hotline/console/missed/", views.missed_calls, name="missed_calls"),
    path("hotline/units/", views.units, name="units"),
    path("hotline/desk/", views.desk, name="desk"),
    path("hotline/desk/t/<str:number>/", views.desk_ticket, name="desk_ticket"),
    path("hotline/dashboard/", views.dashboard, name="dashboard"),
    path("hotline/kb/", kb_views.kb_list, name="kb_list"),
    path("hotline/kb/new/", kb_views.kb_new, name="kb_new"),
    path("hotline/kb/<slug:key>/", kb_views.kb_entry, name="kb_entry"),
    path("hotline/dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    # Open311 GeoReport v2 (JSON and XML, chosen by the extension).
    path("open311/v2/discovery.<str:fmt>", open311.discovery, name="o311_discovery"),
    path("open311/v2/services.<str:fmt>", open311.services_list, name="o311_services"),
    path("open311/v2/services/<str:code>.<str:fmt>", open311.service_definition,
         name="o311_service"),
    path("open311/v2/requests.<str:fmt>", open311.requests_view, name="o311_requests"),
    path("open311/v2/requests/<str:rid>.<str:fmt>", open311.request_one, name="o311_request"),
    path("open311/v2/tokens/<str:token>.<str:fmt>", open311.token_view, name="o311_token"),
]
