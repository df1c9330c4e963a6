"""``manage.py simulate_call``: one call through the flows, from the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.flows.conftest import REGULAR, VIP


def simulate_call(**options: object) -> str:
    out = StringIO()
    call_command("simulate_call", stdout=out, **options)
    return out.getvalue()


def test_json_output_is_the_call_result(ivr: None) -> None:
    result = json.loads(simulate_call(caller=VIP, input="1,3,2", json=True))

    assert (result["queue"], result["ended"], result["priority"]) == ("Support-Mobile", "queued", 1)
    assert set(result) == {
        "flows", "spoken", "language", "attributes", "queue",
        "priority", "recording", "callback", "ended", "transcript", "reason", "unsupported",
    }  # fmt: skip


def test_an_empty_entry_is_a_timeout(ivr: None) -> None:
    result = json.loads(simulate_call(caller=VIP, input="1,,", json=True))

    assert (result["ended"], result["queue"]) == ("disconnected", None)


def test_a_queue_simulates_the_websites_call_into_it(ivr: None) -> None:
    result = json.loads(simulate_call(caller=REGULAR, queue="Support-Mobile", json=True))

    assert result["flows"][0] == "WebIngress"
    assert (result["queue"], result["attributes"]["verified"]) == ("Support-Mobile", "false")


def test_verified_marks_the_website_caller_verified(ivr: None) -> None:
    result = json.loads(
        simulate_call(caller=REGULAR, queue="Support-Mobile", verified=True, json=True)
    )

    assert result["attributes"]["verified"] == "true"


def test_plain_output_is_the_transcript_then_a_summary(ivr: None) -> None:
    lines = simulate_call(caller=VIP, input="1,3,1").splitlines()

    assert lines[0].startswith("[IntroInbound] ")
    assert "Ended: queued in Support-Product" in lines


def test_an_unknown_flow_is_refused(ivr: None) -> None:
    with pytest.raises(CommandError, match="No flow named 'Nope'"):
        simulate_call(caller=VIP, flow="Nope")


def test_an_unknown_queue_is_refused(ivr: None) -> None:
    with pytest.raises(CommandError, match="No queue named 'Support-Fax' in the catalog"):
        simulate_call(caller=VIP, queue="Support-Fax")


def test_an_unknown_language_is_refused(ivr: None) -> None:
    with pytest.raises(CommandError, match="No prompts in 'fr-FR'"):
        simulate_call(caller=VIP, language="fr-FR")
