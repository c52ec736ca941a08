"""The review workflow 期刊审校 (one GroupApprovalTask for 主编) and the roles' snippet permissions.

The workflow is assigned to the archive page when it exists (here, or later by
`portal.magazine.importer.build.ensure_archive`).
"""

from django.db import migrations

from portal.accounts.roles import Role, grant_model_permissions

WORKFLOW = "期刊审校"
TASK = "主编审核"


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Archive = apps.get_model("magazine", "MagazineArchivePage")

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    chief, _ = Group.objects.get_or_create(name=str(Role.CHIEF_EDITOR))
    task.groups.add(chief)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    for archive in Archive.objects.all():
        WorkflowPage.objects.get_or_create(page_id=archive.pk, defaults={"workflow": workflow})

    editing = ["add_column", "change_column", "view_column", "add_author", "change_author", "view_author"]
    grant_model_permissions(apps, Role.EDITOR, "magazine", editing)
    grant_model_permissions(apps, Role.CHIEF_EDITOR, "magazine", editing + ["delete_column", "delete_author"])


class Migration(migrations.Migration):
    dependencies = [
        ("magazine", "0001_initial"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
