from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("rules/", views.rule_list, name="list"),
    path("rules/<str:rule_id>/", views.rule_form, name="form"),
]
