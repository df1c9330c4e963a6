from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from connect.items import RESERVED_PROMPT_IDS
from prompts.ssml import (  # noqa: F401 (the messages are part of this module's interface)
    MESSAGE_SSML_MALFORMED,
    MESSAGE_SSML_ROOT,
    looks_like_ssml,
    ssml_error,
)

flow_name_validator = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_-]{0,99}$",
    "Use the contact flow's name in Amazon Connect: letters, digits, '-' and '_'.",
)
prompt_id_validator = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_]{0,63}$",
    "A prompt id is a letter followed by letters, digits or '_' (flows say $.External.<id>).",
)


MESSAGE_LANGUAGE_REQUIRED = "This language is required."
MESSAGE_RESERVED_ID = "'{prompt_id}' is reserved: the flow's Lambda answers with that name."


def texts_errors(texts: dict, *, required: str) -> dict[str, str]:
    """Per-language problems of a text map: the required language missing, SSML that
    Amazon Connect could not speak."""
    errors: dict[str, str] = {}
    if not (texts.get(required) or "").strip():
        errors[required] = MESSAGE_LANGUAGE_REQUIRED
    for language, text in texts.items():
        problem = ssml_error(text) if text and looks_like_ssml(text) else ""
        if problem:
            errors[language] = problem
    return errors


class ContactFlow(models.Model):
    name = models.CharField(max_length=100, unique=True, validators=[flow_name_validator])
    description = models.TextField(blank=True)
    history = HistoricalRecords()
    # Not a field: the name a save renames away from, set and read by prompts.signals.
    _old_name: str | None

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Prompt(models.Model):
    flow = models.ForeignKey(ContactFlow, on_delete=models.CASCADE, related_name="prompts")
    prompt_id = models.CharField("Id", max_length=64, validators=[prompt_id_validator])
    description = models.CharField(
        max_length=200, blank=True, help_text="Where in the flow callers hear it."
    )
    # language code -> text (plain text or SSML in <speak>); languages from PROMPT_LANGUAGES.
    texts = models.JSONField(default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["flow__name", "order", "prompt_id"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "prompt_id"], name="prompt_unique_per_flow")
        ]

    def __str__(self) -> str:
        return f"{self.flow_id and self.flow.name}.{self.prompt_id}"

    @property
    def missing_languages(self) -> list[str]:
        return [lang for lang in settings.PROMPT_LANGUAGES if not self.texts.get(lang)]

    def clean(self) -> None:
        if self.prompt_id in RESERVED_PROMPT_IDS:
            raise ValidationError(
                {"prompt_id": MESSAGE_RESERVED_ID.format(prompt_id=self.prompt_id)}
            )
        errors = texts_errors(self.texts or {}, required=settings.PROMPT_LANGUAGES[0])
        if errors:
            raise ValidationError({"texts": [f"{lang}: {msg}" for lang, msg in errors.items()]})


class AnnouncementQuerySet(models.QuerySet):
    def active(self, now: "datetime | None" = None) -> "AnnouncementQuerySet":
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now)


class Announcement(models.Model):
    """A message played at the start of flows for a while: holidays, outages, emergencies."""

    name = models.CharField(max_length=120)
    texts = models.JSONField(default=dict, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    all_flows = models.BooleanField(
        default=False, help_text="Play in every flow, whatever is chosen below."
    )
    flows = models.ManyToManyField(ContactFlow, blank=True, related_name="announcements")
    history = HistoricalRecords(m2m_fields=[flows])

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The announcement must end after it starts."})
        errors = texts_errors(self.texts or {}, required=settings.PROMPT_LANGUAGES[0])
        if errors:
            raise ValidationError({"texts": [f"{lang}: {msg}" for lang, msg in errors.items()]})
