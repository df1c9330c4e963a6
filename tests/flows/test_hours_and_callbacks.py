"""A closed queue offers a callback; so does the queue flow while the caller waits."""

from __future__ import annotations

from collections.abc import Callable

from flows.simulator import CallResult
from tests.flows.conftest import REGULAR, prompt

Dial = Callable[..., CallResult]
TO_AMER = ("1", "1", "1")


def closed(name: str) -> bool:
    return False


def test_a_caller_to_a_closed_queue_hears_it_is_closed_and_a_callback_offer(call: Dial) -> None:
    result = call(*TO_AMER, queue_open=closed)

    assert prompt("Sales", "QueueClosed") in result.spoken
    assert prompt("Sales", "CallbackOffer") in result.spoken


def test_pressing_1_when_closed_books_a_callback_and_ends_the_call(call: Dial) -> None:
    result = call(*TO_AMER, "1", queue_open=closed)

    assert (result.callback, result.ended) == (True, "disconnected")
    assert result.attributes["callbackRequested"] == "true"
    assert result.spoken[-1] == prompt("Sales", "Goodbye")


def test_declining_the_callback_when_closed_says_goodbye_without_one(call: Dial) -> None:
    result = call(*TO_AMER, "2", queue_open=closed)

    assert (result.callback, result.ended) == (False, "disconnected")
    assert "callbackRequested" not in result.attributes


def test_hours_are_checked_for_the_queue_chosen(call: Dial) -> None:
    asked: list[str] = []

    call("1", "2", "3", queue_open=lambda name: asked.append(name) or True)

    assert asked == ["Account-Close"]


def test_a_queued_caller_hears_hold_messages_and_the_callback_offer(call: Dial) -> None:
    result = call("1", "3", "1")

    assert result.spoken[-3:] == [
        prompt("MainQueue", "Hold"),
        prompt("MainQueue", "WaitUpdate"),
        prompt("MainQueue", "CallbackOffer"),
    ]


def test_pressing_1_while_queued_books_a_callback(call: Dial) -> None:
    result = call("1", "3", "1", "1", caller=REGULAR)

    assert (result.callback, result.ended) == (True, "disconnected")
    assert result.attributes["callbackRequested"] == "true"
    assert result.spoken[-1] == prompt("MainQueue", "CallbackConfirmed")


def test_a_caller_who_lets_the_offer_pass_keeps_waiting_and_is_offered_again(call: Dial) -> None:
    result = call("1", "3", "1", None)

    assert result.spoken.count(prompt("MainQueue", "CallbackOffer")) == 2
    assert (result.callback, result.ended) == (False, "queued")
