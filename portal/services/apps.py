from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "portal.services"
    label = "services"
    verbose_name = _("Member services")

    def ready(self):
        from portal.core.cache import invalidate_on_change

        from .models import Event, Provider, ServiceCategory, ServiceItem

        # rows shown on public pages: their changes drop the anonymous page cache
        invalidate_on_change(Event, Provider, ServiceCategory, ServiceItem)
