from decimal import Decimal

from django.db import migrations

TIERS = [
    ("副会长单位", "Vice-president unit", Decimal("15000"), 1),
    ("理事单位", "Council unit", Decimal("7000"), 2),
    ("会员单位", "Member unit", Decimal("2000"), 3),
]


def create_tiers(apps, schema_editor):
    Tier = apps.get_model("members", "MembershipTier")
    for name, name_en, dues, order in TIERS:
        Tier.objects.get_or_create(name=name, defaults={"name_en": name_en, "annual_dues": dues, "order": order})


class Migration(migrations.Migration):
    dependencies = [("members", "0002_membership")]
    operations = [migrations.RunPython(create_tiers, migrations.RunPython.noop)]
