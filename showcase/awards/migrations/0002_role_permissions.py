"""Model permissions of the roles for the titles' admin views (the secretariat manages notices, titles, revocations)."""

from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

SECRETARIAT = [
    "view_notice", "add_notice", "change_notice",
    "view_noticeentry",
    "view_objection", "change_objection",
    "view_title", "change_title",
    "view_rereviewoutcome", "view_expiryreminder",
    "view_revocation", "add_revocation",
    "view_summaryreport", "add_summaryreport", "change_summaryreport",
    "change_showcaserules",
]
AGENCY = ["view_title", "view_rereviewoutcome"]


def grant(apps, schema_editor):
    grant_model_permissions(apps, Role.SECRETARIAT, "showcase_awards", SECRETARIAT)
    grant_model_permissions(apps, Role.AGENCY, "showcase_awards", AGENCY)


class Migration(migrations.Migration):
    dependencies = [("showcase_awards", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
