from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """Stages 5–8 of the programme: public notice, objections, award, validity, revocation, summary."""

    name = "showcase.awards"
    label = "showcase_awards"
    verbose_name = _("Demonstration unit titles")
