from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.orgs, name="orgs"),
    path("orgs/<slug:code>/staff/", views.org_staff, name="org_staff"),
]
