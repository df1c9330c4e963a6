"""lookup_customer: what the customer table knows about the caller, for routing VIPs first."""

from __future__ import annotations

import json

import pytest

from connect.handlers import lookup_customer
from connect.items import MAX_ANSWER_BYTES, Customer, answer_bytes
from tests.connect.conftest import Tables, load_event

NOT_FOUND = {
    "operation": "lookupCustomer",
    "CustomerFound": "false",
    "FirstName": "",
    "LastName": "",
    "VIP": "false",
}


def test_it_finds_a_vip_caller(seeded: Tables) -> None:
    answer = lookup_customer(load_event("contact_flow_event"), None)

    assert answer == {
        "operation": "lookupCustomer",
        "CustomerFound": "true",
        "FirstName": "Casey",
        "LastName": "Jones",
        "VIP": "true",
    }


def test_it_finds_a_caller_who_is_not_a_vip(seeded: Tables) -> None:
    answer = lookup_customer(load_event("spanish_contact"), None)

    assert (answer["CustomerFound"], answer["FirstName"], answer["VIP"]) == (
        "true",
        "María",
        "false",
    )


def test_an_unknown_caller_is_not_found(seeded: Tables) -> None:
    assert lookup_customer(load_event("unknown_caller"), None) == NOT_FOUND


def test_a_contact_without_a_customer_endpoint_is_not_found(seeded: Tables) -> None:
    assert lookup_customer(load_event("api_contact_without_endpoint"), None) == NOT_FOUND


def test_an_event_without_details_is_not_found(seeded: Tables) -> None:
    assert lookup_customer({"Name": "ContactFlowEvent"}, None) == NOT_FOUND


def test_extra_attributes_reach_the_flow(tables: Tables) -> None:
    tables.put_customer(Customer("+12025550100", "Casey", "Jones", extra={"Segment": "gold"}))

    assert lookup_customer(load_event("contact_flow_event"), None)["Segment"] == "gold"


def test_an_extra_attribute_cannot_replace_an_answer_key(tables: Tables) -> None:
    tables.customers.put_item(Item={"PhoneNumber": "+12025550100", "CustomerFound": "maybe"})

    assert lookup_customer(load_event("contact_flow_event"), None)["CustomerFound"] == "true"


def test_a_boolean_vip_written_by_older_tools_counts(tables: Tables) -> None:
    tables.customers.put_item(Item={"PhoneNumber": "+12025550100", "VIP": True})

    assert lookup_customer(load_event("contact_flow_event"), None)["VIP"] == "true"


def test_numbers_in_the_item_reach_the_flow_as_strings(tables: Tables) -> None:
    tables.customers.put_item(Item={"PhoneNumber": "+12025550100", "Visits": 3})

    assert lookup_customer(load_event("contact_flow_event"), None)["Visits"] == "3"


# As long as DynamoDB's 400 KB item allows: an emoji is four bytes in the item.
@pytest.mark.parametrize(
    ("letter", "length"),
    [("x", 100_000), ("ñ", 95_000), ("😀", 45_000)],
    ids=["ascii", "accented", "emoji"],
)
def test_a_caller_with_huge_names_keeps_every_answer_key_within_the_limit(
    tables: Tables, letter: str, length: int
) -> None:
    tables.put_customer(Customer("+12025550100", letter * length, letter * length, vip=True))

    answer = lookup_customer(load_event("contact_flow_event"), None)

    assert answer_bytes(answer) <= MAX_ANSWER_BYTES
    assert len(json.dumps(answer).encode("utf-8")) <= MAX_ANSWER_BYTES
    assert (answer["operation"], answer["CustomerFound"], answer["VIP"]) == (
        "lookupCustomer",
        "true",
        "true",
    )
    assert answer["FirstName"] and answer["LastName"]
    assert abs(len(answer["FirstName"]) - len(answer["LastName"])) <= 1


def test_huge_extra_attributes_give_way_to_the_answer_keys(tables: Tables) -> None:
    extra = {f"Note{i}": "n" * 5_000 for i in range(10)}
    tables.put_customer(Customer("+12025550100", "Casey", "Jones", vip=True, extra=extra))

    answer = lookup_customer(load_event("contact_flow_event"), None)

    assert answer_bytes(answer) <= MAX_ANSWER_BYTES
    assert (answer["FirstName"], answer["LastName"], answer["VIP"]) == ("Casey", "Jones", "true")
    assert 0 < sum(key.startswith("Note") for key in answer) < 10
