"""Workflow states: a notice's processing (published → open → closed), a title's standing (awarded, revoked)."""

from django.db import migrations, models


def states(apps, schema_editor):
    Notice = apps.get_model("showcase_awards", "Notice")
    Notice.objects.filter(closed_at__isnull=False).update(status="closed")
    Notice.objects.filter(closed_at__isnull=True, opened_at__isnull=False).update(status="open")
    Revocation = apps.get_model("showcase_awards", "Revocation")
    apps.get_model("showcase_awards", "Title").objects.filter(
        pk__in=Revocation.objects.filter(title__isnull=False).values("title_id")).update(standing="revoked")


class Migration(migrations.Migration):

    dependencies = [
        ('showcase_awards', '0004_objection_confirmation'),
    ]

    operations = [
        migrations.AddField(
            model_name='notice',
            name='status',
            field=models.CharField(choices=[('published', 'Awaiting its start'), ('open', 'Open for objections'), ('closed', 'Closed')], db_index=True, default='published', editable=False, max_length=10, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='title',
            name='standing',
            field=models.CharField(choices=[('awarded', 'Awarded'), ('revoked', 'Revoked')], db_index=True, default='awarded', editable=False, max_length=10, verbose_name='standing'),
        ),
        migrations.RunPython(states, migrations.RunPython.noop),
    ]
