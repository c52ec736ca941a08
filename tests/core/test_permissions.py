import pytest

from portal.accounts.roles import Role
from portal.core.permissions import RolePermissionPolicy
from portal.services.models import ServiceRequest


@pytest.fixture
def policy():
    return RolePermissionPolicy(ServiceRequest, view=[Role.SECRETARIAT, Role.COUNCIL], change=[Role.SECRETARIAT])


def test_roles_decide_and_unlisted_actions_are_refused(policy, secretariat, council, editor, make_user):
    assert policy.user_has_permission(secretariat, "view") and policy.user_has_permission(secretariat, "change")
    assert policy.user_has_permission(council, "view") and not policy.user_has_permission(council, "change")
    assert not policy.user_has_any_permission(editor, ["view", "change"])
    admin = make_user(is_superuser=True)
    assert policy.user_has_permission(admin, "view") and not policy.user_has_permission(admin, "delete")


def test_users_with_permission_are_the_role_holders(policy, secretariat, council, editor):
    assert set(policy.users_with_permission("change")) == {secretariat}
    assert set(policy.users_with_any_permission(["view"])) == {secretariat, council}
    assert list(policy.users_with_permission("delete")) == []
