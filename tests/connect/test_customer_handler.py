"""lookup_customer: what the customer table knows about the caller, for routing VIPs first."""

from __future__ import annotations

from connect.handlers import lookup_customer
from connect.items import Customer
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
