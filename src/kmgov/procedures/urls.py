from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
]
