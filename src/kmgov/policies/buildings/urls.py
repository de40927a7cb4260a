from django.urls import path

from . import views

app_name = "buildings"

urlpatterns = [path(f"buildings/{p.pattern}", p.callback, name=p.name) for p in views.pages]
