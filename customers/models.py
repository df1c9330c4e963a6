from django.db import models
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
    # Not a field: the number a save changes away from, set and read by customers.signals.
    _old_phone_number: str | None

    class Meta:
        ordering = ["last_name", "first_name", "phone_number"]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.phone_number})" if name else str(self.phone_number)
