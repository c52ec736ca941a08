"""One role-based permission policy for staff data in the Wagtail admin.

A viewset's permissions are declared in terms of the association's roles, the same roles the
workflow tables and `role_required` views use, so the admin's generic views (list, inspect, add,
edit, delete, export) and the domain's checks cannot disagree:

    register_permission_policy(Payment, RolePermissionPolicy(
        Payment, view=[Role.SECRETARIAT, Role.COUNCIL], add=[], change=[], delete=[]))

An action not listed is refused to everyone (superusers included: state changes of workflow rows
go through the domain, never a generic edit form). Superusers hold every listed role.
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies.base import BasePermissionPolicy

from portal.accounts.roles import has_role


class RolePermissionPolicy(BasePermissionPolicy):
    def __init__(self, model, **roles_by_action):
        super().__init__(model)
        self.roles_by_action = {action: tuple(roles) for action, roles in roles_by_action.items()}

    def roles_for(self, action) -> tuple:
        return self.roles_by_action.get(action, ())

    def user_has_permission(self, user, action) -> bool:
        roles = self.roles_for(action)
        return bool(roles) and has_role(user, *roles)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        names = {str(role) for action in actions for role in self.roles_for(action)}
        users = get_user_model().objects.filter(is_active=True)
        if not names:
            return users.none()
        from django.db.models import Q

        return users.filter(Q(groups__name__in=names) | Q(is_superuser=True)).distinct()

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        return manager.all() if self.user_has_any_permission(user, actions) else manager.none()

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions)
