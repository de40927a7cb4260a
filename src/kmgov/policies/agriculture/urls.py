from django.urls import path
from django.views.generic import RedirectView

from kmgov.procedures import caseviews

from . import views
from .models import AgricultureClaim

app_name = "agriculture"
M = {"model": AgricultureClaim}


def _extra(request, case):
    return {"lines": case.lines.select_related("township"), "plan": case.plan_status()}


urlpatterns = [
    # the module's address (README tour) leads to its main list
    path("agriculture/", RedirectView.as_view(url="/agriculture/claims/", permanent=False), name="index"),
    path("agriculture/claims/", caseviews.case_list, M, name="claims"),
    path("agriculture/claims/<str:reference>/", caseviews.case_detail,
         {**M, "template": "agriculture/claim_detail.html", "extra": _extra}, name="claim"),
    path("agriculture/imports/<int:import_id>/", views.import_progress, name="import"),
]
