# The outbox's table was created by customers.0001 and stays customers_syncrecord: this
# migration only tells Django that the outbox app owns it now.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("customers", "0003_syncrecord_moves_to_outbox")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SyncRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("prompts", "Prompts"), ("customers", "Customer data")],
                                max_length=16,
                            ),
                        ),
                        ("key", models.CharField(max_length=128)),
                        (
                            "status",
                            models.CharField(
                                choices=[("pending", "Pending"), ("synced", "Synced")],
                                default="pending",
                                max_length=8,
                            ),
                        ),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("synced_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "customers_syncrecord",
                        "indexes": [
                            models.Index(
                                fields=["status", "kind"], name="customers_s_status_65f628_idx"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "key"), name="syncrecord_one_per_item"
                            )
                        ],
                    },
                )
            ],
            database_operations=[],
        )
    ]
