"""Membership fixtures: tiers, real-looking uploads, applications and members at each step."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from members import domain
from members.models import Membership, MembershipApplication, MembershipRules, MembershipTier


def pdf_bytes(text: str = "入会申请书") -> bytes:
    from portal.core import pdf

    return pdf.render_document([pdf.paragraph(text)], title=text)


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def chinese():
    """The site is Chinese-first: run every test in zh-hans."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def tiers(db):
    return {t.name: t for t in MembershipTier.objects.all()}


@pytest.fixture
def letter_pdf():
    return SimpleUploadedFile("申请书.pdf", pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def licence_png():
    return SimpleUploadedFile("营业执照.png", png_bytes(), content_type="image/png")


@pytest.fixture
def make_application(tiers):
    def make(organisation, user, *, tier="理事单位", submit=True):
        application = MembershipApplication(
            organisation=organisation, tier=tiers[tier], accepts_charter=True, statement="我单位申请入会。",
            application_letter=SimpleUploadedFile("申请书.pdf", pdf_bytes()), application_letter_name="申请书.pdf",
            business_licence=SimpleUploadedFile("执照.png", png_bytes()), business_licence_name="执照.png",
        )
        application = domain.save_application_draft(application=application, user=user)
        if submit:
            application = domain.submit_application(application=application, user=user)
        return application

    return make


@pytest.fixture
def submitted_application(make_application, firm_a, firm_a_user):
    return make_application(firm_a, firm_a_user)


def admit(application, user, *, tier=None, meeting_date=None, decision="approve", reason=""):
    """The council admits (or rejects) one application by a unanimous resolution of the whole council."""
    rules = MembershipRules.load()
    if not rules.current_council_size():
        rules.council_size = 1
        rules.save()
    size = rules.current_council_size()
    domain.record_admission_resolution(
        user=user, meeting_date=meeting_date or datetime.date(2026, 3, 2), members_present=size, votes_for=size,
        votes_against=0, decisions=[{"application": application, "decision": decision,
                                     "tier": tier or application.tier, "reason": reason}],
    )
    application.refresh_from_db()
    return Membership.objects.filter(application=application).first()


@pytest.fixture
def make_member(make_application, council):
    def make(organisation, user, *, tier="理事单位", joined=None):
        return admit(make_application(organisation, user, tier=tier), council, meeting_date=joined)

    return make


@pytest.fixture
def member_a(make_member, firm_a, firm_a_user):
    return make_member(firm_a, firm_a_user)


@pytest.fixture
def rules(db):
    return MembershipRules.load()


def admin_denied(response) -> bool:
    """Inside the Wagtail admin a refused role is sent to the dashboard with a "no permission" message."""
    return response.status_code == 302 and response["Location"] == "/admin/"
