"""Reads of caller records, shaped as the DynamoDB items the lookup Lambda reads."""

from __future__ import annotations

from django.db.models import CharField
from django.db.models.functions import Cast

from connect import items

from .models import Customer

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
