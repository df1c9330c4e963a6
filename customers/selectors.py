"""Reads of caller records, shaped as the DynamoDB items the lookup Lambda reads."""

from __future__ import annotations

from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast

from connect import items

from .models import Customer, SyncRecord

_FIELDS = ("first_name", "last_name", "vip", "extra")


def customer_item(customer: Customer) -> dict:
    return _encode(str(customer.phone_number), *(getattr(customer, name) for name in _FIELDS))


def customer_items(phone_numbers: list[str] | None = None) -> dict[str, dict]:
    """E.164 number -> customer item; all customers when None. Streams large tables."""
    customers = Customer.objects.order_by()
    if phone_numbers is not None:
        customers = customers.filter(phone_number__in=phone_numbers)
    # The number as stored (E.164 text): turning 100,000 rows into model instances and
    # PhoneNumber objects only to print them again took most of a full push's database time.
    rows = customers.annotate(_number=Cast("phone_number", CharField())).values_list(
        "_number", *_FIELDS
    )
    return {row[0]: _encode(*row) for row in rows.iterator(chunk_size=2000)}


def _encode(number: str, first_name: str, last_name: str, vip: bool, extra: dict | None) -> dict:
    return items.customer_encode(
        items.Customer(
            phone_number=number,
            first_name=first_name,
            last_name=last_name,
            vip=vip,
            extra=extra or {},
        )
    )


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
