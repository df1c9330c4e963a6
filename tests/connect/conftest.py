"""DynamoDB through moto, in process: both tables, created from the shared item format.

Each test starts from a cold container (settings, resource and caches forgotten), so nothing a
test remembers leaks into the next one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from connect import dynamo, handlers
from connect.items import (
    CUSTOMERS_KEY,
    DEFAULT_CUSTOMER_TABLE,
    DEFAULT_PROMPT_TABLE,
    PROMPTS_KEY,
    Customer,
    FlowPrompts,
    customer_encode,
    prompts_encode,
    table_definition,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "connect"

MAIN = FlowPrompts(
    flow="Main",
    prompts={
        "Welcome": {"en-US": "Welcome to JAM.", "es-US": "Bienvenido a JAM."},
        "Menu": {"en-US": "For sales, press 1.", "es-US": "Para ventas, oprima 1."},
        "Goodbye": {"en-US": "Thank you for calling."},
    },
)
CASEY = Customer("+12025550100", first_name="Casey", last_name="Jones", vip=True)
MARIA = Customer("+13055550142", first_name="María", last_name="García", vip=False)


def load_event(name: str) -> dict:
    """A recorded ContactFlowEvent from tests/fixtures/connect/."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def make_event(**parameters: str) -> dict:
    """The recorded full event, with the flow block's parameters replaced."""
    event = load_event("contact_flow_event")
    event["Details"]["Parameters"] = parameters
    return event


@dataclass
class Tables:
    prompts: Any
    customers: Any

    def put_flow(self, flow: FlowPrompts) -> None:
        self.prompts.put_item(Item=prompts_encode(flow))

    def put_customer(self, customer: Customer) -> None:
        self.customers.put_item(Item=customer_encode(customer))


@pytest.fixture
def cold_start(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fake AWS credentials and the default settings, read afresh."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    for name in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "DYNAMODB_ENDPOINT_URL",
        "PROMPT_TABLE_NAME",
        "CUSTOMER_DATA_TABLE_NAME",
        "PROMPT_CACHE_TTL",
        "CUSTOMER_CACHE_TTL",
    ):
        monkeypatch.delenv(name, raising=False)
    handlers.reset()
    yield
    handlers.reset()


@pytest.fixture
def tables(cold_start: None) -> Iterator[Tables]:
    """Both tables, empty, in moto's in-process DynamoDB."""
    with mock_aws():
        # Made through the Lambdas' own resource: building a second one costs ~0.1 s a test.
        client = dynamo.resource().meta.client
        client.create_table(**table_definition(DEFAULT_PROMPT_TABLE, PROMPTS_KEY))
        client.create_table(**table_definition(DEFAULT_CUSTOMER_TABLE, CUSTOMERS_KEY))
        yield Tables(dynamo.table(DEFAULT_PROMPT_TABLE), dynamo.table(DEFAULT_CUSTOMER_TABLE))


@pytest.fixture
def seeded(tables: Tables) -> Tables:
    """The Main flow's prompts and two known callers, Casey (VIP) and María."""
    tables.put_flow(MAIN)
    tables.put_customer(CASEY)
    tables.put_customer(MARIA)
    return tables


@pytest.fixture
def get_items(tables: Tables) -> Callable[[], int]:
    """How many GetItem requests the Lambdas' own DynamoDB client has sent so far."""
    sent: list[str] = []
    # First in line: moto answers at before-send, and the first answer ends the event.
    dynamo.resource().meta.client.meta.events.register_first(
        "before-send.dynamodb.GetItem", lambda **_: sent.append("GetItem")
    )
    return lambda: len(sent)
