"""Reads of the outbox: how far each item is on its way to DynamoDB, for the admin lists."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from .models import SyncRecord


def with_sync_state(queryset: QuerySet, *, kind: str, key_field: str) -> QuerySet:
    """Annotate ``sync_status`` and ``sync_error`` from the outbox (one query for a page)."""
    record = SyncRecord.objects.filter(kind=kind, key=OuterRef(key_field))
    return queryset.annotate(
        sync_status=Subquery(record.values("status")[:1]),
        sync_error=Subquery(record.values("last_error")[:1]),
        sync_pending=Exists(record.filter(status=SyncRecord.Status.PENDING)),
    )


def sync_state_text(obj: object) -> str:
    """'pending: <last error>', 'synced', or '—' (never changed here), from with_sync_state."""
    if getattr(obj, "sync_pending", False):
        error = getattr(obj, "sync_error", "")
        return f"pending: {error}" if error else "pending"
    return "synced" if getattr(obj, "sync_status", None) else "—"
