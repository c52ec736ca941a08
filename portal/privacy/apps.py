from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal information (PIPL): policies and consent, a person's data and rights, retention, filing numbers.

    A shared app: what each process holds about a person, what blocks an account's cancellation and how a
    process anonymises its rows are answered by the processes through hooks (`portal.privacy.hooks`).
    """

    name = "portal.privacy"
    label = "privacy"
    verbose_name = _("Personal information")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import consent

        user_logged_in.connect(consent.check_at_login, dispatch_uid="privacy.consent_at_login")
