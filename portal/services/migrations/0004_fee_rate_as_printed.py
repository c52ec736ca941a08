import django.core.validators
from decimal import Decimal
from django.db import migrations, models


FACTORS = {"permille": Decimal("1000"), "percent": Decimal("100")}


def to_printed(apps, schema_editor):
    """Stored fractions (0.00039 with ‰) become the printed figure (0.39 with ‰)."""
    ServiceItem = apps.get_model("services", "ServiceItem")
    for item in ServiceItem.objects.filter(fee_rate__isnull=False).only("pk", "fee_rate", "fee_rate_unit"):
        ServiceItem.objects.filter(pk=item.pk).update(fee_rate=item.fee_rate * FACTORS[item.fee_rate_unit])


def to_fraction(apps, schema_editor):
    ServiceItem = apps.get_model("services", "ServiceItem")
    for item in ServiceItem.objects.filter(fee_rate__isnull=False).only("pk", "fee_rate", "fee_rate_unit"):
        ServiceItem.objects.filter(pk=item.pk).update(fee_rate=item.fee_rate / FACTORS[item.fee_rate_unit])


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0003_registration_status'),
    ]

    operations = [
        migrations.AlterField(
            model_name='serviceitem',
            name='fee_rate',
            field=models.DecimalField(blank=True, decimal_places=8, help_text='The figure as the provider publishes it, in the unit chosen beside it: for 0.39‰ enter 0.39 and choose ‰; for 5% enter 5 and choose %.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='rate'),
        ),
        migrations.AlterField(
            model_name='serviceitem',
            name='fee_rate_unit',
            field=models.CharField(choices=[('permille', '‰'), ('percent', '%')], default='percent', max_length=10, verbose_name='rate unit'),
        ),
        migrations.RunPython(to_printed, to_fraction),
    ]
