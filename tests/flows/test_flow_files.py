"""The flow files themselves: the nine flows, speaking only their own prompts."""

from __future__ import annotations

import json
import re

import pytest

from flows.loader import placeholder
from flows.simulator import FLOWS_DIR, FlowSet
from prompts.content import FLOWS as SHIPPED_PROMPTS
from support.content import CATALOG

SPOKEN_REFERENCE = re.compile(r"\$\.External\.(\w+)")
QUEUES = {name for _, queues in CATALOG for name, *_ in queues}
LAMBDAS = {"get_prompts", "lookup_customer"}


def texts(action: dict) -> list[str]:
    parameters = action.get("Parameters", {})
    return [parameters[key] for key in ("Text", "SSML") if key in parameters]


def placeholders(flows: FlowSet) -> set[tuple[str, str]]:
    found = set()
    for flow in flows.flows.values():
        for action in flow.actions.values():
            for value in re.findall(r"\$\{\w+:[^}]+\}", json.dumps(action)):
                found.add(placeholder(value))
    return found


def test_the_manifest_gives_the_nine_flows_their_connect_types(flows: FlowSet) -> None:
    types = {name: flow.type for name, flow in flows.flows.items()}

    assert types == {
        "IntroInbound": "CONTACT_FLOW",
        "Main": "CONTACT_FLOW",
        "Sales": "CONTACT_FLOW",
        "Account": "CONTACT_FLOW",
        "Support": "CONTACT_FLOW",
        "SetRecording": "FLOW_MODULE",
        "MainQueue": "CUSTOMER_QUEUE",
        "WebIngress": "CONTACT_FLOW",
        "Survey": "CONTACT_FLOW",
    }


def test_every_flow_file_is_flow_language_version_2019_10_30() -> None:
    for path in FLOWS_DIR.glob("*.json"):
        if path.name != "manifest.json":
            assert json.loads(path.read_text())["Version"] == "2019-10-30", path.name


@pytest.mark.parametrize("name", list(SHIPPED_PROMPTS))
def test_a_flow_speaks_only_its_own_prompts(flows: FlowSet, name: str) -> None:
    spoken = {
        prompt_id
        for action in flows[name].actions.values()
        for text in texts(action)
        for prompt_id in SPOKEN_REFERENCE.findall(text)
    }

    assert spoken
    assert spoken <= set(SHIPPED_PROMPTS[name][1]) | {"announcement"}


@pytest.mark.parametrize("name", list(SHIPPED_PROMPTS))
def test_a_flow_asks_for_its_own_prompts_in_the_contacts_language(
    flows: FlowSet, name: str
) -> None:
    asked = [
        action["Parameters"]["LambdaInvocationAttributes"]
        for action in flows[name].actions.values()
        if action["Type"] == "InvokeLambdaFunction"
        and action["Parameters"]["LambdaFunctionARN"] == "${lambda:get_prompts}"
    ]

    [attributes] = asked
    assert {k: v for k, v in attributes.items() if k != "requiredPrompts"} == {
        "contactFlowName": name,
        "languageCode": "$.LanguageCode",
    }


def test_every_placeholder_names_something_that_exists(flows: FlowSet) -> None:
    known = {
        "lambda": LAMBDAS,
        "queue": QUEUES,
        "flow": {n for n, f in flows.flows.items() if f.type != "FLOW_MODULE"},
        "module": {n for n, f in flows.flows.items() if f.type == "FLOW_MODULE"},
    }

    found = placeholders(flows)

    assert {kind for kind, _ in found} == set(known)
    assert all(name in known[kind] for kind, name in found)


def test_every_prompt_is_played_as_a_whole_ssml_document(flows: FlowSet) -> None:
    """The Lambda answers each prompt as a <speak> document, which the Text parameter would
    read out as markup:
    https://docs.aws.amazon.com/connect/latest/APIReference/participant-actions-messageparticipant.html
    """
    played = [
        (name, action["Identifier"], action["Parameters"])
        for name, flow in flows.flows.items()
        for action in flow.actions.values()
        if action["Type"] in ("MessageParticipant", "GetParticipantInput")
    ]

    assert played
    for name, identifier, parameters in played:
        text = parameters.get("Text", "")
        assert "$.External." not in text, f"{name}.{identifier} plays a prompt as Text"
        if "SSML" in parameters:
            assert re.fullmatch(r"\$\.External\.\w+", parameters["SSML"]), (name, identifier)


@pytest.mark.parametrize("name", list(SHIPPED_PROMPTS))
def test_every_branching_action_names_a_next_action_as_the_console_writes_it(
    flows: FlowSet, name: str
) -> None:
    branching = [a for a in flows[name].actions.values() if a["Transitions"].get("Conditions")]

    assert [a["Identifier"] for a in branching if "NextAction" not in a["Transitions"]] == []


def test_no_flow_compares_with_an_empty_string(flows: FlowSet) -> None:
    # No console export does, and what an empty prompt or value means to Connect is not
    # documented: the Lambdas answer explicit flags (hasAnnouncement, promptsComplete).
    empty = [
        (name, action["Identifier"])
        for name in flows.names
        for action in flows[name].actions.values()
        for condition in action["Transitions"].get("Conditions", [])
        if condition["Condition"]["Operands"] == [""]
    ]

    assert empty == []
