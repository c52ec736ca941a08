import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files (media and private) into one .tar.gz with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="archive path (default backups/portal-<UTC time>.tar.gz)")
        parser.add_argument(
            "--method", choices=["auto", "sqlite", "pgdump", "dumpdata"], default="auto",
            help="auto: SQLite backup API / pg_dump, falling back to dumpdata (portable between vendors)",
        )

    def handle(self, *args, output=None, method="auto", **options):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        path = Path(output or Path(settings.BASE_DIR) / "backups" / f"portal-{stamp}.tar.gz")
        try:
            manifest = create_backup(path, method=method, log=self.stderr.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(
            f"{path}: {manifest['database']['vendor']} via {manifest['database']['method']}, "
            f"{rows} rows in {len(manifest['counts'])} tables, {files} files"
        )
