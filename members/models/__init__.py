"""The membership app's models, by concept (each module below); import them from here.

`private_files` is re-exported for early migrations that refer to `members.models.private_files`.
"""

from portal.core.uploads import private_files  # noqa: F401 - referenced by migrations

from .activity import ActivityRecord, InactivityReminder
from .applications import MembershipApplication
from .bank import BankProfile, BankStatement, StatementLine
from .collection import PaymentAccount
from .council import AdmissionDecision, CouncilResolution, Expulsion
from .dues import DuesItem, DuesReminder, Payment
from .individuals import IndividualDuesItem, IndividualMember, IndividualPayment, IndividualTier
from .leaving import WithdrawalRequest
from .mailings import Mailing, MailingAttachment, MailingOptOut, MailingRecipient
from .memberships import (
    MemberCertificate,
    Membership,
    MembershipEvent,
    MembershipTier,
    active_member_ids,
    is_active_member,
)
from .rules import MembershipRules

__all__ = [
    "BankProfile", "BankStatement", "IndividualDuesItem", "IndividualMember", "IndividualPayment", "IndividualTier",
    "StatementLine", "Mailing", "MailingAttachment", "MailingOptOut", "MailingRecipient",
    "ActivityRecord", "AdmissionDecision", "CouncilResolution", "DuesItem", "DuesReminder", "Expulsion",
    "InactivityReminder", "MemberCertificate", "Membership", "MembershipApplication", "MembershipEvent",
    "MembershipRules", "MembershipTier", "Payment", "PaymentAccount", "WithdrawalRequest", "active_member_ids", "is_active_member",
]
