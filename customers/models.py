from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords


class Customer(models.Model):
    """A caller the IVR recognises by number; VIPs get a better routing priority."""

    phone_number = PhoneNumberField(unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    vip = models.BooleanField("VIP", default=False)
    # Extra string attributes carried to Connect as they are (segment, account id, ...).
    extra = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "phone_number"]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.phone_number})" if name else str(self.phone_number)


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
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="syncrecord_one_per_item")
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} ({self.status})"
