from django.urls import path

from . import documents, individuals, reports, rosters

urlpatterns = [
    path("members/<int:pk>/certificate.pdf", documents.membership_certificate, name="certificate"),
    path("receipts/<int:pk>.pdf", documents.payment_receipt, name="receipt"),
    path("individual-receipts/<int:pk>.pdf", individuals.individual_receipt, name="individual_receipt"),
    path("dues/<int:pk>/notice.pdf", documents.dues_notice, name="dues_notice"),
    path("withdrawals/<int:pk>/letter/", documents.withdrawal_letter, name="withdrawal_letter"),
    path("resolutions/<int:pk>/minutes/", documents.resolution_minutes, name="resolution_minutes"),
    path("reports/", reports.reports_view, name="reports"),
    path("inactive/", reports.inactive_view, name="inactive"),
    path("roster/", rosters.roster_view, name="roster"),
    path("arrears/", rosters.arrears_view, name="arrears"),
    path("money/<str:kind>.xlsx", rosters.money_export, name="money_export"),
]
