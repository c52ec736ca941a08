"""The small shared world of the access matrix, built with the apps' own domain functions.

Firm A owns one object of every kind (the matrix's URLs point at firm A's objects); firm B
owns a few of its own (for the extra cases) and is the "other firm" of every firm A object.
Staff users hold exactly one role each. The expert is assigned (no conflict declared) to
firm A's current programme application; the agency user belongs to the agency organisation
appointed for the current campaign.
"""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import uscc

from portal.accounts.roles import Role
from tests.core.pdf_samples import text_pdf

# a real one-page PDF: uploads are parsed by qpdf, which refuses a file without pages or cross-references
PDF = text_pdf()

ROLES = ("anonymous", "firm_a", "firm_b", "editor", "secretariat", "council", "agency", "expert")
ROLE_OF = {
    "editor": Role.EDITOR,
    "secretariat": Role.SECRETARIAT,
    "council": Role.COUNCIL,
    "agency": Role.AGENCY,
    "expert": Role.EXPERT,
}


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def pdf_upload(name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _user(local: str, *roles: Role):
    email = f"{local}@access.example.com"
    user = get_user_model().objects.create_user(username=local, email=email, password="access-matrix-42",
                                                display_name=local)
    for role in roles:
        user.groups.add(Group.objects.get(name=str(role)))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _credit_code(division: str, n: int) -> str:
    body = f"91{division}MA{n:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def _organisation(n: int, name: str, users=(), division: str = "330106"):
    from portal.organisations.models import Organisation, OrganisationUser

    org = Organisation.objects.create(
        name=name, credit_code=_credit_code(division, 9000 + n), legal_representative="张三",
        established_on=datetime.date(2010, 1, 1), registered_address="杭州市西湖区文三路1号", contact_person="李四",
        phone="0571-88888888", email=f"org{n}@access.example.com", verified_on=datetime.date(2020, 1, 1),
    )
    for user in users:
        OrganisationUser.objects.create(user=user, organisation=org)
    return org


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.users = {
        "firm_a": _user("firm-a"),
        "firm_b": _user("firm-b"),
        **{name: _user(name, role) for name, role in ROLE_OF.items()},
    }
    u = w.users
    # A person may hold several roles: council members who work for firm A and firm B (not among the eight).
    u["council_firm_a"] = _user("council-firm-a", Role.COUNCIL)
    u["council_firm_b"] = _user("council-firm-b", Role.COUNCIL)
    w.firm_a = _organisation(1, "甲信用科技有限公司", [u["firm_a"], u["council_firm_a"]])
    w.firm_b = _organisation(2, "乙贸易有限公司", [u["firm_b"], u["council_firm_b"]], division="330203")
    w.agency_org = _organisation(3, "杭州智库信用评估有限公司", [u["agency"]])
    _build_members(w)
    _build_services(w)
    _build_showcase(w)
    _build_awards(w)
    _build_magazine(w)
    return w


# ---------------------------------------------------------------------------------------- members


def _membership_application(org, user, tier_name="理事单位"):
    from members import domain
    from members.models import MembershipApplication, MembershipTier

    application = MembershipApplication(
        organisation=org, tier=MembershipTier.objects.get(name=tier_name), accepts_charter=True,
        statement="我单位申请入会。",
        application_letter=SimpleUploadedFile("申请书.pdf", PDF), application_letter_name="申请书.pdf",
        business_licence=SimpleUploadedFile("执照.png", png_bytes()), business_licence_name="执照.png",
    )
    application = domain.save_application_draft(application=application, user=user)
    return domain.submit_application(application=application, user=user)


def _admit(application, user, today):
    """A unanimous council resolution of the whole council admitting one application."""
    from members import domain
    from members.models import Membership, MembershipRules

    size = MembershipRules.load().current_council_size()
    domain.record_admission_resolution(
        user=user, meeting_date=today, members_present=size, votes_for=size, votes_against=0,
        decisions=[{"application": application, "decision": "approve", "tier": application.tier}],
    )
    return Membership.objects.get(application=application)


def _build_members(w):
    from members import domain
    from members.models import MembershipRules

    u = w.users
    today = timezone.localdate()
    w.council_size = MembershipRules.load().current_council_size()  # council, council_firm_a, council_firm_b
    # Firm A: an approved application, an active membership, a paid dues item (receipt).
    w.member_application_a = _membership_application(w.firm_a, u["firm_a"])
    w.membership_a = _admit(w.member_application_a, u["council"], today)
    w.resolution_a = w.member_application_a.council_decision.resolution
    item = w.membership_a.dues_items.order_by("year").first()
    w.payment_a = domain.record_payment(dues_item=item, user=u["secretariat"], amount=item.amount, paid_on=today,
                                        method="transfer", reference="A-1")
    # Firm B: a submitted application awaiting the council.
    w.member_application_b = _membership_application(w.firm_b, u["firm_b"], "会员单位")
    # Firm C: a member that sent a withdrawal notice; firm D: a member expelled by the council.
    c_user, d_user = _user("firm-c"), _user("firm-d")
    firm_c = _organisation(4, "丙咨询有限公司", [c_user])
    firm_d = _organisation(5, "丁实业有限公司", [d_user])
    membership_c = _admit(_membership_application(firm_c, c_user), u["council"], today)
    w.withdrawal = domain.request_withdrawal(membership=membership_c, user=c_user, letter=pdf_upload("退会函.pdf"),
                                             letter_name="退会函.pdf", reason="业务调整")
    # Firm A asks to change its registered name (waiting for the secretariat).
    from portal.organisations import details

    w.details_change_a = details.request_change(organisation=w.firm_a, user=u["firm_a"], new_name="甲信用科技股份有限公司",
                                                licence=pdf_upload("新执照.pdf"), licence_name="新执照.pdf")
    _build_reconciliation(w, membership_c, today)
    _build_teams(w)
    membership_d = _admit(_membership_application(firm_d, d_user), u["council"], today)
    w.expulsion = domain.expel_member(
        membership=membership_d, user=u["council"], meeting_date=today, members_present=w.council_size,
        votes_for=w.council_size, votes_against=0, reason="严重违反章程", minutes=pdf_upload("会议纪要.pdf"),
        minutes_name="会议纪要.pdf",
    )


def _build_teams(w):
    """Firm A's administrator invites a colleague; a claimant firm A declined asks the secretariat to decide."""
    from portal.organisations import claims, team

    u = w.users
    invitation = team.invite(organisation=w.firm_a, email="invitee@access.example.com", role="clerk",
                             user=u["firm_a"], accept_url=lambda token: token)
    w.invitation_token = team.invitation_token(invitation)
    w.invitation = invitation
    w.claimant = _user("claimant")
    claim = claims.request_to_join(credit_code=w.firm_a.credit_code, user=w.claimant, message="我是财务")
    claims.decline_claim(claim=claim, user=u["firm_a"], reason="不认识")
    w.claim = claims.dispute_claim(claim=claim, user=w.claimant, licence=pdf_upload("营业执照.pdf"),
                                   licence_name="营业执照.pdf")


def _build_reconciliation(w, membership_c, today):
    """A bank statement whose one line proposes to pay firm C's dues; an individual member with a receipt."""
    from members.domain import individuals, reconciliation
    from members.models import BankProfile, IndividualMember, IndividualTier
    from tests.members.statements import line, statement_xlsx

    u = w.users
    item = membership_c.dues_items.get()
    data = statement_xlsx([line("丙咨询有限公司", item.amount, item.payment_reference, day=today)])
    result = reconciliation.import_statement(profile=BankProfile.objects.get(name="中国建设银行"),
                                             upload=SimpleUploadedFile("对账单.xlsx", data), user=u["secretariat"])
    w.statement = result.statement
    w.bank_line = result.statement.lines.get()
    tier = IndividualTier.objects.get(name="个人会员")
    tier.annual_dues = 300
    tier.save()
    w.individual = individuals.register_individual(
        member=IndividualMember(name="王信", phone="13800000000", tier=tier, joined_on=today), user=u["secretariat"])
    from members.domain import mailings
    from members.models import Mailing

    w.mailing = mailings.create_mailing(mailing=Mailing(subject="会员大会通知", body="<p>请出席。</p>"),
                                        user=u["secretariat"])
    w.opt_out_token = mailings.opt_out_token("org1@access.example.com")
    w.individual_payment = individuals.record_individual_payment(
        item=w.individual.dues_items.get(), user=u["secretariat"], amount=300, paid_on=today, method="cash")


# ---------------------------------------------------------------------------------------- services


def _build_services(w):
    from portal.services import domain
    from portal.services.demo import load_providers
    from portal.services.models import Event

    u = w.users
    providers = {p.name: p for p in load_providers()}
    w.provider = providers["浙江新中天信用评估咨询有限公司"]
    w.other_provider = providers["浙江久丰律师事务所"]
    w.provider_user = _user("provider-xzt")
    w.provider.users.add(w.provider_user)
    w.other_provider_user = _user("provider-jf")
    w.other_provider.users.add(w.other_provider_user)
    w.item = w.provider.items.get(name="审计、验资")
    w.service_request_a = domain.submit_request(item=w.item, user=u["firm_a"], message="需要年度审计",
                                                contact_name="陈诚", contact_phone="0571-88886666",
                                                preferred_contact="phone")
    starts = timezone.now() + datetime.timedelta(days=10)
    w.event = Event.objects.create(
        title="企业信用管理培训", kind=Event.Kind.TRAINING, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3),
        place="协会会议室", registration_deadline=starts - datetime.timedelta(days=1), is_published=True,
    )
    w.registration_a = domain.register_for_event(event=w.event, user=u["firm_a"], participants=2)


