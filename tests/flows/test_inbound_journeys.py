"""A caller dials in and finds their way through the menus to a queue, or is let go."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from flows.simulator import CallResult
from outbox.sync import sync_push_all
from prompts.models import Prompt
from tests.flows.conftest import QUEUE_KEYS, REGULAR, SPANISH, VIP, prompt

Dial = Callable[..., CallResult]


@pytest.mark.parametrize(("queue", "keys"), QUEUE_KEYS.items())
def test_each_queue_is_reached_by_its_keys(call: Dial, queue: str, keys: list[str]) -> None:
    result = call(*keys)

    assert (result.queue, result.ended) == (queue, "queued")


def test_a_queued_caller_has_passed_through_the_recording_module_and_into_the_queue_flow(
    call: Dial,
) -> None:
    result = call("1", "3", "2")

    assert result.flows == ["IntroInbound", "Main", "Support", "SetRecording", "MainQueue"]


def test_pressing_2_at_the_language_menu_makes_the_rest_of_the_call_spanish(call: Dial) -> None:
    result = call("2", "3", "1")

    assert result.language == SPANISH
    assert prompt("Main", "MainMenu", SPANISH) in result.spoken
    assert prompt("Main", "MainMenu") not in result.spoken


def test_the_language_is_saved_as_a_contact_attribute(call: Dial) -> None:
    assert call("2", "3", "1").attributes["language"] == SPANISH


def test_a_known_caller_is_named_in_the_contact_attributes(call: Dial) -> None:
    result = call("1", "3", "1", caller=REGULAR)

    assert (result.attributes["FirstName"], result.attributes["VIP"]) == ("Robin", "false")


def test_a_vip_caller_is_queued_with_a_better_priority(call: Dial) -> None:
    assert call("1", "1", "1", caller=VIP).priority == 1


def test_a_regular_caller_on_the_same_path_keeps_the_default_priority(call: Dial) -> None:
    assert call("1", "1", "1", caller=REGULAR).priority is None


def test_an_unknown_caller_keeps_the_default_priority(call: Dial) -> None:
    assert call("1", "1", "1", caller="+12025550199").priority is None


def test_a_caller_who_presses_nothing_hears_the_menu_twice_then_goodbye(call: Dial) -> None:
    result = call()

    assert result.spoken.count(prompt("Main", "MainMenu")) == 2
    assert result.spoken[-1] == prompt("Main", "Goodbye")
    assert result.ended == "disconnected"


def test_a_wrong_key_is_answered_with_invalid_option_and_the_menu_again(call: Dial) -> None:
    result = call("1", "9", "3", "1")

    assert prompt("Main", "InvalidOption") in result.spoken
    assert result.queue == "Support-Product"


def test_two_wrong_keys_in_a_department_menu_end_the_call(call: Dial) -> None:
    result = call("1", "2", "7", "8")

    assert result.spoken.count(prompt("Account", "AccountMenu")) == 2
    assert (result.spoken[-1], result.ended) == (prompt("Account", "Goodbye"), "disconnected")
    assert result.queue is None


def test_a_prompt_written_as_ssml_is_heard_as_its_words(call: Dial) -> None:
    welcome = Prompt.objects.get(flow__name="IntroInbound", prompt_id="Welcome")
    welcome.texts = {
        "en-US": '<speak>Thanks for calling <sub alias="Jam">JAM</sub> Sales &amp; '
        'Support.<break time="500ms"/>We are here.</speak>'
    }
    welcome.save()
    sync_push_all("prompts")

    spoken = call("1", "3", "1").spoken

    assert spoken[0] == "Thanks for calling Jam Sales & Support. We are here."


def test_a_plain_prompt_with_markup_characters_is_heard_as_typed(call: Dial) -> None:
    welcome = Prompt.objects.get(flow__name="IntroInbound", prompt_id="Welcome")
    welcome.texts = {"en-US": "Sales & Support: press 1 if you're < 18."}
    welcome.save()
    sync_push_all("prompts")

    assert call("1", "3", "1").spoken[0] == "Sales & Support: press 1 if you're < 18."
