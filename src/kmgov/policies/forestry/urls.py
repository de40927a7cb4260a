from django.urls import path

from kmgov.procedures import caseviews

from .models import ForestProject

app_name = "forestry"
M = {"model": ForestProject}

urlpatterns = [
    path("forestry/projects/", caseviews.case_list, M, name="projects"),
    path("forestry/projects/<str:reference>/", caseviews.case_detail, M, name="project"),
]
