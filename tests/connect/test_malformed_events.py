"""Whatever arrives as an event, both handlers answer Connect's way and never raise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.handlers import get_prompts, lookup_customer
from connect.items import MAX_ANSWER_BYTES, RESERVED_PROMPT_IDS, FlowPrompts, answer_bytes
from tests.connect.conftest import CASEY, MAIN, Tables

# Under DynamoDB's 400 KB item limit, far over Connect's 32 KB answer limit in either language.
HUGE = FlowPrompts(
    "Huge", {f"Prompt{i:02}": {"en-US": "ñ" * 2_500, "es-US": "x" * 8_000} for i in range(20)}
)

huge_text = st.builds(
    lambda piece, n: piece * n, st.text(min_size=1, max_size=3), st.integers(1, 50_000)
)
text = st.text(max_size=30) | huge_text
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


def often(likely: st.SearchStrategy, otherwise: st.SearchStrategy) -> st.SearchStrategy:
    """``likely`` three times in four, so junk at one level still lets the next be reached."""
    return st.one_of(likely, likely, likely, otherwise)


def shaped(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """The expected object with some of ``fields`` (or all), or any JSON value in its place."""
    return often(
        st.fixed_dictionaries(fields), st.fixed_dictionaries({}, optional=fields) | json_values
    )


flows = often(st.sampled_from(["Main", "Huge", "Nowhere", ""]), text)
languages = often(st.sampled_from(["en-US", "es-US", "fr-CA"]), text)
callers = often(st.sampled_from([CASEY.phone_number, "+447700900123"]), text)
events = shaped(
    {
        "Name": json_values,
        "Details": shaped(
            {
                "ContactData": shaped(
                    {
                        "ContactId": often(text, json_values),
                        "LanguageCode": often(languages, json_values),
                        "CustomerEndpoint": shaped({"Address": often(callers, json_values)}),
                    }
                ),
                "Parameters": shaped(
                    {
                        "contactFlowName": often(flows, json_values),
                        "languageCode": often(languages, json_values),
                    }
                ),
            }
        ),
    }
)


@pytest.fixture
def stocked(seeded: Tables) -> Iterator[Tables]:
    seeded.put_flow(HUGE)
    yield seeded


def assert_connect_shaped(answer: object) -> None:
    assert isinstance(answer, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in answer.items())
    assert answer_bytes(answer) <= MAX_ANSWER_BYTES


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(event=events)
def test_get_prompts_answers_any_event_with_a_flat_map_of_strings(
    stocked: Tables, event: object
) -> None:
    assert_connect_shaped(get_prompts(event, None))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(event=events)
def test_lookup_customer_answers_any_event_with_a_flat_map_of_strings(
    stocked: Tables, event: object
) -> None:
    assert_connect_shaped(lookup_customer(event, None))


def test_the_huge_flow_really_is_cut_to_fit(stocked: Tables) -> None:
    answer = get_prompts({"Details": {"Parameters": {"contactFlowName": "Huge"}}}, None)

    assert (answer["promptsFound"], len(answer) - len(RESERVED_PROMPT_IDS)) == ("true", 2)


def test_main_is_answered_in_full_next_to_it(stocked: Tables) -> None:
    answer = get_prompts({"Details": {"Parameters": {"contactFlowName": "Main"}}}, None)

    assert len(answer) - len(RESERVED_PROMPT_IDS) == len(MAIN.prompts)
