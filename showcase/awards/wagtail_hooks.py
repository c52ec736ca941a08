import datetime

from django.urls import include, path, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from portal.accounts.roles import Role, has_role
from portal.core.audit import register_actions

from . import admin_urls

# ---------------------------------------------------------------- admin menu (beside the programme's own)


@hooks.register("register_admin_viewset")
def register_viewsets():
    from .admin_viewsets import NoticeViewSet, ObjectionViewSet, TitleViewSet

    return [TitleViewSet(), NoticeViewSet(), ObjectionViewSet()]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("showcase-titles/", include(admin_urls))]


class RoleMenuItem(MenuItem):
    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles

    def is_shown(self, request):
        return has_role(request.user, *self.roles)


MENU = Menu(items=[
    RoleMenuItem(_("Titles"), reverse_lazy("awards_titles:index"), icon_name="pick", order=100,
                 roles=(Role.SECRETARIAT, Role.AGENCY)),
    RoleMenuItem(_("Public notices"), reverse_lazy("awards_notices:index"), icon_name="info-circle", order=200,
                 roles=(Role.SECRETARIAT,)),
    RoleMenuItem(_("Objections"), reverse_lazy("awards_objections:index"), icon_name="warning", order=300,
                 roles=(Role.SECRETARIAT,)),
    RoleMenuItem(_("Revocations"), reverse_lazy("awards_admin:revocations"), icon_name="cross", order=400,
                 roles=(Role.SECRETARIAT,)),
    RoleMenuItem(_("Annual summary"), reverse_lazy("awards_admin:summary"), icon_name="table", order=500,
                 roles=(Role.SECRETARIAT,)),
])


class TitlesSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.SECRETARIAT, Role.AGENCY)


@hooks.register("register_admin_menu_item")
def register_menu():
    return TitlesSubmenu(_("Demonstration unit titles"), MENU, icon_name="pick", name="showcase-titles", order=451)


@hooks.register("construct_homepage_panels")
def worklists(request, panels):
    """The secretariat lands on the objections to investigate and the units awaiting their notice (#14.10)."""
    if has_role(request.user, Role.SECRETARIAT):
        from .dashboard import secretariat_panel

        panels.append(secretariat_panel(request.user))


@hooks.register("insert_global_admin_css")
def admin_css():
    from django.templatetags.static import static

    return format_html('<link rel="stylesheet" href="{}">', static("css/awards-admin.css"))


# ---------------------------------------------------------------- audit


@hooks.register("register_log_actions")
def log_actions(actions):
    register_actions(actions, {
        "awards.notice.publish": (_("Public notice published"), _("Public notice published")),
        "awards.notice.open": (_("Public notice opened"), _("Public notice opened")),
        "awards.notice.close": (_("Public notice ended"), _("Public notice ended")),
        "awards.objection.submit": (_("Objection filed"), _("Objection filed")),
        "awards.objection.confirm": (_("Objection confirmed by email"), _("Objection confirmed by email")),
        "awards.objection.dismissed": (_("Objection dismissed"), _("Objection dismissed")),
        "awards.objection.upheld": (_("Objection upheld"), _("Objection upheld")),
        "awards.title.award": (_("Title awarded"), _("Title awarded")),
        "awards.title.award_manual": (_("Title awarded by the secretariat"), _("Title awarded by the secretariat")),
        "awards.title.plaque": (_("Plaque issued"), _("Plaque issued")),
        "awards.title.re_review": (_("Re-review opened"), _("Re-review opened")),
        "awards.title.renew": (_("Title renewed"), _("Title renewed")),
        "awards.title.not_renewed": (_("Title not renewed"), _("Title not renewed")),
        "awards.title.remind": (_("Expiry reminder sent"), _("Expiry reminder sent")),
        "awards.title.revoke": (_("Title revoked"), _("Title revoked")),
        "awards.summary.generate": (_("Annual summary generated"), _("Annual summary generated")),
        "awards.summary.publish": (_("Annual summary published"), _("Annual summary published")),
    })


