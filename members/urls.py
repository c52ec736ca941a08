from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("join/", views.join, name="join"),
    path("organisation/", views.organisation_edit, name="organisation"),
    path("organisation/change/", views.organisation_change, name="organisation_change"),
    path("apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/files/<str:kind>/", views.application_file, name="application_file"),
    path("membership/", views.membership_detail, name="membership"),
    path("membership/certificate.pdf", views.certificate, name="certificate"),
    path("membership/withdraw/", views.withdraw, name="withdraw"),
    path("receipts/<int:pk>.pdf", views.receipt, name="receipt"),
]
