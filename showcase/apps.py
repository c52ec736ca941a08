from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "showcase"
    label = "showcase"
    verbose_name = _("Credit demonstration units")

    def ready(self):
        from portal.core.cache import invalidate_on_change

        from .models import Campaign, Standard, StandardItem

        # rows shown on public pages: their changes drop the anonymous page cache
        invalidate_on_change(Campaign, Standard, StandardItem)