# ---------------------------------------------------------------------------------------- showcase


def _fill(application):
    application.is_independent_legal_person = True
    application.main_business = "软件开发"
    application.staff_count = 50
    application.revenue_year1 = application.revenue_year2 = application.revenue_year3 = 1000
    application.credit_department = "信用管理部"
    application.summary = "建立了信用管理制度。"
    application.licence_name = "licence.pdf"
    application.licence.save("licence.pdf", ContentFile(PDF, name="licence.pdf"), save=False)
    application.save()
    return application


def _submitted_application(campaign, org_user, item):
    from showcase import domain

    application = _fill(domain.create_application(campaign=campaign, user=org_user))
    application = domain.accept_commitment(application=application, user=org_user, signer="张三",
                                           signer_title="法定代表人")
    evidence = domain.add_evidence(application=application, item=item, user=org_user,
                                   upload=ContentFile(PDF, name="evidence.pdf"), note="培训记录")
    return domain.submit_application(application=application, user=org_user), evidence


def _build_showcase(w):
    from showcase import domain
    from showcase.models import Campaign, Standard, items_of

    u = w.users
    today = timezone.localdate()
    w.standard = Standard.objects.get(version="2019版")
    items = items_of(w.standard)
    w.standard_item = items[0]
    w.campaign = Campaign.objects.create(
        year=today.year, title=f"{today.year}年度创建活动", opens_on=today - datetime.timedelta(days=30),
        deadline=today + datetime.timedelta(days=30), rolling=True, standard=w.standard, status=Campaign.Status.OPEN,
        agency=w.agency_org,
    )
    # Firm A: submitted, preliminary review passed, public credit entered, report → acceptance round.
    application, w.evidence_a = _submitted_application(w.campaign, u["firm_a"], w.standard_item)
    domain.pass_preliminary_review(application=application, user=u["agency"], not_credit_agency=True)
    domain.enter_public_credit_record(application=application, user=u["agency"], result="优", looked_up_on=today)
    w.round_a = domain.submit_evaluation_report(application=application, user=u["agency"],
                                                report=ContentFile(PDF, name="report.pdf"), report_name="report.pdf")
    w.showcase_a = application
    helpers = [_user(f"expert-{i}", Role.EXPERT) for i in (2, 3)]
    domain.assign_experts(review_round=w.round_a, user=u["secretariat"], experts=[u["expert"], *helpers],
                          scoring_deadline=today + datetime.timedelta(days=7))
    w.assignment_a = w.round_a.assignments.get(expert=u["expert"])
    domain.declare_conflict(assignment=w.assignment_a, user=u["expert"], has_conflict=False)
    w.assignment_a.refresh_from_db()
    levels = {lv.name: lv for lv in w.standard.levels.all()}
    ratings = {item.pk: (levels["符合"].pk, "") for item in items}
    domain.save_score_sheet(assignment=w.assignment_a, user=u["expert"], ratings=ratings, submit=True)
    w.sheet_a = w.assignment_a.sheet
    for helper in helpers:  # the panel is complete: the secretariat may decide
        assignment = w.round_a.assignments.get(expert=helper)
        domain.declare_conflict(assignment=assignment, user=helper, has_conflict=False)
        assignment.refresh_from_db()
        domain.save_score_sheet(assignment=assignment, user=helper, ratings=ratings, submit=True)
    w.unassigned_expert = _user("expert-unassigned", Role.EXPERT)
    # Firm B: a submitted application in the same campaign (the expert is not assigned to it).
    w.showcase_b, w.evidence_b = _submitted_application(w.campaign, u["firm_b"], w.standard_item)


