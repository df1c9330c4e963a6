"""Reads for the live-support pages, with Connect's answers cached across processes."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from . import connect_api
from .connect_api import ConnectError, ContactStatus, EffectiveHours
from .hours import Schedule, schedule
from .models import CallRequest, Department, Queue

logger = logging.getLogger(__name__)

# Dates fetched around "today" in UTC: one day back covers a shift that began yesterday
# evening in any zone, and the rest covers a full week ahead in any zone.
_DAYS_BEFORE, _DAYS_AFTER = 1, 8
_LOCK_POLL_SECONDS = 0.05
# The lock outlives a slow Connect answer but not a crashed process for long.
_LOCK_TIMEOUT = 10
# After Connect fails, readers show the last good hours this long without asking again, so
# an outage or throttling costs one slow request per hours id, not one per page view.
_RETRY_AFTER_FAILURE = 10


@dataclass(frozen=True)
class QueueHours:
    """A queue's schedule, or why it could not be had; ``as_of`` is set when it is stale."""

    schedule: Schedule | None
    as_of: datetime | None = None
    error: str = ""

    @property
    def is_open(self) -> bool:
        return self.schedule is not None and self.schedule.is_open


def department_list_with_queues() -> QuerySet[Department]:
    """Departments with their visible queues, in two queries whatever the number of queues."""
    visible = Queue.objects.visible().order_by("order", "connect_name")
    return (
        Department.objects.filter(queues__is_visible=True)
        .distinct()
        .prefetch_related(Prefetch("queues", queryset=visible, to_attr="visible_queues"))
    )


def _window(now: datetime) -> tuple[date, date]:
    today = now.astimezone(UTC).date()
    return today - timedelta(days=_DAYS_BEFORE), today + timedelta(days=_DAYS_AFTER)


def _fresh_key(hours_id: str, first: date) -> str:
    return f"connect:hours:v1:{hours_id}:{first.isoformat()}"


def _failed_key(hours_id: str) -> str:
    return f"connect:hours-failed:v1:{hours_id}"


def _last_good_key(hours_id: str) -> str:
    return f"connect:hours-last-good:v1:{hours_id}"


def _lock_key(hours_id: str) -> str:
    return f"connect:hours-lock:{hours_id}"


def queue_hours_many(queues: list[Queue], *, now: datetime | None = None) -> dict[int, QueueHours]:
    """Hours for several queues with one cache read; Connect is asked once per hours id."""
    now = now or timezone.now()
    first, last = _window(now)
    ids = sorted({q.hours_of_operation_id for q in queues})
    found = cache.get_many([k for i in ids for k in (_fresh_key(i, first), _failed_key(i))])
    by_id: dict[str, QueueHours] = {}
    for hours_id in ids:
        cached = _from_cache(found, hours_id, first, now)
        by_id[hours_id] = cached or _fetch(hours_id, first, last, now)
    return {q.pk: by_id[q.hours_of_operation_id] for q in queues}


def queue_hours(queue: Queue, *, now: datetime | None = None) -> QueueHours:
    return queue_hours_many([queue], now=now)[queue.pk]


def _from_cache(found: dict, hours_id: str, first: date, now: datetime) -> QueueHours | None:
    """Fresh hours, or the last good ones while a recent failure says not to ask Connect."""
    entry = found.get(_fresh_key(hours_id, first))
    if entry is not None:
        return QueueHours(schedule(entry[1], now))
    error = found.get(_failed_key(hours_id))
    if error is not None:
        return _last_good(hours_id, now, error=error)
    return None


def _read(hours_id: str, first: date, now: datetime) -> QueueHours | None:
    found = cache.get_many([_fresh_key(hours_id, first), _failed_key(hours_id)])
    return _from_cache(found, hours_id, first, now)


def _fetch(hours_id: str, first: date, last: date, now: datetime) -> QueueHours:
    """Ask Connect once per hours id and TTL across all processes; else serve the last good."""
    lock_key = _lock_key(hours_id)
    if not cache.add(lock_key, 1, timeout=_LOCK_TIMEOUT):
        return _wait_for_other_process(hours_id, first, now)
    try:
        # Another process may have stored an answer between our miss and our lock.
        cached = _read(hours_id, first, now)
        if cached is not None:
            return cached
        try:
            effective = connect_api.hours_effective(hours_id=hours_id, first=first, last=last)
        except ConnectError as exc:
            cache.set(_failed_key(hours_id), exc.message, _RETRY_AFTER_FAILURE)
            return _last_good(hours_id, now, error=exc.message)
        # Stored before the lock is released, so no process can miss in between.
        entry = (timezone.now(), effective)
        cache.set(_fresh_key(hours_id, first), entry, settings.CONNECT_HOURS_TTL)
        cache.set(_last_good_key(hours_id), entry, settings.CONNECT_HOURS_STALE_MAX)
    finally:
        cache.delete(lock_key)
    return QueueHours(schedule(effective, now))


def _wait_for_other_process(hours_id: str, first: date, now: datetime) -> QueueHours:
    """Another process is asking Connect right now: use its answer if it lands in time."""
    deadline = time.monotonic() + settings.CONNECT_HOURS_LOCK_WAIT
    while time.monotonic() < deadline:
        time.sleep(_LOCK_POLL_SECONDS)
        # Read the lock first: its holder stores the answer before releasing it.
        released = cache.get(_lock_key(hours_id)) is None
        cached = _read(hours_id, first, now)
        if cached is not None:
            return cached
        if released:
            break
    return _last_good(hours_id, now, error="")


def _last_good(hours_id: str, now: datetime, *, error: str) -> QueueHours:
    entry: tuple[datetime, EffectiveHours] | None = cache.get(_last_good_key(hours_id))
    if entry is None:
        return QueueHours(None, error=error or str(connect_api.MESSAGE_BUSY))
    fetched_at, effective = entry
    return QueueHours(schedule(effective, now), as_of=fetched_at, error=error)


def contact_status(call: CallRequest) -> ContactStatus | None:
    """The live state of a placed call, cached briefly so polling pages spare Connect."""
    if not call.contact_id:
        return None
    key = f"connect:contact:v1:{call.contact_id}"
    status = cache.get(key)
    if status is None:
        try:
            status = connect_api.contact_describe(contact_id=call.contact_id)
        except ConnectError:
            return None
        cache.set(key, status, settings.CONNECT_CONTACT_STATUS_TTL)
    return status


def call_request_for_user(*, user: object, public_id: str) -> CallRequest | None:
    return (
        CallRequest.objects.select_related("queue")
        .filter(user=user, public_id=public_id, status=CallRequest.Status.PLACED)
        .first()
    )


def call_simulation(call: CallRequest) -> dict | None:
    """Embedded default only: what the stand-in's run of the WebIngress flow said and did.

    Real Amazon Connect does not report what a caller heard; the local stand-in plays each
    call through the call simulator, so the demo can show it.
    """
    if settings.CONNECT_BACKEND != "local" or not call.contact_id:
        return None
    from connectlocal.models import Contact

    return (
        Contact.objects.filter(contact_id=call.contact_id)
        .values_list("simulation", flat=True)
        .first()
    )
