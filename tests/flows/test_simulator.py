"""The call simulator on tiny inline flows: the interpreter's own rules, one at a time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows.simulator import (
    MAX_STEPS,
    CallResult,
    FlowError,
    FlowSet,
    UnknownFlow,
    flow_set,
    load_flows,
    simulate,
)

CALLER = "+12025550100"
ROOT = Path(__file__).resolve().parents[2]


def act(
    ident: str,
    type_: str,
    next_: str | None = None,
    *,
    errors: dict[str, str] | None = None,
    conditions: dict[str, str] | None = None,
    **parameters: object,
) -> dict:
    transitions: dict = {"NextAction": next_} if next_ else {}
    if errors:
        transitions["Errors"] = [{"ErrorType": k, "NextAction": v} for k, v in errors.items()]
    if conditions:
        transitions["Conditions"] = [
            {"NextAction": v, "Condition": {"Operator": "Equals", "Operands": [k]}}
            for k, v in conditions.items()
        ]
    return {
        "Identifier": ident,
        "Type": type_,
        "Parameters": parameters,
        "Transitions": transitions,
    }


def content(*actions: dict) -> dict:
    return {
        "Version": "2019-10-30",
        "StartAction": actions[0]["Identifier"],
        "Actions": list(actions),
    }


def say(ident: str, text: str, next_: str | None = "Bye", **errors: str) -> dict:
    return act(ident, "MessageParticipant", next_, errors=errors or None, Text=text)


def invoke(ident: str, name: str, next_: str, error: str, **attributes: str) -> dict:
    return act(
        ident,
        "InvokeLambdaFunction",
        next_,
        errors={"NoMatchingError": error},
        LambdaFunctionARN="${lambda:" + name + "}",
        InvocationTimeLimitSeconds="3",
        LambdaInvocationAttributes=attributes,
    )


BYE = act("Bye", "DisconnectParticipant")


def run(flows: FlowSet, *inputs: str | None, flow: str = "Start", **options: object) -> CallResult:
    options.setdefault("lambdas", {})
    return simulate(flows, flow, caller=CALLER, inputs=list(inputs), **options)


def answering(answer: dict[str, str], seen: list[dict] | None = None) -> object:
    def function(event: dict, context: object) -> dict:
        if seen is not None:
            seen.append(event)
        return answer

    return function


def failing(event: dict, context: object) -> dict:
    raise ConnectionError("no DynamoDB")


def test_an_unsupported_action_ends_the_call_naming_it() -> None:
    flows = flow_set({"Start": content(act("Shout", "ConnectParticipantWithLexBot"))})

    result = run(flows)

    assert (result.ended, result.unsupported) == ("unsupported", ["ConnectParticipantWithLexBot"])
    assert result.reason == "Unsupported action ConnectParticipantWithLexBot at Shout"


def test_a_flow_that_loops_for_ever_is_stopped() -> None:
    flows = flow_set({"Start": content(say("Again", "Hello.", "Again"))})

    result = run(flows)

    assert (result.ended, len(result.spoken)) == ("stopped", MAX_STEPS)
    assert result.transcript[-1] == f"[Start] Stopped after {MAX_STEPS} steps: the flows loop"


def test_a_flow_that_runs_out_of_actions_ends() -> None:
    flows = flow_set({"Start": content(say("Hello", "Hello.", None))})

    assert run(flows).ended == "ended"


def test_an_error_without_a_branch_ends_the_call_in_error() -> None:
    flows = flow_set({"Start": content(say("Hello", "$.External.Missing"))})

    result = run(flows)

    assert result.ended == "error"
    assert result.transcript[-1] == "[Start] NoMatchingError at Hello, and no branch for it"


def test_an_unknown_flow_is_refused_by_name() -> None:
    with pytest.raises(UnknownFlow, match="No flow named 'Elsewhere'"):
        run(flow_set({"Start": content(BYE)}), flow="Elsewhere")


def test_references_in_a_text_are_replaced_by_their_values() -> None:
    flows = flow_set(
        {"Start": content(say("Hello", "Hello $.Attributes.name, $.LanguageCode."), BYE)}
    )

    result = run(flows, attributes={"name": "Robin"}, language="es-US")

    assert result.spoken == ["Hello Robin, es-US."]


def test_a_text_that_is_only_a_missing_value_takes_the_error_branch() -> None:
    flows = flow_set(
        {
            "Start": content(
                say("Hello", "$.External.Missing", NoMatchingError="Plain"),
                say("Plain", "Hello."),
                BYE,
            )
        }
    )

    assert run(flows).spoken == ["Hello."]


def test_a_lambdas_answer_replaces_the_previous_answer_entirely() -> None:
    flows = flow_set(
        {
            "Start": content(
                invoke("First", "one", "Second", "Bye"),
                invoke("Second", "two", "Check", "Bye"),
                say("Check", "$.External.a|$.External.b"),
                BYE,
            )
        }
    )
    lambdas = {"one": answering({"a": "A"}), "two": answering({"b": "B"})}

    assert run(flows, lambdas=lambdas).spoken == ["|B"]


def test_a_failing_lambda_takes_the_error_branch_with_no_answer_left() -> None:
    flows = flow_set(
        {
            "Start": content(
                invoke("First", "one", "Second", "Bye"),
                invoke("Second", "broken", "Bye", "Check"),
                say("Check", "[$.External.a]"),
                BYE,
            )
        }
    )
    lambdas = {"one": answering({"a": "A"}), "broken": failing}

    result = run(flows, lambdas=lambdas)

    assert result.spoken == ["[]"]
    assert "[Start] Lambda broken failed: ConnectionError: no DynamoDB" in result.transcript


def test_a_lambda_answer_that_is_not_a_map_of_strings_is_an_error() -> None:
    ask = invoke("Ask", "odd", "Bye", "Plain")
    ask["Parameters"]["ResponseValidation"] = {"ResponseType": "STRING_MAP"}
    flows = flow_set({"Start": content(ask, say("Plain", "x"), BYE)})

    assert run(flows, lambdas={"odd": answering({"n": 1})}).spoken == ["x"]


def test_a_time_limit_over_eight_seconds_cannot_be_invoked() -> None:
    ask = invoke("Ask", "one", "Bye", "Plain")
    ask["Parameters"]["InvocationTimeLimitSeconds"] = "9"
    flows = flow_set({"Start": content(ask, say("Plain", "x"), BYE)})

    assert run(flows, lambdas={"one": answering({})}).spoken == ["x"]


def test_the_lambda_gets_resolved_parameters_and_the_contact_data() -> None:
    seen: list[dict] = []
    flows = flow_set(
        {
            "Start": content(
                invoke("Ask", "one", "Bye", "Bye", flow="Main", lang="$.LanguageCode"), BYE
            )
        }
    )

    run(flows, lambdas={"one": answering({}, seen)}, language="es-US")

    details = seen[0]["Details"]
    assert details["Parameters"] == {"flow": "Main", "lang": "es-US"}
    assert details["ContactData"]["CustomerEndpoint"]["Address"] == CALLER
    assert details["ContactData"]["LanguageCode"] == "es-US"


def test_a_web_ingress_contact_has_no_customer_endpoint_in_the_event() -> None:
    seen: list[dict] = []
    flows = flow_set({"Start": content(invoke("Ask", "one", "Bye", "Bye"), BYE)})

    run(flows, lambdas={"one": answering({}, seen)}, attributes={"queueId": "q"})

    assert seen[0]["Details"]["ContactData"]["CustomerEndpoint"] is None
    assert seen[0]["Details"]["ContactData"]["InitiationMethod"] == "API"


def test_a_module_cannot_change_its_callers_lambda_answer() -> None:
    flows = flow_set(
        {
            "Start": content(
                invoke("Ask", "outer", "Module", "Bye"),
                act("Module", "InvokeFlowModule", "After", FlowModuleId="${module:Inner}"),
                say("After", "$.External.word"),
                BYE,
            ),
            "Inner": content(
                invoke("Ask", "inner", "End", "End"), act("End", "EndFlowModuleExecution")
            ),
        },
        {"Inner": {"type": "FLOW_MODULE"}},
    )
    lambdas = {"outer": answering({"word": "outer"}), "inner": answering({"word": "inner"})}

    result = run(flows, lambdas=lambdas)

    assert (result.spoken, result.flows) == (["outer"], ["Start", "Inner"])


def menu_flow() -> FlowSet:
    menu = act(
        "Menu",
        "GetParticipantInput",
        errors={"InputTimeLimitExceeded": "Timeout", "NoMatchingCondition": "Wrong"},
        conditions={"1": "One"},
        Text="Press 1.",
        StoreInput="False",
        InputTimeLimitSeconds="5",
    )
    return flow_set(
        {
            "Start": content(
                menu, say("One", "one"), say("Timeout", "timeout"), say("Wrong", "wrong"), BYE
            )
        }
    )


@pytest.mark.parametrize(("entries", "heard"), [(["1"], "one"), (["7"], "wrong"), ([], "timeout")])
def test_a_menu_branches_on_the_key_pressed(entries: list[str], heard: str) -> None:
    assert run(menu_flow(), *entries).spoken[-1] == heard


@pytest.mark.parametrize("entry", [None, ""])
def test_none_and_an_empty_entry_are_both_timeouts(entry: str | None) -> None:
    assert run(menu_flow(), entry).spoken[-1] == "timeout"


def queue_flow() -> dict:
    offer = act(
        "Offer",
        "GetParticipantInput",
        errors={"InputTimeLimitExceeded": "Offer", "NoMatchingCondition": "Offer"},
        conditions={"1": "Bye"},
        Text="Press 1 to leave.",
        StoreInput="False",
    )
    return content(offer, BYE)


def queued_call(*entries: str | None) -> CallResult:
    start = content(
        act("Queue", "UpdateContactTargetQueue", "Hook", QueueId="$.Attributes.queueId"),
        act("Hook", "UpdateContactEventHooks", "Transfer",
            EventHooks={"CustomerQueue": "${flow:Waiting}"}),
        act("Transfer", "TransferContactToQueue"),
    )  # fmt: skip
    flows = flow_set(
        {"Start": start, "Waiting": queue_flow()}, {"Waiting": {"type": "CUSTOMER_QUEUE"}}
    )
    return run(flows, *entries, attributes={"queueId": "q-7"}, queue_names={"q-7": "Sales-APAC"})


def test_a_queue_id_from_the_attributes_is_named_by_queue_names() -> None:
    assert queued_call().queue == "Sales-APAC"


def test_a_queued_caller_with_no_keys_left_stays_queued() -> None:
    result = queued_call(None, None)

    assert (result.ended, result.spoken.count("Press 1 to leave.")) == ("queued", 3)


def test_a_queued_caller_can_leave_through_the_queue_flow() -> None:
    assert queued_call(None, "1").ended == "disconnected"


def test_a_queue_flow_looping_without_input_still_ends_queued() -> None:
    waiting = content(say("Music", "La la la.", "Music"))
    flows = flow_set({"Start": waiting}, {"Start": {"type": "CUSTOMER_QUEUE"}})

    assert run(flows).ended == "queued"


def test_as_dict_has_exactly_the_result_fields() -> None:
    result = run(flow_set({"Start": content(BYE)}))

    assert list(result.as_dict()) == [
        "flows", "spoken", "language", "attributes", "queue",
        "priority", "recording", "callback", "ended", "transcript", "reason", "unsupported",
    ]  # fmt: skip


def test_load_flows_names_a_flow_file_the_manifest_lists_but_is_missing(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"Lost": {"type": "CONTACT_FLOW"}}))

    with pytest.raises(FlowError, match=r"Lost\.json: no such file"):
        load_flows(tmp_path)


def test_load_flows_refuses_a_start_action_that_is_not_there(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"Odd": {}}))
    (tmp_path / "Odd.json").write_text(json.dumps({"StartAction": "Nope", "Actions": [BYE]}))

    with pytest.raises(FlowError, match="StartAction 'Nope' is not one of its actions"):
        load_flows(tmp_path)


def test_importing_the_simulator_loads_neither_django_nor_boto3() -> None:
    script = (
        "import sys, flows.simulator; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'boto3'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


# --- outcomes for any flow, not only ours -------------------------------------------------------


def test_a_transfer_to_a_flow_outside_the_set_ends_as_transferred_naming_it() -> None:
    arn = "arn:aws:connect:us-east-1:123456789012:instance/abc/contact-flow/elsewhere"
    flows = flow_set(
        {"Start": content(act("Out", "TransferToFlow", "Bye", ContactFlowId=arn), BYE)}
    )

    result = run(flows)

    assert (result.ended, result.reason) == ("transferred", f"Transferred to flow {arn}")


def test_a_transfer_to_a_third_party_number_ends_as_transferred() -> None:
    flows = flow_set(
        {
            "Start": content(
                act("Out", "TransferParticipantToThirdParty", ThirdPartyPhoneNumber="+12025550111")
            )
        }
    )

    assert run(flows).reason == "Transferred to number +12025550111"


def test_end_flow_execution_ends_the_run() -> None:
    flows = flow_set(
        {"Start": content(say("Hi", "Hello.", "Stop"), act("Stop", "EndFlowExecution"))}
    )

    result = run(flows)

    assert (result.ended, result.spoken) == ("ended", ["Hello."])


def test_logging_and_media_streaming_let_the_call_go_on() -> None:
    flows = flow_set(
        {
            "Start": content(
                act("Log", "UpdateFlowLoggingBehavior", "Stream", FlowLoggingBehavior="Enabled"),
                act("Stream", "UpdateContactMediaStreamingBehavior", "Bye"),
                BYE,
            )
        }
    )

    assert run(flows).ended == "disconnected"


def test_flow_attributes_are_read_back_in_the_same_flow() -> None:
    flows = flow_set(
        {
            "Start": content(
                act(
                    "Set",
                    "UpdateFlowAttributes",
                    "Say",
                    FlowAttributes={"greeting": {"Value": "Hi"}},
                ),
                say("Say", "$.FlowAttributes.greeting"),
                BYE,
            )
        }
    )

    assert run(flows).spoken == ["Hi"]


def test_a_transfer_keeps_the_lambda_answer_in_external() -> None:
    # The reference does not say a transfer clears $.External; an AWS sample relies on it not.
    flows = flow_set(
        {
            "Start": content(
                invoke("Ask", "get_prompts", "Go", "Bye"),
                act("Go", "TransferToFlow", "Bye", ContactFlowId="${flow:Next}"),
                BYE,
            ),
            "Next": content(say("Say", "$.External.greeting"), BYE),
        }
    )

    result = run(flows, lambdas={"get_prompts": answering({"greeting": "Hello again."})})

    assert result.spoken == ["Hello again."]


def test_a_malformed_action_ends_the_run_with_a_reason_instead_of_raising() -> None:
    flows = flow_set({"Start": content(act("Set", "UpdateFlowAttributes", FlowAttributes=["x"]))})

    result = run(flows)

    assert result.ended in ("error", "ended")
    assert result.reason
