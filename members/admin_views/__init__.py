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
from .memberships import MembershipViewSet
from .payments import MembershipTierViewSet, PaymentViewSet
from .resolutions import ResolutionViewSet
from .urls import urlpatterns  # noqa: F401

SUBMENU_HOOK = "register_membership_menu_item"

applications = ApplicationViewSet("members_applications")
memberships = MembershipViewSet("members_memberships")
resolutions = ResolutionViewSet("members_resolutions")
activity = ActivityRecordViewSet("members_activity")
payments = PaymentViewSet("members_payments")
tiers = MembershipTierViewSet("members_tiers")


class MembershipViewSetGroup(ModelViewSetGroup):
    menu_label = pgettext_lazy("members", "Membership")
    menu_icon = "group"
    menu_order = 250
    submenu_hook = SUBMENU_HOOK
    items = (applications, resolutions, memberships, payments, activity, tiers)


__all__ = ["MembershipViewSetGroup", "SUBMENU_HOOK", "activity", "applications", "memberships", "payments", "resolutions", "tiers"]
