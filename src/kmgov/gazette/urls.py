from django.urls import path

from . import views

app_name = "gazette"

urlpatterns = [
    path("gazette/", views.issues, name="issues"),
    path("gazette/<int:year>/<int:number>/", views.issue, name="issue"),
    path("gazette/search/", views.search, name="search"),
]
