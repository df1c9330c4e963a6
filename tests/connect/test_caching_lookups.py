"""The handlers with their cache in front of DynamoDB: fewer reads, and calls that survive an
outage of DynamoDB once they have been answered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from connect.cache import TtlCache
from connect.dynamo import Unavailable
from connect.handlers import get_prompts, lookup_customer
from connect.items import FlowPrompts
from connect.lookups import prompts_answer
from tests.connect.conftest import MAIN, Tables, load_event, make_event

MAIN_EVENT = make_event(contactFlowName="Main")


def test_a_second_call_within_the_ttl_reads_dynamodb_once(
    seeded: Tables, get_items: Callable[[], int]
) -> None:
    get_prompts(MAIN_EVENT, None)
    get_prompts(MAIN_EVENT, None)

    assert get_items() == 1


def test_an_unknown_caller_is_remembered_too(seeded: Tables, get_items: Callable[[], int]) -> None:
    lookup_customer(load_event("unknown_caller"), None)
    lookup_customer(load_event("unknown_caller"), None)

    assert get_items() == 1


def test_each_flow_is_remembered_on_its_own(seeded: Tables, get_items: Callable[[], int]) -> None:
    get_prompts(MAIN_EVENT, None)
    get_prompts(make_event(contactFlowName="Sales"), None)

    assert get_items() == 2


def test_an_edit_shows_once_the_ttl_has_passed(seeded: Tables) -> None:
    now = [0.0]
    cache = TtlCache(60, clock=lambda: now[0])

    def ask() -> dict[str, str]:
        at = datetime.now(UTC)
        return prompts_answer(
            seeded.prompts, flow="Main", language="en-US", now=at, cache=cache
        ).answer

    ask()
    seeded.put_flow(FlowPrompts("Main", {**MAIN.prompts, "Welcome": {"en-US": "Hello again."}}))
    now[0] += 60

    assert ask()["Welcome"] == "<speak>Hello again.</speak>"


def test_a_flow_name_dynamodb_would_refuse_is_not_sent(
    seeded: Tables, get_items: Callable[[], int]
) -> None:
    answer = get_prompts(make_event(contactFlowName="M" * 3000), None)

    assert (answer["promptsFound"], get_items()) == ("false", 0)


def test_in_an_outage_the_last_answer_is_served(
    seeded: Tables, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMPT_CACHE_TTL", "0")  # every call asks DynamoDB
    before = get_prompts(MAIN_EVENT, None)
    seeded.prompts.delete()

    assert get_prompts(MAIN_EVENT, None) == before


def test_in_an_outage_a_flow_never_answered_fails_the_call(seeded: Tables) -> None:
    seeded.prompts.delete()

    with pytest.raises(Unavailable):
        get_prompts(MAIN_EVENT, None)


def test_in_an_outage_a_caller_never_looked_up_fails_the_call(seeded: Tables) -> None:
    seeded.customers.delete()

    with pytest.raises(Unavailable):
        lookup_customer(load_event("contact_flow_event"), None)
