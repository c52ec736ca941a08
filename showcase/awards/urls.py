from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/feed/", views.NoticeAtomFeed(), name="notice_feed"),
    path("notices/rss/", views.NoticeFeed(), name="notice_rss"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/received/", views.objection_received, name="objection_received"),
    path("objections/confirm/", views.objection_confirm, name="objection_confirm"),
    path("units/", views.directory, name="directory"),
    path("announcements/", views.announcement_list, name="announcements"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:year>.pdf", views.report_pdf, name="report_pdf"),
    path("titles/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
