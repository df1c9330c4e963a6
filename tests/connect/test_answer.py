"""Fitting an answer into Connect's limit: required keys stay, the costliest entries go first."""

from __future__ import annotations

from connect.answer import fit
from connect.items import (
    MAX_ANSWER_BYTES,
    MAX_VALUE_CHARS,
    answer_bytes,
)

REQUIRED = ("operation", "announcement")


def test_an_answer_that_fits_is_left_alone() -> None:
    answer = {"operation": "getPrompts", "announcement": "", "Welcome": "Hi."}

    assert fit(answer, required=REQUIRED) == (answer, ())


def test_the_required_keys_come_first() -> None:
    fitted, _ = fit({"Welcome": "Hi.", "announcement": "", "operation": "x"}, required=REQUIRED)

    assert list(fitted) == ["operation", "announcement", "Welcome"]


def test_a_missing_required_key_is_answered_empty() -> None:
    fitted, _ = fit({"operation": "getPrompts"}, required=REQUIRED)

    assert fitted["announcement"] == ""


def test_the_largest_entry_is_dropped_before_smaller_ones() -> None:
    answer = {"operation": "x", "announcement": "", "Big": "b" * 600, "Small": "s" * 300}

    fitted, changed = fit(answer, required=REQUIRED, limit=700)

    assert (list(fitted), changed) == (["operation", "announcement", "Small"], ("Big",))


def test_a_required_value_is_cut_to_what_fits() -> None:
    fitted, changed = fit(
        {"operation": "x", "announcement": "a" * 1000}, required=REQUIRED, limit=500
    )

    assert answer_bytes(fitted) <= 500
    assert fitted["announcement"] == "a" * len(fitted["announcement"])
    assert changed == ("announcement",)


def test_a_value_longer_than_text_to_speech_allows_is_capped() -> None:
    fitted, _ = fit({"operation": "x", "announcement": "a" * 10_000}, required=REQUIRED)

    assert len(fitted["announcement"]) == MAX_VALUE_CHARS


def test_escaped_characters_count_at_their_escaped_size() -> None:
    answer = {"operation": "x", "announcement": ""} | {f"P{i}": "ñ" * 5000 for i in range(3)}

    fitted, _ = fit(answer, required=REQUIRED)

    assert answer_bytes(fitted) <= MAX_ANSWER_BYTES
    assert len(fitted) == 3


def test_equal_entries_are_kept_by_name_whatever_their_order() -> None:
    answer = {"operation": "x", "announcement": ""} | {f"P{i}": "p" * 9_000 for i in range(8)}

    kept, _ = fit(dict(reversed(answer.items())), required=REQUIRED)

    assert list(kept) == ["operation", "announcement", "P4", "P3", "P2", "P1", "P0"]
