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

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import dynamodb
from .dynamodb import DynamoDBError
from .models import SyncRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    name: str
    # key -> item for the keys that exist in the database (absent keys are deletions).
    items_for: Callable[[list[str]], dict[str, dict]]
    # Every item the database holds, keyed.
    items_all: Callable[[], dict[str, dict]]
    # Store one DynamoDB item in the database (pull); returns its key.
    load: Callable[[dict], str]


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
        outbox_push(marked=marked)
    except Exception:  # the edit is committed; its record stays pending for the retry
        logger.exception("Pushing %d changed items to DynamoDB failed", len(marked))


@dataclass
class PushResult:
    pushed: int = 0
    deleted: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def outbox_push(*, marked: list[tuple[str, str]] | None = None) -> PushResult:
    """Push pending records (only ``marked`` ones when given); failures stay pending."""
    records = SyncRecord.objects.filter(status=SyncRecord.Status.PENDING)
    wanted = set(marked or ())
    if marked is not None:
        records = records.filter(key__in=sorted({key for _, key in wanted}))
    result = PushResult()
    by_kind: dict[str, list[SyncRecord]] = {}
    for record in records.order_by("kind", "key"):
        if marked is None or (record.kind, record.key) in wanted:
            by_kind.setdefault(record.kind, []).append(record)
    for kind, batch in by_kind.items():
        _push_kind(kind, batch, result)
    return result


def _push_kind(kind: str, records: list[SyncRecord], result: PushResult) -> None:
    started = timezone.now()
    keys = [r.key for r in records]
    items = _kinds[kind].items_for(keys)
    deletes = [k for k in keys if k not in items]
    ids = [r.pk for r in records]
    try:
        dynamodb.items_write(kind, puts=items.values(), deletes=deletes)
    except DynamoDBError as exc:
        _record_failure(ids, exc.message)
        result.failed += len(ids)
        result.errors.append(f"{kind}: {exc}")
        return
    # A record edited again while we pushed keeps "pending" for its newer state.
    SyncRecord.objects.filter(pk__in=ids, changed_at__lte=started).update(
        status=SyncRecord.Status.SYNCED, synced_at=timezone.now(), last_error="", attempts=0
    )
    result.pushed += len(items)
    result.deleted += len(deletes)


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


def sync_check(kind: str) -> Drift:
    wanted = _kinds[kind].items_all()
    key_name = dynamodb.table_names()[kind][1]
    held = {str(item[key_name]): item for item in dynamodb.items_scan(kind)}
    drift = Drift()
    for key, item in wanted.items():
        if key not in held:
            drift.missing.append(key)
        elif _canonical(held[key]) != _canonical(item):
            drift.different.append(key)
    drift.extra = sorted(set(held) - set(wanted))
    drift.missing.sort()
    drift.different.sort()
    return drift


def sync_push_all(kind: str) -> PushResult:
    """Make DynamoDB hold exactly what the database holds, in batches."""
    started = timezone.now()
    wanted = _kinds[kind].items_all()
    key_name = dynamodb.table_names()[kind][1]
    extra = [str(i[key_name]) for i in dynamodb.items_scan(kind) if str(i[key_name]) not in wanted]
    dynamodb.items_write(kind, puts=wanted.values(), deletes=extra)
    SyncRecord.objects.filter(kind=kind, changed_at__lte=started).update(
        status=SyncRecord.Status.SYNCED, synced_at=timezone.now(), last_error="", attempts=0
    )
    return PushResult(pushed=len(wanted), deleted=len(extra))


def sync_pull(kind: str) -> int:
    """Import a table (a seed deployment's, say) into the database; return items read."""
    loader = _kinds[kind].load
    count = 0
    with transaction.atomic(), sync_suspended():
        for item in dynamodb.items_scan(kind):
            loader(item)
            count += 1
    return count
