"""get_prompts: a flow's prompts in the caller's language, with the announcement running now."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine

from connect.handlers import get_prompts
from connect.items import (
    MAX_ANSWER_BYTES,
    MAX_VALUE_CHARS,
    Announcement,
    FlowPrompts,
    answer_bytes,
    flow_answer_bytes,
)
from tests.connect.conftest import MAIN, Tables, load_event, make_event

NOW = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)


def ssml(text: str) -> str:
    """``text`` as the Lambda answers it, for the flows' SSML parameter."""
    return f"<speak>{text}</speak>"


def storm(starts: timedelta, ends: timedelta, **text: str) -> Announcement:
    """An announcement running from NOW + starts to NOW + ends."""
    texts = {key.replace("_", "-"): value for key, value in text.items()}
    return Announcement("storm", NOW + starts, NOW + ends, texts or {"en-US": "Storm closure."})


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_answers_the_prompts_in_english(seeded: Tables) -> None:
    answer = get_prompts(load_event("contact_flow_event"), None)

    assert answer == {
        "operation": "getPrompts",
        "promptsFound": "true",
        "promptsComplete": "true",
        "announcement": "",
        "hasAnnouncement": "false",
        "Welcome": ssml("Welcome to JAM."),
        "Menu": ssml("For sales, press 1."),
        "Goodbye": ssml("Thank you for calling."),
    }


def test_it_answers_in_the_language_of_the_contact(seeded: Tables) -> None:
    answer = get_prompts(load_event("spanish_contact"), None)

    assert answer["Welcome"] == ssml("Bienvenido a JAM.")
    assert answer["Menu"] == ssml("Para ventas, oprima 1.")


def test_the_language_parameter_wins_over_the_contacts_language(seeded: Tables) -> None:
    event = load_event("spanish_contact")
    event["Details"]["Parameters"]["languageCode"] = "en-US"

    assert get_prompts(event, None)["Welcome"] == ssml("Welcome to JAM.")


def test_a_missing_translation_falls_back_to_english(seeded: Tables) -> None:
    answer = get_prompts(make_event(contactFlowName="Main", languageCode="es-US"), None)

    assert answer["Goodbye"] == ssml("Thank you for calling.")


def test_a_language_nobody_wrote_gets_english(seeded: Tables) -> None:
    answer = get_prompts(make_event(contactFlowName="Main", languageCode="fr-CA"), None)

    assert answer["Welcome"] == ssml("Welcome to JAM.")


def test_an_unknown_flow_answers_not_found_with_no_prompts(seeded: Tables) -> None:
    answer = get_prompts(make_event(contactFlowName="Nowhere"), None)

    assert answer == {
        "operation": "getPrompts",
        "promptsFound": "false",
        "promptsComplete": "false",
        "announcement": "",
        "hasAnnouncement": "false",
    }


def test_an_event_without_parameters_answers_not_found(seeded: Tables) -> None:
    event = load_event("contact_flow_event")
    del event["Details"]["Parameters"]

    assert get_prompts(event, None)["promptsFound"] == "false"


def test_a_malformed_item_answers_like_an_unknown_flow(tables: Tables) -> None:
    tables.prompts.put_item(Item={"ContactFlowName": "Main", "Prompts": "Welcome!"})

    assert get_prompts(make_event(contactFlowName="Main"), None)["promptsFound"] == "false"


def test_an_item_with_announcements_of_the_wrong_type_still_answers_its_prompts(
    tables: Tables,
) -> None:
    tables.prompts.put_item(
        Item={
            "ContactFlowName": "Main",
            "Prompts": [{"Id": "Hi", "PromptText": {"en-US": "Hi"}}],
            "Announcements": 5,
        }
    )

    answer = get_prompts(make_event(contactFlowName="Main"), None)

    assert (answer["promptsFound"], answer["Hi"], answer["announcement"]) == (
        "true",
        ssml("Hi"),
        "",
    )


def test_a_prompt_named_like_a_reserved_key_cannot_replace_it(tables: Tables) -> None:
    tables.put_flow(FlowPrompts("Main", {"promptsFound": {"en-US": "maybe"}}))

    assert get_prompts(make_event(contactFlowName="Main"), None)["promptsFound"] == "true"


def test_it_plays_the_announcement_running_now(tables: Tables, clock: None) -> None:
    tables.put_flow(
        FlowPrompts("Main", MAIN.prompts, (storm(-timedelta(hours=1), timedelta(hours=1)),))
    )

    answer = get_prompts(make_event(contactFlowName="Main"), None)

    assert answer["announcement"] == ssml("Storm closure.")
    assert answer["hasAnnouncement"] == "true"


def test_it_stays_silent_about_an_announcement_that_has_ended(tables: Tables, clock: None) -> None:
    tables.put_flow(
        FlowPrompts("Main", MAIN.prompts, (storm(-timedelta(days=2), -timedelta(days=1)),))
    )

    answer = get_prompts(make_event(contactFlowName="Main"), None)

    assert (answer["announcement"], answer["hasAnnouncement"]) == ("", "false")


