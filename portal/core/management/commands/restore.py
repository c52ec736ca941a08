from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `backup`. Refuses to overwrite a database holding data unless --force."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--force", action="store_true", help="overwrite a database that already holds data")

    def handle(self, *args, path, force=False, **options):
        try:
            result = restore_backup(path, force=force, log=self.stderr.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result["manifest"]
        self.stdout.write(
            f"restored {path} ({manifest['database']['method']}, made {manifest['created_at']}): "
            f"{sum(result['counts'].values())} rows, {len(manifest['files']) - 1} files"
        )
        for label, (expected, actual) in sorted(result["differences"].items()):
            self.stderr.write(f"  count differs: {label} expected {expected}, now {actual}")
        if result["differences"]:
            raise CommandError("restored, but some row counts differ from the manifest (see above)")
