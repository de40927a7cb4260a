from django.urls import path

from . import views

app_name = "construction"

urlpatterns = [
    path("construction/", views.overview, name="overview"),
    path("construction/projects.xlsx", views.projects_export, name="projects_export"),
    path("construction/projects/<str:code>/", views.project_detail, name="project"),
    path("construction/report/", views.city_report, name="city_report"),
]