def test_it_stays_silent_about_an_announcement_yet_to_start(tables: Tables, clock: None) -> None:
    tables.put_flow(
        FlowPrompts("Main", MAIN.prompts, (storm(timedelta(hours=1), timedelta(days=1)),))
    )

    assert get_prompts(make_event(contactFlowName="Main"), None)["announcement"] == ""


def test_it_plays_the_announcement_in_the_callers_language(tables: Tables, clock: None) -> None:
    running = storm(-timedelta(hours=1), timedelta(hours=1), en_US="Closed.", es_US="Cerrado.")
    tables.put_flow(FlowPrompts("Main", MAIN.prompts, (running,)))

    assert get_prompts(load_event("spanish_contact"), None)["announcement"] == ssml("Cerrado.")


def test_every_flow_plays_an_all_flows_announcement_copied_into_its_item(
    tables: Tables, clock: None
) -> None:
    everywhere = storm(-timedelta(hours=1), timedelta(hours=1), en_US="Lines are down.")
    for flow in ("Main", "Sales"):
        tables.put_flow(FlowPrompts(flow, MAIN.prompts, (everywhere,)))

    answers = [get_prompts(make_event(contactFlowName=f), None) for f in ("Main", "Sales")]

    assert [a["announcement"] for a in answers] == [ssml("Lines are down.")] * 2


def test_the_latest_started_announcement_wins(tables: Tables, clock: None) -> None:
    older = storm(-timedelta(days=1), timedelta(days=1), en_US="Holiday hours.")
    newer = storm(-timedelta(hours=1), timedelta(hours=1), en_US="Storm closure.")
    tables.put_flow(FlowPrompts("Main", MAIN.prompts, (older, newer)))

    assert get_prompts(make_event(contactFlowName="Main"), None)["announcement"] == ssml(
        "Storm closure."
    )


def test_a_flow_too_big_for_connect_is_cut_to_fit(tables: Tables) -> None:
    long_prompts = {f"Prompt{i:02}": {"en-US": "ñ" * 2_000} for i in range(40)}
    tables.put_flow(FlowPrompts("Main", {**MAIN.prompts, **long_prompts}))

    answer = get_prompts(make_event(contactFlowName="Main"), None)

    assert answer_bytes(answer) <= MAX_ANSWER_BYTES
    assert answer["Welcome"] == ssml("Welcome to JAM.")


def test_the_editors_size_estimate_is_the_answer_with_the_longest_announcement_running(
    tables: Tables, clock: None
) -> None:
    short = storm(-timedelta(hours=2), timedelta(hours=1), en_US="Closed.")
    longest = storm(-timedelta(hours=1), timedelta(hours=1), en_US="Closed for the storm. " * 9)
    flow = FlowPrompts("Main", MAIN.prompts, (short, longest))
    tables.put_flow(flow)

    answer = get_prompts(make_event(contactFlowName="Main"), None)

    assert answer_bytes(answer) == flow_answer_bytes(flow, "en-US")


def test_plain_text_is_answered_as_ssml_that_says_exactly_it(tables: Tables) -> None:
    tables.put_flow(FlowPrompts("Main", {"Welcome": {"en-US": "Tom & Jerry <3 you"}}))

    answer = get_prompts(make_event(contactFlowName="Main"), None)

    assert answer["Welcome"] == "<speak>Tom &amp; Jerry &lt;3 you</speak>"
    assert "".join(ElementTree.fromstring(answer["Welcome"]).itertext()) == "Tom & Jerry <3 you"


def test_ssml_is_answered_as_written(tables: Tables) -> None:
    written = '<speak>Press <say-as interpret-as="digits">1</say-as>.</speak>'
    tables.put_flow(FlowPrompts("Main", {"Menu": {"en-US": written}}))

    assert get_prompts(make_event(contactFlowName="Main"), None)["Menu"] == written


def test_an_ssml_prompt_too_long_to_speak_is_cut_to_ssml_that_still_parses(
    tables: Tables,
) -> None:
    written = "<speak>" + "<s>Press one for sales &amp; billing.</s>" * 300 + "</speak>"
    tables.put_flow(FlowPrompts("Main", {"Menu": {"en-US": written}}))

    menu = get_prompts(make_event(contactFlowName="Main"), None)["Menu"]

    assert len(menu) <= MAX_VALUE_CHARS
    assert ElementTree.fromstring(menu).tag == "speak"
    assert "Press one for sales & billing." in "".join(ElementTree.fromstring(menu).itertext())


# --- the flags the flows branch on before speaking ---------------------------------------------


def test_prompts_are_complete_only_when_every_required_one_has_words(seeded: Tables) -> None:
    asked = make_event(contactFlowName="Main", requiredPrompts="Welcome, Menu")
    missing = make_event(contactFlowName="Main", requiredPrompts="Welcome,Retired")

    assert get_prompts(asked, None)["promptsComplete"] == "true"
    assert get_prompts(missing, None)["promptsComplete"] == "false"


def test_an_unknown_flow_is_never_complete_whatever_it_requires(seeded: Tables) -> None:
    answer = get_prompts(make_event(contactFlowName="Nowhere", requiredPrompts=""), None)

    assert answer["promptsComplete"] == "false"
