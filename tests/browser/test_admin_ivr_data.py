"""Business users edit IVR data in the admin, and the flows' Lambdas read it from DynamoDB.

DynamoDB is moto's server on a free loopback port, so the live server's thread (which pushes
after commit) and the Lambda handlers (which read with their own client) share one database.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from connect import handlers
from deploy.motoserver import moto_server as start_moto_server
from outbox import dynamodb
from prompts.models import Prompt
from tests.conftest import PASSWORD
from tests.customers.conftest import CUSTOMER_DATA_EDITORS, PROMPT_EDITORS, make_editor
from tests.prompts.conftest import make_flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENT = Path(__file__).resolve().parent.parent / "fixtures" / "connect" / "contact_flow_event.json"
SERVER_START_SECONDS = 30


@pytest.fixture
def shared_dynamodb(
    moto_server: str, settings: object, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Django and the Lambda handlers both on the server, with both tables new and empty."""
    settings.DYNAMODB_ENDPOINT_URL = moto_server
    for name, value in {
        "DYNAMODB_ENDPOINT_URL": moto_server,
        "PROMPT_TABLE_NAME": settings.PROMPT_TABLE_NAME,
        "CUSTOMER_DATA_TABLE_NAME": settings.CUSTOMER_DATA_TABLE_NAME,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": settings.AWS_REGION,
    }.items():
        monkeypatch.setenv(name, value)
    dynamodb.reset()
    client = dynamodb.resource().meta.client
    for name in client.list_tables()["TableNames"]:
        client.delete_table(TableName=name)
    dynamodb.tables_ensure()
    handlers.reset()
    yield moto_server
    handlers.reset()
    dynamodb.reset()


def connect_event(*, caller: str = "+12025550100", **parameters: str) -> dict:
    """The recorded ContactFlowEvent, from ``caller``, with the flow block's parameters."""
    event = copy.deepcopy(json.loads(EVENT.read_text()))
    event["Details"]["ContactData"]["CustomerEndpoint"]["Address"] = caller
    event["Details"]["Parameters"] = parameters
    return event


def sign_in_to_the_admin(page: Page, email: str) -> None:
    page.goto("/admin/")
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_a_vip_added_in_the_admin_is_a_vip_to_the_lookup_lambda(
    page: Page, shared_dynamodb: str
) -> None:
    make_editor("cody@example.com", CUSTOMER_DATA_EDITORS)
    sign_in_to_the_admin(page, "cody@example.com")

    page.get_by_role("link", name="Customers").click()
    page.get_by_role("link", name="Add customer").click()
    page.get_by_label("Phone number").fill("+1 202 555 0177")
    page.get_by_label("First name").fill("Avery")
    page.get_by_label("Last name").fill("Stone")
    page.get_by_label("VIP").check()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator("td.field-dynamodb")).to_have_text("synced")
    answer = handlers.lookup_customer(connect_event(caller="+12025550177"))
    assert answer["CustomerFound"] == "true"
    assert (answer["FirstName"], answer["VIP"]) == ("Avery", "true")


def test_a_spanish_prompt_changed_in_the_admin_is_what_the_prompts_lambda_says(
    page: Page, shared_dynamodb: str
) -> None:
    # Saved outside a transaction, so each save is pushed at once, as in production.
    make_flow("Main", Welcome={"en-US": "Welcome.", "es-US": "Bienvenido."})
    before = handlers.get_prompts(connect_event(contactFlowName="Main", languageCode="es-US"))
    assert before["Welcome"] == "<speak>Bienvenido.</speak>"
    make_editor("pat@example.com", PROMPT_EDITORS)
    sign_in_to_the_admin(page, "pat@example.com")

    page.goto(f"/admin/prompts/prompt/{Prompt.objects.get().pk}/change/")
    page.get_by_label("Text (es-US)").fill("¡Bienvenidos a JAM!")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    handlers.reset()  # a new container: the cached answer above is forgotten
    after = handlers.get_prompts(connect_event(contactFlowName="Main", languageCode="es-US"))
    assert (after["promptsFound"], after["Welcome"]) == (
        "true",
        "<speak>¡Bienvenidos a JAM!</speak>",
    )
    english = handlers.get_prompts(connect_event(contactFlowName="Main", languageCode="en-US"))
    assert english["Welcome"] == "<speak>Welcome.</speak>"


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    """moto's DynamoDB-compatible server, for the tests of this module."""
    with start_moto_server() as url:
        yield url
