"""Caller records in and out of the admin as CSV or XLSX, in the seed's column names."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from boto3.resources.base import ServiceResource
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from openpyxl import Workbook

from customers.models import Customer
from tests.customers.conftest import make_customer, stored_item

pytestmark = pytest.mark.django_db

IMPORT = "/admin/customers/customer/import/"
PROCESS = "/admin/customers/customer/process_import/"
EXPORT = "/admin/customers/customer/export/"
CSV_FORMAT, XLSX_FORMAT = "0", "1"
HEADER = ["PhoneNumber", "FirstName", "LastName", "VIP"]


def csv_file(rows: list[list[str]], name: str = "customers.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows: list[list[str]]) -> SimpleUploadedFile:
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("customers.xlsx", out.getvalue())


def upload(client: Client, file: SimpleUploadedFile, file_format: str) -> HttpResponse:
    """The first step, a dry run; returns the page that shows the result."""
    response = client.post(IMPORT, {"import_file": file, "format": file_format, "resource": "0"})
    assert response.status_code == 200
    return response


def import_file(client: Client, file: SimpleUploadedFile, file_format: str) -> None:
    """Upload, then confirm, as an editor does."""
    confirm = upload(client, file, file_format).context["confirm_form"]
    response = client.post(PROCESS, confirm.initial)
    assert response.status_code == 302


GOOD_ROWS = [
    ["+1 202 555 0177", "Avery", "Stone", "true"],
    ["(202) 555-0178", "Robin", "Smith", "false"],
]


@pytest.mark.parametrize(
    ("bad_row", "field", "message"),
    [
        (
            ["12345", "Bad", "Number", "false"],
            "phone_number",
            "The phone number entered is not valid.",
        ),
        (
            ["+1 202 555 0179", "Bad", "Flag", "maybe"],
            "vip",
            "VIP must be true or false, not 'maybe'.",
        ),
    ],
)
def test_an_import_with_a_bad_row_names_the_row_and_imports_nothing(
    customer_editor_client: Client, bad_row: list[str], field: str, message: str
) -> None:
    response = upload(customer_editor_client, csv_file([*GOOD_ROWS, bad_row]), CSV_FORMAT)

    result = response.context["result"]
    assert [(row.number, row.error_dict) for row in result.invalid_rows] == [
        (3, {field: [message]})
    ]
    assert "Some rows failed to validate" in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Customer.objects.exists()


def test_a_good_csv_imports_and_reaches_dynamodb(
    dynamo: ServiceResource,
    customer_editor_client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_file(customer_editor_client, csv_file(GOOD_ROWS), CSV_FORMAT)

    assert sorted(str(c.phone_number) for c in Customer.objects.all()) == [
        "+12025550177",
        "+12025550178",
    ]
    assert stored_item(dynamo, "customers", "+12025550177")["VIP"] == "true"
    assert stored_item(dynamo, "customers", "+12025550178")["LastName"] == "Smith"


def test_an_xlsx_imports_and_reaches_dynamodb(
    dynamo: ServiceResource,
    customer_editor_client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_file(customer_editor_client, xlsx_file(GOOD_ROWS), XLSX_FORMAT)

    assert Customer.objects.get(phone_number="+12025550177").vip is True
    assert stored_item(dynamo, "customers", "+12025550178")["FirstName"] == "Robin"


def test_an_import_updates_a_customer_found_by_its_number(
    customer_editor_client: Client,
) -> None:
    customer = make_customer("+12025550177", first_name="Old", vip=False)

    import_file(customer_editor_client, csv_file(GOOD_ROWS[:1]), CSV_FORMAT)

    customer.refresh_from_db()
    assert (customer.first_name, customer.vip) == ("Avery", True)
    assert Customer.objects.count() == 1


def test_an_empty_vip_cell_imports_as_not_vip(customer_editor_client: Client) -> None:
    import_file(
        customer_editor_client, csv_file([["+12025550177", "Avery", "Stone", ""]]), CSV_FORMAT
    )

    assert Customer.objects.get().vip is False


def export(client: Client, file_format: str) -> bytes:
    """Open the export page and submit it as it comes, in ``file_format``."""
    form = client.get(EXPORT).context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.initial is True}
    response = client.post(EXPORT, {**data, "format": file_format, "resource": "0"})
    assert response["Content-Disposition"].startswith("attachment")
    return response.content


def test_the_csv_export_uses_the_seeds_column_names_and_values(
    customer_editor_client: Client,
) -> None:
    make_customer("+12025550177", first_name="Avery", last_name="Stone", vip=True)

    exported = export(customer_editor_client, CSV_FORMAT).decode("utf-8-sig")

    assert list(csv.reader(io.StringIO(exported))) == [
        HEADER,
        ["+12025550177", "Avery", "Stone", "true"],
    ]


def test_an_exported_csv_imports_back_unchanged(customer_editor_client: Client) -> None:
    make_customer("+12025550177", vip=True)
    exported = export(customer_editor_client, CSV_FORMAT)

    response = upload(
        customer_editor_client, SimpleUploadedFile("export.csv", exported), CSV_FORMAT
    )

    assert [row.import_type for row in response.context["result"].rows] == ["skip"]


def test_an_import_with_the_same_number_twice_names_the_second_row_and_imports_nothing(
    customer_editor_client: Client,
) -> None:
    rows = [["+1 202 555 0170", "Sam", "Lee", "false"], *GOOD_ROWS]
    rows.append(["+1 (202) 555-0177", "Avery", "Again", "false"])

    response = upload(customer_editor_client, csv_file(rows), CSV_FORMAT)

    result = response.context["result"]
    assert [(row.number, row.error_dict) for row in result.invalid_rows] == [
        (4, {"phone_number": ["+12025550177 is already in this file (row 2)."]})
    ]
    assert not Customer.objects.exists()
