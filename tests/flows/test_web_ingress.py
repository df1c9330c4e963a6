"""The website's call: straight to the queue the customer chose, no menus."""

from __future__ import annotations

import pytest

from connect import handlers
from flows.simulator import CallResult, FlowSet, simulate
from support.models import Queue
from tests.flows.conftest import QUEUE_KEYS, REGULAR, SPANISH, prompt, web_attributes

MENUS = [
    prompt("IntroInbound", "LanguageMenu"),
    prompt("Main", "MainMenu"),
    prompt("Sales", "SalesMenu"),
    prompt("Account", "AccountMenu"),
    prompt("Support", "SupportMenu"),
]


def web_call(
    flows: FlowSet,
    queue_names: dict[str, str],
    queue: str,
    *inputs: str | None,
    lambdas: dict | None = None,
    **attributes: object,
) -> CallResult:
    chosen = Queue.objects.get(connect_name=queue)
    return simulate(
        flows,
        "WebIngress",
        caller=REGULAR,
        inputs=list(inputs),
        attributes=web_attributes(chosen, **attributes),
        queue_names=queue_names,
        lambdas=lambdas,
    )


@pytest.mark.parametrize("queue", QUEUE_KEYS)
@pytest.mark.parametrize("verified", [True, False], ids=["verified", "not-verified"])
def test_the_call_goes_straight_to_the_chosen_queue(
    ivr: None, flows: FlowSet, queue_names: dict[str, str], queue: str, verified: bool
) -> None:
    result = web_call(flows, queue_names, queue, verified=verified)

    assert (result.queue, result.ended) == (queue, "queued")
    assert (prompt("WebIngress", "Verified") in result.spoken) is verified
    assert not set(MENUS) & set(result.spoken)


def test_the_call_passes_through_recording_into_the_queue_flow(
    ivr: None, flows: FlowSet, queue_names: dict[str, str]
) -> None:
    result = web_call(flows, queue_names, "Support-Mobile")

    assert result.flows == ["WebIngress", "SetRecording", "MainQueue"]


def test_the_greeting_names_the_customer(
    ivr: None, flows: FlowSet, queue_names: dict[str, str]
) -> None:
    result = web_call(flows, queue_names, "Support-Mobile", name="Robin Smith")

    assert result.spoken[:2] == ["Robin Smith,", prompt("WebIngress", "Greeting")]


def test_a_spanish_request_is_answered_in_spanish(
    ivr: None, flows: FlowSet, queue_names: dict[str, str]
) -> None:
    result = web_call(flows, queue_names, "Account-Open", language=SPANISH)

    assert result.language == SPANISH
    assert prompt("WebIngress", "Connecting", SPANISH) in result.spoken


def test_an_emea_web_caller_is_asked_for_recording_consent(
    ivr: None, flows: FlowSet, queue_names: dict[str, str]
) -> None:
    result = web_call(flows, queue_names, "Sales-EMEA", "1")

    assert (result.recording, result.attributes["recordingConsent"]) == (True, "opt-in")


def test_a_web_caller_can_take_the_callback_offer_while_queued(
    ivr: None, flows: FlowSet, queue_names: dict[str, str]
) -> None:
    result = web_call(flows, queue_names, "Support-Website", "1")

    assert (result.callback, result.ended) == (True, "disconnected")


def test_an_unknown_queue_id_falls_back_to_product_support(
    ivr: None, flows: FlowSet, queue_names: dict[str, str]
) -> None:
    attributes = {"queueId": "no-such-queue", "languageCode": "en-US", "verified": "false"}

    result = simulate(flows, "WebIngress", caller=REGULAR, inputs=[], attributes=attributes)

    assert (result.queue, result.ended) == ("Support-Product", "queued")


def test_without_prompts_an_emea_caller_is_asked_for_consent_in_plain_english(
    ivr: None, flows: FlowSet, queue_names: dict[str, str]
) -> None:
    def broken(event: dict, context: object) -> dict:
        raise RuntimeError("DynamoDB is down")

    lambdas = {"get_prompts": broken, "lookup_customer": handlers.lookup_customer}

    result = web_call(flows, queue_names, "Sales-EMEA", "1", lambdas=lambdas)

    assert result.spoken[0].startswith("We would like to record this call")
    assert (result.recording, result.attributes["recordingConsent"]) == (True, "opt-in")
