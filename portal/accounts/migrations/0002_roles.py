"""Create the role groups with admin access and their page/collection permissions.

App-specific model permissions are granted by each app's own data migration
(`portal.accounts.roles.grant_model_permissions`).
"""

from django.db import migrations

ROLES = ["编辑", "主编", "秘书处", "理事会", "第三方机构", "评审专家"]
PAGE_PERMISSIONS = {
    "编辑": ["add_page", "change_page"],
    "主编": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"],
    "秘书处": ["add_page", "change_page", "publish_page"],
}
COLLECTION_PERMISSIONS = {
    role: ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"]
    for role in ("编辑", "主编", "秘书处")
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in PAGE_PERMISSIONS.get(name, []):
            perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=perm)
        for codename in COLLECTION_PERMISSIONS.get(name, []):
            app_label = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
            perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=perm
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
