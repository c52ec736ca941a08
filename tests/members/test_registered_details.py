"""A member's registered name and credit code change only through the secretariat's review (#12.6).

The certificate vouches for the approved name: it is archived at issue; a re-issue after an approved
rename is a new version; the verify page shows the approved name with its history.
"""

import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import MemberCertificate
from portal.accounts.roles import Role
from portal.core.workflow import WorkflowError
from portal.organisations import details
from portal.organisations.models import Organisation, OrganisationUser, RegisteredDetailsChange
from tests.conftest import make_credit_code

from .conftest import pdf_bytes

NEW_NAME = "阿里巴巴（中国）有限公司"


def pdf_text(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    source = tmp_path / "c.pdf"
    source.write_bytes(data)
    return subprocess.run(["pdftotext", str(source), "-"], capture_output=True, text=True, check=True).stdout


def licence():
    return SimpleUploadedFile("新营业执照.pdf", pdf_bytes("营业执照"), content_type="application/pdf")


def edit_data(organisation, **overrides):
    data = {f: getattr(organisation, f) for f in ("name", "credit_code", "unit_type", "legal_representative",
                                                   "registered_address", "contact_person", "phone", "email")}
    data.update(established_on=organisation.established_on.isoformat(), website="", **overrides)
    return data


def test_member_renaming_itself_changes_no_certificate_page_or_directory(client, client_for, member_a, firm_a_user,
                                                                         tmp_path):
    """The bypass of the issue: the firm edits its name on its organisation page."""
    firm = client_for(firm_a_user)
    issued = firm.get(reverse("members:certificate")).content
    firm.post(reverse("members:organisation"), edit_data(member_a.organisation, name=NEW_NAME, phone="0571-1"))
    organisation = Organisation.objects.get(pk=member_a.organisation_id)
    assert organisation.name == "甲信用科技有限公司" and organisation.phone == "0571-1"  # other details do save
    assert firm.get(reverse("members:certificate")).content == issued
    assert NEW_NAME not in pdf_text(issued, tmp_path)
    client.logout()
    assert NEW_NAME not in client.get(reverse("verify_certificate", args=[member_a.member_number])).content.decode()
    assert NEW_NAME not in client.get(reverse("members:directory")).content.decode()


def test_the_domain_refuses_a_direct_rename_of_a_member(member_a, firm_a_user):
    organisation = member_a.organisation
    organisation.name = NEW_NAME
    with pytest.raises(WorkflowError):
        details.update_details(organisation=organisation, user=firm_a_user, changed=["name"])
    assert Organisation.objects.get(pk=organisation.pk).name == "甲信用科技有限公司"


def test_an_applicant_with_a_submitted_application_must_ask_too(submitted_application, firm_a_user):
    organisation = submitted_application.organisation
    organisation.name = NEW_NAME
    with pytest.raises(WorkflowError):
        details.update_details(organisation=organisation, user=firm_a_user, changed=["name"])


def test_a_unit_with_no_application_renames_itself_freely(client_for, firm_b, firm_b_user):
    client_for(firm_b_user).post(reverse("members:organisation"), edit_data(firm_b, name="乙贸易股份有限公司"))
    assert Organisation.objects.get(pk=firm_b.pk).name == "乙贸易股份有限公司"


def test_approved_rename_reissues_the_certificate_and_the_verify_page_keeps_the_history(
        client, client_for, member_a, firm_a_user, secretariat, tmp_path):
    firm = client_for(firm_a_user)
    first = firm.get(reverse("members:certificate")).content
    response = firm.post(reverse("members:organisation_change"),
                         {"new_name": NEW_NAME, "new_credit_code": "", "reason": "更名", "licence": licence()})
    assert response.status_code == 302
    change = RegisteredDetailsChange.objects.get()
    assert (change.status, change.old_name, change.new_name) == ("submitted", "甲信用科技有限公司", NEW_NAME)
    assert Organisation.objects.get(pk=member_a.organisation_id).name == "甲信用科技有限公司"  # until approved
    details.approve_change(change=change, user=secretariat)
    assert Organisation.objects.get(pk=member_a.organisation_id).name == NEW_NAME
    versions = list(MemberCertificate.objects.filter(membership=member_a).order_by("version")
                    .values_list("version", "holder_name", "reason"))
    assert versions == [(1, "甲信用科技有限公司", "admission"), (2, NEW_NAME, "registered_details")]
    second = firm.get(reverse("members:certificate")).content
    assert second != first and NEW_NAME in pdf_text(second, tmp_path)
    old = MemberCertificate.objects.get(membership=member_a, version=1)
    with old.pdf.open("rb") as handle:
        assert handle.read() == first  # the first version stays as issued
    client.logout()
    page = client.get(reverse("verify_certificate", args=[member_a.member_number])).content.decode()
    assert NEW_NAME in page and "甲信用科技有限公司" in page and "曾用名" in page


def test_credit_code_change_is_reviewed_too(member_a, firm_a_user, secretariat):
    code = make_credit_code("330106", "MA9W8Y7X6")
    change = details.request_change(organisation=member_a.organisation, user=firm_a_user, new_name="",
                                    new_credit_code=code, reason="证照换发", licence=licence(), licence_name="执照.pdf")
    assert Organisation.objects.get(pk=member_a.organisation_id).credit_code != code
    details.approve_change(change=change, user=secretariat)
    assert Organisation.objects.get(pk=member_a.organisation_id).credit_code == code
    assert MemberCertificate.objects.filter(membership=member_a).latest("version").credit_code == code


def test_rejected_change_changes_nothing(member_a, firm_a_user, secretariat):
    change = details.request_change(organisation=member_a.organisation, user=firm_a_user, new_name=NEW_NAME,
                                    reason="", licence=licence(), licence_name="执照.pdf")
    with pytest.raises(WorkflowError):
        details.reject_change(change=change, user=secretariat, reason=" ")
    details.reject_change(change=change, user=secretariat, reason="执照与申请名称不符。")
    assert Organisation.objects.get(pk=member_a.organisation_id).name == "甲信用科技有限公司"
    assert MemberCertificate.objects.filter(membership=member_a).count() == 1


def test_who_may_decide_a_change(member_a, firm_a_user, firm_b_user, firm_b, make_user, council):
    change = details.request_change(organisation=member_a.organisation, user=firm_a_user, new_name=NEW_NAME,
                                    reason="", licence=licence(), licence_name="执照.pdf")
    clerk_of_a = make_user(Role.SECRETARIAT)
    OrganisationUser.objects.create(user=clerk_of_a, organisation=member_a.organisation)
    for user in (firm_a_user, council, clerk_of_a):  # the unit itself, wrong role, recused
        with pytest.raises(PermissionDenied):
            details.approve_change(change=change, user=user)
    with pytest.raises(Exception) as info:
        details.request_change(organisation=member_a.organisation, user=firm_b_user, new_name="乙", reason="",
                               licence=licence(), licence_name="执照.pdf")
    assert info.type.__name__ in ("NotFound", "PermissionDenied")
    assert RegisteredDetailsChange.objects.get().status == "submitted"


def test_one_pending_change_at_a_time_and_a_licence_is_required(member_a, firm_a_user):
    with pytest.raises(WorkflowError):
        details.request_change(organisation=member_a.organisation, user=firm_a_user, new_name=NEW_NAME, reason="",
                               licence=None, licence_name="")
    details.request_change(organisation=member_a.organisation, user=firm_a_user, new_name=NEW_NAME, reason="",
                           licence=licence(), licence_name="执照.pdf")
    with pytest.raises(WorkflowError):
        details.request_change(organisation=member_a.organisation, user=firm_a_user, new_name="另一个名称",
                               reason="", licence=licence(), licence_name="执照.pdf")


def test_secretariat_edits_contact_details_in_the_admin_but_not_a_members_name(client_for, member_a, secretariat):
    organisation = member_a.organisation
    url = reverse("organisations:edit", args=[organisation.pk])
    page = client_for(secretariat).get(url).content.decode()
    assert 'name="phone"' in page and 'name="name"' not in page
    client_for(secretariat).post(url, edit_data(organisation, name=NEW_NAME, phone="0571-2"))
    organisation.refresh_from_db()
    assert (organisation.name, organisation.phone) == ("甲信用科技有限公司", "0571-2")


def test_secretariat_decides_in_the_admin(client_for, member_a, firm_a_user, secretariat):
    change = details.request_change(organisation=member_a.organisation, user=firm_a_user, new_name=NEW_NAME,
                                    reason="更名", licence=licence(), licence_name="新执照.pdf")
    client = client_for(secretariat)
    url = reverse("organisation_changes:inspect", args=[change.pk])
    page = client.get(url).content.decode()
    assert NEW_NAME in page and "新执照.pdf" in page and "批准变更" in page
    assert client.get(reverse("organisations_change_licence", args=[change.pk])).status_code == 200
    client.post(url, {"action": "approve", "note": ""})
    assert Organisation.objects.get(pk=member_a.organisation_id).name == NEW_NAME
