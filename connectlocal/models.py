"""State of the local Amazon Connect stand-in: hours of operation and the contacts it placed.

Shaped like Connect's own resources so the stand-in can answer with Connect's payloads.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models


def new_id() -> str:
    return str(uuid.uuid4())


DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _validate_config(value: object) -> None:
    """Config is Connect's list of {Day, StartTime: {Hours, Minutes}, EndTime: {...}}."""
    if not isinstance(value, list):
        raise ValidationError("Config must be a list of day ranges.")
    for entry in value:
        try:
            if "Day" in entry and entry["Day"] not in DAYS:
                raise ValidationError(f"Unknown day {entry['Day']!r}.")
            for key in ("StartTime", "EndTime"):
                hours, minutes = entry[key]["Hours"], entry[key]["Minutes"]
                if not (0 <= hours <= 23 and 0 <= minutes <= 59):
                    raise ValidationError(f"{key} {hours}:{minutes} is not a time of day.")
        except (TypeError, KeyError) as exc:
            raise ValidationError(f"Malformed range {entry!r}.") from exc


class HoursOfOperation(models.Model):
    hours_id = models.CharField(max_length=100, unique=True, default=new_id)
    name = models.CharField(max_length=127)
    description = models.CharField(max_length=250, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    config = models.JSONField(default=list, validators=[_validate_config])
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hours of operation"
        verbose_name_plural = "hours of operation"

    def __str__(self) -> str:
        return self.name


class HoursOverride(models.Model):
    class OverrideType(models.TextChoices):
        STANDARD = "STANDARD"
        OPEN = "OPEN"
        CLOSED = "CLOSED"

    hours = models.ForeignKey(HoursOfOperation, on_delete=models.CASCADE, related_name="overrides")
    override_id = models.CharField(max_length=100, unique=True, default=new_id)
    name = models.CharField(max_length=127)
    description = models.CharField(max_length=250, blank=True)
    override_type = models.CharField(
        max_length=10, choices=OverrideType.choices, default=OverrideType.CLOSED
    )
    # Ranges for STANDARD/OPEN overrides, in Connect's override-config shape.
    config = models.JSONField(default=list, blank=True, validators=[_validate_config])
    effective_from = models.DateField()
    effective_till = models.DateField()

    class Meta:
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from}..{self.effective_till})"

    def clean(self) -> None:
        if self.effective_till < self.effective_from:
            raise ValidationError("The override ends before it starts.")


class Contact(models.Model):
    """An outbound voice contact the stand-in 'placed'."""

    contact_id = models.CharField(max_length=64, unique=True, default=new_id)
    instance_id = models.CharField(max_length=100)
    contact_flow_id = models.CharField(max_length=500)
    queue_id = models.CharField(max_length=500, blank=True)
    destination = models.CharField(max_length=16)
    source = models.CharField(max_length=16, blank=True)
    client_token = models.CharField(max_length=500, blank=True, db_index=True)
    attributes = models.JSONField(default=dict, blank=True)
    initiated_at = models.DateTimeField()
    # What the WebIngress flow did with this call in the call simulator (CallResult.as_dict()).
    simulation = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-initiated_at"]
        constraints = [
            # Connect places one contact per ClientToken, even for requests that race.
            models.UniqueConstraint(
                fields=["client_token"],
                condition=~models.Q(client_token=""),
                name="connectlocal_contact_one_per_client_token",
            )
        ]

    def __str__(self) -> str:
        return self.contact_id


class StartLock(models.Model):
    """The one row every StartOutboundVoiceContact writes before it counts active calls.

    Writing it first serializes the count and the new contact across threads and processes:
    PostgreSQL and MySQL hold the row lock until commit, and SQLite gives the writer its one
    write lock (later starts wait out the busy timeout).
    """

    starts = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.starts} starts"
