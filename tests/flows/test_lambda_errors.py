"""A failing Lambda never strands the caller: the error branches keep them moving."""

from __future__ import annotations

from collections.abc import Callable

from connect import handlers
from flows.simulator import CallResult
from tests.flows.conftest import prompt

Dial = Callable[..., CallResult]
PLAIN_MENU = "For sales, press 1. For accounts, press 2. For support, press 3."


def broken(event: dict, context: object) -> dict:
    raise RuntimeError("DynamoDB is down")


WITHOUT_PROMPTS = {"get_prompts": broken, "lookup_customer": handlers.lookup_customer}
WITHOUT_LOOKUP = {"get_prompts": handlers.get_prompts, "lookup_customer": broken}


def test_without_prompts_the_main_menu_is_read_in_plain_english(call: Dial) -> None:
    assert PLAIN_MENU in call("1", lambdas=WITHOUT_PROMPTS).spoken


def test_without_prompts_a_department_sends_the_caller_to_its_first_queue(call: Dial) -> None:
    # No language menu either: the first key already answers the plain main menu.
    result = call("2", lambdas=WITHOUT_PROMPTS)

    assert (result.queue, result.ended) == ("Account-Balance", "queued")


def test_without_prompts_a_caller_who_presses_nothing_reaches_support(call: Dial) -> None:
    result = call(lambdas=WITHOUT_PROMPTS)

    assert (result.queue, result.ended) == ("Support-Product", "queued")


def test_without_prompts_the_recording_disclosure_is_still_read(call: Dial) -> None:
    result = call("3", lambdas=WITHOUT_PROMPTS)

    assert result.recording is True
    assert "This call may be recorded for quality and training." in result.spoken


def test_without_the_caller_lookup_the_menus_carry_on(call: Dial) -> None:
    result = call("1", "3", "2", lambdas=WITHOUT_LOOKUP)

    assert (result.queue, result.ended) == ("Support-Mobile", "queued")
    assert prompt("Main", "MainMenu") in result.spoken


def test_without_the_caller_lookup_nobody_gets_vip_priority(call: Dial) -> None:
    result = call("1", "3", "2", lambdas=WITHOUT_LOOKUP)

    assert result.priority is None
    assert "VIP" not in result.attributes


def test_without_prompts_a_queued_caller_can_still_take_a_callback(call: Dial) -> None:
    result = call("3", "1", lambdas=WITHOUT_PROMPTS)

    assert (result.callback, result.ended) == (True, "disconnected")
    assert result.spoken[-1] == "We will call you back at this number. Goodbye."
