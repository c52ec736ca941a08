from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

VIEW = ["view_organisation", "view_organisationuser"]
SECRETARIAT = VIEW + [
    "add_organisation", "change_organisation",
    "add_organisationuser", "change_organisationuser", "delete_organisationuser",
]


def grant(apps, schema_editor):
    grant_model_permissions(apps, Role.SECRETARIAT, "organisations", SECRETARIAT)
    grant_model_permissions(apps, Role.COUNCIL, "organisations", VIEW)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
