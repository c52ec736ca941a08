"""Firm teams and verified claims (issue #15.6): the first claim of a credit code is verified by the secretariat
against the licence; later claimants go to the unit's administrator; administrators invite and remove colleagues."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.core.models import OutboundEmail
from tests.conftest import make_credit_code

from .conftest import png_bytes

ORGANISATION = reverse("members:organisation")


def org_data(**overrides):
    return {"name": "杭州明信数据科技有限公司", "credit_code": make_credit_code("330106", "MA2H8K9L0"),
            "unit_type": "enterprise", "legal_representative": "赵明", "established_on": "2015-06-01",
            "registered_address": "杭州市西湖区文三路90号", "contact_person": "钱红", "phone": "0571-88001122",
            "email": "office@mingxin.example.com", "website": "", **overrides}


def licence():
    return SimpleUploadedFile("营业执照.png", png_bytes())


@pytest.fixture
def registered(client_for, make_user):
    """A user registers a new unit (the first claim of its credit code)."""
    from portal.organisations.models import Organisation

    user = make_user(email="qian@mingxin.example.com")
    client_for(user).post(ORGANISATION, {**org_data(), "licence": licence()})
    return user, Organisation.objects.get(credit_code=org_data()["credit_code"])


def _submit_application(client, tiers):
    from .conftest import pdf_bytes

    return client.post(reverse("members:apply"), {
        "tier": tiers["会员单位"].pk, "accepts_charter": "on", "submit": "1",
        "application_letter": SimpleUploadedFile("申请书.pdf", pdf_bytes()), "business_licence": licence()})


def test_first_claim_is_verified_by_the_secretariat_before_the_unit_can_apply(client_for, secretariat, registered,
                                                                             tiers):
    from members.models import MembershipApplication
    from portal.organisations.models import OrganisationClaim, OrganisationUser

    user, organisation = registered
    assert organisation.verified_on is None
    assert OrganisationUser.objects.get(user=user).role == "admin"
    claim = OrganisationClaim.objects.get()
    assert (claim.kind, claim.status, claim.licence_name) == ("first", "secretariat", "营业执照.png")
    assert [e.to for e in OutboundEmail.objects.filter(subject__startswith="待核验单位：")] == [[secretariat.email]]
    client = client_for(user)
    assert "秘书处正在核验贵单位的营业执照" in client.get(ORGANISATION).content.decode()
    response = _submit_application(client, tiers)
    assert "秘书处尚未根据营业执照核验贵单位" in client.get(response.url).content.decode()
    assert MembershipApplication.objects.get().status == "draft"  # prepared, not submitted
    staff = client_for(secretariat)
    page = staff.get(reverse("organisation_claims:inspect", args=[claim.pk])).content.decode()
    assert reverse("organisations_claim_licence", args=[claim.pk]) in page
    staff.post(reverse("organisation_claims:inspect", args=[claim.pk]), {"action": "verify"})
    organisation.refresh_from_db()
    assert organisation.verified_on is not None
    _submit_application(client_for(user), tiers)
    assert MembershipApplication.objects.get().status == "submitted"


def test_a_rejected_first_claim_can_send_the_licence_again(client_for, registered, secretariat):
    from portal.organisations.models import OrganisationClaim

    user, organisation = registered
    claim = OrganisationClaim.objects.get()
    staff = client_for(secretariat)
    staff.post(reverse("organisation_claims:inspect", args=[claim.pk]), {"action": "reject", "note": ""})
    assert OrganisationClaim.objects.get().status == "secretariat"  # a reason is required
    staff.post(reverse("organisation_claims:inspect", args=[claim.pk]), {"action": "reject", "note": "执照模糊不清"})
    client = client_for(user)
    page = client.get(ORGANISATION).content.decode()
    assert "秘书处未能核验贵单位：执照模糊不清" in page
    client.post(reverse("members:resubmit_licence"), {"licence": licence()})
    assert OrganisationClaim.objects.filter(status="secretariat").count() == 1


def test_later_claimant_is_routed_to_the_units_administrator(client_for, make_user, firm_a, firm_a_user,
                                                            django_capture_on_commit_callbacks, mailoutbox):
    """Before: "ask the secretariat to add your account". Now the form leads to a request the unit's admin decides."""
    claimant = make_user(email="new-colleague@example.com", name="新同事")
    client = client_for(claimant)
    page = client.post(ORGANISATION, {**org_data(credit_code=firm_a.credit_code), "licence": licence()}).content.decode()
    join = reverse("members:join_unit") + f"?code={firm_a.credit_code}"
    assert join in page.replace("&amp;", "&")
    assert "秘书处" not in re.search(r'<p class="card notice" role="alert">.*?</p>', page, re.S).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:join_unit"), {"credit_code": firm_a.credit_code.lower(), "message": "我是财务"})
    [email] = [m for m in mailoutbox if firm_a_user.email in m.to]
    assert email.subject == "新同事 申请代表甲信用科技有限公司"
    admin = client_for(firm_a_user)
    page = admin.get(reverse("members:team")).content.decode()
    assert "new-colleague@example.com" in page and "我是财务" in page
    from portal.organisations.models import OrganisationClaim, organisation_for

    claim = OrganisationClaim.objects.get(claimant=claimant)
    admin.post(reverse("members:team_claim", args=[claim.pk]), {"action": "accept", "role": "clerk"})
    claimant.refresh_from_db()
    assert organisation_for(claimant) == firm_a
    assert claimant.organisation_link.role == "clerk"


