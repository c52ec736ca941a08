from django.urls import path

from . import admin_views as v

app_name = "awards_admin"
urlpatterns = [
    path("titles/<int:pk>/", v.title_detail, name="title"),
    path("titles/<int:pk>/plaque/", v.plaque, name="plaque"),
    path("titles/<int:pk>/re-review/", v.re_review, name="re_review"),
    path("titles/<int:pk>/re-review/<int:round_pk>/decide/", v.re_review_decide, name="re_review_decide"),
    path("titles/<int:pk>/revoke/", v.revoke, name="revoke"),
    path("titles/<int:pk>/certificate/", v.certificate, name="certificate"),
    path("notices/new/", v.notice_create, name="notice_create"),
    path("notices/<int:pk>/", v.notice_detail, name="notice"),
    path("entries/<int:pk>/award/", v.award, name="award"),
    path("entries/<int:pk>/exclude/", v.exclude, name="exclude"),
    path("applications/<int:pk>/exclude/", v.exclude_application, name="exclude_application"),
    path("objections/<int:pk>/", v.objection_detail, name="objection"),
    path("objections/<int:pk>/evidence/", v.objection_evidence, name="objection_evidence"),
    path("revocations/", v.revocation_list, name="revocations"),
    path("revocations/<int:pk>/evidence/", v.revocation_evidence, name="revocation_evidence"),
    path("revocations/dishonesty.csv", v.dishonesty_csv, name="dishonesty_csv"),
    path("summary/", v.summary_view, name="summary"),
    path("summary/summary.xlsx", v.summary_xlsx, name="summary_xlsx"),
    path("summary/report/", v.summary_pdf, name="summary_pdf"),
]
