"""Sync that loses nothing: the database is the source of truth, DynamoDB follows it.

Every change marks its item in the outbox (``SyncRecord``) inside the same transaction; after
commit the marked items are pushed. If DynamoDB is down or throttling, the edit is saved all
the same and its record stays pending with the error, for ``sync_dynamodb --retry``.

Each app registers a :class:`Kind` (how to build its items and load them back), so this
module knows no app's models.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import dynamodb
from .dynamodb import DynamoDBError
from .models import SyncRecord

logger = logging.getLogger(__name__)

# Outbox records pushed per round (each round is at most one BatchWriteItem loop).
PUSH_CHUNK = 1000


@dataclass(frozen=True)
class Kind:
    name: str
    # key -> item for the keys that exist in the database (absent keys are deletions).
    items_for: Callable[[list[str]], dict[str, dict]]
    # Every item the database holds, keyed.
    items_all: Callable[[], dict[str, dict]]
    # Store one DynamoDB item in the database (pull); returns its key.
    load: Callable[[dict], str]
    # What of a held item counts when checking drift (say, not announcements that have ended
    # since it was pushed: the Lambda ignores them and the database no longer has them).
    comparable: Callable[[dict], dict] = lambda item: item


_kinds: dict[str, Kind] = {}
_local = threading.local()


def kind_register(kind: Kind) -> None:
    _kinds[kind.name] = kind


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


@contextmanager
def sync_suspended() -> Iterator[None]:
    """Record no changes (a pull writes what DynamoDB already holds)."""
    _local.suspended = True
    try:
        yield
    finally:
        _local.suspended = False


def _queue() -> set[tuple[str, str]]:
    if not hasattr(_local, "queue"):
        _local.queue = set()
    return _local.queue


def outbox_mark(*, kind: str, keys: Iterable[str]) -> None:
    """Note that these items changed, in the caller's transaction; push them after commit."""
    keys = sorted({k for k in keys if k})
    if not keys or getattr(_local, "suspended", False):
        return
    now = timezone.now()
    SyncRecord.objects.bulk_create(
        [
            SyncRecord(kind=kind, key=k, status=SyncRecord.Status.PENDING, changed_at=now)
            for k in keys
        ],
        update_conflicts=True,
        unique_fields=["kind", "key"],
        update_fields=["status", "changed_at"],
    )
    _queue().update((kind, k) for k in keys)
    # Every mark registers the flush; the first to run after commit drains the queue for all.
    transaction.on_commit(_flush)


def _flush() -> None:
    queue = _queue()
    marked = sorted(queue)
    queue.clear()
    if not marked:
        return
    try:
        # In the request, on a short budget: a hung DynamoDB must not hold up the admin's save.
        # Not a background thread: on Lambda the runtime freezes once the response is sent,
        # so such a push could stall until the next request. What does not get through stays
        # pending for the scheduled retry (jamcc.tasks.sync_retry, every few minutes).
        outbox_push(marked=marked, in_request=True)
    except Exception:  # the edit is committed; its record stays pending for the retry
        logger.exception("Pushing %d changed items to DynamoDB failed", len(marked))


@dataclass
class PushResult:
    pushed: int = 0
    deleted: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    # Kind -> the message of the DynamoDB error that stopped its push.
    refused: dict[str, str] = field(default_factory=dict)


def outbox_push(
    *, marked: list[tuple[str, str]] | None = None, in_request: bool = False
) -> PushResult:
    """Push pending records (only ``marked`` ones when given); failures stay pending.

    ``in_request`` gives DynamoDB the short timeouts a web request can wait out.
    """
    result = PushResult()
    for kind, records in _pending_chunks(marked):
        if kind in result.refused:
            # DynamoDB refused this table already: note the rest as failed with the same
            # error rather than wait out its timeouts once per chunk.
            _record_failure([r.pk for r in records], result.refused[kind])
            result.failed += len(records)
        else:
            _push_kind(kind, records, result, in_request=in_request)
    return result


def _pending_chunks(
    marked: list[tuple[str, str]] | None,
) -> Iterator[tuple[str, list[SyncRecord]]]:
    # Bounded chunks keep SQL parameter lists and memory small after a large import.
    pending = SyncRecord.objects.filter(status=SyncRecord.Status.PENDING)
    if marked is None:
        last = 0
        while chunk := list(pending.filter(pk__gt=last).order_by("pk")[:PUSH_CHUNK]):
            last = chunk[-1].pk
            by_kind: dict[str, list[SyncRecord]] = {}
            for record in chunk:
                by_kind.setdefault(record.kind, []).append(record)
            yield from sorted(by_kind.items())
        return
    keys_by_kind: dict[str, list[str]] = {}
    for kind, key in sorted(set(marked)):
        keys_by_kind.setdefault(kind, []).append(key)
    for kind, keys in keys_by_kind.items():
        for start in range(0, len(keys), PUSH_CHUNK):
            records = list(pending.filter(kind=kind, key__in=keys[start : start + PUSH_CHUNK]))
            if records:
                yield kind, records