def test_a_declined_claimant_takes_it_to_the_secretariat_which_decides(client_for, make_user, firm_a, firm_a_user,
                                                                       secretariat):
    from portal.organisations import claims
    from portal.organisations.models import OrganisationClaim, organisation_for

    claimant = make_user(email="real-owner@example.com")
    claim = claims.request_to_join(credit_code=firm_a.credit_code, user=claimant)
    client_for(firm_a_user).post(reverse("members:team_claim", args=[claim.pk]), {"action": "decline",
                                                                                   "reason": "不认识此人"})
    client = client_for(claimant)
    page = client.get(ORGANISATION).content.decode()
    assert "单位已拒绝" in page and "不认识此人" in page and "请秘书处裁决" in page
    client.post(reverse("members:claim_dispute", args=[claim.pk]), {"licence": licence(), "message": "我是法定代表人"})
    claim.refresh_from_db()
    assert claim.status == "secretariat" and claim.licence
    client_for(secretariat).post(reverse("organisation_claims:inspect", args=[claim.pk]),
                                 {"action": "verify", "role": "admin"})
    assert OrganisationClaim.objects.get(pk=claim.pk).status == "accepted"
    claimant = type(claimant).objects.get(pk=claimant.pk)
    assert organisation_for(claimant) == firm_a and claimant.organisation_link.role == "admin"


def test_another_units_admin_cannot_decide_a_claim(client_for, make_user, firm_a, firm_b_user, firm_b):
    from portal.organisations import claims

    claim = claims.request_to_join(credit_code=firm_a.credit_code, user=make_user())
    response = client_for(firm_b_user).post(reverse("members:team_claim", args=[claim.pk]), {"action": "accept"})
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == "unit"


def test_one_open_claim_per_person_and_none_for_someone_who_acts_for_a_unit(make_user, firm_a, firm_b, firm_b_user):
    from portal.core.workflow import WorkflowError
    from portal.organisations import claims

    person = make_user()
    claims.request_to_join(credit_code=firm_a.credit_code, user=person)
    with pytest.raises(WorkflowError):
        claims.request_to_join(credit_code=firm_b.credit_code, user=person)
    with pytest.raises(WorkflowError):
        claims.request_to_join(credit_code=firm_a.credit_code, user=firm_b_user)


