"""Writes of caller records beyond plain admin edits: pull from DynamoDB, bulk import."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import phonenumbers
from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from connect import items

from .models import Customer
from .sync import outbox_mark

KIND = "customers"
TRUE_WORDS = {"true", "yes", "y", "1", "vip", "x"}
FALSE_WORDS = {"false", "no", "n", "0", ""}


def customer_load(item: dict) -> str:
    """Store a customer item read from DynamoDB; return its number."""
    decoded = items.customer_decode(item)
    customer, _ = Customer.objects.update_or_create(
        phone_number=_e164(decoded.phone_number),
        defaults={
            "first_name": decoded.first_name,
            "last_name": decoded.last_name,
            "vip": decoded.vip,
            "extra": dict(decoded.extra),
        },
    )
    return str(customer.phone_number)


def _e164(raw: str) -> str:
    number = phonenumbers.parse(raw, settings.PHONE_DEFAULT_REGION)
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"not a phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- Import of large files -----------------------------------------------------------------


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    phone: str
    first_name: str
    last_name: str
    vip: bool


def customers_import(rows: Iterable[dict[str, str]], *, batch_size: int = 2000) -> ImportReport:
    """Validate every row first; import all of them in one transaction, or none.

    Rows need a phone number column (``phone_number`` or the seed's ``PhoneNumber``); names
    and VIP are optional. Errors name the data row (1 is the first row after the header).
    """
    report = ImportReport()
    valid: dict[str, _Row] = {}
    for row in _rows(rows, report):
        if row.phone in valid:
            report.errors.append(
                (row.line, f"{row.phone} appears twice (also row {valid[row.phone].line}).")
            )
        valid[row.phone] = row
    if report.errors:
        return report
    with transaction.atomic():
        existing = {
            str(c.phone_number): c
            for c in Customer.objects.filter(phone_number__in=list(valid)).iterator()
        }
        new, changed = [], []
        for phone, row in valid.items():
            customer = existing.get(phone) or Customer(phone_number=phone)
            customer.first_name, customer.last_name, customer.vip = (
                row.first_name,
                row.last_name,
                row.vip,
            )
            (changed if phone in existing else new).append(customer)
        bulk_create_with_history(new, Customer, batch_size=batch_size)
        if changed:
            bulk_update_with_history(
                changed, Customer, ["first_name", "last_name", "vip"], batch_size=batch_size
            )
        # Bulk writes send no signals: mark the outbox here, in the same transaction.
        outbox_mark(kind=KIND, keys=list(valid))
    report.created, report.updated = len(new), len(changed)
    return report


def _rows(rows: Iterable[dict[str, str]], report: ImportReport) -> Iterator[_Row]:
    for line, raw in enumerate(rows, start=1):
        report.rows += 1
        data = {
            (k or "").strip().lower().replace(" ", "_"): (v or "").strip() for k, v in raw.items()
        }
        phone = data.get("phone_number") or data.get("phonenumber") or ""
        try:
            e164 = _e164(phone)
        except (phonenumbers.NumberParseException, ValueError):
            report.errors.append((line, f"{phone!r} is not a phone number."))
            continue
        vip_word = (data.get("vip") or "").lower()
        if vip_word not in TRUE_WORDS | FALSE_WORDS:
            report.errors.append((line, f"VIP must be true or false, not {vip_word!r}."))
            continue
        yield _Row(
            line=line,
            phone=e164,
            first_name=(data.get("first_name") or data.get("firstname") or "")[:100],
            last_name=(data.get("last_name") or data.get("lastname") or "")[:100],
            vip=vip_word in TRUE_WORDS,
        )


def csv_rows(stream: io.TextIOBase) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(stream)


def xlsx_rows(path: str) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "") for h in next(rows, ())]
    for values in rows:
        yield {h: "" if v is None else str(v) for h, v in zip(header, values, strict=False)}
