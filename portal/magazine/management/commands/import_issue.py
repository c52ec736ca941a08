from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.magazine.forms import decode_upload
from portal.magazine.importer.build import import_issue, plan_import
from portal.magazine.importer.parser import IssueFormatError, parse_issue


class Command(BaseCommand):
    help = "Import a back issue of 《信用浙江》 from its plain text (re-import updates the same issue)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Text file of the issue (UTF-8 or GB18030).")
        parser.add_argument("--publish", action="store_true", help="Publish the issue and its articles.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")

    def handle(self, path, publish=False, dry_run=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            parsed = parse_issue(decode_upload(file.read_bytes()), source_name=file.name)
        except IssueFormatError as exc:
            raise CommandError(f"{file.name} {exc}") from exc
        except ValidationError as exc:  # not UTF-8 / GB18030
            raise CommandError(f"{file.name}：{'; '.join(exc.messages)}") from exc
        plan = plan_import(parsed)
        self.stdout.write(
            f"{plan.label}（总第{parsed.cumulative_number or '?'}期）：{len(parsed.columns)} 个栏目，"
            f"{len(parsed.articles)} 篇文章（新增 {plan.new_articles}，更新 {plan.updated_articles}），"
            f"{len(parsed.unplaced)} 条未能定位"
        )
        for entry in parsed.unplaced:
            self.stdout.write(self.style.WARNING(f"  未定位：第 {entry.line} 行 [{entry.column}] {entry.title}：{entry.reason}"))
        for warning in parsed.warnings:
            self.stdout.write(f"  提示：{warning}")
        for title in plan.stale:
            self.stdout.write(self.style.WARNING(f"  已有文章不在本文件中（未删除）：{title}"))
        if dry_run:
            self.stdout.write("dry run: nothing written.")
            return
        result = import_issue(parsed, publish=publish)
        state = "published" if publish else "saved as drafts"
        verb = "created" if result.created else "updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {result.issue.title} (page {result.issue.pk}), {state}: {result.issue.url_path}"))
