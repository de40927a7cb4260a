from django.urls import path

from . import views

app_name = "gazette"

urlpatterns = [
    path("gazette/", views.issues, name="issues"),
    path("gazette/search/", views.search, name="search"),
    path("gazette/<int:year>/<int:number>/", views.issue, name="issue"),
    path("gazette/doc/<str:docno>/", views.document, name="document"),
    path("gazette/doc/<str:docno>/node/", views.node, name="node"),
]