# ---------------------------------------------------------------------------------------- awards


def _accepted(campaign, org, secretariat, accepted_on):
    """An accepted application written directly (as the awards tests do): decided initial round."""
    from showcase.models import Application, ApplicationEvent, ReviewRound

    app = Application.objects.create(
        campaign=campaign, organisation=org, created_by=secretariat, status=Application.Status.ACCEPTED,
        number=f"SF2024{org.pk:04d}", unit_name=org.name, credit_code=org.credit_code,
        legal_representative=org.legal_representative, established_on=org.established_on, contact_email=org.email,
        submitted_at=timezone.make_aware(datetime.datetime.combine(accepted_on - datetime.timedelta(days=100),
                                                                   datetime.time(10))),
    )
    review_round = ReviewRound(
        application=app, standard=campaign.standard, opened_by=secretariat, report_name="report.pdf",
        opened_at=timezone.make_aware(datetime.datetime.combine(accepted_on - datetime.timedelta(days=20),
                                                                datetime.time(10))),
        result=ReviewRound.Result.ACCEPTED, decided_on=accepted_on, decided_by=secretariat,
        status=ReviewRound.Status.DECIDED,
    )
    review_round.report.save("report.pdf", ContentFile(PDF), save=False)
    review_round.save()
    ApplicationEvent.objects.create(application=app, kind=ApplicationEvent.Kind.DECIDED,
                                    created_at=timezone.make_aware(datetime.datetime.combine(accepted_on,
                                                                                             datetime.time(15))))
    return app


