from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    label = "members"
    verbose_name = _("Membership")

    def ready(self):
        from portal.core.cache import invalidate_on_change

        from .models import Membership, MembershipTier, Organisation

        # rows shown on public pages: their changes drop the anonymous page cache
        invalidate_on_change(Membership, MembershipTier, Organisation)
