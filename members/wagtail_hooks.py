from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from portal.accounts.roles import Role, has_role, is_firm_user
from portal.core.audit import register_actions
from portal.organisations.details import CHANGED_HOOK as REGISTERED_DETAILS_CHANGED_HOOK
from portal.organisations.details import VETTED_HOOK as REGISTERED_DETAILS_VETTED_HOOK

from . import admin_views
from .demo import load_membership_demo
from .models import Membership, MembershipApplication, active_member_ids

STAFF = (Role.COUNCIL, Role.SECRETARIAT)


# --------------------------------------------------------------------------- admin: viewsets, views, menu


@hooks.register("register_admin_viewset")
def register_viewsets():
    return admin_views.MembershipViewSetGroup()


@hooks.register("register_admin_viewset")
def register_dues_collection():
    return admin_views.DuesCollectionViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("membership/", include((admin_views.urlpatterns, "members_admin"), namespace="members_admin"))]


class RoleMenuItem(MenuItem):
    def __init__(self, *args, roles=STAFF, **kwargs):
        self.roles = roles
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return has_role(request.user, *self.roles)


@hooks.register(admin_views.SUBMENU_HOOK)
def reports_menu_item():
    return RoleMenuItem(_("Membership reports"), reverse("members_admin:reports"), icon_name="table", order=300)


@hooks.register(admin_views.SUBMENU_HOOK)
def roster_menu_item():
    return RoleMenuItem(_("Member roster"), reverse("members_admin:roster"), icon_name="list-ul", order=310)


@hooks.register(admin_views.SUBMENU_HOOK)
def arrears_menu_item():
    return RoleMenuItem(_("Arrears list"), reverse("members_admin:arrears"), icon_name="warning", order=320)


@hooks.register(admin_views.SUBMENU_HOOK)
def inactive_menu_item():
    return RoleMenuItem(_("Activity watch"), reverse("members_admin:inactive"), icon_name="warning", order=400)


class MembershipDashboardPanel(Component):
    order = 150
    template_name = "members/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        from . import reports

        return {
            "by_tier": reports.members_by_tier_now(),
            "pending": MembershipApplication.objects.filter(status=MembershipApplication.Status.SUBMITTED).count(),
            "chart": reports.bar_chart(reports.yearly_totals(years=6)),
        }


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/members-admin.css"))


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if has_role(request.user, *STAFF):
        panels.append(MembershipDashboardPanel())
    if has_role(request.user, Role.COUNCIL):
        panels.append(council_worklist(request.user))
    if has_role(request.user, Role.SECRETARIAT):
        panels.append(payments_worklist())


def council_worklist(user):
    """The council lands on the applications awaiting its resolution (the table's approve step, #14.10)."""
    from portal.core.worklists import WorklistPanel, WorkRow, WorkSection, actionable

    from .workflows import APPLICATIONS

    waiting = actionable(APPLICATIONS, user, MembershipApplication.objects.select_related("organisation", "tier")
                         .order_by("submitted_at", "pk"), "approve")
    rows = [WorkRow(reverse("members_applications:inspect", args=[a.pk]), [
        a.organisation.name, a.tier.name, f"{a.submitted_at:%Y-%m-%d}" if a.submitted_at else "—"]) for a in waiting]
    return WorklistPanel("members-council", _("Membership: awaiting the council"), [WorkSection(
        _("Membership applications awaiting the council's resolution"),
        [_("Applicant"), _("Tier requested"), _("Submitted on")], rows, empty=_("No application is waiting."),
        more_url=reverse("members_applications:index") + "?status=submitted")], order=80)


def payments_worklist():
    """The secretariat lands on the bank lines waiting for it (#14.10 待确认缴费): the portal's proposals to
    confirm on the reconciliation screen, and the lines it could not match."""
    from portal.core.templatetags.portal_tags import yuan
    from portal.core.worklists import WorklistPanel, WorkRow, WorkSection

    from .models import StatementLine

    def rows(status):
        lines = StatementLine.objects.filter(status=status).select_related("membership__organisation").order_by(
            "booked_on", "pk")[:20]
        return [WorkRow(reverse("members_bank_lines:inspect", args=[line.pk]), [
            line.payer_name or "—", f"{line.booked_on:%Y-%m-%d}", yuan(line.amount), line.get_match_display()])
            for line in lines]

    columns = [_("Payer"), _("Booking date"), _("Amount"), _("Match")]
    reconcile = reverse("members_bank_lines:reconcile")
    return WorklistPanel("members-payments", _("Dues: payments to confirm"), [
        WorkSection(_("Bank lines with a proposed match"), columns, rows(StatementLine.Status.PROPOSED),
                    empty=_("No proposal is waiting."), more_url=reconcile, more_label=_("Reconcile")),
        WorkSection(_("Bank lines to resolve"), columns, rows(StatementLine.Status.UNMATCHED),
                    empty=_("No line is waiting."), more_url=reconcile, more_label=_("Reconcile")),
    ], order=75)