# ------------------------------------------------------------------------------------------ teams


def test_admin_invites_a_colleague_who_accepts_with_the_invited_address(client_for, make_user, firm_a, firm_a_user,
                                                                        django_capture_on_commit_callbacks,
                                                                        mailoutbox):
    from portal.organisations.models import OrganisationInvitation, organisation_for

    admin = client_for(firm_a_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("members:team_invite"), {"email": "Li.Si@Example.com", "role": "clerk"})
    assert response.status_code == 302
    invitation = OrganisationInvitation.objects.get()
    assert invitation.email == "li.si@example.com"
    [email] = mailoutbox
    link = re.search(r"https?://\S+/members/invitations/\S+/", email.body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    stranger = make_user(email="stranger@example.com")
    assert client_for(stranger).get(path).status_code == 403
    colleague = make_user(email="li.si@example.com")
    client = client_for(colleague)
    assert "接受邀请" in client.get(path).content.decode()
    client.post(path)
    colleague.refresh_from_db()
    assert organisation_for(colleague) == firm_a and colleague.organisation_link.role == "clerk"
    assert client.post(path).status_code == 302  # a second accept changes nothing
    assert firm_a.user_links.count() == 2


def test_an_altered_or_expired_invitation_link_is_refused(client_for, make_user, firm_a, firm_a_user):
    import datetime

    from django.core import signing
    from django.utils import timezone

    from portal.organisations import team
    from portal.organisations.models import OrganisationInvitation

    invitation = team.invite(organisation=firm_a, email="x@example.com", role="clerk", user=firm_a_user,
                             accept_url=lambda token: token)
    colleague = make_user(email="x@example.com")
    client = client_for(colleague)
    token = team.invitation_token(invitation)
    assert client.get(reverse("members:invitation", args=[token + "x"])).status_code == 404
    forged = signing.dumps(invitation.pk, salt="another")
    assert client.get(reverse("members:invitation", args=[forged])).status_code == 404
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    response = client.post(reverse("members:invitation", args=[token]), follow=True)
    assert "该邀请已过期" in response.content.decode()
    assert not firm_a.user_links.filter(user=colleague).exists()


def test_only_admins_manage_the_team_and_a_unit_keeps_an_admin(client_for, make_user, firm_a, firm_a_user):
    from portal.organisations.models import OrganisationUser

    clerk = make_user(email="clerk@example.com")
    link = OrganisationUser.objects.create(user=clerk, organisation=firm_a, role="clerk")
    own = firm_a_user.organisation_link
    response = client_for(clerk).post(reverse("members:team_remove", args=[own.pk]))
    assert response.status_code == 403
    assert client_for(clerk).post(reverse("members:team_invite"), {"email": "y@example.com", "role": "admin"}
                                  ).status_code == 403
    admin = client_for(firm_a_user)
    response = admin.post(reverse("members:team_role", args=[own.pk]), {"role": "clerk"}, follow=True)
    assert "单位至少需要一名管理员" in response.content.decode()
    admin.post(reverse("members:team_role", args=[link.pk]), {"role": "admin"})
    admin.post(reverse("members:team_remove", args=[own.pk]))  # leaves: another admin remains
    assert not OrganisationUser.objects.filter(user=firm_a_user).exists()
    assert OrganisationUser.objects.get(user=clerk).role == "admin"


def test_another_units_colleague_cannot_be_removed(client_for, firm_a, firm_a_user, firm_b, firm_b_user):
    link = firm_a_user.organisation_link
    assert client_for(firm_b_user).post(reverse("members:team_remove", args=[link.pk])).status_code == 404
    assert firm_a.user_links.count() == 1


def test_units_registered_by_the_secretariat_are_verified(client_for, secretariat):
    from portal.organisations.models import Organisation

    client_for(secretariat).post(reverse("organisations:add"), {**org_data()})
    assert Organisation.objects.get().verified_on is not None
