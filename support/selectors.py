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
_LOCK_WAIT_SECONDS = 2.0


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


def _last_good_key(hours_id: str) -> str:
    return f"connect:hours-last-good:v1:{hours_id}"


def queue_hours_many(queues: list[Queue], *, now: datetime | None = None) -> dict[int, QueueHours]:
    """Hours for several queues with one cache read; Connect is asked once per hours id."""
    now = now or timezone.now()
    first, last = _window(now)
    ids = sorted({q.hours_of_operation_id for q in queues})
    cached = cache.get_many([_fresh_key(i, first) for i in ids])
    by_id: dict[str, QueueHours] = {}
    for hours_id in ids:
        entry = cached.get(_fresh_key(hours_id, first))
        if entry is not None:
            by_id[hours_id] = QueueHours(schedule(entry[1], now))
        else:
            by_id[hours_id] = _fetch(hours_id, first, last, now)
    return {q.pk: by_id[q.hours_of_operation_id] for q in queues}


def queue_hours(queue: Queue, *, now: datetime | None = None) -> QueueHours:
    return queue_hours_many([queue], now=now)[queue.pk]


def _fetch(hours_id: str, first: date, last: date, now: datetime) -> QueueHours:
    """Ask Connect once per hours id and TTL across all processes; else serve the last good."""
    fresh_key, lock_key = _fresh_key(hours_id, first), f"connect:hours-lock:{hours_id}"
    if not cache.add(lock_key, 1, timeout=10):
        # Another process is asking Connect right now: its answer lands in the cache shortly.
        deadline = time.monotonic() + _LOCK_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            entry = cache.get(fresh_key)
            if entry is not None:
                return QueueHours(schedule(entry[1], now))
        return _last_good(hours_id, now, error="")
    try:
        effective = connect_api.hours_effective(hours_id=hours_id, first=first, last=last)
    except ConnectError as exc:
        return _last_good(hours_id, now, error=exc.message)
    finally:
        cache.delete(lock_key)
    entry = (timezone.now(), effective)
    cache.set(fresh_key, entry, settings.CONNECT_HOURS_TTL)
    cache.set(_last_good_key(hours_id), entry, settings.CONNECT_HOURS_STALE_MAX)
    return QueueHours(schedule(effective, now))


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
