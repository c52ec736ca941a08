"""Model permissions of the roles for the programme's admin views (secretariat manages the data)."""

from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

SECRETARIAT = [
    f"{verb}_{model}"
    for model in ("campaign", "standard", "standardgroup", "standarditem", "ratinglevel", "participationban")
    for verb in ("add", "change", "view")
] + ["delete_campaign", "delete_participationban", "view_application"]
AGENCY = ["view_application", "view_campaign", "view_standard"]
EXPERT = ["view_standard"]


def grant(apps, schema_editor):
    grant_model_permissions(apps, Role.SECRETARIAT, "showcase", SECRETARIAT)
    grant_model_permissions(apps, Role.AGENCY, "showcase", AGENCY)
    grant_model_permissions(apps, Role.EXPERT, "showcase", EXPERT)


class Migration(migrations.Migration):
    dependencies = [("showcase", "0002_standard_2019"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
