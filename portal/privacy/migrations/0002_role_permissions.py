from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

# The secretariat handles personal-information matters: retention periods, requests, and the website's
# filing numbers (part of the association's contact data shown in the footer).
SECRETARIAT = ["change_retentionrules", "view_consent", "view_cancellationrequest"]


def grant(apps, schema_editor):
    grant_model_permissions(apps, Role.SECRETARIAT, "privacy", SECRETARIAT)
    grant_model_permissions(apps, Role.SECRETARIAT, "core", ["change_associationcontact"])


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("accounts", "0002_roles"),
                    ("core", "0005_associationcontact_filing_numbers")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
