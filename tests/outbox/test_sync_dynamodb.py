"""`manage.py sync_dynamodb` for caller records: check, repair, pull, retry, create tables."""

from __future__ import annotations

from io import StringIO

import pytest
from boto3.resources.base import ServiceResource
from django.conf import settings
from django.core.management import CommandError, call_command

from customers.models import Customer
from customers.selectors import customer_item
from outbox import dynamodb
from outbox.models import SyncRecord
from tests.customers.conftest import make_customer, stored_item

pytestmark = pytest.mark.django_db

SAME, MISSING, DIFFERENT, EXTRA = "+12025550101", "+12025550102", "+12025550103", "+12025550104"


def sync(*args: str) -> str:
    out = StringIO()
    call_command("sync_dynamodb", *args, stdout=out)
    return out.getvalue()


def table(resource: ServiceResource) -> ServiceResource:
    return resource.Table(settings.CUSTOMER_DATA_TABLE_NAME)


@pytest.fixture
def drifted(dynamo: ServiceResource) -> ServiceResource:
    """One item as it should be, one missing, one different, one that should not exist."""
    same = make_customer(SAME)
    different = make_customer(DIFFERENT, vip=True)
    make_customer(MISSING)
    table(dynamo).put_item(Item=customer_item(same))
    table(dynamo).put_item(Item={**customer_item(different), "VIP": "false"})
    table(dynamo).put_item(Item={"PhoneNumber": EXTRA, "FirstName": "Gone", "VIP": "false"})
    return dynamo


def test_check_names_missing_different_and_extra_items(drifted: ServiceResource) -> None:
    out = StringIO()

    with pytest.raises(CommandError, match="differs from the database"):
        call_command("sync_dynamodb", "--check", "--kind", "customers", stdout=out)

    assert out.getvalue().splitlines() == [
        "customers: missing 1, different 1, extra 1",
        f"  missing: {MISSING}",
        f"  different: {DIFFERENT}",
        f"  extra: {EXTRA}",
    ]


def test_push_repairs_the_drift(drifted: ServiceResource) -> None:
    assert sync("--push", "--kind", "customers") == "customers: put 3, deleted 1\n"

    assert stored_item(drifted, "customers", EXTRA) is None
    assert stored_item(drifted, "customers", DIFFERENT)["VIP"] == "true"
    assert stored_item(drifted, "customers", MISSING) is not None


def test_check_is_clean_after_a_push(drifted: ServiceResource) -> None:
    sync("--push", "--kind", "customers")

    assert sync("--check", "--kind", "customers") == (
        "customers: missing 0, different 0, extra 0\n"
    )


def test_push_marks_pending_records_synced(drifted: ServiceResource) -> None:
    assert SyncRecord.objects.filter(status=SyncRecord.Status.PENDING).count() == 3

    sync("--push", "--kind", "customers")

    assert not SyncRecord.objects.filter(status=SyncRecord.Status.PENDING).exists()


SEED_CUSTOMERS = [
    {"PhoneNumber": "+12025550100", "FirstName": "Casey", "LastName": "Jones", "VIP": "true"},
    {
        "PhoneNumber": "+13055550142",
        "FirstName": "María",
        "LastName": "García",
        "VIP": "false",
        "AccountId": "A-1042",
    },
]


@pytest.fixture
def seed_customers(dynamo: ServiceResource) -> ServiceResource:
    """The customer table of a seed deployment: VIP as "true"/"false" strings."""
    for seed_item in SEED_CUSTOMERS:
        table(dynamo).put_item(Item=seed_item)
    return dynamo


def test_pull_creates_customers_from_a_seed_table(seed_customers: ServiceResource) -> None:
    assert sync("--pull", "--kind", "customers") == "customers: pulled 2 items\n"

    casey = Customer.objects.get(phone_number="+12025550100")
    maria = Customer.objects.get(phone_number="+13055550142")
    assert (casey.first_name, casey.last_name, casey.vip, casey.extra) == (
        "Casey",
        "Jones",
        True,
        {},
    )
    assert (maria.first_name, maria.vip, maria.extra) == ("María", False, {"AccountId": "A-1042"})


def test_pull_leaves_nothing_pending(seed_customers: ServiceResource) -> None:
    sync("--pull", "--kind", "customers")

    assert not SyncRecord.objects.exists()


def test_pulled_customers_match_the_table_they_came_from(seed_customers: ServiceResource) -> None:
    sync("--pull", "--kind", "customers")

    assert sync("--check", "--kind", "customers").startswith(
        "customers: missing 0, different 0, extra 0"
    )


def test_retry_reports_what_it_pushed(dynamo: ServiceResource) -> None:
    make_customer(SAME)

    assert sync("--retry") == "pushed 1, deleted 0, still pending 0\n"
    assert stored_item(dynamo, "customers", SAME) is not None


def test_create_tables_makes_the_missing_ones(dynamo: ServiceResource) -> None:
    table(dynamo).delete()

    assert sync("--create-tables") == f"created: {settings.CUSTOMER_DATA_TABLE_NAME}\n"
    assert dynamodb.items_write("customers", puts=[{"PhoneNumber": SAME}]) == 1


def test_commands_report_an_unreachable_dynamodb_as_a_command_error(db: None) -> None:
    with pytest.raises(CommandError, match="could not be reached"):
        sync("--check")
