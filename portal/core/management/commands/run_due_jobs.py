import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks


class Command(BaseCommand):
    help = (
        "Run every scheduled rule of the portal once (idempotent; safe from cron on several servers). "
        "Apps add rules with the `register_due_jobs` hook: fn(today, dry_run) -> iterable of report lines."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were YYYY-MM-DD (Asia/Shanghai).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be done, change nothing.")

    def handle(self, *args, today=None, dry_run=False, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(_("--today must be a date like 2026-01-31.")) from exc
        else:
            today = timezone.localdate()
        for fn in hooks.get_hooks("register_due_jobs"):
            name = getattr(fn, "job_name", fn.__name__)
            for line in fn(today=today, dry_run=dry_run) or []:
                self.stdout.write(f"[{name}] {line}")
        self.stdout.write(self.style.SUCCESS(_("Due jobs done for %(day)s%(dry)s.") % {
            "day": today.isoformat(), "dry": _(" (dry run)") if dry_run else ""}))
