"""flows/reference.py: the flow language reference as data agrees with itself, with our flows,
and with what the documentation pages say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flows import reference
from flows.reference import ACTIONS, FLOW_TYPES, ActionSpec, spec

DEFINITIONS = Path(__file__).resolve().parents[2] / "flows" / "definitions"


def _flows() -> dict[str, dict[str, Any]]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(DEFINITIONS.glob("*.json"))
        if path.name != "manifest.json"
    }


def _manifest() -> dict[str, dict[str, Any]]:
    manifest: dict[str, dict[str, Any]] = json.loads(
        (DEFINITIONS / "manifest.json").read_text(encoding="utf-8")
    )
    return manifest


def _used_actions() -> list[tuple[str, dict[str, Any]]]:
    return [(name, action) for name, flow in _flows().items() for action in flow["Actions"]]


def test_the_definitions_are_found() -> None:
    # Without this, every test over our flows below would pass on an empty list.
    assert len(_used_actions()) > 100


@pytest.mark.parametrize("entry", ACTIONS.values(), ids=lambda entry: entry.type)
def test_each_entry_is_consistent(entry: ActionSpec) -> None:
    assert entry.source.startswith("https://docs.aws.amazon.com/connect/")
    assert not entry.required & entry.optional
    keys = entry.required | entry.optional
    for group in entry.exclusive + entry.one_of:
        assert len(group) >= 2
        assert group <= keys
    if entry.flow_types is not None:
        assert entry.flow_types
        assert entry.flow_types <= FLOW_TYPES
    for parameter, low, high in entry.limits:
        assert parameter in keys
        assert low <= high
    assert spec(entry.type) is entry


def test_every_entry_has_its_own_page() -> None:
    sources = [entry.source for entry in ACTIONS.values()]
    assert len(set(sources)) == len(sources)


def test_unknown_action_types_have_no_entry() -> None:
    assert spec("PlayPrompt") is None


def test_every_action_our_flows_use_is_in_the_reference() -> None:
    missing = {action["Type"] for _, action in _used_actions()} - set(ACTIONS)
    assert not missing


def test_every_parameter_our_flows_set_is_documented() -> None:
    undocumented = {
        (name, action["Identifier"], key)
        for name, action in _used_actions()
        for key in action.get("Parameters", {})
        if key not in ACTIONS[action["Type"]].required | ACTIONS[action["Type"]].optional
    }
    assert not undocumented


def test_our_flows_use_each_action_in_a_flow_type_it_allows() -> None:
    types = {name: entry["type"] for name, entry in _manifest().items()}
    misplaced = {
        (name, action["Identifier"], action["Type"], types[name])
        for name, action in _used_actions()
        if (allowed := ACTIONS[action["Type"]].flow_types) is not None
        and types[name] not in allowed
    }
    assert not misplaced


def test_flow_level_limits() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/flow-language-example.html:
    # "A single Flow may have no more than 250 Actions defined."; only version 2019-10-30.
    assert reference.MAX_ACTIONS == 250
    assert reference.VERSION == "2019-10-30"
    # https://docs.aws.amazon.com/connect/latest/APIReference/flow-language-actions.html:
    # "This Identifier can be up to 50 characters long".
    assert reference.MAX_IDENTIFIER_LENGTH == 50
    assert "$" in reference.FORBIDDEN_IDENTIFIER_CHARACTERS
    assert "__proto__" in reference.RESERVED_IDENTIFIERS


def test_flow_types() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/API_ContactFlowTypeCondition.html
    # lists the ContactFlowType values, CAMPAIGN among them; a module is not one of them.
    assert "CAMPAIGN" in reference.CONTACT_FLOW_TYPES
    assert "FLOW_MODULE" not in reference.CONTACT_FLOW_TYPES
    assert {"FLOW_MODULE"} == FLOW_TYPES - reference.CONTACT_FLOW_TYPES
    assert len(FLOW_TYPES) == 11


def test_message_participant() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/participant-actions-messageparticipant.html
    # Text "May not be specified if PromptId or SSML is also specified"; "It is not supported
    # in hold flows."; "None. No conditions are supported."
    entry = ACTIONS["MessageParticipant"]
    assert any({"Text", "SSML"} <= group for group in entry.exclusive)
    assert any({"PromptId", "Text"} <= group for group in entry.exclusive)
    assert entry.flow_types is not None
    assert "CUSTOMER_HOLD" not in entry.flow_types
    assert "AGENT_HOLD" not in entry.flow_types
    assert {"CONTACT_FLOW", "CUSTOMER_WHISPER", "CUSTOMER_QUEUE"} <= entry.flow_types
    assert not entry.conditions
    assert entry.errors == {"NoMatchingError"}


def test_invoke_lambda_function() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/interactions-invokelambdafunction.html
    # "Must be greater than 0, no larger than 8, and an integer."; "Conditions are not
    # supported."; "supported by all channels and in all types of flows."
    entry = ACTIONS["InvokeLambdaFunction"]
    assert dict((p, (low, high)) for p, low, high in entry.limits) == {
        "InvocationTimeLimitSeconds": (1, 8)
    }
    assert not entry.conditions
    assert entry.flow_types is None


def test_set_working_queue() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/contact-actions-updatecontacttargetqueue.html
    # "It is not supported in whisper flows, hold flows, or customer queue flows."; QueueId
    # "If AgentId is specified, this may not be specified."
    entry = ACTIONS["UpdateContactTargetQueue"]
    assert entry.flow_types is not None
    assert not entry.flow_types & {"CUSTOMER_QUEUE", "CUSTOMER_HOLD", "AGENT_WHISPER"}
    assert {"CONTACT_FLOW", "QUEUE_TRANSFER"} <= entry.flow_types
    assert frozenset({"QueueId", "AgentId"}) in entry.exclusive


def test_get_participant_input() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/participant-actions-getparticipantinput.html
    # "can be used in contact flows, transfer flows, and customer queue flows but not in
    # whisper flows or hold flows."
    entry = ACTIONS["GetParticipantInput"]
    assert entry.flow_types is not None
    assert not entry.flow_types & {"CUSTOMER_WHISPER", "AGENT_WHISPER", "OUTBOUND_WHISPER"}
    assert not entry.flow_types & {"CUSTOMER_HOLD", "AGENT_HOLD"}
    assert {"NoMatchingCondition", "NoMatchingError"} <= entry.errors
    assert entry.conditions


def test_end_flow_execution_and_module_execution() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/flow-control-actions-endflowexecution.html
    # "available only in whisper flows and customer queue flows. It is not available in
    # flows, hold flows, or transfer flows."
    end_flow = ACTIONS["EndFlowExecution"].flow_types
    assert end_flow is not None
    assert {"CUSTOMER_WHISPER", "AGENT_WHISPER", "CUSTOMER_QUEUE"} <= end_flow
    assert not end_flow & {"CONTACT_FLOW", "CUSTOMER_HOLD", "AGENT_TRANSFER"}
    # https://docs.aws.amazon.com/connect/latest/APIReference/endflowmoduleexecution.html
    # "This action is available only in flow modules."
    assert ACTIONS["EndFlowModuleExecution"].flow_types == {"FLOW_MODULE"}


def test_routing_behavior() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/contact-actions-updatecontactroutingbehavior.html
    # QueuePriority "Cannot be specified if QueueTimeAdjustmentSeconds is specified";
    # "supported only in inbound contact flows"; "Errors: None."
    entry = ACTIONS["UpdateContactRoutingBehavior"]
    assert frozenset({"QueuePriority", "QueueTimeAdjustmentSeconds"}) in entry.exclusive
    assert entry.flow_types is not None
    assert "CONTACT_FLOW" in entry.flow_types
    assert not entry.flow_types & {"AGENT_TRANSFER", "CUSTOMER_QUEUE", "CUSTOMER_WHISPER"}
    assert not entry.errors


def test_loop_and_wait() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/flow-control-actions-loop.html
    # "must be between 0 and 100 (inclusive)".
    assert ACTIONS["Loop"].limits == (("LoopCount", 0, 100),)
    assert ACTIONS["Loop"].conditions
    # https://docs.aws.amazon.com/connect/latest/APIReference/flow-control-actions-wait.html
    # "supported only by the chat channel"; "no greater than 604800 (seven days)".
    assert not ACTIONS["Wait"].voice
    assert ACTIONS["Wait"].limits == (("TimeoutSeconds", 1, 604800),)


def test_transfer_to_queue_errors() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/contact-actions-transfercontacttoqueue.html
    # "QueueAtCapacity - if the destination queue is at capacity"; "No parameters are
    # expected."
    entry = ACTIONS["TransferContactToQueue"]
    assert entry.errors == {"QueueAtCapacity", "NoMatchingError"}
    assert not entry.required | entry.optional


def test_update_contact_data_target_contact_is_required() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/contact-actions-updatecontactdata.html
    # "TargetContact": "[Required] Target contact on which given attributes should be set."
    assert ACTIONS["UpdateContactData"].required == {"TargetContact"}


def test_lex_bot_takes_exactly_one_bot() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/participant-actions-connectparticipantwithlexbot.html
    # "Provide either LexBot or LexV2Bot object depending on the Amazon Lex version".
    assert ACTIONS["ConnectParticipantWithLexBot"].one_of == (frozenset({"LexBot", "LexV2Bot"}),)
