"""Reads for the live-support pages, with Connect's answers cached across processes."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django import db
from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from . import connect_api
from .connect_api import ConnectError, ContactStatus, EffectiveHours
from .hours import Schedule, schedule
from .models import CallRequest, Department, Queue

if TYPE_CHECKING:  # django-stubs' helper: a development dependency
    from django_stubs_ext import WithAnnotations

logger = logging.getLogger(__name__)

# Dates fetched around "today" in UTC: one day back covers a shift that began yesterday
# evening in any zone, and the rest covers a full week ahead in any zone.
_DAYS_BEFORE, _DAYS_AFTER = 1, 8
# The lock outlives a slow Connect answer (a page waits at most CONNECT_REQUEST_BUDGET) but
# not a crashed process for long.
_LOCK_TIMEOUT = 10
# Each hours id is asked once a page: the failure marker's back-off is the retry.
_HOURS_ATTEMPTS = 1


@dataclass(frozen=True)
class QueueHours:
    """A queue's schedule, or why it could not be had; ``as_of`` is set when it is stale."""

    schedule: Schedule | None
    as_of: datetime | None = None
    error: str = ""

    @property
    def is_open(self) -> bool:
        return self.schedule is not None and self.schedule.is_open


class VisibleQueues(TypedDict):
    """What :func:`department_list_with_queues` adds to each department."""

    visible_queues: list[Queue]


def department_list_with_queues() -> QuerySet[WithAnnotations[Department, VisibleQueues]]:
    """Departments with their visible queues, in two queries whatever the number of queues."""
    visible = Queue.objects.visible().order_by("order", "connect_name")
    return (
        Department.objects.filter(queues__in=visible)
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


def _streak_key(hours_id: str) -> str:
    return f"connect:hours-failures:v1:{hours_id}"


def queue_hours_many(queues: list[Queue], *, now: datetime | None = None) -> dict[int, QueueHours]:
    """Hours for several queues with one cache read; Connect is asked once per hours id.

    Whatever Connect does, the page waits at most ``CONNECT_REQUEST_BUDGET`` for it: the ids
    missing from the cache are asked for together, and any still unanswered then are shown
    with their last good hours (or as unknown).
    """
    now = now or timezone.now()
    first, last = _window(now)
    ids = sorted({q.hours_of_operation_id for q in queues})
    found = cache.get_many([k for i in ids for k in (_fresh_key(i, first), _failed_key(i))])
    by_id: dict[str, QueueHours] = {}
    for hours_id in ids:
        cached = _from_cache(found, hours_id, first, now)
        if cached is not None:
            by_id[hours_id] = cached
    missing = [i for i in ids if i not in by_id]
    if missing:
        by_id |= _fetch_many(missing, first, last, now)
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


def _fetch_many(ids: list[str], first: date, last: date, now: datetime) -> dict[str, QueueHours]:
    """Ask Connect once per hours id and TTL across all processes; else serve the last good.

    An id another process is asking for right now is not waited for: its last good hours
    are shown, so no page queues behind a slow Connect answer in another process.
    """
    mine = [i for i in ids if cache.add(_lock_key(i), 1, timeout=_LOCK_TIMEOUT)]
    result = {i: _last_good(i, now, error="") for i in ids if i not in mine}
    try:
        # Another process may have stored an answer between our miss and our lock.
        found = cache.get_many([k for i in mine for k in (_fresh_key(i, first), _failed_key(i))])
        ask = []
        for hours_id in mine:
            cached = _from_cache(found, hours_id, first, now)
            if cached is None:
                ask.append(hours_id)
            else:
                result[hours_id] = cached
        for hours_id, answer in _ask_connect(ask, first, last).items():
            result[hours_id] = _store(hours_id, answer, first, now)
    finally:
        # Stored before the lock is released, so no process can miss in between.
        cache.delete_many([_lock_key(i) for i in mine])
    return result


def _ask_connect(
    ids: list[str], first: date, last: date
) -> dict[str, EffectiveHours | ConnectError]:
    """Each id's hours or failure, all within one time budget."""
    deadline = connect_api.Deadline(settings.CONNECT_REQUEST_BUDGET)
    if len(ids) <= 1 or settings.CONNECT_HOURS_FETCH_THREADS <= 1:
        return {i: _ask_one(i, first, last, deadline) for i in ids}
    pool = ThreadPoolExecutor(
        max_workers=min(len(ids), settings.CONNECT_HOURS_FETCH_THREADS),
        thread_name_prefix="connect-hours",
    )
    futures = {i: pool.submit(_ask_one_in_thread, i, first, last, deadline) for i in ids}
    # A request still hanging when the budget is spent ends on its own read timeout; the
    # page does not wait for it.
    wait(futures.values(), timeout=deadline.remaining())
    pool.shutdown(wait=False, cancel_futures=True)
    late = ConnectError(ConnectError.Kind.BUSY, connect_api.DEADLINE_CODE)
    return {i: f.result() if f.done() and not f.cancelled() else late for i, f in futures.items()}


def _ask_one(
    hours_id: str, first: date, last: date, deadline: connect_api.Deadline
) -> EffectiveHours | ConnectError:
    try:
        return connect_api.hours_effective(
            hours_id=hours_id, first=first, last=last, deadline=deadline, attempts=_HOURS_ATTEMPTS
        )
    except ConnectError as exc:
        return exc


def _ask_one_in_thread(
    hours_id: str, first: date, last: date, deadline: connect_api.Deadline
) -> EffectiveHours | ConnectError:
    try:
        return _ask_one(hours_id, first, last, deadline)
    finally:
        # The local stand-in answers from the database; a thread's connection would outlive it.
        db.connections.close_all()


def _store(
    hours_id: str, answer: EffectiveHours | ConnectError, first: date, now: datetime
) -> QueueHours:
    if isinstance(answer, ConnectError):
        _remember_failure(hours_id, answer.message)
        return _last_good(hours_id, now, error=answer.message)
    entry = (timezone.now(), answer)
    cache.set(_fresh_key(hours_id, first), entry, settings.CONNECT_HOURS_TTL)
    cache.set(_last_good_key(hours_id), entry, settings.CONNECT_HOURS_STALE_MAX)
    cache.delete(_streak_key(hours_id))
    return QueueHours(schedule(answer, now))


def _remember_failure(hours_id: str, message: str) -> None:
    """Keep every process from asking Connect for the whole back-off, which doubles with each
    failure in a row, so an outage or throttling costs one request per hours id and back-off."""
    streak = (cache.get(_streak_key(hours_id)) or 0) + 1
    backoff = min(
        settings.CONNECT_HOURS_RETRY_AFTER * 2 ** (streak - 1),
        settings.CONNECT_HOURS_RETRY_AFTER_MAX,
    )
    cache.set(_failed_key(hours_id), message, backoff)
    cache.set(_streak_key(hours_id), streak, 2 * settings.CONNECT_HOURS_RETRY_AFTER_MAX)


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
    # The stand-in is a plug-in: it says where to read its simulations (never imported here).
    simulation_of = import_string(settings.CONNECT_LOCAL_SIMULATION)
    return simulation_of(call.contact_id)
