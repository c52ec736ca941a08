"""The default Site takes the host and port of settings.SITE_URL (sitemap.xml and full page URLs, #14.17)."""

from django.db import migrations

from portal.magazine.site_address import align_site


def forward(apps, schema_editor):
    align_site(apps.get_model("wagtailcore", "Site"))


class Migration(migrations.Migration):
    dependencies = [("magazine", "0004_forget_invented_pages"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
