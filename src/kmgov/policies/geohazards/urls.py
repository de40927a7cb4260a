from django.urls import path
from django.views.generic import RedirectView

from kmgov.procedures import caseviews

from . import views
from .models import QuickReport

app_name = "geohazards"
R = {"model": QuickReport}

urlpatterns = [
    # the module's address (README tour) leads to its register
    path("geohazards/", RedirectView.as_view(url="/geohazards/points/", permanent=False), name="index"),
    path("geohazards/points/", views.points, name="points"),
    path("geohazards/points/export.<str:fmt>", views.points_export, name="export"),
    path("geohazards/reports/new/", views.report_new, name="report_new"),
    path("geohazards/points/new/", views.point_edit, name="point_new"),
    path("geohazards/points/<str:code>/", views.point_detail, name="point"),
    path("geohazards/points/<str:code>/edit/", views.point_edit, name="point_edit"),
    path("geohazards/points/<str:code>/cards/<str:kind>.pdf", views.point_card, name="card"),
    path("geohazards/points/<str:code>/plans/<int:plan_id>/", views.plan_download, name="plan"),
    path("geohazards/map/", views.map_page, name="map"),
    path("geohazards/warnings/", views.warnings, name="warnings"),
    path("geohazards/warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("geohazards/duty/", views.duty, name="duty"),
    path("geohazards/reports/", caseviews.case_list, {**R, "template": "geohazards/reports.html"},
         name="reports"),
    path("geohazards/reports/<str:reference>/", caseviews.case_detail, R, name="report"),
]
