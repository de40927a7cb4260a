from django.urls import path

from kmgov.procedures import caseviews

from . import views
from .models import Inspection, Rectification

app_name = "construction"
INSPECTION = {"model": Inspection}
RECTIFICATION = {"model": Rectification}

urlpatterns = [
    path("construction/", views.overview, name="overview"),
    path("construction/projects.xlsx", views.projects_export, name="projects_export"),
    path("construction/projects/<str:code>/", views.project_detail, name="project"),
    path("construction/report/", views.city_report, name="city_report"),
    path("construction/inspections/", caseviews.case_list, INSPECTION, name="inspections"),
    path("construction/inspections/<str:reference>/", caseviews.case_detail,
         {**INSPECTION, "template": "construction/inspection_detail.html",
          "extra": views.inspection_extra}, name="inspection"),
    path("construction/rectifications/", caseviews.case_list, RECTIFICATION, name="rectifications"),
    path("construction/rectifications/<str:reference>/", caseviews.case_detail, RECTIFICATION,
         name="rectification"),
]