# --------------------------------------------------------------------------- audit actions


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # The process steps register themselves from `members.workflows`; these are the steps outside a table.
    register_actions(actions, {
        "members.organisation.register": (_("Register organisation"), _("Organisation registered")),
        "members.organisation.edit": (_("Edit organisation"), _("Organisation details changed")),
        "members.dues.remind": (_("Dues reminder"), _("Dues reminder sent")),
        "members.activity.remind": (_("Activity reminder"), _("Reminder sent: no activity this year")),
        "members.mailing.opt_out": (_("Opt out of mailings"), _("Opted out of non-essential mailings")),
        "members.mailing.opt_in": (_("Opt back into mailings"), _("Receives non-essential mailings again")),
    })


# --------------------------------------------------------------------------- portal extension points


# Other processes ask who is a member through portal.organisations.membership.
hooks.register("active_member_ids", active_member_ids)


@hooks.register("register_demo_loader", order=20)
def load_member_demo(demo):
    load_membership_demo(demo)


@hooks.register("register_due_jobs", order=20)
def membership_due_jobs(today, dry_run):
    from .domain import run_membership_jobs
    from .domain.individuals import bill_individuals
    from .domain.mailings import queue_next_batches

    yield from run_membership_jobs(today=today, dry_run=dry_run)
    yield from bill_individuals(today=today, dry_run=dry_run)
    yield from queue_next_batches(today=today, dry_run=dry_run)


membership_due_jobs.job_name = "members"


@hooks.register("register_certificate_verifier")
def verify_member_certificate(number):
    """The member certificate's status, the name it vouches for (as approved) and the unit's former names."""
    from portal.organisations.details import name_history

    from .domain import current_certificate

    membership = (
        Membership.objects.filter(member_number=number).select_related("organisation", "tier").first()
    )
    if membership is None:
        return None
    labels = {
        Membership.Status.ACTIVE: _("Valid: a member in good standing"),
        Membership.Status.LAPSED: _("Lapsed: treated as having left (dues unpaid or no activity for a year)"),
        Membership.Status.WITHDRAWN: _("Withdrawn: no longer a member"),
        Membership.Status.EXPELLED: _("Expelled: no longer a member"),
    }
    active = membership.status == Membership.Status.ACTIVE
    certificate = current_certificate(membership)
    history = [
        {"name": row.name, "valid_from": row.valid_from, "valid_until": row.valid_until}
        for row in name_history(membership.organisation) if row.name != certificate.holder_name
    ]
    return {
        "kind": _("Member certificate"),
        "number": membership.member_number,
        "holder": certificate.holder_name,
        "status": "valid" if active else membership.status,
        "status_label": labels[membership.status],
        "detail_label": _("Tier"),
        "detail": certificate.tier_name,
        "valid_from": membership.started_on,
        "valid_until": membership.ended_on,
        "issued_on": certificate.issued_on,
        "history_label": _("Former registered names"),
        "history": history,
    }


@hooks.register(REGISTERED_DETAILS_VETTED_HOOK)
def member_or_applicant(organisation) -> bool:
    """A member's or an applicant's registered name and credit code change only by a reviewed request."""
    return MembershipApplication.objects.filter(organisation=organisation).exclude(
        status__in=[MembershipApplication.Status.DRAFT, MembershipApplication.Status.REJECTED]).exists() or (
        Membership.objects.filter(organisation=organisation, status__in=[Membership.Status.ACTIVE,
                                                                         Membership.Status.LAPSED]).exists())


@hooks.register(REGISTERED_DETAILS_CHANGED_HOOK)
def reissue_certificate_after_change(organisation, change, user):
    """An approved change of the registered name or code: the current member certificate is re-issued."""
    from .domain import current_membership_for, reissue_certificate
    from .models import MemberCertificate

    membership = current_membership_for(organisation)
    if membership is not None:
        reissue_certificate(membership=membership, user=user, reason=MemberCertificate.Reason.REGISTERED_DETAILS)


