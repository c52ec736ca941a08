"""The secretariat (秘书处) holds no page permission (issue #12.9).

0002 granted it add/change/publish at the root page, which covers the magazine: the
secretariat could unpublish 《信用浙江》. Only editors (编辑) and the chief editor (主编) act on
pages; the secretariat works in its own admin areas (members, dues, catalogue, campaigns, notices).
"""

from django.db import migrations

SECRETARIAT = "秘书处"
FORMER = ["add_page", "change_page", "publish_page"]


def remove_page_permissions(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(group__name=SECRETARIAT).delete()


def restore_page_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group = Group.objects.filter(name=SECRETARIAT).first()
    root = Page.objects.filter(depth=1).first()
    if group is None or root is None:
        return
    for codename in FORMER:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(remove_page_permissions, restore_page_permissions)]
