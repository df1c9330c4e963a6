"""Writes of caller records beyond plain admin edits: pull from DynamoDB, bulk import."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from connect import items
from outbox.sync import outbox_mark

from .models import Customer

KIND = "customers"
TRUE_WORDS = {"true", "yes", "y", "1", "vip", "x"}
FALSE_WORDS = {"false", "no", "n", "0", ""}
MESSAGE_VIP_WORD = "VIP must be true or false, not {word!r}."


def vip_from_word(word: object) -> bool:
    """Read a VIP cell (a spreadsheet may hand over a real boolean); raise ValueError."""
    text = ("" if word is None else str(word)).strip().lower()
    if text in TRUE_WORDS | FALSE_WORDS:
        return text in TRUE_WORDS
    raise ValueError(MESSAGE_VIP_WORD.format(word=text))


def customer_load(item: dict) -> str:
    """Store a customer item read from DynamoDB; return its number."""
    decoded = items.customer_decode(item)
    phone = _e164(decoded.phone_number)
    values = {
        "first_name": decoded.first_name,
        "last_name": decoded.last_name,
        "vip": decoded.vip,
        "extra": dict(decoded.extra),
    }
    customer = Customer.objects.filter(phone_number=phone).first()
    if customer and all(getattr(customer, name) == value for name, value in values.items()):
        return phone  # unchanged: no history row
    customer = customer or Customer(phone_number=phone)
    for name, value in values.items():
        setattr(customer, name, value)
    customer.save()
    return phone


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
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    phone: str
    first_name: str
    last_name: str
    vip: bool


_IMPORTED_FIELDS = ["first_name", "last_name", "vip"]


def customers_import(rows: Iterable[dict[str, str]], *, batch_size: int = 2000) -> ImportReport:
    """Validate every row first; import all of them in one transaction, or none.

    Rows need a phone number column (``phone_number`` or the seed's ``PhoneNumber``); names
    and VIP are optional. Errors name the data row (1 is the first row after the header).
    Rows that match the database are left alone: no history row, nothing to push.
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
        existing = _customers_by_number(list(valid), batch_size=batch_size)
        new, changed = [], []
        for phone, row in valid.items():
            customer = existing.get(phone)
            if customer is None:
                new.append(Customer(phone_number=phone, **_imported(row)))
            elif _apply(customer, row):
                changed.append(customer)
        bulk_create_with_history(new, Customer, batch_size=batch_size)
        if changed:
            # bulk_update() leaves auto_now fields alone.
            now = timezone.now()
            for customer in changed:
                customer.updated_at = now
            bulk_update_with_history(
                changed, Customer, [*_IMPORTED_FIELDS, "updated_at"], batch_size=batch_size
            )
        # Bulk writes send no signals: mark the outbox here, in the same transaction.
        outbox_mark(kind=KIND, keys=[str(c.phone_number) for c in [*new, *changed]])
    report.created, report.updated = len(new), len(changed)
    report.unchanged = len(valid) - len(new) - len(changed)
    return report


def _customers_by_number(numbers: list[str], *, batch_size: int) -> dict[str, Customer]:
    found: dict[str, Customer] = {}
    # In slices: a database takes only so many parameters in one query.
    for start in range(0, len(numbers), batch_size):
        for customer in Customer.objects.filter(
            phone_number__in=numbers[start : start + batch_size]
        ):
            found[str(customer.phone_number)] = customer
    return found


def _imported(row: _Row) -> dict[str, object]:
    return {"first_name": row.first_name, "last_name": row.last_name, "vip": row.vip}


def _apply(customer: Customer, row: _Row) -> bool:
    """Copy the row's values onto ``customer``; return whether anything changed."""
    values = _imported(row)
    if all(getattr(customer, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(customer, name, value)
    return True


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
        try:
            vip = vip_from_word(data.get("vip"))
        except ValueError as exc:
            report.errors.append((line, str(exc)))
            continue
        yield _Row(
            line=line,
            phone=e164,
            first_name=(data.get("first_name") or data.get("firstname") or "")[:100],
            last_name=(data.get("last_name") or data.get("lastname") or "")[:100],
            vip=vip,
        )


def csv_rows(stream: io.TextIOBase) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(stream)


def xlsx_rows(path: str) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).active
    assert sheet is not None  # openpyxl answers None only for a workbook without a sheet
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "") for h in next(rows, ())]
    for values in rows:
        yield {h: "" if v is None else str(v) for h, v in zip(header, values, strict=False)}
