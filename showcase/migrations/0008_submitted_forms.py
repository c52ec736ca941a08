"""Every submitted 申报表 is kept (issue #12.12): the archived PDF of each application becomes version 1."""

import django.db.models.deletion
import portal.core.uploads
from django.conf import settings
from django.db import migrations, models


def first_versions(apps, schema_editor):
    Application = apps.get_model("showcase", "Application")
    SubmittedForm = apps.get_model("showcase", "SubmittedForm")
    for application in Application.objects.exclude(form_pdf="").exclude(form_pdf__isnull=True):
        SubmittedForm.objects.create(application=application, version=1, pdf=application.form_pdf.name,
                                     submitted_at=application.submitted_at or application.created_at,
                                     submitted_by_id=application.created_by_id)


class Migration(migrations.Migration):

    dependencies = [
        ('showcase', '0007_tracking_evidence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SubmittedForm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveSmallIntegerField(verbose_name='version')),
                ('pdf', models.FileField(storage=portal.core.uploads.private_files, upload_to=portal.core.uploads.PrivateUploadTo('showcase/form'), verbose_name='submitted application form (PDF)')),
                ('submitted_at', models.DateTimeField(verbose_name='submitted at')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='submitted_forms', to='showcase.application', verbose_name='application')),
                ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
            ],
            options={
                'verbose_name': 'submitted application form',
                'verbose_name_plural': 'submitted application forms',
                'ordering': ['application', 'version'],
                'constraints': [models.UniqueConstraint(fields=('application', 'version'), name='showcase_form_unique_version')],
            },
        ),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='application',
            name='form_pdf',
        ),
    ]
