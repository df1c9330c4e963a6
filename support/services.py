"""Writes of the live-support site: every click-to-call request goes through here."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from typing import NoReturn

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import connect_api
from .connect_api import ConnectError
from .formatting import when_text
from .models import CallRequest, Profile, Queue
from .phone import PhoneRefused, callable_number
from .selectors import queue_hours

# The same words for a queue that does not exist and one that is hidden: the answer does not
# tell a prober which queues exist.
MESSAGE_QUEUE_UNAVAILABLE = _("That queue is not available. Please choose one from the list.")
MESSAGE_QUEUE_CLOSED = _("%(queue)s is closed now. It opens %(when)s.")
MESSAGE_QUEUE_CLOSED_NO_NEXT = _("%(queue)s is closed now and has no opening this week.")
MESSAGE_HOURS_UNKNOWN = _(
    "We can't confirm that %(queue)s is open right now. Please try again in a minute."
)
MESSAGE_LIMIT_USER = _(
    "You have asked for several calls in the last few minutes. Please wait a little before "
    "asking again."
)
MESSAGE_LIMIT_NUMBER = _(
    "We have called that number several times in the last hour. Please try again later."
)
MESSAGE_LIMIT_GLOBAL = _(
    "Many customers are asking for calls right now. Please try again in a minute."
)

LANGUAGE_CODES = {"es": "es-US"}
DEFAULT_LANGUAGE_CODE = "en-US"


class CallRefused(Exception):
    """The call was not placed; ``message`` says why, in words a customer can act on."""

    def __init__(self, call: CallRequest) -> None:
        super().__init__(call.message)
        self.call = call
        self.message = call.message


def call_request_start(
    *, user: User, queue: Queue | None, raw_number: str, language: str
) -> CallRequest:
    """Have Amazon Connect call the customer into ``queue``, or raise :class:`CallRefused`.

    Every request leaves a row in the audit table, whatever happens. The row is written
    before the limits are counted, so the limits hold across processes: each request counts
    the rows written before its own. ``queue`` is None when the form named no known queue.
    """
    call = CallRequest(
        user=user,
        queue=queue,
        raw_number=_printable(raw_number)[:64],
        language_code=LANGUAGE_CODES.get((language or "")[:2], DEFAULT_LANGUAGE_CODE),
    )
    try:
        number = callable_number(raw_number)
    except PhoneRefused as exc:
        _refuse(call, exc.reason, exc.message)
    call.phone_number, call.masked_number = number.e164, number.masked
    call.verified = _is_verified_number(user, number.e164)
    if queue is None:
        _refuse(call, "queue_unknown", str(MESSAGE_QUEUE_UNAVAILABLE))
    if not queue.is_visible or not queue.connect_queue_id:
        _refuse(call, "queue_hidden", str(MESSAGE_QUEUE_UNAVAILABLE))
    _refuse_unless_open(call, queue)
    duplicate = _recent_duplicate(call)
    if duplicate is not None:
        return _record_duplicate(call, duplicate)
    # Known before the row is saved, so the limits see a double submit still in flight as
    # the one call it will be.
    call.client_token = _client_token(call)
    call.save()
    limit = _limit_exceeded(call)
    if limit:
        _refuse(call, "rate_limited", limit)
    try:
        call.contact_id = connect_api.contact_start(
            destination=call.phone_number,
            queue_id=queue.connect_queue_id,
            attributes=_attributes(call, queue, user),
            client_token=call.client_token,
        )
    except ConnectError as exc:
        call.status, call.reason, call.message = CallRequest.Status.FAILED, exc.kind, exc.message
        call.save(update_fields=["status", "reason", "message"])
        raise CallRefused(call) from exc
    return _record_placed(call)


def _record_placed(call: CallRequest) -> CallRequest:
    """Record the call as placed, unless an earlier request already holds its contact."""
    call.status = CallRequest.Status.PLACED
    try:
        with transaction.atomic():
            call.save(update_fields=["status", "contact_id"])
    except IntegrityError:
        # Connect answered our ClientToken with the contact a racing double submit placed
        # (https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundVoiceContact.html,
        # ClientToken): that request is the call, this one a duplicate of it.
        earlier = CallRequest.objects.get(
            status=CallRequest.Status.PLACED, contact_id=call.contact_id
        )
        return _record_duplicate(call, earlier)
    return call


def _record_duplicate(call: CallRequest, earlier: CallRequest) -> CallRequest:
    """A double submit: record it, and show the call already placed instead of another."""
    call.status, call.reason = CallRequest.Status.REFUSED, "duplicate"
    call.contact_id = earlier.contact_id
    call.save()
    return earlier


def _refuse(call: CallRequest, reason: str, message: str) -> NoReturn:
    call.status, call.reason, call.message = CallRequest.Status.REFUSED, reason, message
    call.save()
    raise CallRefused(call)


def _printable(raw: str | None) -> str:
    # What was typed, kept for the audit; control characters (NUL breaks PostgreSQL) replaced.
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in (raw or ""))


def _is_verified_number(user: User, e164: str) -> bool:
    return Profile.objects.filter(user=user, phone_number=e164, phone_verified=True).exists()


def _refuse_unless_open(call: CallRequest, queue: Queue) -> None:
    hours = queue_hours(queue)
    if hours.schedule is None:
        # Connect could not say: an outage (503), not the customer's doing.
        _refuse(call, "hours_unknown", str(MESSAGE_HOURS_UNKNOWN) % {"queue": queue.connect_name})
    if hours.is_open:
        return
    opens_at = hours.schedule.opens_at
    if opens_at is None:
        message = str(MESSAGE_QUEUE_CLOSED_NO_NEXT) % {"queue": queue.connect_name}
    else:
        message = str(MESSAGE_QUEUE_CLOSED) % {
            "queue": queue.connect_name,
            "when": when_text(opens_at),
        }
    _refuse(call, "queue_closed", message)


def _recent_duplicate(call: CallRequest) -> CallRequest | None:
    since = timezone.now() - timedelta(seconds=settings.CALL_IDEMPOTENCY_WINDOW)
    return (
        CallRequest.objects.filter(
            user=call.user,
            queue=call.queue,
            phone_number=call.phone_number,
            status=CallRequest.Status.PLACED,
            created_at__gte=since,
        )
        .order_by("-created_at")
        .first()
    )


def _limit_exceeded(call: CallRequest) -> str:
    now = timezone.now()
    earlier = CallRequest.objects.counted().filter(id__lte=call.id)
    user_window = now - timedelta(seconds=settings.CALL_LIMIT_PER_USER_WINDOW)
    number_window = now - timedelta(seconds=settings.CALL_LIMIT_PER_NUMBER_WINDOW)
    # A customer's and a number's limits count calls: requests that placed or may place one,
    # each contact once (requests sharing a ClientToken get one contact from Connect). The
    # site-wide limit counts every request that reached Connect, failures too.
    calling = Q(status__in=CallRequest.CALLING_STATUSES)
    counts = earlier.aggregate(
        user=_calls(calling & Q(user=call.user, created_at__gte=user_window)),
        number=_calls(calling & Q(phone_number=call.phone_number, created_at__gte=number_window)),
        everyone=_count(Q(created_at__gte=now - timedelta(minutes=1))),
    )
    if counts["user"] > settings.CALL_LIMIT_PER_USER:
        return str(MESSAGE_LIMIT_USER)
    if counts["number"] > settings.CALL_LIMIT_PER_NUMBER:
        return str(MESSAGE_LIMIT_NUMBER)
    if counts["everyone"] > settings.CALL_LIMIT_GLOBAL_PER_MINUTE:
        return str(MESSAGE_LIMIT_GLOBAL)
    return ""


def _count(condition: Q) -> Count:
    return Count("id", filter=condition)


def _calls(condition: Q) -> Count:
    return Count("client_token", filter=condition, distinct=True)


def _client_token(call: CallRequest) -> str:
    """The same user, queue and number inside one short window get the same token, so even
    two processes racing on a double submit make Connect place a single call."""
    window = int(time.time()) // settings.CALL_IDEMPOTENCY_WINDOW
    seed = f"{call.user_id}:{call.queue_id}:{call.phone_number}:{window}"
    return hashlib.sha256(seed.encode()).hexdigest()[:64]


def _attributes(call: CallRequest, queue: Queue, user: User) -> dict[str, str]:
    return web_ingress_attributes(
        queue,
        language_code=call.language_code,
        customer_name=_customer_name(user),
        verified=call.verified,
    )


def web_ingress_attributes(
    queue: Queue, *, language_code: str, customer_name: str, verified: bool
) -> dict[str, str]:
    """The contact attributes a website call carries into the WebIngress flow (also what the
    call simulator sends when it plays a website call)."""
    return {
        "queueName": queue.connect_name,
        "queueId": queue.connect_queue_id,
        "languageCode": language_code,
        "customerName": customer_name,
        "verified": "true" if verified else "false",
    }


def _customer_name(user: User) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (full or user.get_username().split("@")[0])[:100]
