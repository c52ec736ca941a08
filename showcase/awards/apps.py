from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """Stages 5–8 of the programme: public notice, objections, award, validity, revocation, summary."""

    name = "showcase.awards"
    label = "showcase_awards"
    verbose_name = _("Demonstration unit titles")

    def ready(self):
        from portal.core.cache import invalidate_on_change

        from .models import Notice, NoticeEntry, Revocation, Title

        # rows shown on public pages: their changes drop the anonymous page cache
        invalidate_on_change(Notice, NoticeEntry, Revocation, Title)
