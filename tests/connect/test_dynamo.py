"""The DynamoDB door: one resource per container, and no lookup that outlives the flow."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from connect import dynamo
from connect.dynamo import Unavailable
from connect.handlers import get_prompts
from tests.connect.conftest import Tables, make_event

# Connect waits at most 8 s for a flow's Lambda; one lookup must leave room for the rest.
LOOKUP_BUDGET_SECONDS = 4


@pytest.fixture
def silent_endpoint(cold_start: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A DynamoDB endpoint that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        monkeypatch.setenv("DYNAMODB_ENDPOINT_URL", f"http://127.0.0.1:{server.getsockname()[1]}")
        yield


def test_warm_invocations_reuse_one_resource(seeded: Tables) -> None:
    first = dynamo.resource()
    get_prompts(make_event(contactFlowName="Main"), None)

    assert dynamo.resource() is first


def test_a_dynamodb_that_never_answers_fails_the_lookup_in_time(silent_endpoint: None) -> None:
    started = time.monotonic()

    with pytest.raises(Unavailable):
        get_prompts(make_event(contactFlowName="Main"), None)

    assert time.monotonic() - started < LOOKUP_BUDGET_SECONDS


@pytest.mark.parametrize("key", ["", "x" * 2049, "\ud800", None, 12])
def test_keys_dynamodb_would_refuse_are_recognised(key: object) -> None:
    assert not dynamo.is_key(key)


def test_the_longest_key_dynamodb_accepts_is_a_key() -> None:
    assert dynamo.is_key("x" * 2048)
