"""Fixtures of the 信用示范会员单位 programme: the 2019 standard (data migration), an open campaign,
experts, and helpers that move an application through the workflow with the domain functions."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.accounts.roles import Role
from showcase import domain
from showcase.models import Campaign, ReviewRound, Standard, items_of

# A page, so that the upload check (qpdf) can read it; a PDF without pages is refused as damaged.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def pdf_file(name="evidence.pdf"):
    return ContentFile(PDF, name=name)


def upload(name="evidence.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def standard(db):
    return Standard.objects.get(version="2019版")


@pytest.fixture
def items(standard):
    return items_of(standard)


@pytest.fixture
def levels(standard):
    return {lv.name: lv for lv in standard.levels.all()}


@pytest.fixture
def campaign(standard):
    today = timezone.localdate()
    return Campaign.objects.create(
        year=today.year, title=f"{today.year}年度创建活动", opens_on=today - datetime.timedelta(days=30),
        deadline=today + datetime.timedelta(days=30), rolling=True, standard=standard, status=Campaign.Status.OPEN)


@pytest.fixture
def experts(make_user):
    return [make_user(Role.EXPERT, email=f"expert{i}@example.com", name=f"专家{i}") for i in range(1, 5)]


def fill(application):
    application.is_independent_legal_person = True
    application.main_business = "软件开发"
    application.staff_count = 50
    application.revenue_year1 = application.revenue_year2 = application.revenue_year3 = 1000
    application.credit_department = "信用管理部"
    application.summary = "建立了信用管理制度。"
    application.licence_name = "licence.pdf"
    application.licence.save("licence.pdf", pdf_file(), save=False)
    application.save()
    return application


@pytest.fixture
def draft(campaign, firm_a, firm_a_user):
    application = domain.create_application(campaign=campaign, user=firm_a_user)
    fill(application)
    return domain.accept_commitment(application=application, user=firm_a_user, signer="张三", signer_title="法定代表人")


@pytest.fixture
def submitted(draft, firm_a_user, items):
    domain.add_evidence(application=draft, item=items[0], user=firm_a_user, upload=pdf_file(), note="培训记录")
    return domain.submit_application(application=draft, user=firm_a_user)


def to_acceptance(application, agency):
    domain.pass_preliminary_review(application=application, user=agency, not_credit_agency=True)
    domain.enter_public_credit_record(application=application, user=agency, result="优",
                                      looked_up_on=timezone.localdate())
    return domain.submit_evaluation_report(application=application, user=agency, report=pdf_file("report.pdf"),
                                           report_name="report.pdf")


@pytest.fixture
def review_round(submitted, agency) -> ReviewRound:
    return to_acceptance(submitted, agency)


@pytest.fixture
def assigned(review_round, secretariat, experts):
    """The round with three experts assigned (not yet declared)."""
    domain.assign_experts(review_round=review_round, user=secretariat, experts=experts[:3],
                          scoring_deadline=timezone.localdate() + datetime.timedelta(days=7))
    review_round.refresh_from_db()
    return review_round


def ratings_for(items, levels, default="符合", **by_code):
    """{item id: (level id, comment)}; by_code maps "3_1" → level name."""
    result = {}
    for item in items:
        name = by_code.get(item.code.replace(".", "_"), default)
        result[item.pk] = (levels[name].pk, "" if name == "符合" else "材料不足")
    return result


def score(review_round, expert, items, levels, submit=True, **by_code):
    assignment = review_round.assignments.get(expert=expert)
    if assignment.status == "pending":
        domain.declare_conflict(assignment=assignment, user=expert, has_conflict=False)
        assignment.refresh_from_db()
    return domain.save_score_sheet(assignment=assignment, user=expert, ratings=ratings_for(items, levels, **by_code),
                                   submit=submit)


__all__ = ["io", "pdf_file", "upload", "fill", "to_acceptance", "ratings_for", "said", "score"]


def said(refused) -> str:
    """Everything a refused step says to the user (its message and its problems), from `pytest.raises`."""
    return " ".join(refused.value.messages_for_user)
