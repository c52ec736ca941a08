from django.urls import path

from . import admin_views as v

app_name = "showcase_admin"
urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("applications/<int:pk>/", v.application_detail, name="application"),
    path("applications/<int:pk>/preliminary/", v.preliminary_review, name="preliminary"),
    path("applications/<int:pk>/assessment/", v.stage_assessment, name="assessment"),
    path("applications/<int:pk>/public-credit/", v.public_credit, name="public_credit"),
    path("applications/<int:pk>/report/", v.evaluation_report, name="report"),
    path("rounds/<int:pk>/assign/", v.assign, name="assign"),
    path("rounds/<int:pk>/decide/", v.decide, name="decide"),
    path("assignments/<int:pk>/remove/", v.remove_assignment, name="remove_assignment"),
    path("sheets/<int:pk>/reopen/", v.reopen_sheet, name="reopen_sheet"),
    path("experts/", v.workload, name="workload"),
    path("standards/<int:pk>/copy/", v.copy_standard, name="copy_standard"),
    path("my/", v.my_assignments, name="my_assignments"),
    path("my/<int:pk>/declare/", v.declare, name="declare"),
    path("my/<int:pk>/score/", v.score, name="score"),
]
