"""An announcement that is running is read to callers before the main menu."""

from __future__ import annotations

from collections.abc import Callable

from flows.simulator import CallResult
from outbox.sync import sync_push_all
from tests.prompts.conftest import make_announcement

Dial = Callable[..., CallResult]


def test_a_running_announcement_is_read_before_the_main_menu(call: Dial) -> None:
    make_announcement("Storm", all_flows=True)
    sync_push_all("prompts")

    spoken = call("1", "3", "1").spoken

    assert "Storm: we are closed." in spoken
    assert spoken.index("Storm: we are closed.") < spoken.index(
        "For sales, press 1. For accounts, press 2. For support, press 3."
    )


def test_without_an_announcement_nothing_extra_is_read(call: Dial) -> None:
    result = call("1", "3", "1")

    assert not any("closed" in text for text in result.spoken)
