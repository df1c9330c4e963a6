"""Calls are recorded by default with a disclosure; Sales-EMEA records only with consent."""

from __future__ import annotations

from collections.abc import Callable

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
