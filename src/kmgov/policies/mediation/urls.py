from django.urls import path
from django.views.generic import RedirectView

from kmgov.procedures import caseviews

from . import views
from .models import MediationClaim, MediationReport

app_name = "mediation"
C = {"model": MediationClaim}
R = {"model": MediationReport}

urlpatterns = [
    # the module's address (README tour) leads to its main list
    path("mediation/", RedirectView.as_view(url="/mediation/claims/", permanent=False), name="index"),
    path("mediation/records/", views.records, name="records"),
    path("mediation/claims/", caseviews.case_list, {**C, "template": "mediation/claims.html"},
         name="claims"),
    path("mediation/claims/<str:reference>/", caseviews.case_detail,
         {**C, "template": "mediation/claim_detail.html", "extra": views.claim_extra}, name="claim"),
    path("mediation/reports/", caseviews.case_list, R, name="reports"),
    path("mediation/reports/<str:reference>/", caseviews.case_detail, R, name="report"),
]
