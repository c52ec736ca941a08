"""Who may use the membership data in the admin, by role (one policy: `portal.core.permissions`).

Rows of a process (applications, memberships, dues, payments, resolutions) are read in the admin and
change only through `members.domain` (inspect views and the resolution screen call it), so no role may
add, edit or delete them through a generic form. Plain data (tiers, the hand-recorded activities) is
the secretariat's to edit.
"""

from wagtail.permissions import register_permission_policy

from portal.accounts.roles import Role
from portal.core.permissions import RolePermissionPolicy

from ..models import (
    ActivityRecord,
    BankProfile,
    BankStatement,
    CouncilResolution,
    DuesItem,
    IndividualDuesItem,
    IndividualMember,
    IndividualPayment,
    IndividualTier,
    Mailing,
    Membership,
    MembershipApplication,
    MembershipTier,
    Payment,
    StatementLine,
    WithdrawalRequest,
)

REVIEWERS = (Role.COUNCIL, Role.SECRETARIAT)
SECRETARIAT = (Role.SECRETARIAT,)

for model in (MembershipApplication, Membership, DuesItem, Payment, WithdrawalRequest, CouncilResolution, BankStatement,
              StatementLine, IndividualDuesItem, IndividualPayment):
    register_permission_policy(model, RolePermissionPolicy(model, view=REVIEWERS), exact_class=True)
register_permission_policy(
    MembershipTier,
    RolePermissionPolicy(MembershipTier, view=REVIEWERS, add=SECRETARIAT, change=SECRETARIAT),
    exact_class=True,
)
register_permission_policy(
    ActivityRecord,
    RolePermissionPolicy(ActivityRecord, view=REVIEWERS, add=SECRETARIAT, change=SECRETARIAT, delete=SECRETARIAT),
    exact_class=True,
)
register_permission_policy(
    BankProfile, RolePermissionPolicy(BankProfile, view=REVIEWERS, add=SECRETARIAT, change=SECRETARIAT),
    exact_class=True,
)
register_permission_policy(
    IndividualTier, RolePermissionPolicy(IndividualTier, view=REVIEWERS, add=SECRETARIAT, change=SECRETARIAT),
    exact_class=True,
)
# Registering goes through `members.domain.individuals` (the add view calls it); contact details are data.
register_permission_policy(
    IndividualMember, RolePermissionPolicy(IndividualMember, view=REVIEWERS, add=SECRETARIAT, change=SECRETARIAT),
    exact_class=True,
)
# Drafts are written and edited by the secretariat (sending goes through `members.domain.mailings`).
register_permission_policy(
    Mailing, RolePermissionPolicy(Mailing, view=REVIEWERS, add=SECRETARIAT, change=SECRETARIAT), exact_class=True,
)
