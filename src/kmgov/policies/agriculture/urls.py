from django.urls import path

from kmgov.procedures import caseviews

from . import views
from .models import AgricultureClaim

app_name = "agriculture"
M = {"model": AgricultureClaim}


def _extra(request, case):
    return {"lines": case.lines.select_related("township"), "plan": case.plan_status()}


urlpatterns = [
    path("agriculture/claims/", caseviews.case_list, M, name="claims"),
    path("agriculture/claims/<str:reference>/", caseviews.case_detail,
         {**M, "template": "agriculture/claim_detail.html", "extra": _extra}, name="claim"),
    path("agriculture/imports/<int:import_id>/", views.import_progress, name="import"),
]
