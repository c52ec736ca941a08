from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from portal.accounts.roles import Role, has_role, is_staff_member
from portal.core.audit import record, register_actions

from . import admin_urls
from .hooks import BLOCKERS, SECTIONS
from .middleware import EXPORTED, VIEWED
from .views import CORRECTED

# --------------------------------------------------------------------------------------- admin


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("privacy/", include((admin_urls.urlpatterns, "privacy_admin"), namespace="privacy_admin"))]


class SecretariatMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.SECRETARIAT)


@hooks.register("register_admin_menu_item")
def register_menu():
    return SecretariatMenuItem(gettext_lazy("Personal information"), reverse("privacy_admin:index"),
                               icon_name="lock", order=900)


@hooks.register("register_user_listing_buttons")
def personal_data_button(user, request_user):
    if has_role(request_user, Role.SECRETARIAT):
        yield Button(_("Personal information"), reverse("privacy_admin:person", args=[user.pk]), icon_name="lock",
                     priority=50)


@hooks.register("before_edit_user")
def log_user_view(request, user):
    """Staff opening a person's account in the admin (Wagtail's user editor) is an access to personal data."""
    if request.method == "GET" and request.user.pk != user.pk:
        record(user, VIEWED, request=request, data={"view": "wagtailusers_users:edit"})


@hooks.register("register_log_actions")
def register_log_actions(actions):
    register_actions(actions, {
        VIEWED: (gettext_lazy("Personal data viewed"), gettext_lazy("Personal data viewed by staff")),
        EXPORTED: (gettext_lazy("Personal data exported"), gettext_lazy("Personal data exported by staff")),
        CORRECTED: (gettext_lazy("Personal data corrected"), gettext_lazy("Personal data corrected by the person")),
    })


# ----------------------------------------------------------------------------- the person's side


@hooks.register(SECTIONS, order=-100)
def account_sections(user):
    from .data import account_sections

    return account_sections(user)


@hooks.register(BLOCKERS, order=-100)
def staff_roles_block_cancellation(user):
    """Staff accounts belong to the association's work: their roles are withdrawn first."""
    reasons = []
    if user.is_superuser:
        reasons.append(_("This is an administrator account: ask another administrator to remove its rights first."))
    roles = sorted(user.groups.values_list("name", flat=True))
    if roles and is_staff_member(user):
        reasons.append(_("You hold the role(s) %(roles)s: ask the secretariat to withdraw them first.")
                       % {"roles": "、".join(roles)})
    return reasons


@hooks.register("register_account_panel")
def privacy_panel(request):
    from .consent import current_documents

    if not request.user.is_authenticated:
        return None
    return {"title": _("Personal information and privacy"), "template": "privacy/account_panel.html", "order": 200,
            "documents": list(current_documents(request).values())}


# --------------------------------------------------------------------------------------- jobs, demo


@hooks.register("register_due_jobs", order=900)
def privacy_due_jobs(today, dry_run):
    from .retention import run_retention

    yield from run_retention(today=today, dry_run=dry_run)


privacy_due_jobs.job_name = "privacy"


@hooks.register("register_demo_loader", order=900)
def load_demo(demo):
    from .demo import load_privacy_demo

    load_privacy_demo(demo)