@hooks.register("register_account_panel")
def membership_account_panel(request):
    from portal.organisations.models import organisation_for

    from . import domain

    if not is_firm_user(request.user):
        return None
    organisation = organisation_for(request.user)
    from .domain.mailings import is_opted_out, opt_out_token

    panel = {"title": pgettext_lazy("members", "Membership"), "template": "members/account_panel.html", "order": 10,
             "organisation": organisation, "mailing_settings": reverse("members:unsubscribe",
                                                                       args=[opt_out_token(request.user.email)]),
             "opted_out": is_opted_out(request.user.email)}
    if organisation is None:
        return panel
    membership = domain.current_membership_for(organisation)
    panel["membership"] = membership
    if membership:
        from .domain.payment import open_notices
        from .models import PaymentAccount

        items = domain.dues_overview(membership)
        account = PaymentAccount.load()
        panel.update({
            "dues_items": items, "outstanding": sum((i.outstanding for i in items), 0),
            "paid_total": sum((i.paid for i in items), 0),
            "notices": open_notices(membership, items, account=account), "account": account,
        })
    else:
        panel["application"] = domain.open_application_for(organisation)
    return panel


# --------------------------------------------------------------------------- personal information (portal.privacy)


@hooks.register("personal_data_sections")
def membership_personal_data(user):
    """Membership applications and withdrawal notices this person made for their unit."""
    from .models import WithdrawalRequest

    sections = []
    applications = MembershipApplication.objects.filter(created_by=user).select_related("organisation", "tier")
    if applications:
        sections.append({"title": _("Membership applications you made"), "items": [{
            _("Unit"): a.organisation.name, _("Tier requested"): a.tier.name, _("Status"): a.get_status_display(),
            _("Submitted at"): a.submitted_at, _("Signed application letter"): a.application_letter_name,
            _("Business licence copy"): a.business_licence_name,
        } for a in applications.order_by("created_at")]})
    withdrawals = WithdrawalRequest.objects.filter(submitted_by=user).select_related("membership__organisation")
    if withdrawals:
        sections.append({"title": _("Withdrawal notices you submitted"), "items": [{
            _("Unit"): w.membership.organisation.name, _("Status"): w.get_status_display(),
            _("Reason"): w.reason, _("Submitted at"): w.submitted_at,
        } for w in withdrawals.order_by("submitted_at")]})
    return sections


@hooks.register("cancellation_blockers")
def membership_cancellation_blockers(user):
    from .models import WithdrawalRequest

    reasons = [
        _("The membership application you submitted for %(unit)s is being reviewed.") % {"unit": a.organisation.name}
        for a in MembershipApplication.objects.filter(
            created_by=user, status__in=[MembershipApplication.Status.SUBMITTED, MembershipApplication.Status.RETURNED]
        ).select_related("organisation")
    ]
    reasons += [
        _("The withdrawal notice you submitted for %(unit)s is being handled.") % {
            "unit": w.membership.organisation.name}
        for w in WithdrawalRequest.objects.filter(submitted_by=user, status=WithdrawalRequest.Status.PENDING)
        .select_related("membership__organisation")
    ]
    return reasons


# Individual members (个人会员): a person's name and contact details held by the secretariat, found by email.


@hooks.register("personal_data_sections")
def individual_member_personal_data(user):
    from .models import IndividualMember

    members = IndividualMember.objects.filter(email__iexact=user.email).select_related("tier") if user.email else []
    if not members:
        return []
    return [{"title": _("Your individual membership"), "items": [{
        _("Member number"): m.member_number, _("Name"): m.name, _("Phone"): m.phone, _("Email"): m.email,
        _("Work unit"): m.work_unit, _("Position"): m.position, _("Tier"): m.tier.name,
        _("Status"): m.get_status_display(), _("Since"): m.joined_on,
    } for m in members]}]


@hooks.register("anonymise_personal_data")
def individual_member_anonymise(user, pseudonym):
    """The membership record stays (number, tier, dues, receipts); how to reach the person goes."""
    from .models import IndividualMember

    if user.email:
        IndividualMember.objects.filter(email__iexact=user.email).update(phone="", email="")


@hooks.register("personal_data_views")
def individual_member_views():
    from .models import IndividualMember

    return {"members_individuals:inspect": IndividualMember, "members_individuals:edit": IndividualMember}
