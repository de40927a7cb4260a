from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("cases/<slug:procedure>/", views.case_list, name="list"),
    path("cases/<slug:procedure>/<str:reference>/", views.case_detail, name="case"),
    path("cases/<slug:procedure>/<str:reference>/steps/<slug:name>/", views.case_step,
         name="case_step"),
    path("cases/<slug:procedure>/<str:reference>/attachments/", views.case_attach,
         name="case_attach"),
]
