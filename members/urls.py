from django.urls import path

from . import team_views, views

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
    path("dues/<int:pk>/notice.pdf", views.dues_notice, name="dues_notice"),
    path("organisation/join/", team_views.join_unit, name="join_unit"),
    path("organisation/licence/", team_views.resubmit_licence, name="resubmit_licence"),
    path("claims/<int:pk>/dispute/", team_views.claim_dispute, name="claim_dispute"),
    path("claims/<int:pk>/withdraw/", team_views.claim_withdraw, name="claim_withdraw"),
    path("team/", team_views.team_page, name="team"),
    path("team/invite/", team_views.team_invite, name="team_invite"),
    path("team/invitations/<int:pk>/revoke/", team_views.team_revoke, name="team_revoke"),
    path("team/people/<int:pk>/role/", team_views.team_role, name="team_role"),
    path("team/people/<int:pk>/remove/", team_views.team_remove, name="team_remove"),
    path("team/claims/<int:pk>/", team_views.team_claim, name="team_claim"),
    path("invitations/<str:token>/", team_views.invitation, name="invitation"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
