from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

# The secretariat handles personal-information matters: retention periods, filing numbers, requests.
SECRETARIAT = ["change_retentionrules", "change_sitefiling", "view_consent", "view_cancellationrequest"]


def grant(apps, schema_editor):
    grant_model_permissions(apps, Role.SECRETARIAT, "privacy", SECRETARIAT)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
