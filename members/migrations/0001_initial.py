# Organisation and OrganisationUser moved to portal.organisations (firm identity's own home).

from django.db import migrations


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = []
