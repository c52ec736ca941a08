from django.urls import path

from . import admin_views as views

urlpatterns = [
    path("applications/", views.applications_index, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("members/", views.memberships_index, name="memberships"),
    path("members/<int:pk>/", views.membership_detail, name="membership"),
    path("members/<int:pk>/certificate.pdf", views.membership_certificate, name="certificate"),
    path("receipts/<int:pk>.pdf", views.payment_receipt, name="receipt"),
    path("withdrawals/<int:pk>/letter/", views.withdrawal_letter, name="withdrawal_letter"),
    path("expulsions/<int:pk>/minutes/", views.expulsion_minutes, name="expulsion_minutes"),
    path("reports/", views.reports_view, name="reports"),
    path("inactive/", views.inactive_view, name="inactive"),
]
