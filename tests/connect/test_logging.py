"""One JSON line per invocation, enough to follow a call, never a whole phone number."""

from __future__ import annotations

import json
import logging

import pytest

from connect.dynamo import Unavailable
from connect.handlers import get_prompts, lookup_customer, mask
from connect.items import FlowPrompts
from tests.connect.conftest import Tables, load_event, make_event


def log_lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "connect.handlers"]


def test_each_invocation_logs_one_json_line(
    seeded: Tables, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="connect")
    get_prompts(load_event("contact_flow_event"), None)
    get_prompts(load_event("contact_flow_event"), None)

    first, second = log_lines(caplog)

    assert first["contactId"] == "5ca32fbd-8f92-46af-92a5-6b0f970f0efe"
    assert (first["operation"], first["flow"], first["result"]) == ("getPrompts", "Main", "hit")
    assert (first["cache"], second["cache"]) == ("miss", "hit")
    assert first["latencyMs"] >= 0


def test_an_unknown_caller_is_logged_as_a_miss(
    seeded: Tables, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="connect")
    lookup_customer(load_event("unknown_caller"), None)

    assert log_lines(caplog)[0]["result"] == "miss"


def test_the_callers_number_is_masked(seeded: Tables, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="connect")
    lookup_customer(load_event("contact_flow_event"), None)

    assert log_lines(caplog)[0]["caller"] == "+*******0100"
    assert "2025550100" not in caplog.text


def test_an_outage_is_logged_as_an_error(seeded: Tables, caplog: pytest.LogCaptureFixture) -> None:
    seeded.prompts.delete()

    with pytest.raises(Unavailable):
        get_prompts(load_event("contact_flow_event"), None)

    assert log_lines(caplog)[0]["result"] == "error"
    assert caplog.records[-1].levelno == logging.ERROR


def test_masking_keeps_only_the_last_four_digits() -> None:
    assert mask("+447700900123") == "+********0123"


def test_masking_a_huge_address_keeps_the_log_line_short() -> None:
    assert len(mask("9" * 100_000)) == 32


def test_a_cut_answer_names_the_prompts_it_lost(
    tables: Tables, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="connect")
    # Each fits text-to-speech's 6,000 characters once wrapped in <speak>; five fit the answer.
    long_prompts = {f"Long{i}": {"en-US": "x" * 5_900} for i in range(6)}
    tables.put_flow(FlowPrompts("Main", {"Welcome": {"en-US": "Hi."}, **long_prompts}))

    get_prompts(make_event(contactFlowName="Main"), None)

    assert log_lines(caplog)[0]["trimmed"] == ["Long5"]
