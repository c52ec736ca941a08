from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MagazineConfig(AppConfig):
    name = "portal.magazine"
    label = "magazine"
    verbose_name = _("Magazine")
