"""Review rounds get a workflow state (open → decided); rounds with a recorded result are decided."""

from django.db import migrations, models


def decided(apps, schema_editor):
    apps.get_model("showcase", "ReviewRound").objects.exclude(result="").update(status="decided")


class Migration(migrations.Migration):

    dependencies = [
        ("showcase", "0003_role_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewround",
            name="status",
            field=models.CharField(choices=[("open", "Under review"), ("decided", "Decided")], db_index=True,
                                   default="open", max_length=10, verbose_name="status"),
        ),
        migrations.RunPython(decided, migrations.RunPython.noop),
    ]
