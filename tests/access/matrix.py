"""The expected outcome of every URL key × role, on firm A's objects of the shared world.

Rules (docs/CONVENTIONS.md, SPEC.md "Who uses it"):
- anonymous on a login-only page → 302 to /accounts/login/;
- another firm's object (or an unassigned expert's / another agency's application) → 404;
- wrong role → 403 (checked before the object); a person who holds a staff role and is registered with a
  unit uses the firm pages of that unit too (the agency user, and the multi-role users of EXTRA_CASES);
  a firm user in /admin/ → 302 to /account/
  (`AdminAccessMiddleware`); Wagtail's own generic viewset views deny with Wagtail's redirect to the
  dashboard (`WAGTAIL_DENIED`), and so do our admin views that raise PermissionDenied inside the
  admin (Wagtail's `require_admin_access` answers for them);
- private files shared by several roles answer 404 to everyone else (documented by each view);
- POST-only views answer 405 to a GET once the login and role checks passed.
KNOWN_BUGS lists the cases where the code does not (yet) follow the rules: they run as strict xfails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from .world import ROLES, pdf_upload

STAFF = ("editor", "secretariat", "council", "agency", "expert")
FIRMS = ("firm_a", "firm_b")


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str | Callable | None = None  # redirect target: a path prefix, or fn(world) -> prefix
    exact: bool = False  # the location must equal the target (the admin dashboard)

    def target(self, world) -> str | None:
        return self.location(world) if callable(self.location) else self.location

    def describe(self, world=None) -> str:
        if self.status != 302:
            return str(self.status)
        target = self.target(world) if world is not None or not callable(self.location) else "<url>"
        return f"302→{target}{'' if self.exact else '…'}"


OK = Outcome(200)
DENY = Outcome(403)
NF = Outcome(404)
NA = Outcome(405)
LOGIN = Outcome(302, "/accounts/login/?next=")
ACCOUNT = Outcome(302, "/account/", exact=True)
WAGTAIL_DENIED = Outcome(302, "/admin/", exact=True)


def to(fn: Callable) -> Outcome:
    return Outcome(302, fn)


@dataclass
class Entry:
    kwargs: Callable | None  # fn(world) -> URL kwargs
    expect: dict[str, Outcome]
    query: str = ""

    def __post_init__(self):
        assert set(self.expect) == set(ROLES), sorted(set(ROLES) ^ set(self.expect))


def public() -> dict[str, Outcome]:
    return dict.fromkeys(ROLES, OK)


def logged_in() -> dict[str, Outcome]:
    return {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN}


def firm_page(a: Outcome = OK, b: Outcome = OK) -> dict[str, Outcome]:
    """Firm pages: the users of a unit, whatever other roles they hold; staff who act for no unit answer 403.

    The agency user is registered with the agency (a unit of its own, with no membership or application),
    so it sees the firm pages as another firm: firm A's objects are 404 to it, as to firm B.
    """
    agency = OK if b.status == 302 else b
    return {"anonymous": LOGIN, "firm_a": a, "firm_b": b, **dict.fromkeys(STAFF, DENY), "agency": agency}


def firm_post_only() -> dict[str, Outcome]:
    """A firm-only `require_POST` view: staff are refused (403) before the method check."""
    return {**firm_page(NA, NA)}


def post_only() -> dict[str, Outcome]:
    """`login_required` + `require_POST`: GET answers 405 to every logged-in user."""
    return {**dict.fromkeys(ROLES, NA), "anonymous": LOGIN}


def admin(denied: Outcome = DENY, **allowed: Outcome) -> dict[str, Outcome]:
    """A Wagtail admin view: anonymous → login, firms → their account page, staff per role."""
    return {"anonymous": LOGIN, "firm_a": ACCOUNT, "firm_b": ACCOUNT,
            **{role: allowed.get(role, denied) for role in STAFF}}


def files(**allowed: Outcome) -> dict[str, Outcome]:
    """A private file: its firm plus the listed staff roles; everyone else 404."""
    return {"anonymous": LOGIN, "firm_a": OK, "firm_b": NF, **{role: allowed.get(role, NF) for role in STAFF}}


def pk(attr: str) -> Callable:
    return lambda w: {"pk": getattr(w, attr).pk}


# ---------------------------------------------------------------------------------------- core + members

MATRIX: dict[str, Entry] = {
    "account_home": Entry(None, logged_in()),
    # Django's LoginView from wagtail.urls, replaced: everyone is sent to allauth's login (issue #12.1).
    "wagtailcore_login": Entry(None, dict.fromkeys(ROLES, Outcome(302, "/accounts/login/?next=%2F", exact=True))),
    "verify_certificate": Entry(lambda w: {"number": w.membership_a.member_number}, public()),
    "healthz": Entry(None, public()),
    "members:directory": Entry(None, public()),
    "members:join": Entry(None, public()),
    "members:organisation": Entry(None, firm_page()),
    "members:organisation_change": Entry(None, firm_page()),
    "members:apply": Entry(None, firm_page(
        a=to(lambda w: "/members/membership/"),  # already a member
        b=to(lambda w: f"/members/applications/{w.member_application_b.pk}/"),  # submitted: follow it
    )),
    "members:application": Entry(pk("member_application_a"), firm_page(b=NF)),
    "members:application_file": Entry(lambda w: {"pk": w.member_application_a.pk, "kind": "letter"},
                                      files(council=OK, secretariat=OK)),
    "members:membership": Entry(None, firm_page()),  # firm B sees its own (application) state
    "members:certificate": Entry(None, firm_page(b=NF)),  # firm B has no active membership
    "members:withdraw": Entry(None, firm_page(b=NF)),
    "members:receipt": Entry(pk("payment_a"), firm_page(b=NF)),
    "members:dues_notice": Entry(lambda w: {"pk": w.payment_a.dues_item_id}, firm_page(b=NF)),
    # the one-click unsubscribe link of a mailing: anyone holding it (the token is the permission)
    "members:unsubscribe": Entry(lambda w: {"token": w.opt_out_token}, public()),
    # a unit's team and claims (portal.organisations: teams, claims)
    "members:team": Entry(None, firm_page()),
    "members:join_unit": Entry(None, {**firm_page(), "firm_a": to(lambda w: "/members/team/"),
                                      "firm_b": to(lambda w: "/members/team/"), "agency": to(lambda w: "/members/team/")}),
    "members:team_invite": Entry(None, firm_post_only()),
    "members:team_revoke": Entry(pk("invitation"), firm_post_only()),
    "members:team_role": Entry(lambda w: {"pk": w.users["firm_a"].organisation_link.pk}, firm_post_only()),
    "members:team_remove": Entry(lambda w: {"pk": w.users["firm_a"].organisation_link.pk}, firm_post_only()),
    "members:team_claim": Entry(pk("claim"), firm_post_only()),
    "members:claim_dispute": Entry(pk("claim"), firm_post_only()),
    "members:claim_withdraw": Entry(pk("claim"), firm_post_only()),
    "members:resubmit_licence": Entry(None, firm_post_only()),
    # the invitation was sent to another address: every signed-in account is refused, and told which one to use
    "members:invitation": Entry(lambda w: {"token": w.invitation_token},
                                {**dict.fromkeys(ROLES, Outcome(403)), "anonymous": LOGIN}),
}

MEMBERS_STAFF = {"council": OK, "secretariat": OK}
for key, kwargs in {
    # viewsets (Wagtail's generic views deny with the dashboard redirect)
    "members_applications:index": None,
    "members_applications:index_results": None,
    "members_applications:inspect": pk("member_application_a"),
    "members_memberships:index": None,
    "members_memberships:index_results": None,
    "members_memberships:inspect": pk("membership_a"),
    "members_payments:index": None,
    "members_payments:index_results": None,
    "members_resolutions:index": None,
    "members_resolutions:index_results": None,
    "members_resolutions:inspect": pk("resolution_a"),
    "members_resolutions:record_admission": None,
    "members_activity:add": None,
    # plain admin views
    "members_admin:certificate": pk("membership_a"),
    "members_admin:receipt": pk("payment_a"),
    "members_admin:dues_notice": lambda w: {"pk": w.payment_a.dues_item_id},
    "members_admin:withdrawal_letter": pk("withdrawal"),
    "members_admin:resolution_minutes": lambda w: {"pk": w.expulsion.resolution_id},
    "members_admin:reports": None,
    "members_admin:inactive": None,
    "members_admin:individual_receipt": pk("individual_payment"),
    "members_admin:roster": None,
    "members_admin:arrears": None,
    "members_admin:money_export": lambda w: {"kind": "receipts"},
    # bank reconciliation: read by the council, done by the secretariat
    "members_bank_lines:index": None,
    "members_bank_lines:index_results": None,
    "members_bank_lines:inspect": pk("bank_line"),
    "members_bank_lines:reconcile": None,
    "members_statements:index": None,
    "members_statements:index_results": None,
    "members_statements:inspect": pk("statement"),
    "members_statements:file": pk("statement"),
    "members_individuals:inspect": pk("individual"),
    "members_mailings:inspect": pk("mailing"),
}.items():
    MATRIX[key] = Entry(kwargs, admin(**MEMBERS_STAFF))
MATRIX["members_activity:add"] = Entry(None, admin(secretariat=OK))  # activities are recorded by the secretariat
MATRIX["members_statements:upload"] = Entry(None, admin(secretariat=OK))  # statements are uploaded by the secretariat
MATRIX["members_individuals:add"] = Entry(None, admin(secretariat=OK))  # individuals are registered by the secretariat
MATRIX["members_mailings:add"] = Entry(None, admin(secretariat=OK))  # mailings are written by the secretariat
MATRIX["members_mailings:edit"] = Entry(pk("mailing"), admin(secretariat=OK))
# Units and their registered-details changes (portal.organisations): read by the council, decided by the secretariat.
MATRIX.update({
    "organisations:edit": Entry(lambda w: {"pk": w.firm_a.pk}, admin(WAGTAIL_DENIED, secretariat=OK)),
    "organisation_changes:index": Entry(None, admin(WAGTAIL_DENIED, **MEMBERS_STAFF)),
    "organisation_changes:index_results": Entry(None, admin(WAGTAIL_DENIED, **MEMBERS_STAFF)),
    "organisation_changes:inspect": Entry(pk("details_change_a"), admin(WAGTAIL_DENIED, **MEMBERS_STAFF)),
    "organisations_change_licence": Entry(pk("details_change_a"), admin(WAGTAIL_DENIED, **MEMBERS_STAFF)),
    "organisations:add": Entry(None, admin(WAGTAIL_DENIED, secretariat=OK)),
    "organisation_claims:index": Entry(None, admin(WAGTAIL_DENIED, **MEMBERS_STAFF)),
    "organisation_claims:index_results": Entry(None, admin(WAGTAIL_DENIED, **MEMBERS_STAFF)),
    "organisation_claims:inspect": Entry(pk("claim"), admin(WAGTAIL_DENIED, **MEMBERS_STAFF)),
    "organisations_claim_licence": Entry(pk("claim"), admin(WAGTAIL_DENIED, **MEMBERS_STAFF)),
})

# ---------------------------------------------------------------------------------------- services

MATRIX.update({
    "services:catalogue": Entry(None, public()),
    "services:providers": Entry(None, public()),
    "services:provider": Entry(pk("provider"), public()),
    "services:item": Entry(pk("item"), public()),
    "services:events": Entry(None, public()),
    "services:event": Entry(pk("event"), public()),
    "services:request_create": Entry(pk("item"), firm_page()),
    "services:requests": Entry(None, firm_page()),
    "services:request": Entry(pk("service_request_a"), firm_page(b=NF)),
    "services:request_cancel": Entry(pk("service_request_a"), post_only()),
    "services:event_unregister": Entry(pk("event"), post_only()),
    # The provider desk: provider users only (none of the eight roles is one; see EXTRA_CASES).
    "services:desk": Entry(None, {**dict.fromkeys(ROLES, DENY), "anonymous": LOGIN}),
    "services:desk_detail": Entry(pk("service_request_a"), {**dict.fromkeys(ROLES, DENY), "anonymous": LOGIN}),
    "services_attendance": Entry(pk("event"), admin(secretariat=OK)),
    "services_export": Entry(None, admin(secretariat=OK)),
    "services_requests:index": Entry(None, admin(WAGTAIL_DENIED, secretariat=OK)),
    "services_requests:index_results": Entry(None, admin(WAGTAIL_DENIED, secretariat=OK)),
    "services_requests:inspect": Entry(pk("service_request_a"), admin(WAGTAIL_DENIED, secretariat=OK)),
    "services_events:index": Entry(None, admin(WAGTAIL_DENIED, secretariat=OK)),
    "services_events:index_results": Entry(None, admin(WAGTAIL_DENIED, secretariat=OK)),
})

# ---------------------------------------------------------------------------------------- showcase (programme)


def _detail(w):
    return f"/showcase/applications/{w.showcase_a.pk}/"


MATRIX.update({
    "showcase:programme": Entry(None, public()),
    "showcase:apply": Entry(None, firm_page()),
    "showcase:mine": Entry(None, firm_page()),
    "showcase:detail": Entry(pk("showcase_a"), firm_page(b=NF)),
    # Firm A's application is in the acceptance review: the form and the submit page send it to the detail.
    "showcase:edit": Entry(pk("showcase_a"), firm_page(a=to(_detail), b=NF)),
    "showcase:submit": Entry(pk("showcase_a"), firm_page(a=to(_detail), b=NF)),
    "showcase:commitment_pdf": Entry(pk("showcase_a"), firm_page(b=NF)),
    "showcase:evidence": Entry(pk("showcase_a"), firm_page(b=NF)),
    "showcase:tracking_evidence": Entry(pk("showcase_a"), firm_page(b=NF)),
    "showcase:evidence_delete": Entry(lambda w: {"pk": w.showcase_a.pk, "evidence_pk": w.evidence_a.pk}, firm_post_only()),
    "showcase:withdraw": Entry(pk("showcase_a"), firm_post_only()),
    # Files: the firm, the secretariat, the campaign's agency and an assigned expert (no conflict).
    "showcase:application_file": Entry(lambda w: {"pk": w.showcase_a.pk, "kind": "licence"},
                                       files(secretariat=OK, agency=OK, expert=OK)),
    "showcase:submitted_form": Entry(lambda w: {"pk": w.showcase_a.pk, "version": 1},
                                     files(secretariat=OK, agency=OK, expert=OK)),
    "showcase:evidence_file": Entry(pk("evidence_a"), files(secretariat=OK, agency=OK, expert=OK)),
    "showcase:report_file": Entry(pk("round_a"), files(secretariat=OK, agency=OK, expert=OK)),
})

SECRETARIAT_AND_AGENCY = {"secretariat": OK, "agency": OK}
MATRIX.update({
    "showcase_admin:dashboard": Entry(None, admin(**SECRETARIAT_AND_AGENCY)),
    "showcase_applications:index": Entry(None, admin(WAGTAIL_DENIED, **SECRETARIAT_AND_AGENCY)),
    "showcase_applications:index_results": Entry(None, admin(WAGTAIL_DENIED, **SECRETARIAT_AND_AGENCY)),
    "showcase_admin:application": Entry(pk("showcase_a"), admin(**SECRETARIAT_AND_AGENCY)),
    "showcase_admin:assessment": Entry(pk("showcase_a"), admin(agency=OK)),
    "showcase_admin:preliminary": Entry(pk("showcase_a"), admin(agency=NA)),
    "showcase_admin:public_credit": Entry(pk("showcase_a"), admin(agency=NA)),
    "showcase_admin:report": Entry(pk("showcase_a"), admin(agency=NA)),
    "showcase_admin:assign": Entry(pk("round_a"), admin(secretariat=NA)),
    "showcase_admin:decide": Entry(pk("round_a"), admin(secretariat=NA)),
    "showcase_admin:remove_assignment": Entry(pk("assignment_a"), admin(secretariat=NA)),
    "showcase_admin:reopen_sheet": Entry(pk("sheet_a"), admin(secretariat=NA)),
    "showcase_admin:copy_standard": Entry(pk("standard"), admin(secretariat=NA)),
    "showcase_admin:workload": Entry(None, admin(secretariat=OK)),
    "showcase_admin:my_assignments": Entry(None, admin(expert=OK)),
    # The expert has declared no conflict: the declaration page sends it on to the score sheet.
    "showcase_admin:declare": Entry(pk("assignment_a"), admin(
        expert=to(lambda w: f"/admin/showcase/my/{w.assignment_a.pk}/score/"))),
    "showcase_admin:score": Entry(pk("assignment_a"), admin(expert=OK)),
    "showcase_standard:edit": Entry(pk("standard"), admin(WAGTAIL_DENIED, secretariat=OK)),
    "showcase_item:edit": Entry(pk("standard_item"), admin(WAGTAIL_DENIED, secretariat=OK)),
    # the campaign's page, with its open / close steps (tests/showcase/test_campaign_status.py)
    "showcase_campaign:index": Entry(None, admin(WAGTAIL_DENIED, secretariat=OK, agency=OK)),
    "showcase_campaign:index_results": Entry(None, admin(WAGTAIL_DENIED, secretariat=OK, agency=OK)),
    "showcase_campaign:inspect": Entry(pk("campaign"), admin(WAGTAIL_DENIED, secretariat=OK, agency=OK)),
    # the confirmation page; deleting an item of a frozen standard is refused on POST (tests/showcase/test_rules.py)
    "showcase_item:delete": Entry(pk("standard_item"), admin(WAGTAIL_DENIED, secretariat=OK)),
})

# ---------------------------------------------------------------------------------------- awards (titles)

MATRIX.update({
    "awards:notices": Entry(None, public()),
    "awards:notice_feed": Entry(None, public()),
    "awards:notice_rss": Entry(None, public()),
    "awards:notice": Entry(pk("open_notice"), public()),
    # Without the acknowledgement in the session, back to the notice.
    "awards:objection_received": Entry(pk("open_notice"), dict.fromkeys(
        ROLES, to(lambda w: f"/showcase/notices/{w.open_notice.pk}/"))),
    # the objector confirms with the emailed code: public, no account (issue #12.5)
    "awards:objection_confirm": Entry(None, public()),
    "awards:directory": Entry(None, public()),
    "awards:announcements": Entry(None, public()),
    "awards:announcement": Entry(pk("revocation"), public()),
    "awards:reports": Entry(None, public()),
    "awards:report_pdf": Entry(lambda w: {"year": w.summary_report.year}, public()),
    # The honour certificate: the unit's own users and the secretariat.
    "awards:certificate": Entry(pk("title_a"), files(secretariat=OK)),
})

for key, kwargs, allowed in [
    ("awards_titles:index", None, SECRETARIAT_AND_AGENCY),
    ("awards_titles:index_results", None, SECRETARIAT_AND_AGENCY),
    ("awards_admin:title", pk("title_a"), SECRETARIAT_AND_AGENCY),
    ("awards_admin:plaque", pk("title_a"), {"secretariat": NA}),
    ("awards_admin:re_review", pk("title_a"), {"secretariat": NA, "agency": NA}),
    ("awards_admin:re_review_decide", lambda w: {"pk": w.title_a.pk, "round_pk": w.re_review_round.pk},
     {"secretariat": NA}),
    ("awards_admin:revoke", pk("title_a"), {"secretariat": NA}),
    # The secretariat is sent on to the public download (which checks the role itself).
    ("awards_admin:certificate", pk("title_a"),
     {"secretariat": to(lambda w: f"/showcase/titles/{w.title_a.pk}/certificate.pdf")}),
    ("awards_notices:index", None, {"secretariat": OK}),
    ("awards_notices:index_results", None, {"secretariat": OK}),
    ("awards_admin:notice_create", None, {"secretariat": OK}),
    ("awards_admin:notice", pk("past_notice"), {"secretariat": OK}),
    ("awards_admin:award", pk("open_entry"), {"secretariat": NA}),
    ("awards_admin:exclude", pk("open_entry"), {"secretariat": OK}),  # firm B's entry has no title
    ("awards_admin:exclude_application", pk("showcase_b"), {"secretariat": OK}),  # firm B's submitted application
    ("awards_objections:index", None, {"secretariat": OK}),
    ("awards_objections:index_results", None, {"secretariat": OK}),
    ("awards_admin:objection", pk("objection"), {"secretariat": OK}),
    ("awards_admin:objection_evidence", pk("objection"), {"secretariat": OK}),
    ("awards_admin:revocations", None, {"secretariat": OK}),
    ("awards_admin:revocation_evidence", pk("revocation"), {"secretariat": OK}),
    ("awards_admin:dishonesty_csv", None, {"secretariat": OK}),
    ("awards_admin:summary", None, {"secretariat": OK}),
    ("awards_admin:summary_xlsx", None, {"secretariat": OK}),
    ("awards_admin:summary_pdf", None, {"secretariat": NA}),
]:
    MATRIX[key] = Entry(kwargs, admin(**allowed))

# ---------------------------------------------------------------------------------------- magazine

MATRIX.update({
    "magazine:search": Entry(None, public(), query="q=信用修复"),
    "magazine:feed": Entry(None, public()),
    "magazine:feed_atom": Entry(None, public()),
    "magazine:site_map": Entry(None, public()),
    "magazine:sitemap": Entry(None, public()),
    "magazine:robots": Entry(None, public()),
    "magazine_admin:import": Entry(None, admin(editor=OK)),
    "magazine_admin:import_preview": Entry(pk("issue_import"), admin(editor=OK)),  # the editor's own upload
    "magazine_admin:publish_issue": Entry(pk("issue"), admin()),  # the chief editor only (not one of the eight)
    "magazine_admin:issue_pages": Entry(pk("issue"), admin(editor=OK)),  # printed pages, saved as drafts
})


# ---------------------------------------------------------------------------------------- personal information

MATRIX.update({
    # the signed-in person's own data: no id in the URL, so nobody reaches another's
    "privacy:my_data": Entry(None, logged_in()),
    "privacy:consent": Entry(None, logged_in()),
    "privacy:download_json": Entry(None, logged_in()),
    "privacy:download_html": Entry(None, logged_in()),
    "privacy:details": Entry(None, logged_in()),
    "privacy:cancel": Entry(None, logged_in()),
    "privacy:cancel_withdraw": Entry(None, post_only()),
    "privacy:cancelled": Entry(None, public()),
    # a stable link to the current text (the world publishes none: 404 for everybody; see tests/privacy)
    "privacy:document": Entry(lambda w: {"kind": "privacy"}, dict.fromkeys(ROLES, NF)),
    # a person's data in the admin: the secretariat only (each view and export is logged)
    "privacy_admin:index": Entry(None, admin(WAGTAIL_DENIED, secretariat=OK)),
    "privacy_admin:person": Entry(lambda w: {"pk": w.users["firm_a"].pk}, admin(WAGTAIL_DENIED, secretariat=OK)),
    "privacy_admin:person_export": Entry(lambda w: {"pk": w.users["firm_a"].pk},
                                         admin(WAGTAIL_DENIED, secretariat=OK)),
})


# ---------------------------------------------------------------------------------------- known bugs

@dataclass(frozen=True)
class Bug:
    actual: Outcome
    reason: str


KNOWN_BUGS: dict[tuple[str, str], Bug] = {}


def _wagtail_denied_in_admin(prefixes: tuple[str, ...], extra_keys: tuple[str, ...] = ()):
    """Inside the Wagtail admin a view's PermissionDenied is answered by Wagtail's `require_admin_access`:
    a redirect to the dashboard with "no permission". That is the admin's uniform behaviour, so a wrong
    staff role on these admin views expects it instead of a bare 403."""
    for key, entry in MATRIX.items():
        if key.startswith(prefixes) or key in extra_keys:
            for role in STAFF:
                if entry.expect[role] == DENY:
                    entry.expect[role] = WAGTAIL_DENIED


WAGTAIL_ANSWERED = ("members_admin:", "members_applications:", "members_memberships:", "members_payments:",
                    "members_resolutions:", "members_activity:", "members_bank_lines:", "members_statements:",
                    "members_individuals:", "members_mailings:",
                    "showcase_admin:", "awards_admin:", "awards_titles:", "awards_notices:", "awards_objections:", "magazine_admin:")
_wagtail_denied_in_admin(WAGTAIL_ANSWERED, ("services_attendance", "services_export"))



@dataclass
class PostCase:
    """A state-changing POST by one role: expected outcome, and the state that must (not) change."""

    key: str
    role: str
    kwargs: Callable
    data: Callable  # fn(world) -> POST data
    expect: Outcome
    state: Callable  # fn(world) -> a comparable snapshot of the state read fresh from the database
    changes: bool = False  # True for the positive control: the state must change
    files: dict = field(default_factory=dict)


def _today():
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _member_app_b_state(w):
    from members.models import Membership, MembershipApplication

    return (MembershipApplication.objects.get(pk=w.member_application_b.pk).status,
            Membership.objects.filter(organisation=w.firm_b).count())


def _membership_a_state(w):
    from members.models import Expulsion, Membership

    return Membership.objects.get(pk=w.membership_a.pk).status, Expulsion.objects.filter(membership=w.membership_a).count()


def _mailing_state(w):
    from members.models import Mailing

    return Mailing.objects.get(pk=w.mailing.pk).status


def _claim_state(w):
    from portal.organisations.models import OrganisationClaim, OrganisationUser

    return OrganisationClaim.objects.get(pk=w.claim.pk).status, OrganisationUser.objects.filter(user=w.claimant).count()


def _team_a_state(w):
    from portal.organisations.models import OrganisationUser

    return sorted(OrganisationUser.objects.filter(organisation=w.firm_a).values_list("user_id", "role"))


def _bank_line_state(w):
    from members.models import Payment, StatementLine

    return StatementLine.objects.get(pk=w.bank_line.pk).status, Payment.objects.filter(bank_line=w.bank_line).count()


def _statements_state(w):
    from members.models import BankStatement

    return BankStatement.objects.count()


def _individuals_state(w):
    from members.models import IndividualMember

    return IndividualMember.objects.count()


def _statement_upload(w):
    from members.models import BankProfile
    from tests.members.statements import line, statement_xlsx

    return {"profile": BankProfile.objects.get(name="中国建设银行").pk,
            "file": SimpleUploadedFile("新对账单.xlsx", statement_xlsx([line("某培训学员", 800, "培训费")]))}


def _details_change_a_state(w):
    from portal.organisations.models import Organisation, RegisteredDetailsChange

    return RegisteredDetailsChange.objects.get(pk=w.details_change_a.pk).status, Organisation.objects.get(pk=w.firm_a.pk).name


def _round_a_state(w):
    from showcase.models import Application, ReviewRound

    return ReviewRound.objects.get(pk=w.round_a.pk).result, Application.objects.get(pk=w.showcase_a.pk).status


def _showcase_b_state(w):
    from showcase.models import Application

    return Application.objects.get(pk=w.showcase_b.pk).status


def _sheet_a_state(w):
    from showcase.models import ScoreSheet

    return ScoreSheet.objects.get(pk=w.sheet_a.pk).status


def _open_entry_state(w):
    from showcase.awards.models import Revocation, Title

    application_id = w.open_entry.application_id
    return (Title.objects.filter(application_id=application_id).count(),
            Revocation.objects.filter(application_id=application_id).count())


def _title_a_state(w):
    from showcase.awards.models import Revocation

    return Revocation.objects.filter(title=w.title_a).count()


def _request_a_state(w):
    from portal.services.models import ServiceRequest

    return ServiceRequest.objects.get(pk=w.service_request_a.pk).status


def _registration_a_state(w):
    from portal.services.models import EventRegistration

    return EventRegistration.objects.filter(pk=w.registration_a.pk).count()


def _firm_a_account_state(w):
    from django.contrib.auth import get_user_model

    from portal.privacy.models import CancellationRequest

    user = get_user_model().objects.get(pk=w.users["firm_a"].pk)
    return user.is_active, user.email, CancellationRequest.objects.filter(user=user).count()


def _issue_pages_data(w):
    return {"pages-TOTAL_FORMS": "1", "pages-INITIAL_FORMS": "1", "pages-MIN_NUM_FORMS": "1",
            "pages-MAX_NUM_FORMS": "1", "pages-0-article": str(w.article.pk), "pages-0-start_page": "7",
            "pages-0-end_page": "9", "pdf_page_offset": "2"}


def _issue_pages_state(w):
    from portal.magazine.models import ArticlePage

    draft = ArticlePage.objects.get(pk=w.article.pk).get_latest_revision_as_object()
    return draft.start_page, draft.end_page


def _score_data(w):
    from showcase.models import items_of

    level = w.standard.levels.get(name="不符合")
    data = {"action": "submit", "overall_comment": "不合格"}
    for item in items_of(w.standard):
        data[f"level_{item.pk}"] = str(level.pk)
        data[f"comment_{item.pk}"] = "材料不足"
    return data


def _post_cases() -> list[PostCase]:
    app_b, membership_a, round_a = pk("member_application_b"), pk("membership_a"), pk("round_a")
    approve_change = lambda w: {"action": "approve", "note": ""}  # noqa: E731
    admit_b = lambda w: {  # noqa: E731
        "meeting_date": _today(), "members_present": w.council_size, "votes_for": w.council_size, "votes_against": 0,
        "votes_abstaining": 0, "decisions-TOTAL_FORMS": 1, "decisions-INITIAL_FORMS": 1,
        "decisions-0-application": w.member_application_b.pk, "decisions-0-decision": "approve",
        "decisions-0-tier": w.member_application_b.tier_id,
    }
    decide = lambda w: {"result": "accepted", "decided_on": _today(), "note": ""}  # noqa: E731
    expel = lambda w: {"action": "expel", "ex-meeting_date": _today(), "ex-members_present": w.council_size,  # noqa: E731
                       "ex-votes_for": w.council_size, "ex-votes_against": "0", "ex-votes_abstaining": "0",
                       "ex-reason": "违反章程", "ex-minutes": pdf_upload("会议纪要.pdf")}
    passed = lambda w: {"outcome": "pass", "text": "", "not_credit_agency": "on"}  # noqa: E731
    revoke = lambda w: {"ground": "fraud", "facts": "弄虚作假", "revoked_on": _today(), "announcement": ""}  # noqa: E731
    cases = [
        # Membership: the council's resolutions are recorded by the secretariat or a council member, never by
        # another role; a council member who works for firm B is recused from deciding firm B's application.
        *[PostCase("members_resolutions:record_admission", role, lambda w: {}, admit_b, outcome, _member_app_b_state)
          for role, outcome in [("anonymous", LOGIN), ("firm_b", ACCOUNT), ("editor", DENY), ("agency", DENY),
                                ("expert", DENY), ("council_firm_b", DENY)]],
        PostCase("members_resolutions:record_admission", "council", lambda w: {}, admit_b,
                 to(lambda w: "/admin/members_resolutions/inspect/"), _member_app_b_state, changes=True),
        # One-click approval is gone: the application's page takes no such step.
        PostCase("members_applications:inspect", "council", app_b, lambda w: {"action": "approve"}, NF,
                 _member_app_b_state),
        # Expulsion: the same rules; recused for one's own firm; never by another role.
        *[PostCase("members_memberships:inspect", role, membership_a, expel, DENY, _membership_a_state)
          for role in ("editor", "expert", "council_firm_a")],
        PostCase("members_memberships:inspect", "council", membership_a, expel,
                 to(lambda w: f"/admin/members_memberships/inspect/{w.membership_a.pk}/"), _membership_a_state,
                 changes=True),
        # Mailings: only the secretariat sends them.
        *[PostCase("members_mailings:inspect", role, pk("mailing"), lambda w: {"action": "send"}, outcome,
                   _mailing_state)
          for role, outcome in [("council", DENY), ("editor", DENY), ("firm_a", ACCOUNT)]],
        PostCase("members_mailings:inspect", "secretariat", pk("mailing"), lambda w: {"action": "send"},
                 to(lambda w: f"/admin/members_mailings/inspect/{w.mailing.pk}/"), _mailing_state, changes=True),
        # Claims: the secretariat decides disputes (not the council, not the unit itself); another unit's people
        # neither manage firm A's team nor decide its claims.
        *[PostCase("organisation_claims:inspect", role, pk("claim"), lambda w: {"action": "verify", "role": "clerk"},
                   outcome, _claim_state)
          for role, outcome in [("firm_a", ACCOUNT), ("council", WAGTAIL_DENIED), ("council_firm_a", WAGTAIL_DENIED)]],
        PostCase("organisation_claims:inspect", "secretariat", pk("claim"), lambda w: {"action": "verify",
                                                                                       "role": "clerk"},
                 to(lambda w: f"/admin/organisation_claims/inspect/{w.claim.pk}/"), _claim_state, changes=True),
        *[PostCase("members:team_remove", role, lambda w: {"pk": w.users["firm_a"].organisation_link.pk},
                   lambda w: {}, outcome, _team_a_state)
          for role, outcome in [("firm_b", NF), ("secretariat", DENY), ("anonymous", LOGIN)]],
        *[PostCase("members:team_role", role, lambda w: {"pk": w.users["firm_a"].organisation_link.pk},
                   lambda w: {"role": "clerk"}, outcome, _team_a_state)
          for role, outcome in [("firm_b", NF), ("council", DENY)]],
        PostCase("members:team_claim", "firm_b", pk("claim"), lambda w: {"action": "accept"}, NF, _claim_state),
        # Bank reconciliation: only the secretariat uploads statements and confirms lines.
        *[PostCase("members_bank_lines:reconcile", role, lambda w: {}, lambda w: {"line": w.bank_line.pk}, outcome,
                   _bank_line_state)
          for role, outcome in [("anonymous", LOGIN), ("firm_a", ACCOUNT), ("editor", DENY), ("council", DENY),
                                ("agency", DENY)]],
        PostCase("members_bank_lines:reconcile", "secretariat", lambda w: {}, lambda w: {"line": w.bank_line.pk},
                 to(lambda w: "/admin/members_bank_lines/reconcile/"), _bank_line_state, changes=True),
        *[PostCase("members_bank_lines:inspect", role, pk("bank_line"), lambda w: {"action": "confirm"}, DENY,
                   _bank_line_state) for role in ("council", "expert")],
        *[PostCase("members_statements:upload", role, lambda w: {}, _statement_upload, outcome, _statements_state)
          for role, outcome in [("firm_a", ACCOUNT), ("council", DENY), ("editor", DENY)]],
        PostCase("members_statements:upload", "secretariat", lambda w: {}, _statement_upload,
                 to(lambda w: "/admin/members_bank_lines/reconcile/"), _statements_state, changes=True),
        *[PostCase("members_individuals:add", role, lambda w: {}, lambda w: {"name": "李四", "tier": w.individual.tier_id,
                                                                               "joined_on": _today()}, DENY,
                   _individuals_state) for role in ("council", "editor")],
        # A change of registered details: only the secretariat decides it, and not for its own unit.
        *[PostCase("organisation_changes:inspect", role, pk("details_change_a"), approve_change, outcome,
                   _details_change_a_state)
          for role, outcome in [("firm_a", ACCOUNT), ("council", WAGTAIL_DENIED), ("council_firm_a", WAGTAIL_DENIED)]],
        PostCase("organisation_changes:inspect", "secretariat", pk("details_change_a"), approve_change,
                 to(lambda w: f"/admin/organisation_changes/inspect/{w.details_change_a.pk}/"), _details_change_a_state,
                 changes=True),
        # Programme: only the secretariat decides, only the campaign's agency reviews, only the expert scores.
        *[PostCase("showcase_admin:decide", role, round_a, decide, DENY, _round_a_state)
          for role in ("editor", "council", "agency", "expert")],
        PostCase("showcase_admin:decide", "firm_a", round_a, decide, ACCOUNT, _round_a_state),
        PostCase("showcase_admin:decide", "secretariat", round_a, decide,
                 to(lambda w: f"/admin/showcase/applications/{w.showcase_a.pk}/"), _round_a_state, changes=True),
        *[PostCase("showcase_admin:preliminary", role, pk("showcase_b"), passed, DENY, _showcase_b_state)
          for role in ("secretariat", "expert")],
        PostCase("showcase_admin:preliminary", "agency", pk("showcase_b"), passed,
                 to(lambda w: f"/admin/showcase/applications/{w.showcase_b.pk}/"), _showcase_b_state, changes=True),
        PostCase("showcase_admin:reopen_sheet", "expert", pk("sheet_a"), lambda w: {"reason": "重新评分"}, DENY,
                 _sheet_a_state),
        PostCase("showcase_admin:score", "secretariat", pk("assignment_a"), _score_data, DENY, _sheet_a_state),
        # Titles: only the secretariat awards and revokes.
        PostCase("awards_admin:award", "agency", pk("open_entry"), lambda w: {}, DENY, _open_entry_state),
        PostCase("awards_admin:revoke", "agency", pk("title_a"), revoke, DENY, _title_a_state),
        # Services: another firm cannot cancel firm A's request or registration.
        PostCase("services:request_cancel", "firm_b", pk("service_request_a"), lambda w: {"note": "x"}, NF,
                 _request_a_state),
        PostCase("services:request_cancel", "firm_a", pk("service_request_a"), lambda w: {"note": "不需要了"},
                 to(lambda w: f"/services/requests/{w.service_request_a.pk}/"), _request_a_state, changes=True),
        PostCase("services:event_unregister", "firm_b", pk("event"), lambda w: {}, NF, _registration_a_state),
        PostCase("services:event_unregister", "secretariat", pk("event"), lambda w: {}, DENY, _registration_a_state),
        # Cancelling an account: only the signed-in holder, with their password.
        PostCase("privacy:cancel", "anonymous", lambda w: {}, lambda w: {"password": "access-matrix-42", "confirm": "on"},
                 LOGIN, _firm_a_account_state),
        PostCase("privacy:cancel", "firm_a", lambda w: {}, lambda w: {"password": "guessed", "confirm": "on"},
                 Outcome(400), _firm_a_account_state),
        PostCase("privacy:cancel", "firm_a", lambda w: {}, lambda w: {"password": "access-matrix-42", "confirm": "on"},
                 to(lambda w: "/account/privacy/"), _firm_a_account_state, changes=True),
        # Magazine: only the editorial office enters printed pages (saved as drafts).
        *[PostCase("magazine_admin:issue_pages", role, pk("issue"), _issue_pages_data, DENY, _issue_pages_state)
          for role in ("secretariat", "council", "agency", "expert")],
        PostCase("magazine_admin:issue_pages", "firm_a", pk("issue"), _issue_pages_data, ACCOUNT, _issue_pages_state),
        PostCase("magazine_admin:issue_pages", "editor", pk("issue"), _issue_pages_data,
                 to(lambda w: f"/admin/pages/{w.issue.pk}/"), _issue_pages_state, changes=True),
    ]
    for case in cases:  # refused inside the Wagtail admin: Wagtail's dashboard redirect (see above)
        if case.expect == DENY and case.key.startswith(WAGTAIL_ANSWERED):
            case.expect = WAGTAIL_DENIED
    return cases


POST_CASES = _post_cases()


@dataclass
class ExtraCase:
    """A GET by a user outside the eight roles (a provider's account, an unassigned expert)."""

    key: str
    user: str  # attribute of the world holding the user
    kwargs: Callable | None
    expect: Outcome


EXTRA_CASES = [
    # A council member registered with firm A: firm A's pages with the same account, and the admin.
    *[ExtraCase(key, "council_firm_a", kwargs, OK) for key, kwargs in [
        ("members:membership", None), ("members:certificate", None), ("members:receipt", pk("payment_a")),
        ("members:application", pk("member_application_a")), ("services:requests", None),
        ("services:request", pk("service_request_a")), ("showcase:mine", None), ("showcase:detail", pk("showcase_a")),
        ("members_memberships:index", None), ("members_applications:inspect", pk("member_application_b")),
    ]],
    ExtraCase("members:application", "council_firm_b", pk("member_application_a"), NF),  # firm A's, seen as firm B
    ExtraCase("services:desk", "provider_user", None, OK),
    ExtraCase("services:desk_detail", "provider_user", pk("service_request_a"), OK),
    ExtraCase("services:desk_detail", "other_provider_user", pk("service_request_a"), NF),
    ExtraCase("services:desk", "other_provider_user", None, OK),
    ExtraCase("showcase_admin:score", "unassigned_expert", pk("assignment_a"), NF),
    ExtraCase("showcase_admin:declare", "unassigned_expert", pk("assignment_a"), NF),
    ExtraCase("showcase:application_file", "unassigned_expert", lambda w: {"pk": w.showcase_a.pk, "kind": "licence"},
              NF),
    ExtraCase("showcase:evidence_file", "unassigned_expert", pk("evidence_a"), NF),
    ExtraCase("showcase:evidence_file", "expert", pk("evidence_b"), NF),  # assigned to firm A's only
    ExtraCase("showcase:report_file", "unassigned_expert", pk("round_a"), NF),
]
