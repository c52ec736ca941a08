"""Wagtail creates its tree root page and root collection named "Root"; the admin shows these names as data
(page explorer breadcrumbs and titles, collection choosers), so English stayed in the Chinese admin (#14.8)."""

from django.db import migrations

ROOT_NAME = "根目录"


def rename(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_NAME, draft_title=ROOT_NAME)
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_NAME)


def restore(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=ROOT_NAME).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1, name=ROOT_NAME).update(name="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_outbound_email_claim"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, restore)]
