from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.accounts.roles import Role
from portal.core.demo import Demo
from portal.core.site import ensure_site_tree


class Command(BaseCommand):
    help = "Load the demo site, accounts and data (idempotent). Refuses to run in production."

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError(_("load_demo refuses to run under production settings."))
        demo = Demo(stdout=self.stdout)
        # Workflow steps the demo replays queue notifications; nobody should receive them.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.load(demo)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo accounts (log in at /accounts/login/):")))
        width = max(len(label) for label, _e, _p in demo.accounts) + 2
        for label, email, password in demo.accounts:
            self.stdout.write(f"  {label:<{width}} {email:<36} {password}")

    def load(self, demo):
        with transaction.atomic():
            ensure_site_tree()
            demo.user("admin", name="系统管理员", label="管理员 (superuser)", superuser=True)
            demo.user("editor", name="王吉", role=Role.EDITOR)
            demo.user("chief", name="蒋秀东", role=Role.CHIEF_EDITOR)
            demo.user("secretariat", name="秘书处 张敏", role=Role.SECRETARIAT)
            demo.user("council", name="理事会 李强", role=Role.COUNCIL)
            demo.user("agency", name="杭州智库信用评估有限公司", role=Role.AGENCY)
            demo.user("expert", name="评审专家 陈海盛", role=Role.EXPERT)
        for fn in hooks.get_hooks("register_demo_loader"):
            with transaction.atomic():
                fn(demo)
