from django.urls import path

from . import views

app_name = "magazine_admin"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("issue/<int:pk>/publish/", views.publish_issue, name="publish_issue"),
    path("issue/<int:pk>/pages/", views.issue_pages, name="issue_pages"),
]
