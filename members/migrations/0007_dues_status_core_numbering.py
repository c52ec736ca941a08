# Dues items carry their payment status (the DUES process table); member and receipt numbers move to
# the core's counters (portal.core.numbering), so members' own NumberSequence goes.

from django.db import migrations, models
from django.db.models import F


def forwards(apps, schema_editor):
    DuesItem = apps.get_model("members", "DuesItem")
    DuesItem.objects.filter(paid__gte=F("amount")).update(status="paid")
    DuesItem.objects.filter(paid__gt=0, paid__lt=F("amount")).update(status="partial")
    Counter = apps.get_model("core", "Counter")
    NumberSequence = apps.get_model("members", "NumberSequence")
    for sequence in NumberSequence.objects.all():
        counter, _created = Counter.objects.get_or_create(key=sequence.key, defaults={"last": sequence.last})
        if counter.last < sequence.last:
            counter.last = sequence.last
            counter.save(update_fields=["last"])


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0006_event_type_label'),
        ('core', '0003_counter'),
    ]

    operations = [
        migrations.AddField(
            model_name='duesitem',
            name='status',
            field=models.CharField(choices=[('unpaid', 'Unpaid'), ('partial', 'Partly paid'), ('paid', 'Paid')], default='unpaid', max_length=10, verbose_name='status'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='duesitem',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('paid', 0), ('status', 'unpaid')), models.Q(('paid__gt', 0), ('paid__lt', models.F('amount')), ('status', 'partial')), models.Q(('paid', models.F('amount')), ('status', 'paid')), _connector='OR'), name='dues_status_follows_paid'),
        ),
        migrations.DeleteModel(
            name='NumberSequence',
        ),
    ]
