"""Calls are recorded by default with a disclosure; Sales-EMEA records only with consent."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from flows.simulator import CallResult
from tests.flows.conftest import prompt

Dial = Callable[..., CallResult]
TO_EMEA = ("1", "1", "3")


def test_an_emea_caller_who_presses_1_is_recorded(call: Dial) -> None:
    result = call(*TO_EMEA, "1")

    assert result.recording is True
    assert result.attributes["recordingConsent"] == "opt-in"
    assert prompt("SetRecording", "RecordingOn") in result.spoken


def test_an_emea_caller_who_presses_another_key_is_not_recorded(call: Dial) -> None:
    result = call(*TO_EMEA, "2")

    assert result.recording is False
    assert result.attributes["recordingConsent"] == "decline"
    assert prompt("SetRecording", "RecordingOff") in result.spoken


def test_an_emea_caller_who_presses_nothing_is_not_recorded(call: Dial) -> None:
    result = call(*TO_EMEA)

    assert (result.recording, result.attributes["recordingConsent"]) == (False, "decline")


def test_a_caller_to_any_other_queue_hears_the_disclosure_and_is_recorded(call: Dial) -> None:
    result = call("1", "2", "1")

    assert result.recording is True
    assert result.attributes["recordingConsent"] == "default"
    assert prompt("SetRecording", "RecordingDisclosure") in result.spoken
    assert prompt("SetRecording", "RecordingOptIn") not in result.spoken


# --- the disclosure whatever Connect does with an empty prompt ---------------------------------
# The reference does not say whether MessageParticipant with an empty text takes its error
# branch or plays silence; the simulator plays both, and a recorded call must hear a
# disclosure either way.

DISCLOSURES = (
    prompt("SetRecording", "RecordingDisclosure"),
    prompt("SetRecording", "RecordingOn"),
    "This call may be recorded for quality and training.",
    "To allow recording, press 1.",
)
ROUTES = {"another queue": ("1", "2", "1"), "EMEA, consenting": (*TO_EMEA, "1")}


def heard_a_disclosure(result: CallResult) -> bool:
    return any(any(d in line for d in DISCLOSURES) for line in result.spoken)


def blank_the_recording_prompts(*, delete: bool) -> None:
    from outbox.sync import sync_push_all
    from prompts.models import Prompt

    prompts = Prompt.objects.filter(flow__name="SetRecording")
    if delete:
        prompts.delete()
    else:
        for item in prompts:
            item.texts = {"en-US": "", "es-US": ""}
            item.save()
    sync_push_all("prompts")


@pytest.mark.parametrize("empty_prompt", ["error", "silence"])
@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("prompts", ["edited blank", "deleted"])
def test_a_recorded_call_hears_a_disclosure_whatever_connect_does_with_an_empty_prompt(
    call: Dial, empty_prompt: str, route: str, prompts: str
) -> None:
    blank_the_recording_prompts(delete=prompts == "deleted")

    result = call(*ROUTES[route], empty_prompt=empty_prompt)

    assert result.recording is True
    assert heard_a_disclosure(result), result.spoken


@pytest.mark.parametrize("empty_prompt", ["error", "silence"])
def test_with_its_prompts_a_recorded_call_hears_the_editors_disclosure(
    call: Dial, empty_prompt: str
) -> None:
    result = call(*ROUTES["another queue"], empty_prompt=empty_prompt)

    assert prompt("SetRecording", "RecordingDisclosure") in result.spoken
