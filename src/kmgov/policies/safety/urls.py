from django.urls import path

from kmgov.procedures import caseviews

from . import views
from .models import ZERO_REPORTS, Warning

app_name = "safety"

urlpatterns = [
    path("safety/", views.index, name="index"),
    path("safety/consolidated/", views.consolidated, name="consolidated"),
    path("safety/counties/", views.counties, name="counties"),
    path("safety/units/<slug:code>/", views.unit, name="unit"),
    path("safety/reports/<int:n>/<str:reference>/pdf/", views.report_pdf, name="report_pdf"),
    *[path(f"safety/reports/{n}/<str:reference>/", caseviews.case_detail,
           {"model": model, "template": "safety/report_detail.html", "extra": views.report_extra},
           name=f"report_{n}") for n, model in ZERO_REPORTS.items()],
    path("safety/warnings/", views.ledger, name="ledger"),
    path("safety/warnings/new/", views.warning_new, name="warning_new"),
    path("safety/warnings/<str:reference>/notice/", views.notice_pdf, name="notice_pdf"),
    path("safety/warnings/<str:reference>/", caseviews.case_detail,
         {"model": Warning, "template": "safety/warning_detail.html",
          "extra": views.warning_extra}, name="warning"),
    path("safety/accidents/", views.accidents, name="accidents"),
]
