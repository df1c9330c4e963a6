"""The caller-records admin as a customer-data editor uses it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from boto3.resources.base import ServiceResource
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from customers.models import Customer
from outbox.dynamodb import MESSAGE_UNAVAILABLE
from tests.customers.conftest import dynamodb_unreachable, make_customer, stored_item

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/customers/customer/"
PROMPT_PAGES = [
    "/admin/prompts/contactflow/",
    "/admin/prompts/prompt/",
    "/admin/prompts/announcement/",
]


@pytest.mark.parametrize("url", [CHANGELIST, f"{CHANGELIST}add/", f"{CHANGELIST}import/"])
def test_a_customer_data_editor_can_open_the_customer_pages(
    customer_editor_client: Client, url: str
) -> None:
    assert customer_editor_client.get(url).status_code == 200


@pytest.mark.parametrize("url", PROMPT_PAGES)
def test_a_customer_data_editor_is_refused_the_prompt_pages(
    customer_editor_client: Client, url: str
) -> None:
    assert customer_editor_client.get(url).status_code == 403


def test_a_customer_data_editor_sees_only_caller_records_on_the_admin_index(
    customer_editor_client: Client,
) -> None:
    page = customer_editor_client.get("/admin/").content.decode()

    assert 'href="/admin/customers/customer/"' in page
    assert "/admin/prompts/" not in page
    assert "/admin/customers/syncrecord/" not in page


def test_the_list_shows_a_failed_push_as_pending_with_its_error(
    customer_editor_client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    with dynamodb_unreachable(), django_capture_on_commit_callbacks(execute=True):
        make_customer("+12025550177")

    page = customer_editor_client.get(CHANGELIST).content.decode()

    assert f"pending: {MESSAGE_UNAVAILABLE}" in page


def test_the_list_shows_a_pushed_customer_as_synced(
    dynamo: ServiceResource,
    customer_editor_client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_customer("+12025550177")

    page = customer_editor_client.get(CHANGELIST).content.decode()

    assert '<td class="field-dynamodb">synced</td>' in page


@pytest.mark.parametrize(
    "term", ["Stone", "0177", "+12025550177", "(202) 555-0177", "202 555 0177"]
)
def test_searching_by_name_or_number_finds_the_customer(
    customer_editor_client: Client, term: str
) -> None:
    make_customer("+12025550177", last_name="Stone")
    make_customer("+12025550188", first_name="Robin", last_name="Smith")

    shown = customer_editor_client.get(CHANGELIST, {"q": term}).context["cl"].result_list

    assert [str(c.phone_number) for c in shown] == ["+12025550177"]


def test_the_vip_filter_lists_only_vips(customer_editor_client: Client) -> None:
    make_customer("+12025550177", vip=True)
    make_customer("+12025550188", vip=False)

    shown = customer_editor_client.get(CHANGELIST, {"vip__exact": "1"}).context["cl"].result_list

    assert [str(c.phone_number) for c in shown] == ["+12025550177"]


def test_the_history_page_shows_what_changed(customer_editor_client: Client) -> None:
    customer = make_customer("+12025550177", first_name="Avery")
    customer.first_name = "Ava"
    customer.save()

    page = customer_editor_client.get(f"{CHANGELIST}{customer.pk}/history/").content.decode()

    assert "Avery" in page
    assert "&rarr;&nbsp;&nbsp;Ava" in page


def test_adding_a_customer_in_the_admin_pushes_it(
    dynamo: ServiceResource,
    customer_editor_client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = customer_editor_client.post(
            f"{CHANGELIST}add/",
            {
                "phone_number": "+1 202 555 0177",
                "first_name": "Avery",
                "last_name": "Stone",
                "vip": "on",
                "extra": "{}",
            },
        )

    assert response.status_code == 302
    assert stored_item(dynamo, "customers", "+12025550177")["VIP"] == "true"


def test_the_bulk_delete_action_deletes_the_items(
    dynamo: ServiceResource,
    customer_editor_client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        doomed = [make_customer("+12025550177"), make_customer("+12025550178")]
        kept = make_customer("+12025550179")

    with django_capture_on_commit_callbacks(execute=True):
        response = customer_editor_client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                "_selected_action": [c.pk for c in doomed],
                "post": "yes",
            },
        )

    assert response.status_code == 302
    assert list(Customer.objects.all()) == [kept]
    assert stored_item(dynamo, "customers", "+12025550177") is None
    assert stored_item(dynamo, "customers", "+12025550178") is None
    assert stored_item(dynamo, "customers", "+12025550179") is not None


def test_reverting_in_the_admin_pushes_the_earlier_version(
    dynamo: ServiceResource,
    customer_editor_client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        customer = make_customer("+12025550177", vip=False)
        customer.vip = True
        customer.save()
    earliest = customer.history.earliest()

    with django_capture_on_commit_callbacks(execute=True):
        response = customer_editor_client.post(
            reverse("admin:customers_customer_simple_history", args=[customer.pk, earliest.pk]),
            revert_form(earliest.instance),
        )

    assert response.status_code == 302
    assert stored_item(dynamo, "customers", "+12025550177")["VIP"] == "false"


def revert_form(customer: Customer) -> dict[str, str]:
    """What the revert page posts: the old version's values, as the form shows them."""
    data = {
        "phone_number": str(customer.phone_number),
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "extra": "{}",
    }
    if customer.vip:
        data["vip"] = "on"
    return data


@pytest.mark.django_db(transaction=True)
def test_reverting_an_earlier_number_in_the_admin_deletes_the_later_numbers_item(
    dynamo: ServiceResource, customer_data_editor: AbstractBaseUser, client: Client
) -> None:
    """The revert view saves without a transaction of its own (unlike the change form), so
    each outbox mark is pushed the moment it is made."""
    client.force_login(customer_data_editor)
    customer = make_customer("+12025550177")
    customer.phone_number = "+12025550178"
    customer.save()
    earliest = customer.history.earliest()

    client.post(
        reverse("admin:customers_customer_simple_history", args=[customer.pk, earliest.pk]),
        revert_form(earliest.instance),
    )

    assert stored_item(dynamo, "customers", "+12025550177") is not None
    assert stored_item(dynamo, "customers", "+12025550178") is None