def _push_kind(
    kind: str, records: list[SyncRecord], result: PushResult, *, in_request: bool
) -> None:
    keys = [r.key for r in records]
    items = _kinds[kind].items_for(keys)
    deletes = [k for k in keys if k not in items]
    try:
        dynamodb.items_write(kind, puts=items.values(), deletes=deletes, in_request=in_request)
    except DynamoDBError as exc:
        _record_failure([r.pk for r in records], exc.message)
        result.failed += len(records)
        result.errors.append(f"{kind}: {exc}")
        result.refused[kind] = exc.message
        return
    _mark_synced((r.pk, r.changed_at) for r in records)
    result.pushed += len(items)
    result.deleted += len(deletes)


def _mark_synced(read: Iterable[tuple[int, datetime]]) -> None:
    """Mark records synced unless they changed since they were read.

    Only an unchanged ``changed_at`` proves the push sent the latest state: a transaction that
    marked the record before the push began may commit while it is in flight, so comparing
    with the push's start time would call its newer edit synced.
    """
    by_stamp: dict[datetime, list[int]] = {}
    for pk, changed_at in read:
        by_stamp.setdefault(changed_at, []).append(pk)
    now = timezone.now()
    with transaction.atomic():
        for changed_at, ids in by_stamp.items():
            for start in range(0, len(ids), PUSH_CHUNK):
                SyncRecord.objects.filter(
                    pk__in=ids[start : start + PUSH_CHUNK], changed_at=changed_at
                ).update(status=SyncRecord.Status.SYNCED, synced_at=now, last_error="", attempts=0)


def _record_failure(ids: list[int], message: str) -> None:
    SyncRecord.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, last_error=message)
    logger.warning("DynamoDB push failed for %d items: %s", len(ids), message)


# --- Drift check, repair and pull ---------------------------------------------------------


@dataclass
class Drift:
    missing: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.different or self.extra)


def _canonical(item: dict) -> str:
    # DynamoDB hands numbers back as Decimal; compare everything as text.
    return json.dumps(item, sort_keys=True, default=str)


def _held(kind: str) -> Iterator[tuple[str, dict]]:
    """Each item the table holds, with its key as the database spells it."""
    key_name = dynamodb.table_names()[kind][1]
    for item in dynamodb.items_scan(kind):
        yield str(item[key_name]), item


def sync_check(kind: str) -> Drift:
    wanted = _kinds[kind].items_all()
    held = dict(_held(kind))
    drift = Drift()
    for key, item in wanted.items():
        if key not in held:
            drift.missing.append(key)
        elif _canonical(_kinds[kind].comparable(held[key])) != _canonical(item):
            drift.different.append(key)
    drift.extra = sorted(set(held) - set(wanted))
    drift.missing.sort()
    drift.different.sort()
    return drift


def sync_push_all(kind: str) -> PushResult:
    """Make DynamoDB hold exactly what the database holds, in batches."""
    # Read before the items: a record changed after this keeps "pending" for its newer state.
    pending = list(
        SyncRecord.objects.filter(kind=kind, status=SyncRecord.Status.PENDING).values_list(
            "pk", "changed_at"
        )
    )
    wanted = _kinds[kind].items_all()
    extra = [key for key, _item in _held(kind) if key not in wanted]
    dynamodb.items_write(kind, puts=wanted.values(), deletes=extra)
    _mark_synced(pending)
    return PushResult(pushed=len(wanted), deleted=len(extra))


class PullError(Exception):
    """An item that cannot be stored in the database; nothing of the pull is kept."""


def sync_pull(kind: str) -> int:
    """Import a table (a seed deployment's, say) into the database; return items read."""
    loader = _kinds[kind].load
    key_name = dynamodb.table_names()[kind][1]
    count = 0
    with transaction.atomic(), sync_suspended():
        for item in dynamodb.items_scan(kind):
            try:
                loader(item)
            except (ValidationError, ValueError) as exc:  # ItemError is a ValueError
                raise PullError(
                    f"{kind} item {str(item.get(key_name))!r} cannot be stored. "
                    f"{_reason(exc)} Nothing was pulled."
                ) from exc
            count += 1
    return count


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
