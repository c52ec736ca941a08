"""Audit entries for role changes: a user added to or removed from a role group."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed

from portal.core import audit

from .roles import Role

ROLE_NAMES = frozenset(str(r) for r in Role)


def _log(user, group_names, action):
    request = audit.current_request()
    actor = audit.request_user(request) if request is not None else None
    for name in sorted(group_names & ROLE_NAMES):
        audit.record(user, action, user=actor, request=request, data={"role": name, "user_id": user.pk})


def role_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed on User.groups, from either side (user.groups.add / group.user_set.add)."""
    if action == "pre_clear":
        # The cleared rows are gone by post_clear: remember them now.
        if reverse:
            instance._portal_cleared_users = list(instance.user_set.all()) if instance.name in ROLE_NAMES else []
        else:
            instance._portal_cleared_roles = set(instance.groups.values_list("name", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    verb = audit.ROLE_ADDED if action == "post_add" else audit.ROLE_REMOVED
    if hasattr(instance, "user_set") and isinstance(instance, Group):  # reverse: group.user_set.<action>
        if action == "post_clear":
            users = getattr(instance, "_portal_cleared_users", [])
        else:
            users = list(get_user_model().objects.filter(pk__in=pk_set or ()))
        for user in users:
            user._role_names = None
            _log(user, {instance.name}, verb)
        return
    instance._role_names = None  # the cached role set is stale now
    if action == "post_clear":
        names = getattr(instance, "_portal_cleared_roles", set())
    else:
        names = set(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    _log(instance, names, verb)


def connect():
    m2m_changed.connect(
        role_groups_changed, sender=get_user_model().groups.through, dispatch_uid="portal.accounts.role_audit"
    )
