"""The council's and the secretariat's membership tools in the Wagtail admin.

Staff data are `ModelViewSet`s (list filters, search, exports, inspect pages whose actions call
`members.domain`) grouped under one "Membership" menu, with one role-based permission policy
(`policies`); documents and reports are plain admin views (`urls`, namespace `members_admin`).
"""

from django.utils.translation import pgettext_lazy
from wagtail.admin.viewsets.model import ModelViewSetGroup

from . import policies  # noqa: F401 - registers the permission policies
from .activity import ActivityRecordViewSet
from .applications import ApplicationViewSet
from .individuals import IndividualMemberViewSet, IndividualTierViewSet
from .mailings import MailingViewSet
from .memberships import MembershipViewSet
from .payments import MembershipTierViewSet, PaymentViewSet
from .reconciliation import DuesCollectionViewSetGroup
from .resolutions import ResolutionViewSet
from .urls import urlpatterns  # noqa: F401

SUBMENU_HOOK = "register_membership_menu_item"

applications = ApplicationViewSet("members_applications")
memberships = MembershipViewSet("members_memberships")
resolutions = ResolutionViewSet("members_resolutions")
activity = ActivityRecordViewSet("members_activity")
payments = PaymentViewSet("members_payments")
tiers = MembershipTierViewSet("members_tiers")
individual_members = IndividualMemberViewSet("members_individuals")
mailings = MailingViewSet("members_mailings")
individual_tiers = IndividualTierViewSet("members_individual_tiers")


class MembershipViewSetGroup(ModelViewSetGroup):
    menu_label = pgettext_lazy("members", "Membership")
    menu_icon = "group"
    menu_order = 250
    submenu_hook = SUBMENU_HOOK
    items = (applications, resolutions, memberships, individual_members, payments, mailings, activity, tiers,
             individual_tiers)


__all__ = ["DuesCollectionViewSetGroup", "MembershipViewSetGroup", "SUBMENU_HOOK", "activity", "applications", "memberships", "payments", "resolutions", "tiers"]