def _build_awards(w):
    from showcase.awards import domain
    from showcase.awards.models import SummaryReport, Title
    from showcase.models import Campaign

    u = w.users
    secretariat = u["secretariat"]
    now = timezone.now()
    campaign = Campaign.objects.create(year=2024, title="2024年度创建活动", opens_on=datetime.date(2024, 1, 1),
                                       deadline=datetime.date(2024, 6, 30), standard=w.standard,
                                       status=Campaign.Status.CLOSED)
    # Accepted almost two years ago: the titles are about to expire, so a tracking evaluation may open.
    accepted_on = timezone.localdate() - datetime.timedelta(days=700)
    firm_e = _organisation(6, "戊科技有限公司", [_user("firm-e")])
    app_a = _accepted(campaign, w.firm_a, secretariat, accepted_on)
    app_e = _accepted(campaign, firm_e, secretariat, accepted_on)
    start = now - datetime.timedelta(days=30)
    w.past_notice = domain.publish_notice(applications=[app_a, app_e], user=secretariat, title="2024年度验收结果公示",
                                          starts_at=start, now=start)
    list(domain.process_notices(now=w.past_notice.ends_at))
    w.title_a = Title.objects.get(application=app_a)
    title_e = Title.objects.get(application=app_e)
    w.revocation = domain.revoke(application=app_e, user=secretariat, ground="fraud", facts="申报材料弄虚作假。",
                                 revoked_on=timezone.localdate(), evidence=pdf_upload("证据.pdf"))
    assert w.revocation.title_id == title_e.pk
    # Firm A's title is under re-review (the agency's tracking evaluation opened a round).
    w.re_review_round = domain.start_re_review(title=w.title_a, user=u["agency"],
                                               report=ContentFile(PDF, name="tracking.pdf"),
                                               report_name="tracking.pdf")
    # Firm F (firm B has an application in progress, which an accepted one would hold back): accepted, on a
    # notice open now, with a public objection (with evidence).
    firm_f = _organisation(7, "己建设有限公司", [_user("firm-f")])
    app_b = _accepted(campaign, firm_f, secretariat, accepted_on)
    w.open_notice = domain.publish_notice(applications=[app_b], user=secretariat, title="2024年度补充公示",
                                          starts_at=now - datetime.timedelta(days=1), now=now - datetime.timedelta(days=1))
    w.open_entry = w.open_notice.entries.get()
    w.objection = domain.submit_objection(entry=w.open_entry, name="王五", relationship="customer", content="该单位拖欠货款。",
                                          phone="13800000000", evidence=pdf_upload("异议证据.pdf"),
                                          client_address="10.0.0.9")
    w.summary_report = SummaryReport.objects.create(year=2024, pdf=ContentFile(PDF, name="summary.pdf"),
                                                    generated_by=secretariat, published_at=now)


# ---------------------------------------------------------------------------------------- magazine


def _build_magazine(w):
    from portal.core.site import ensure_site_tree
    from portal.magazine.importer.build import ensure_archive
    from portal.magazine.models import ArticlePage, Column, IssueImport, IssuePage

    ensure_site_tree()
    archive = ensure_archive()
    column, _created = Column.objects.get_or_create(name_zh="信用研究", defaults={"name_en": "Credit Study", "order": 5})
    issue = IssuePage(title="2030年第1期", slug="2030-1", year=2030, number=1, cumulative_number=301,
                      publication_date=datetime.date(2030, 6, 1), sponsor="浙江省信用协会")
    archive.add_child(instance=issue)
    issue.save_revision()  # a draft: the chief editor publishes it with its articles
    article = ArticlePage(title="信用修复的实践", slug="01", column=column, start_page=1,
                          body=[{"type": "paragraph", "value": "<p>小微企业信用修复。</p>"}])
    IssuePage.objects.get(pk=issue.pk).add_child(instance=article)
    article.save_revision()
    w.issue = IssuePage.objects.get(pk=issue.pk)
    w.article = ArticlePage.objects.get(pk=article.pk)
    from tests.magazine.test_importer_parser import SYNTHETIC as SYNTHETIC_ISSUE

    w.issue_import = IssueImport.objects.create(filename="synthetic.txt", text=SYNTHETIC_ISSUE,
                                                uploaded_by=w.users["editor"])
