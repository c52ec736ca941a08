from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

VIEW = [
    "view_membershiptier", "view_membership",
    "view_membershipapplication", "view_duesitem", "view_payment", "view_membershipevent",
    "view_withdrawalrequest", "view_expulsion",
]
SECRETARIAT = VIEW + [
    "add_membershiptier", "change_membershiptier",
    "change_membership", "change_membershipapplication",
    "add_payment", "change_withdrawalrequest", "change_membershiprules",
]
COUNCIL = VIEW + ["change_membershipapplication", "add_expulsion"]


def grant(apps, schema_editor):
    grant_model_permissions(apps, Role.SECRETARIAT, "members", SECRETARIAT)
    grant_model_permissions(apps, Role.COUNCIL, "members", COUNCIL)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_workflow"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
