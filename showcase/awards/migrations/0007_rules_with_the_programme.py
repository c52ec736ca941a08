"""The programme's rules setting moves to the programme (showcase.ShowcaseRules): values copied, old table dropped,
and the secretariat keeps the permission to change it."""

from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

FIELDS = ("notice_days", "validity_years", "expiry_reminder_days", "ban_years", "objections_per_address_hour",
          "objections_per_address_day", "objections_per_notice_day")


def copy(apps, schema_editor):
    old = apps.get_model("showcase_awards", "ShowcaseRules").objects.order_by("pk").first()
    if old is not None:
        new = apps.get_model("showcase", "ShowcaseRules")
        new.objects.all().delete()
        new.objects.create(**{f: getattr(old, f) for f in FIELDS})
    grant_model_permissions(apps, Role.SECRETARIAT, "showcase", ["change_showcaserules", "view_showcaserules"])


def copy_back(apps, schema_editor):
    new = apps.get_model("showcase", "ShowcaseRules").objects.order_by("pk").first()
    if new is not None:
        apps.get_model("showcase_awards", "ShowcaseRules").objects.create(**{f: getattr(new, f) for f in FIELDS})


class Migration(migrations.Migration):

    dependencies = [
        ("showcase_awards", "0006_notice_days_help"),
        ("showcase", "0006_rules"),
        ("accounts", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(copy, copy_back),
        migrations.DeleteModel(name="ShowcaseRules"),
    ]
