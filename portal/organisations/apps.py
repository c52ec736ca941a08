from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    """Firm identity: units, their users and credit-code validation (every process depends on it, one way)."""

    name = "portal.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from portal.core.cache import invalidate_on_change

        from .models import Organisation

        # unit names show on public pages (directories, verify pages): changes drop cached pages
        invalidate_on_change(Organisation)
