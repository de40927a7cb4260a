from django.urls import path

from . import views

app_name = "headquarters"

urlpatterns = [
    path("headquarters/<str:reference>/card/", views.card, name="card"),
    *[path(f"headquarters/{p.pattern}", p.callback, name=p.name) for p in views.pages],
]
