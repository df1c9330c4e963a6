from django.db import models
from django.utils import timezone


class SyncRecord(models.Model):
    """The outbox: one row per DynamoDB item that changed, written in the same transaction.

    The row names the item, not its contents: a push always sends what the database holds
    then, so several edits coalesce and a late retry never sends old data.
    """

    class Kind(models.TextChoices):
        PROMPTS = "prompts", "Prompts"
        CUSTOMERS = "customers", "Customer data"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SYNCED = "synced", "Synced"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=128)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table kept its name when the outbox left the customers app.
        db_table = "customers_syncrecord"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="syncrecord_one_per_item")
        ]
        indexes = [models.Index(fields=["status", "kind"], name="customers_s_status_65f628_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} ({self.status})"
