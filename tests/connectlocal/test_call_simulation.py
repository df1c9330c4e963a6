"""In the embedded default, the stand-in plays each call through the WebIngress flow."""

from __future__ import annotations

import pytest
from boto3.resources.base import ServiceResource
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from connectlocal.models import Contact
from outbox.sync import sync_push_all
from support.models import Queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def ivr_data(dynamo: ServiceResource, catalog: list[Queue]) -> None:
    """The demo prompts and callers in (moto's) DynamoDB, as `make run` leaves them."""
    sync_push_all("prompts")
    sync_push_all("customers")


def _start_call(client: Client, queue: str = "Support-Website", phone: str = "+12025550143") -> str:
    response = client.post("/support/call/", {"queue": queue, "phone": phone})
    assert response.status_code == 302, response.content
    return response["Location"]


def test_a_call_from_the_site_is_played_through_web_ingress_into_its_queue(
    ivr_data: None, customer_client: Client
) -> None:
    _start_call(customer_client)

    simulation = Contact.objects.get().simulation
    assert simulation["flows"][0] == "WebIngress"
    assert simulation["queue"] == "Support-Website"
    assert simulation["ended"] == "queued"
    assert "Connecting you to the team you chose." in simulation["spoken"]


def test_the_status_page_shows_what_the_customer_would_hear(
    ivr_data: None, customer_client: Client
) -> None:
    page = customer_client.get(_start_call(customer_client)).content.decode()

    assert "What you would hear (demo)" in page
    assert "Connecting you to the team you chose." in page
    assert "Then you wait in the Support-Website queue." in page


def test_a_spanish_speaking_customer_hears_the_spanish_prompts(
    ivr_data: None, customer_client: Client
) -> None:
    customer_client.cookies["django_language"] = "es"

    _start_call(customer_client)

    simulation = Contact.objects.get().simulation
    assert simulation["language"] == "es-US"
    assert "Le estamos comunicando con el equipo que eligió." in simulation["spoken"]


def test_a_verified_number_hears_that_it_is_verified(
    ivr_data: None, customer_client: Client, customer: AbstractBaseUser
) -> None:
    _start_call(customer_client, phone=customer.profile.phone_number)

    spoken = Contact.objects.get().simulation["spoken"]
    assert "You signed in on our website, so you are already verified." in spoken


def test_without_dynamodb_the_call_still_reaches_its_queue_on_the_flows_error_path(
    catalog: list[Queue], customer_client: Client
) -> None:
    # Outside the `dynamo` fixture DynamoDB is unreachable: get_prompts fails.
    _start_call(customer_client)

    simulation = Contact.objects.get().simulation
    assert simulation["ended"] == "queued"
    assert simulation["queue"] == "Support-Website"
