import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

connect_name_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,126}$",
    _("Use the queue's Amazon Connect name: letters, digits, '-' and '_'."),
)


class Department(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class QueueQuerySet(models.QuerySet):
    def visible(self) -> "QueueQuerySet":
        # A queue without a Connect id is not in Amazon Connect yet (loaded content before
        # its first publish): there is nothing to call and no hours to show.
        return self.filter(is_visible=True).exclude(connect_queue_id="")


class Queue(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="queues", verbose_name=_("department")
    )
    connect_name = models.CharField(
        _("Connect name"),
        max_length=127,
        unique=True,
        validators=[connect_name_validator],
        help_text=_("The queue's name in Amazon Connect, e.g. Sales-EMEA."),
    )
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    connect_queue_id = models.CharField(
        _("Connect queue id"),
        max_length=100,
        blank=True,
        help_text=_("Empty until connect_publish creates the queue in Amazon Connect."),
    )
    hours_of_operation_id = models.CharField(_("hours of operation id"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_visible = models.BooleanField(_("shown on the site"), default=True)

    objects = QueueQuerySet.as_manager()

    class Meta:
        ordering = ["department__order", "order", "connect_name"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self) -> str:
        return self.connect_name


class Profile(models.Model):
    """What the site knows of a signed-in customer beyond Django's user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    phone_number = models.CharField(_("phone number (E.164)"), max_length=16, blank=True)
    phone_verified = models.BooleanField(_("phone number verified"), default=False)

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")

    def __str__(self) -> str:
        return str(self.user)


class CallRequestQuerySet(models.QuerySet):
    def counted(self) -> "CallRequestQuerySet":
        """Requests that reached (or are reaching) Amazon Connect: what the site-wide limit
        counts, failures included, since each one cost a request to Connect."""
        return self.filter(status__in=CallRequest.COUNTED_STATUSES)

    def calling(self) -> "CallRequestQuerySet":
        """Requests that placed a call or may yet place one: what a customer's and a number's
        limits count. A failure placed no call, so it does not use up the customer's calls."""
        return self.filter(status__in=CallRequest.CALLING_STATUSES)


class CallRequest(models.Model):
    """The audit trail of every click-to-call request, and the source of the rate limits."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PLACED = "placed", _("Placed")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")

    COUNTED_STATUSES = (Status.PENDING, Status.PLACED, Status.FAILED)
    CALLING_STATUSES = (Status.PENDING, Status.PLACED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="call_requests",
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.SET_NULL, null=True, blank=True, related_name="call_requests"
    )
    raw_number = models.CharField(_("number as typed"), max_length=64, blank=True)
    phone_number = models.CharField(_("number (E.164)"), max_length=16, blank=True, db_index=True)
    masked_number = models.CharField(_("masked number"), max_length=24, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    message = models.TextField(_("message shown"), blank=True)
    language_code = models.CharField(max_length=8, default="en-US")
    verified = models.BooleanField(default=False)
    client_token = models.CharField(max_length=64, blank=True)
    contact_id = models.CharField(_("Connect contact id"), max_length=256, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = CallRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("call request")
        verbose_name_plural = _("call requests")
        constraints = [
            # Connect answers a repeated ClientToken with the contact it already placed; only
            # the first request to record that contact is the placed call, however the
            # requests race.
            models.UniqueConstraint(
                fields=["contact_id"],
                condition=models.Q(status="placed"),
                name="support_callrequest_one_placed_per_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.masked_number or '-'} -> {self.queue_id} ({self.status})"
