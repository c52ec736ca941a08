from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self):
        from . import cache, checks  # noqa: F401 - checks register themselves

        cache.connect_signals()
        # each app declares its processes' transition tables in <app>/workflows.py
        autodiscover_modules("workflows")
