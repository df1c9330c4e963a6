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
from openpyxl import Workbook, load_workbook

from customers.models import Customer
from outbox.models import SyncRecord
from tests.customers.conftest import make_customer, make_staff, stored_item

pytestmark = pytest.mark.django_db

IMPORT = "/admin/customers/customer/import/"
PROCESS = "/admin/customers/customer/process_import/"
EXPORT = "/admin/customers/customer/export/"
CHANGELIST = "/admin/customers/customer/"
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


# --- Who may export and import ------------------------------------------------------------
# Every persona, and what it may do; "login" is the admin's sign-in redirect for non-staff.
PERSONAS = {
    "prompt_editor": {"export": 403, "import": 403},
    "customer_data_editor": {"export": 200, "import": 200},
    "customer_viewer": {"export": 200, "import": 403},
    "staff_outsider": {"export": 403, "import": 403},
    "staff_user": {"export": 200, "import": 200},
    "customer": {"export": "login", "import": "login"},
}
MALLORY = [["+12025550199", "Mallory", "Attacker", "true"]]


def persona_client(request: pytest.FixtureRequest, persona: str) -> Client:
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    return client


def assert_status(response: HttpResponse, expected: int | str) -> None:
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == expected


def database_state() -> tuple[list[tuple], list[tuple]]:
    """Every customer and every outbox row, to show a refused request wrote nothing."""
    return (
        list(Customer.objects.values_list("phone_number", "first_name", "last_name", "vip")),
        list(SyncRecord.objects.values_list("kind", "key", "status")),
    )


@pytest.fixture
def existing_customer() -> Customer:
    """The record an attacker's import would turn into a VIP."""
    return make_customer("+12025550199", first_name="Real", last_name="Person", vip=False)


@pytest.fixture
def confirm_data(existing_customer: Customer, customer_editor_client: Client) -> dict:
    """A confirmation an editor's dry run left waiting: what a refused user would replay."""
    return (
        upload(customer_editor_client, csv_file(MALLORY), CSV_FORMAT)
        .context["confirm_form"]
        .initial
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_with_the_view_permission_open_the_export_page(
    request: pytest.FixtureRequest, existing_customer: Customer, persona: str
) -> None:
    response = persona_client(request, persona).get(EXPORT)

    assert_status(response, PERSONAS[persona]["export"])


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_with_the_view_permission_download_the_customers(
    request: pytest.FixtureRequest, existing_customer: Customer, persona: str
) -> None:
    response = persona_client(request, persona).post(
        EXPORT, {"format": CSV_FORMAT, "resource": "0", "customerresource_phone_number": "on"}
    )

    expected = PERSONAS[persona]["export"]
    assert_status(response, expected)
    assert (b"+12025550199" in response.content) is (expected == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_may_add_and_change_customers_open_the_import_page(
    request: pytest.FixtureRequest, persona: str
) -> None:
    response = persona_client(request, persona).get(IMPORT)

    assert_status(response, PERSONAS[persona]["import"])


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_import_upload_from_a_refused_user_is_refused_and_writes_nothing(
    request: pytest.FixtureRequest, existing_customer: Customer, persona: str
) -> None:
    before = database_state()

    response = persona_client(request, persona).post(
        IMPORT, {"import_file": csv_file(MALLORY), "format": CSV_FORMAT, "resource": "0"}
    )

    assert_status(response, PERSONAS[persona]["import"])
    assert database_state() == before  # the upload is a dry run even when allowed


@pytest.mark.parametrize(
    "persona", [name for name, allowed in PERSONAS.items() if allowed["import"] != 200]
)
def test_a_refused_user_cannot_confirm_an_import_and_nothing_is_written(
    request: pytest.FixtureRequest, confirm_data: dict, persona: str
) -> None:
    before = database_state()

    response = persona_client(request, persona).post(PROCESS, confirm_data)

    assert_status(response, PERSONAS[persona]["import"])
    assert database_state() == before
    assert Customer.objects.get(phone_number="+12025550199").vip is False


@pytest.mark.parametrize(
    "persona", [name for name, allowed in PERSONAS.items() if allowed["import"] == 200]
)
def test_an_allowed_user_confirms_an_import_and_it_is_written(
    request: pytest.FixtureRequest, confirm_data: dict, persona: str
) -> None:
    response = persona_client(request, persona).post(PROCESS, confirm_data)

    assert response.status_code == 302
    assert Customer.objects.get(phone_number="+12025550199").first_name == "Mallory"
    assert SyncRecord.objects.filter(kind="customers", key="+12025550199").exists()


def test_staff_who_may_add_but_not_change_customers_cannot_import(client: Client) -> None:
    client.force_login(make_staff("ada@example.com", "view_customer", "add_customer"))

    assert client.get(IMPORT).status_code == 403
    assert "import_link" not in client.get(CHANGELIST).content.decode()


def test_the_list_offers_import_and_export_to_a_customer_data_editor(
    customer_editor_client: Client,
) -> None:
    page = customer_editor_client.get(CHANGELIST).content.decode()

    assert 'class="import_link"' in page
    assert 'class="export_link"' in page


def test_the_list_offers_no_import_to_a_view_only_user(
    client: Client, customer_viewer: object
) -> None:
    client.force_login(customer_viewer)

    page = client.get(CHANGELIST).content.decode()

    assert 'class="import_link"' not in page


# --- Spreadsheet formulae -----------------------------------------------------------------
FORMULAE = ['=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1)", "'=1+1"]


@pytest.mark.parametrize("text", FORMULAE)
def test_a_name_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(
    customer_editor_client: Client, text: str
) -> None:
    make_customer("+12025550177", first_name=text, last_name=text)

    exported = export(customer_editor_client, CSV_FORMAT).decode("utf-8-sig")

    _, row = list(csv.reader(io.StringIO(exported)))
    # The number is E.164 (digits after its "+"), validated on the way in; names are free text.
    assert row[0] == "+12025550177"
    assert not [cell for cell in row[1:] if cell.startswith(("=", "+", "-", "@"))]
    assert row[1] == f"'{text}"


@pytest.mark.parametrize("text", FORMULAE)
def test_an_escaped_name_imports_back_as_it_was(customer_editor_client: Client, text: str) -> None:
    make_customer("+12025550177", first_name=text, last_name="Stone")
    exported = export(customer_editor_client, CSV_FORMAT)

    response = upload(
        customer_editor_client, SimpleUploadedFile("export.csv", exported), CSV_FORMAT
    )

    assert [row.import_type for row in response.context["result"].rows] == ["skip"]


def test_an_xlsx_export_holds_a_formula_as_text(customer_editor_client: Client) -> None:
    make_customer("+12025550177", first_name='=HYPERLINK("http://x","y")')

    book = load_workbook(io.BytesIO(export(customer_editor_client, XLSX_FORMAT)))

    cell = book.active["B2"]
    assert (cell.data_type, cell.value) == ("s", '\'=HYPERLINK("http://x","y")')
