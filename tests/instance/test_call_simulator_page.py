"""The admin's call simulator: editors play a call through the flows with today's prompts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from boto3.resources.base import ServiceResource
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse
from django.test import Client

from instance.simulation import DEMO_CALLER, MESSAGE_CALLER_RECORDS_HIDDEN
from outbox.sync import sync_push_all
from prompts.models import Prompt
from support.models import Profile, Queue

pytestmark = pytest.mark.django_db

PAGE = "/admin/simulator/"


@pytest.fixture
def ivr_data(dynamo: ServiceResource, catalog: list[Queue]) -> None:
    sync_push_all("prompts")
    sync_push_all("customers")


def test_a_prompt_editor_plays_an_inbound_call_to_a_queue(
    ivr_data: None, prompt_editor_client: Client
) -> None:
    response = prompt_editor_client.get(
        PAGE, {"flow": "IntroInbound", "caller": "+12025550101", "inputs": "1,3,2"}
    )

    assert response.status_code == 200
    result = response.context["result"]
    assert (result["queue"], result["ended"]) == ("Support-Mobile", "queued")
    assert "Thank you for calling JAM Contact Center." in response.content.decode()


def test_a_saved_spanish_prompt_is_what_the_simulated_caller_hears(
    dynamo: ServiceResource,
    catalog: list[Queue],
    prompt_editor_client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    sync_push_all("prompts")
    menu = Prompt.objects.get(flow__name="Main", prompt_id="MainMenu")
    with django_capture_on_commit_callbacks(execute=True):
        menu.texts = {**menu.texts, "es-US": "Ventas: 1. Cuentas: 2. Soporte: 3."}
        menu.save()

    response = prompt_editor_client.get(
        PAGE, {"flow": "IntroInbound", "caller": "+12025550101", "inputs": "2,1,1"}
    )

    assert response.context["result"]["language"] == "es-US"
    assert "Ventas: 1. Cuentas: 2. Soporte: 3." in response.context["result"]["spoken"]


def test_the_website_call_option_runs_web_ingress_for_the_queue(
    ivr_data: None, prompt_editor_client: Client
) -> None:
    response = prompt_editor_client.get(
        PAGE, {"flow": "Main", "caller": "+12025550143", "queue": "Sales-EMEA", "verified": "on"}
    )

    result = response.context["result"]
    assert result["flows"][0] == "WebIngress"
    assert result["queue"] == "Sales-EMEA"
    assert "You signed in on our website, so you are already verified." in result["spoken"]


def test_a_caller_number_that_is_not_e164_is_refused_with_a_message(
    ivr_data: None, prompt_editor_client: Client
) -> None:
    response = prompt_editor_client.get(PAGE, {"flow": "Main", "caller": "202-555"})

    assert response.context["result"] is None
    assert "Enter the number in E.164" in response.content.decode()


def test_a_customer_data_editor_cannot_use_the_simulator(customer_editor_client: Client) -> None:
    response = customer_editor_client.get(PAGE)

    assert response.status_code == 403


def test_the_flows_list_links_to_the_simulator(
    catalog: list[Queue], prompt_editor_client: Client
) -> None:
    response = prompt_editor_client.get("/admin/prompts/contactflow/")

    assert PAGE in response.content.decode()


def test_the_prompt_list_says_which_flow_speaks_each_prompt(
    catalog: list[Queue], prompt_editor_client: Client
) -> None:
    response = prompt_editor_client.get(
        "/admin/prompts/prompt/",
        {
            "flow__id__exact": Prompt.objects.get(
                flow__name="Survey", prompt_id="Statement1"
            ).flow_id
        },
    )

    assert response.status_code == 200
    assert "not spoken by any flow" not in response.content.decode()


def test_a_prompt_no_flow_speaks_is_flagged_and_filtered(
    catalog: list[Queue], prompt_editor_client: Client
) -> None:
    main = Prompt.objects.get(flow__name="Main", prompt_id="MainMenu").flow
    Prompt.objects.create(flow=main, prompt_id="Leftover", texts={"en-US": "Old text."})

    unused = prompt_editor_client.get("/admin/prompts/prompt/", {"spoken": "no"})

    rows = [p.prompt_id for p in unused.context["cl"].result_list]
    assert rows == ["Leftover"]
    assert "not spoken by any flow" in unused.content.decode()


# --- Caller records in the simulator --------------------------------------------------------
# The demo data's VIP, Casey Jones, is a real row in the customer table.
CASEY = {"flow": "IntroInbound", "caller": "+12025550100"}


def attributes_shown(response: HttpResponse) -> str:
    return " ".join(f"{k}={v}" for k, v in response.context["result"]["attributes"].items())


def test_a_prompt_editor_does_not_see_another_callers_record(
    ivr_data: None, prompt_editor_client: Client
) -> None:
    response = prompt_editor_client.get(PAGE, CASEY)

    page = response.content.decode()
    assert "FirstName= LastName= VIP=false" in attributes_shown(response)
    for shown in ("Casey", "Jones", "VIP=true"):
        assert shown not in page
    assert MESSAGE_CALLER_RECORDS_HIDDEN in page


def test_an_editor_who_may_view_caller_records_sees_the_callers_record(
    ivr_data: None, client: Client, both_editor: AbstractBaseUser
) -> None:
    client.force_login(both_editor)

    response = client.get(PAGE, CASEY)

    assert "FirstName=Casey LastName=Jones VIP=true" in attributes_shown(response)
    assert MESSAGE_CALLER_RECORDS_HIDDEN not in response.content.decode()


def test_a_prompt_editor_sees_the_record_of_their_own_verified_number(
    ivr_data: None, prompt_editor: AbstractBaseUser, prompt_editor_client: Client
) -> None:
    Profile.objects.create(user=prompt_editor, phone_number="+12025550100", phone_verified=True)

    response = prompt_editor_client.get(PAGE, CASEY)

    assert "FirstName=Casey LastName=Jones VIP=true" in attributes_shown(response)


def test_an_unverified_number_of_their_own_stays_hidden_from_a_prompt_editor(
    ivr_data: None, prompt_editor: AbstractBaseUser, prompt_editor_client: Client
) -> None:
    Profile.objects.create(user=prompt_editor, phone_number="+12025550100", phone_verified=False)

    response = prompt_editor_client.get(PAGE, CASEY)

    assert "Casey" not in response.content.decode()


def test_a_prompt_editor_plays_the_vip_path_with_the_demo_caller(
    ivr_data: None, prompt_editor_client: Client
) -> None:
    response = prompt_editor_client.get(
        PAGE, {"flow": "IntroInbound", "caller": DEMO_CALLER.phone_number}
    )

    assert "FirstName=Demo LastName=Caller VIP=true" in attributes_shown(response)


def test_an_unknown_caller_plays_the_same_whether_records_are_hidden_or_not(
    ivr_data: None, client: Client, prompt_editor: AbstractBaseUser, both_editor: AbstractBaseUser
) -> None:
    unknown = {"flow": "IntroInbound", "caller": "+12025550143", "inputs": "1,3,2"}
    results = []
    for user in (prompt_editor, both_editor):
        client.force_login(user)
        results.append(client.get(PAGE, unknown).context["result"])

    hidden, shown = ({k: v for k, v in r.items() if k != "transcript"} for r in results)
    assert hidden == shown


def test_the_form_suggests_the_demo_caller_to_a_prompt_editor(
    prompt_editor_client: Client,
) -> None:
    form = prompt_editor_client.get(PAGE).context["form"]

    assert form["caller"].value() == DEMO_CALLER.phone_number
