"""An index on wagtailcore_page.url_path, which Wagtail does not index.

portal.core.routing resolves a request path with one `url_path IN (…)` query; without
the index that query scans every page. Hash on PostgreSQL (equality only, no length
limit on the key), B-tree elsewhere.
"""

from django.db import migrations

INDEX = "portal_page_url_path_idx"


def create(apps, schema_editor):
    using = "USING hash " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page {using}(url_path)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
