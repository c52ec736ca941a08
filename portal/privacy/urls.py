from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("consent/", views.consent, name="consent"),
    path("data.json", views.download_json, name="download_json"),
    path("data.html", views.download_html, name="download_html"),
    path("details/", views.details, name="details"),
    path("cancel/", views.cancel, name="cancel"),
    path("cancel/withdraw/", views.cancel_withdraw, name="cancel_withdraw"),
    path("cancelled/", views.cancelled, name="cancelled"),
    path("documents/<slug:kind>/", views.document, name="document"),
]
