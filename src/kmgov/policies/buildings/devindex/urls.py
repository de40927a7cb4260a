from django.urls import path

from . import views

app_name = "buildings_devindex"

urlpatterns = [
    path("buildings-index/", views.home, name="home"),
    path("buildings-index/compute/", views.compute, name="compute"),
    path("buildings-index/runs/<int:pk>/", views.run_detail, name="run"),
    path("buildings-index/runs/<int:pk>/report.pdf", views.report_pdf, name="report"),
    path("buildings-index/runs/<int:pk>/<str:kind>.svg", views.chart, name="chart"),
    path("buildings-index/data/", views.data, name="data"),
    path("buildings-index/data/export.xlsx", views.data_export, name="export"),
    path("buildings-index/data/import/", views.data_import, name="import"),
    path("buildings-index/spec/", views.spec, name="spec"),
]
