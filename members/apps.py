from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MembersConfig(AppConfig):
    name = "members"
    label = "members"
    verbose_name = pgettext_lazy("members", "Membership")

    def ready(self):
        from portal.core.cache import invalidate_on_change

        from .models import Membership, MembershipTier

        # rows shown on public pages: their changes drop the anonymous page cache
        invalidate_on_change(Membership, MembershipTier)
