from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self):
        from . import cache, checks  # noqa: F401 - checks register themselves

        cache.connect_signals()