# ---------------------------------------------------------------- scheduled job


def job_now(today: datetime.date) -> datetime.datetime:
    """The moment the job acts at: now when run for today, else the last second of `today` (Beijing time)."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 59, 59)))


@hooks.register("register_due_jobs")
def awards_due_jobs(today, dry_run):
    from . import domain

    now = job_now(today)
    yield from domain.process_notices(now=now, dry_run=dry_run)
    yield from domain.send_expiry_reminders(today=today, dry_run=dry_run)


awards_due_jobs.job_name = "awards"


# ---------------------------------------------------------------- verify, account, demo


@hooks.register("showcase_round_decided")
def round_decided(review_round, *, user, request=None):
    """A re-review decided on either page renews the title at once (one path for the outcome)."""
    from .domain.titles import on_round_decided

    on_round_decided(review_round, user=user, request=request)


@hooks.register("showcase_tracking_open")
def tracking_open(application):
    """The programme asks whether the unit's title is due for its tracking evaluation (evidence uploads)."""
    from .domain.titles import tracking_problems

    return tracking_problems(application)


@hooks.register("showcase_standing_title")
def standing_title(application, on_date):
    """The programme asks whether a unit's title (or accepted application) still stands (eligibility)."""
    from .domain.titles import standing_title

    return standing_title(application, on_date)


@hooks.register("register_certificate_verifier")
def verify_title(number):
    from .models import Title, TitleStatus

    if not number.startswith("XYSF-"):
        return None
    title = Title.objects.with_status().filter(certificate_number=number).first()
    if title is None:
        return None
    labels = {
        TitleStatus.VALID: _("Valid: credit demonstration member unit"),
        TitleStatus.EXPIRING: _("Valid, expiring soon: credit demonstration member unit"),
        TitleStatus.RE_REVIEW: _("Under re-review: credit demonstration member unit"),
        TitleStatus.EXPIRED: _("Expired: the title is no longer valid"),
        TitleStatus.REVOKED: _("Revoked: the title was cancelled by the association"),
    }
    return {
        "kind": _("Honour certificate: credit demonstration member unit"),
        "number": title.certificate_number,
        "holder": title.unit_name,
        "status": title.status,
        "status_label": labels[title.status],
        "detail_label": _("Acceptance date"),
        "detail": title.accepted_on.isoformat(),
        "valid_from": title.valid_from,
        "valid_until": title.valid_until,
    }


@hooks.register("register_account_panel")
def titles_account_panel(request):
    from .domain import firm_titles
    from .models import TitleStatus

    if not request.user.is_authenticated:
        return None
    titles = list(firm_titles(request.user).with_status().order_by("-valid_until")[:5])
    if not titles:
        return None
    for title in titles:
        title.status_label = TitleStatus(title.status).label
    return {"title": _("Credit demonstration member unit title"), "template": "awards/account_panel.html",
            "order": 51, "titles": titles}


@hooks.register("register_account_panel")
def unit_notice_account_panel(request):
    """The unit's running public notice and the objections' state (never the objectors), on "my account"."""
    from portal.accounts.roles import is_firm_user
    from portal.organisations.models import organisation_for

    from .domain import unit_notices

    if not request.user.is_authenticated or not is_firm_user(request.user):
        return None
    organisation = organisation_for(request.user)
    notices = unit_notices(organisation_id=organisation.pk) if organisation else []
    if not notices:
        return None
    return {"title": _("Public notice of your unit"), "template": "awards/includes/unit_notices.html", "order": 49,
            "notices": notices}


@hooks.register("showcase_application_sections")
def unit_notice_on_application(application):
    """The same on the unit's application page (the programme asks: it does not know about notices)."""
    from .domain import unit_notices

    notices = unit_notices(organisation_id=application.organisation_id, application_id=application.pk)
    if not notices:
        return None
    return {"template": "awards/includes/unit_notice_section.html", "notices": notices}


