"""The table of Django's DatabaseCache, used by production without Redis (portal.settings.base.local_caches).

Created here rather than by `createcachetable`, so every deployment that runs `migrate` has it; the
columns are those createcachetable makes.
"""

from django.db import migrations, models

TABLE = "portal_cache"


def create_table(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE in connection.introspection.table_names():
        return
    qn = connection.ops.quote_name
    key = models.CharField(name="cache_key", max_length=255, unique=True, primary_key=True)
    value = models.TextField(name="value")
    expires = models.DateTimeField(name="expires", db_index=True)
    columns = [
        f"{qn('cache_key')} {key.db_type(connection=connection)} NOT NULL PRIMARY KEY",
        f"{qn('value')} {value.db_type(connection=connection)} NOT NULL",
        f"{qn('expires')} {expires.db_type(connection=connection)} NOT NULL",
    ]
    schema_editor.execute(f"CREATE TABLE {qn(TABLE)} ({', '.join(columns)})")
    schema_editor.execute(f"CREATE INDEX {qn(TABLE + '_expires')} ON {qn(TABLE)} ({qn('expires')})")


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.connection.ops.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0007_root_names_in_chinese")]

    operations = [migrations.RunPython(create_table, drop_table)]
