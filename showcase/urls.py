from django.urls import path

from . import views

app_name = "showcase"
urlpatterns = [
    path("", views.programme, name="programme"),
    path("apply/", views.apply, name="apply"),
    path("applications/", views.my_applications, name="mine"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<int:pk>/commitment/", views.commitment, name="commitment"),
    path("applications/<int:pk>/commitment.pdf", views.commitment_document, name="commitment_pdf"),
    path("applications/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("applications/<int:pk>/evidence/<int:evidence_pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("applications/<int:pk>/tracking/", views.tracking_evidence, name="tracking_evidence"),
    path("applications/<int:pk>/submit/", views.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("files/application/<int:pk>/form/<int:version>/", views.submitted_form, name="submitted_form"),
    path("files/application/<int:pk>/<slug:kind>/", views.application_file, name="application_file"),
    path("files/evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("files/report/<int:pk>/", views.report_file, name="report_file"),
]