@hooks.register("register_home_panel")
def notices_home_panel(request):
    """Current and upcoming public notices on the home page, with the way to object and to the directories
    (#14.2). Two queries; public data only (publishing, opening and closing a notice invalidate public pages)."""
    from django.db.models import Prefetch

    from .models import Notice, NoticeEntry

    now = timezone.now()
    notices = list(Notice.objects.published().filter(ends_at__gt=now).order_by("starts_at", "pk")
                   .prefetch_related(Prefetch("entries", queryset=NoticeEntry.objects.order_by("sort_order", "pk")))
                   [:3])
    return {"template": "awards/home_panel.html", "order": 20, "notices": notices, "now": now}


@hooks.register("register_demo_loader", order=60)
def load_demo(demo):
    from .demo import load

    load(demo)


# ---------------------------------------------------------------- personal information (portal.privacy)


def _objections_of(user):
    """Objections filed with this person's (confirmed) email address: objectors file without an account."""
    from allauth.account.models import EmailAddress
    from django.db.models import Q

    from .models import Objection

    emails = {user.email} if user.email else set()
    emails |= set(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
    match = Q(pk__in=[])
    for email in emails:
        match |= Q(email__iexact=email)
    return Objection.objects.filter(match).select_related("entry")


@hooks.register("personal_data_sections")
def awards_personal_data(user):
    objections = _objections_of(user)
    if not objections:
        return []
    return [{"title": _("Objections you filed"), "items": [{
        _("Acknowledgement number"): o.number, _("Unit"): o.entry.unit_name, _("Status"): o.get_status_display(),
        _("Objector's name"): o.name, _("Phone"): o.phone, _("Email"): o.email,
        _("Relationship to the unit"): o.get_relationship_display(), _("Objection"): o.content,
        _("Evidence file name"): o.evidence_name, _("Client address"): o.client_address,
        _("Submitted at"): o.submitted_at,
    } for o in objections.order_by("submitted_at")]}]


@hooks.register("cancellation_blockers")
def awards_cancellation_blockers(user):
    from .models import Objection

    return [_("Your objection %(number)s (%(unit)s) is being investigated.") % {
        "number": o.number, "unit": o.entry.unit_name}
        for o in _objections_of(user).filter(status=Objection.Status.OPEN)]


def _anonymise_objections(queryset, name):
    from portal.privacy.consent import forget_consent_addresses

    from .models import Objection

    ids = list(queryset.values_list("pk", flat=True))
    Objection.objects.filter(pk__in=ids).update(name=name[:50], phone="", email="", client_address=None)
    forget_consent_addresses(Objection, ids)
    return len(ids)


@hooks.register("anonymise_personal_data")
def awards_anonymise(user, pseudonym):
    from portal.privacy.cancellation import anonymous_name

    _anonymise_objections(_objections_of(user), anonymous_name(pseudonym))


@hooks.register("retention_jobs")
def awards_retention(today, dry_run, rules):
    """Objectors' names, contact details and addresses, a period after the objection was decided."""
    from django.db import transaction
    from django.db.models import Q

    from portal.privacy.retention import ANONYMISED, cutoff

    from .models import Objection

    due = Objection.objects.exclude(status=Objection.Status.OPEN).filter(
        decided_at__lt=cutoff(today, rules.objector_contact_days)).filter(
        ~Q(name=ANONYMISED) | ~Q(phone="") | ~Q(email="") | Q(client_address__isnull=False))
    if dry_run:
        count = due.count()
    else:
        with transaction.atomic():
            count = _anonymise_objections(due.select_for_update(), ANONYMISED)
    if count:
        yield f"{'would anonymise' if dry_run else 'anonymised'} the objector's details of {count} objection(s)"


@hooks.register("personal_data_views")
def awards_personal_data_views():
    from .models import Objection

    return {"awards_admin:objection": Objection}


# Membership mailings to "credit demonstration units" (members asks; the programme answers).
@hooks.register("mailing_segment_units")
def mailing_segment_units(segment):
    from .mailing_segments import demonstration_units

    return demonstration_units(segment)
