"""`manage.py import_customers FILE`: every row checked first, then all of them or none."""

from __future__ import annotations

import csv
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from boto3.resources.base import ServiceResource
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from customers.models import Customer
from outbox.models import SyncRecord
from tests.customers.conftest import make_customer, stored_item

pytestmark = pytest.mark.django_db

HEADER = ["PhoneNumber", "FirstName", "LastName", "VIP"]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def run_import(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_customers", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_file_with_bad_rows_names_each_one_and_imports_nothing(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "customers.csv",
        [
            ["+1 202 555 0177", "Avery", "Stone", "true"],
            ["12345", "Bad", "Number", "false"],
            ["+1 202 555 0178", "Robin", "Smith", "maybe"],
            ["(202) 555-0177", "Avery", "Again", "no"],
        ],
    )
    err = StringIO()

    with pytest.raises(CommandError, match=r"^3 of 4 rows have errors; nothing was imported\.$"):
        call_command("import_customers", str(path), stderr=err)

    assert err.getvalue().splitlines() == [
        "row 2: '12345' is not a phone number.",
        "row 3: VIP must be true or false, not 'maybe'.",
        "row 4: +12025550177 appears twice (also row 1).",
    ]
    assert not Customer.objects.exists()
    assert not SyncRecord.objects.exists()


def test_a_good_file_creates_and_updates_customers(tmp_path: Path) -> None:
    make_customer("+12025550177", first_name="Old", vip=False)
    path = write_csv(
        tmp_path / "customers.csv",
        [["+1 202 555 0177", "Avery", "Stone", "yes"], ["2025550178", "Robin", "Smith", ""]],
    )

    out, _ = run_import(path)

    assert out == "2 rows: 1 created, 1 updated, 0 unchanged.\n"
    assert list(Customer.objects.order_by("phone_number").values_list("first_name", "vip")) == [
        ("Avery", True),
        ("Robin", False),
    ]


def test_imported_changes_are_kept_in_the_history(tmp_path: Path) -> None:
    existing = make_customer("+12025550177", first_name="Old")
    path = write_csv(
        tmp_path / "customers.csv",
        [["+12025550177", "Avery", "Stone", "no"], ["+12025550178", "Robin", "Smith", "no"]],
    )

    run_import(path)

    assert [h.history_type for h in existing.history.order_by("history_date")] == ["+", "~"]
    assert existing.history.latest().first_name == "Avery"
    assert Customer.objects.get(phone_number="+12025550178").history.get().history_type == "+"


def test_an_import_refreshes_the_updated_time_of_changed_customers(tmp_path: Path) -> None:
    existing = make_customer("+12025550177", first_name="Old")
    before = existing.updated_at

    run_import(write_csv(tmp_path / "c.csv", [["+12025550177", "Avery", "Stone", "no"]]))

    existing.refresh_from_db()
    assert existing.updated_at > before


def test_an_import_marks_every_imported_number_in_the_outbox(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "customers.csv",
        [["+12025550177", "Avery", "Stone", "no"], ["+12025550178", "Robin", "Smith", "no"]],
    )

    run_import(path)

    assert sorted(SyncRecord.objects.filter(status="pending").values_list("key", flat=True)) == [
        "+12025550177",
        "+12025550178",
    ]


def test_an_import_reaches_dynamodb_after_commit(
    tmp_path: Path, dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    path = write_csv(tmp_path / "customers.csv", [["+12025550177", "Avery", "Stone", "VIP"]])

    with django_capture_on_commit_callbacks(execute=True):
        run_import(path)

    assert stored_item(dynamo, "customers", "+12025550177")["VIP"] == "true"
    assert SyncRecord.objects.get(key="+12025550177").status == SyncRecord.Status.SYNCED


def test_importing_the_same_file_again_changes_and_pushes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "customers.csv", [["+12025550177", "Avery", "Stone", "true"]])
    run_import(path)
    SyncRecord.objects.update(status=SyncRecord.Status.SYNCED)

    out, _ = run_import(path)

    assert out == "1 rows: 0 created, 0 updated, 1 unchanged.\n"
    assert Customer.history.count() == 1
    assert not SyncRecord.objects.filter(status=SyncRecord.Status.PENDING).exists()


def test_an_xlsx_file_imports_like_a_csv(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["+12025550177", "Avery", "Stone", True])
    book.save(tmp_path / "customers.xlsx")

    run_import(tmp_path / "customers.xlsx")

    assert Customer.objects.get(phone_number="+12025550177").vip is True


def test_snake_case_column_names_are_accepted(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "customers.csv",
        [["+12025550177", "Avery", "Stone", "x"]],
        header=["phone_number", "first_name", "last_name", "vip"],
    )

    run_import(path)

    assert Customer.objects.get(phone_number="+12025550177").last_name == "Stone"


def test_a_missing_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No file at"):
        call_command("import_customers", str(tmp_path / "nothing.csv"))
