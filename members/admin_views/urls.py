from django.urls import path

from . import documents, reports

urlpatterns = [
    path("members/<int:pk>/certificate.pdf", documents.membership_certificate, name="certificate"),
    path("receipts/<int:pk>.pdf", documents.payment_receipt, name="receipt"),
    path("withdrawals/<int:pk>/letter/", documents.withdrawal_letter, name="withdrawal_letter"),
    path("resolutions/<int:pk>/minutes/", documents.resolution_minutes, name="resolution_minutes"),
    path("reports/", reports.reports_view, name="reports"),
    path("inactive/", reports.inactive_view, name="inactive"),
]
