"""The portal's roles: one Django group each, created by a data migration.

Code refers to roles through `Role`; the group names are the Chinese role names
the association uses, so the admin shows them as staff know them.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EDITOR = "编辑", _("Editor")
    CHIEF_EDITOR = "主编", _("Chief editor")
    SECRETARIAT = "秘书处", _("Secretariat")
    COUNCIL = "理事会", _("Council")
    AGENCY = "第三方机构", _("Agency")
    EXPERT = "评审专家", _("Expert")


STAFF_ROLES = frozenset(Role)
# Roles that must use two-factor authentication (issue: production readiness).
MFA_ROLES = frozenset(Role)


def has_role(user, *roles: Role) -> bool:
    """True if the user holds any of the roles. Superusers hold every role."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(user.role_names & {str(r) for r in roles})


def is_staff_member(user) -> bool:
    return has_role(user, *STAFF_ROLES)


# Wagtail hook answered by `portal.organisations`: fn(user) -> bool, "is this user registered with a unit".
ACTS_FOR_A_UNIT_HOOK = "acts_for_a_unit"


def acts_for_a_unit(user) -> bool:
    """Whether the user is registered with a unit (firm), whatever roles they also hold."""
    from wagtail import hooks

    return any(answer(user) for answer in hooks.get_hooks(ACTS_FOR_A_UNIT_HOOK))


def is_firm_user(user) -> bool:
    """May use the firm pages: logged in and acting for a unit, or holding no staff role.

    A person may hold several roles (SPEC): a council member registered with a member firm acts for
    it with the same account (and is recused from decisions about it, see `portal.core.workflow`).
    A self-registered user without a unit yet holds no role and may register one; staff who act for
    no unit work in the admin.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return acts_for_a_unit(user) or (not user.is_superuser and not is_staff_member(user))


def role_required(*roles: Role):
    """View decorator: 403 unless the user holds one of the roles (login handled separately).

    Staff who must use two-factor authentication and have not set it up are sent
    to the TOTP setup page first (see `portal.accounts.mfa`).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            from .mfa import needs_mfa_setup, redirect_to_mfa_setup

            if needs_mfa_setup(request.user):
                return redirect_to_mfa_setup(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def firm_required(view):
    """Firm pages (`is_firm_user`): login redirect for visitors, 403 for staff who act for no unit."""
    from django.contrib.auth.decorators import login_required

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_firm_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def grant_model_permissions(apps, role: Role, app_label: str, codenames: list[str]) -> None:
    """For data migrations: give a role group model permissions by codename.

    Permissions are created after migrations by Django's post_migrate signal, so
    this creates missing ones itself (same rows the signal would create).
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True  # migration-state stubs have none; create_permissions needs one
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=str(role))
    perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(perms.values_list("codename", flat=True))
    if missing:
        raise LookupError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*perms)
