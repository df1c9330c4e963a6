"""Reads of caller records, shaped as the DynamoDB items the lookup Lambda reads."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from connect import items

from .models import Customer, SyncRecord

_FIELDS = ("phone_number", "first_name", "last_name", "vip", "extra")


def customer_item(customer: Customer) -> dict:
    return items.customer_encode(
        items.Customer(
            phone_number=str(customer.phone_number),
            first_name=customer.first_name,
            last_name=customer.last_name,
            vip=customer.vip,
            extra=customer.extra or {},
        )
    )


def customer_items(phone_numbers: list[str] | None = None) -> dict[str, dict]:
    """E.164 number -> customer item; all customers when None. Streams large tables."""
    customers = Customer.objects.only(*_FIELDS).order_by()
    if phone_numbers is not None:
        customers = customers.filter(phone_number__in=phone_numbers)
    return {str(c.phone_number): customer_item(c) for c in customers.iterator(chunk_size=2000)}


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
