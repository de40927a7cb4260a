from django.urls import path

from . import views

app_name = "carbon"

urlpatterns = [
    path("carbon/", views.home, name="home"),
    path("carbon/public/", views.public_list, name="public"),
    path("carbon/verify/", views.verify, name="verify"),
    path("carbon/fund/", views.fund, name="fund"),
    path("carbon/fund/appropriations/", views.appropriation, name="appropriation"),
    path("carbon/greening/", views.greening, name="greening"),
    path("carbon/accounts/", views.account_list, name="accounts"),
    path("carbon/accounts/<str:number>/", views.account_detail, name="account"),
    path("carbon/donations/<str:reference>/receipt.pdf", views.receipt, name="receipt"),
    path("carbon/donations/<str:reference>/certificate.pdf", views.certificate, name="certificate"),
]
