"""Demo content: the seed issue 2019年第3期, imported and published under /magazine/; the Site at SITE_URL."""

from django.conf import settings

from .importer.build import ensure_archive, find_issue, import_text
from .importer.parser import parse_issue
from .site_address import align_site, site_address


def load_demo_issue(demo) -> None:
    path = settings.DEMO_ISSUE_PATH
    ensure_archive()
    if align_site():
        hostname, port = site_address()
        demo.say(f"site: the default Site now answers at {hostname}:{port} (SITE_URL)")
    if not path or not path.is_file():
        demo.say(f"magazine: demo issue text not found at {path}; skipped (set DEMO_ISSUE_PATH).")
        return
    text = path.read_text(encoding="utf-8")
    issue = find_issue(parse_issue(text, source_name=path.name))
    if issue is not None and issue.live and not issue.has_unpublished_changes:
        demo.say(f"magazine: {issue.title} already published at {issue.url}")
        return
    result = import_text(text, source_name=path.name, publish=True)
    demo.say(f"magazine: imported and published {result.issue.title} ({len(result.plan.articles)} articles) at /magazine/")
