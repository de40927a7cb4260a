from django.urls import path
from django.views.generic import RedirectView

from kmgov.procedures import caseviews

from . import views
from .models import ForestProject

app_name = "forestry"
M = {"model": ForestProject}


def _extra(request, case):
    return {"certificates": case.transport_certificates.all()}

urlpatterns = [
    # the module's address (README tour) leads to its main list
    path("forestry/", RedirectView.as_view(url="/forestry/projects/", permanent=False), name="index"),
    path("forestry/projects/", caseviews.case_list, M, name="projects"),
    path("forestry/projects/<str:reference>/", caseviews.case_detail,
         {**M, "template": "forestry/project_detail.html", "extra": _extra}, name="project"),
    path("forestry/projects/<str:reference>/transport/<str:number>.pdf",
         views.transport_certificate, name="transport_certificate"),
]
