from django.urls import path

from . import views, views_dashboards

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.orgs, name="orgs"),
    path("orgs/<slug:code>/staff/", views.org_staff, name="org_staff"),
    path("dashboards/", views_dashboards.index, name="dashboards"),
    path("dashboards/<slug:slug>/", views_dashboards.dashboard, name="dashboard"),
    path("dashboards/<slug:slug>.xlsx", views_dashboards.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboards/<slug:slug>.pdf", views_dashboards.dashboard_pdf, name="dashboard_pdf"),
    path("dashboards/<slug:slug>/<slug:key>.<str:fmt>", views_dashboards.chart_image,
         name="chart_image"),
]
