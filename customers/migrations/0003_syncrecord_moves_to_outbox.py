# The outbox left the customers app for its own (outbox), keeping its table: only Django's
# record of which app owns the model changes, no table is touched.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_editor_groups")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SyncRecord")],
            database_operations=[],
        )
    ]
