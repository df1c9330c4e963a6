"""The flow validator: each broken fixture in tests/fixtures/flows/ breaks exactly one rule.

A fixture file is checked as the CONTACT_FLOW "Sample" with the prompts below; a fixture
directory is read with its manifest, like flows/definitions/.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.check import Problem, check, load, prompt_usage, spoken_prompts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "flows"

PROMPTS = {
    "Sample": {
        "Menu": {"en-US": "For sales, press 1.", "es-US": "Para ventas, oprima 1."},
        "Goodbye": {"en-US": "Goodbye.", "es-US": "Adiós."},
    }
}


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def problems_in(name: str, *, prompts: dict | None = PROMPTS) -> list[Problem]:
    path = FIXTURES / name
    if path.is_dir():
        flows, types, problems = load(path)
        return problems + check(flows, types, prompts)
    return check({"Sample": fixture(name)}, {"Sample": "CONTACT_FLOW"}, prompts)


def codes(problems: list[Problem]) -> set[str]:
    return {problem.code for problem in problems}


def codes_of_sample(flow: dict, *, prompts: dict | None = PROMPTS) -> set[str]:
    return codes(check({"Sample": flow}, {"Sample": "CONTACT_FLOW"}, prompts))


def action(flow: dict, identifier: str) -> dict:
    return next(a for a in flow["Actions"] if a["Identifier"] == identifier)


def good_set() -> tuple[dict, dict]:
    flows, types, _ = load(FIXTURES / "good-set")
    return flows, types


# --- good flows ------------------------------------------------------------------------------


def test_a_good_flow_has_no_problems() -> None:
    assert problems_in("good") == []


def test_a_good_set_of_flows_referring_to_each_other_has_no_problems() -> None:
    assert problems_in("good-set") == []


# --- reading ---------------------------------------------------------------------------------


def test_an_unreadable_file_is_a_problem_not_a_crash() -> None:
    flows, _, problems = load(FIXTURES / "invalid-json")

    assert flows == {}
    assert codes(problems) == {"invalid-json"}
    assert problems[0].flow == "Broken"


def test_a_flow_missing_from_the_manifest_and_an_entry_without_a_file_are_reported() -> None:
    assert [str(p) for p in problems_in("manifest")] == [
        "manifest.json: lists 'Ghost' but there is no Ghost.json [manifest]",
        "Orphan: has no type in manifest.json [manifest]",
    ]


def test_a_directory_without_a_manifest_is_reported(tmp_path: Path) -> None:
    _, _, problems = load(tmp_path)

    assert codes(problems) == {"manifest"}


def test_a_flow_that_is_not_a_json_object_is_reported() -> None:
    assert codes(check({"Sample": []}, {"Sample": "CONTACT_FLOW"})) == {"invalid-json"}


def test_a_malformed_action_is_reported() -> None:
    assert codes(problems_in("structure")) == {"structure"}


# --- the flow language -----------------------------------------------------------------------


def test_it_reports_a_version_other_than_2019_10_30() -> None:
    assert codes(problems_in("version")) == {"version"}


def test_it_reports_a_start_action_that_names_no_action() -> None:
    assert codes(problems_in("start-action")) == {"start-action"}


def test_it_reports_two_actions_with_one_identifier() -> None:
    assert codes(problems_in("duplicate-identifier")) == {"duplicate-identifier"}


def test_it_reports_an_identifier_with_a_forbidden_character() -> None:
    assert codes(problems_in("illegal-identifier")) == {"illegal-identifier"}


@pytest.mark.parametrize(
    "identifier", ["x" * 51, "Menu (main)", "a/b", "$.Menu", "constructor", "__proto__", ""]
)
def test_it_reports_identifiers_connect_refuses(identifier: str) -> None:
    flow = {"Version": "2019-10-30", "StartAction": identifier, "Actions": []}
    flow["Actions"].append({"Identifier": identifier, "Type": "DisconnectParticipant"})

    assert codes_of_sample(flow) == {"illegal-identifier"}


@pytest.mark.parametrize("identifier", ["x" * 50, "Menú principal — 1", "Hang-up_2.b"])
def test_it_accepts_identifiers_with_spaces_unicode_and_fifty_characters(identifier: str) -> None:
    flow = {"Version": "2019-10-30", "StartAction": identifier, "Actions": []}
    flow["Actions"].append({"Identifier": identifier, "Type": "DisconnectParticipant"})

    assert codes_of_sample(flow) == set()


def test_it_reports_a_transition_to_a_missing_action() -> None:
    assert [str(p) for p in problems_in("dangling-transition")] == [
        "Sample: action 'Goodbye': transition to 'Nope' names no action [dangling-transition]"
    ]


def test_it_reports_a_dangling_condition_as_well_as_errors_and_next_actions() -> None:
    flow = fixture("good")
    action(flow, "Menu")["Transitions"]["Conditions"][0]["NextAction"] = "Nope"

    assert codes_of_sample(flow) == {"dangling-transition", "unreachable"}


def test_it_reports_an_action_no_path_reaches() -> None:
    assert codes(problems_in("unreachable")) == {"unreachable"}


def test_it_reports_a_lambda_time_limit_above_eight_seconds() -> None:
    assert codes(problems_in("lambda-timeout")) == {"lambda-timeout"}


@pytest.mark.parametrize("limit", [None, "0", 9, "$.Attributes.timeout", 2.5, True, "three"])
def test_it_reports_a_lambda_time_limit_that_is_missing_dynamic_or_not_1_to_8(
    limit: object,
) -> None:
    flow = fixture("good")
    action(flow, "Load prompts")["Parameters"]["InvocationTimeLimitSeconds"] = limit

    assert codes_of_sample(flow) == {"lambda-timeout"}


@pytest.mark.parametrize("limit", [1, "8", " 4 "])
def test_it_accepts_a_lambda_time_limit_as_a_string_or_a_number(limit: object) -> None:
    flow = fixture("good")
    action(flow, "Load prompts")["Parameters"]["InvocationTimeLimitSeconds"] = limit

    assert codes_of_sample(flow) == set()


def test_it_reports_a_lambda_without_an_error_branch() -> None:
    assert codes(problems_in("lambda-error-branch")) == {"lambda-error-branch"}


def test_it_reports_a_routing_change_with_two_settings() -> None:
    assert codes(problems_in("routing-behavior")) == {"routing-behavior"}


@pytest.mark.parametrize(
    "parameters",
    [{}, {"QueuePriority": "$.Attributes.priority"}, {"QueuePriority": "0"}, {"Foo": "1"}],
)
def test_it_reports_a_routing_change_that_is_not_one_static_setting(parameters: dict) -> None:
    flow = fixture("good")
    action(flow, "Priority")["Parameters"] = parameters

    assert codes_of_sample(flow) == {"routing-behavior"}


def test_it_accepts_a_routing_change_by_queue_time() -> None:
    flow = fixture("good")
    action(flow, "Priority")["Parameters"] = {"QueueTimeAdjustmentSeconds": -60}

    assert codes_of_sample(flow) == set()


def test_it_reports_an_hours_check_without_a_false_branch() -> None:
    assert codes(problems_in("hours-conditions")) == {"hours-conditions"}


def test_it_reports_an_hours_check_with_a_third_condition() -> None:
    flow = fixture("good")
    conditions = action(flow, "Check hours")["Transitions"]["Conditions"]
    conditions.append(copy.deepcopy(conditions[0]))

    assert codes_of_sample(flow) == {"hours-conditions"}


def test_it_reports_customer_input_without_a_timeout_branch() -> None:
    assert [str(p) for p in problems_in("input-errors")] == [
        "Sample: action 'Menu': has no InputTimeLimitExceeded branch [input-errors]"
    ]


def stored_input(errors: list[str]) -> dict:
    flow = fixture("input-errors")
    menu = action(flow, "Menu")
    menu["Parameters"].update(StoreInput="True", InputValidation={"CustomValidation": {}})
    del menu["Transitions"]["Conditions"]
    menu["Transitions"]["Errors"] = [{"NextAction": "Goodbye", "ErrorType": e} for e in errors]
    return flow


def test_stored_input_needs_only_an_error_branch() -> None:
    assert codes_of_sample(stored_input(["NoMatchingError"])) == set()


def test_stored_input_without_an_error_branch_is_reported() -> None:
    assert codes_of_sample(stored_input([])) == {"input-errors"}


def test_it_reports_a_routing_change_in_a_customer_queue_flow() -> None:
    assert codes(problems_in("flow-type")) == {"flow-type"}


def test_it_reports_a_module_invoked_from_a_module() -> None:
    flows, types = good_set()
    types["Main"] = "FLOW_MODULE"

    assert codes(check(flows, types)) == {"flow-type"}


# --- references between flows ----------------------------------------------------------------


def test_it_reports_a_module_placeholder_naming_a_customer_queue_flow() -> None:
    assert [str(p) for p in problems_in("flow-reference")] == [
        "Main: action 'Recording': ${module:Queue} is a CUSTOMER_QUEUE; here it must be "
        "FLOW_MODULE [flow-reference]"
    ]


def test_it_reports_a_flow_placeholder_naming_no_flow() -> None:
    flows, types = good_set()
    hooks = action(flows["Main"], "Survey flow")["Parameters"]["EventHooks"]
    hooks["CustomerRemaining"] = "${flow:Nowhere}"

    assert codes(check(flows, types)) == {"flow-reference"}


def test_it_reports_a_customer_queue_hook_running_an_inbound_flow() -> None:
    flows, types = good_set()
    hooks = action(flows["Main"], "Queue flow")["Parameters"]["EventHooks"]
    hooks["CustomerQueue"] = "${flow:Survey}"

    assert codes(check(flows, types)) == {"flow-reference"}


def test_it_reports_a_transfer_to_a_customer_queue_flow() -> None:
    flows, types = good_set()
    transfer = action(flows["Main"], "Transfer")
    transfer["Type"] = "TransferToFlow"
    transfer["Parameters"] = {"ContactFlowId": "${flow:Queue}"}
    # A transfer to a flow has none of a queue transfer's error types (QueueAtCapacity).
    errors = transfer["Transitions"]["Errors"]
    transfer["Transitions"]["Errors"] = [{**errors[-1], "ErrorType": "NoMatchingError"}]

    assert codes(check(flows, types)) == {"flow-reference"}


def test_it_reports_a_placeholder_kind_publishing_does_not_resolve() -> None:
    assert codes(problems_in("placeholder")) == {"placeholder"}


# --- prompts ---------------------------------------------------------------------------------


def test_it_reports_a_spoken_prompt_the_flow_does_not_have() -> None:
    assert [str(p) for p in problems_in("unknown-prompt")] == [
        "Sample: action 'Welcome': speaks $.External.Welcome, which is not a prompt of Sample "
        "[unknown-prompt]"
    ]


def test_it_reports_a_spoken_prompt_of_another_flow_as_unknown() -> None:
    prompts = {"Main": PROMPTS["Sample"], "Sample": {}}

    assert codes_of_sample(fixture("good"), prompts=prompts) == {"unknown-prompt"}


def test_it_reports_a_spoken_prompt_missing_a_language() -> None:
    prompts = copy.deepcopy(PROMPTS)
    prompts["Sample"]["Goodbye"]["es-US"] = "  "

    assert [
        str(p) for p in check({"Sample": fixture("good")}, {"Sample": "CONTACT_FLOW"}, prompts)
    ] == ["Sample: prompt Goodbye has no es-US text [missing-translation]"]


def test_it_checks_the_languages_it_is_given() -> None:
    prompts = copy.deepcopy(PROMPTS)
    del prompts["Sample"]["Menu"]["es-US"]

    assert check({"Sample": fixture("good")}, {"Sample": "CONTACT_FLOW"}, prompts, ["en-US"]) == []


def test_without_prompts_it_skips_the_prompt_rules() -> None:
    assert problems_in("unknown-prompt", prompts=None) == []


def test_it_reports_prompts_spoken_on_the_error_branch_of_get_prompts() -> None:
    assert [str(p) for p in problems_in("prompts-not-loaded")] == [
        "Sample: action 'Goodbye': speaks $.External.Goodbye, but $.External may not hold "
        "get_prompts' answer here: on the error branch of 'Load prompts' [prompts-not-loaded]"
    ]


def test_it_reports_prompts_spoken_before_get_prompts() -> None:
    flow = fixture("good")
    greeting = {"Identifier": "Greeting", "Type": "MessageParticipant"}
    greeting.update(
        Parameters={"Text": "$.External.Menu"},
        Transitions={
            "NextAction": "Load prompts",
            "Errors": [{"NextAction": "Load prompts", "ErrorType": "NoMatchingError"}],
        },
    )
    flow["Actions"].append(greeting)
    flow["StartAction"] = "Greeting"

    assert codes_of_sample(flow) == {"prompts-not-loaded"}


def test_it_reports_prompts_spoken_after_another_lambda_answered() -> None:
    flow = fixture("good")
    lookup = copy.deepcopy(action(flow, "Load prompts"))
    lookup.update(Identifier="Look up caller")
    lookup["Parameters"]["LambdaFunctionARN"] = "${lambda:lookup_customer}"
    lookup["Transitions"]["NextAction"] = "Menu"
    flow["Actions"].append(lookup)
    action(flow, "Check hours")["Transitions"]["Conditions"][0]["NextAction"] = "Look up caller"

    assert codes_of_sample(flow) == {"prompts-not-loaded"}


def test_it_reports_prompts_spoken_after_a_module_ran() -> None:
    flow = fixture("good")
    module = {
        "Identifier": "Recording",
        "Type": "InvokeFlowModule",
        "Parameters": {"FlowModuleId": "${module:Recording}"},
        "Transitions": {"NextAction": "Goodbye"},
    }
    flow["Actions"].append(module)
    action(flow, "Check hours")["Transitions"]["Conditions"][1]["NextAction"] = "Recording"
    types = {"Sample": "CONTACT_FLOW", "Recording": "FLOW_MODULE"}

    assert codes(check({"Sample": flow}, types, PROMPTS)) == {"prompts-not-loaded"}


def test_it_reports_get_prompts_asked_for_another_flow() -> None:
    assert codes(problems_in("get-prompts-name")) == {"get-prompts-name"}


def test_it_recognises_get_prompts_by_its_deployed_arn() -> None:
    flow = fixture("good")
    arn = "arn:aws:lambda:us-east-1:123456789012:function:jamcc-get-prompts"
    action(flow, "Load prompts")["Parameters"]["LambdaFunctionARN"] = arn

    assert codes_of_sample(flow) == set()


# --- what the admin shows --------------------------------------------------------------------


def speaking(type_: str, **parameters: object) -> dict:
    return {
        "Version": "2019-10-30",
        "StartAction": "Speak",
        "Actions": [{"Identifier": "Speak", "Type": type_, "Parameters": parameters}],
    }


def test_spoken_prompts_finds_prompts_in_messages_and_menus() -> None:
    assert spoken_prompts(fixture("good")) == {"Menu", "Goodbye"}


def test_spoken_prompts_finds_prompts_inside_ssml() -> None:
    flow = speaking("MessageParticipant", SSML="<speak>$.External.Welcome <break/></speak>")

    assert spoken_prompts(flow) == {"Welcome"}


def test_spoken_prompts_finds_every_prompt_of_an_iterative_message() -> None:
    messages = [{"Text": "$.External.Hold"}, {"SSML": "<speak>$.External.WaitUpdate</speak>"}]

    assert spoken_prompts(speaking("MessageParticipantIteratively", Messages=messages)) == {
        "Hold",
        "WaitUpdate",
    }


def test_spoken_prompts_reads_the_bracket_form() -> None:
    flow = speaking("GetParticipantInput", Text="$.External.['Menu'] $.External[\"Other\"]")

    assert spoken_prompts(flow) == {"Menu", "Other"}


def test_spoken_prompts_leaves_out_what_the_prompts_lambda_adds() -> None:
    flow = speaking("MessageParticipant", Text="$.External.announcement $.External.Welcome")

    assert spoken_prompts(flow) == {"Welcome"}


def test_spoken_prompts_ignores_attributes_and_actions_that_do_not_speak() -> None:
    flow = speaking("UpdateContactAttributes", Attributes={"Menu": "$.External.Menu"})
    flow["Actions"].append(
        {
            "Identifier": "Say",
            "Type": "MessageParticipant",
            "Parameters": {"Text": "Hello $.Attributes.FirstName"},
        }
    )

    assert spoken_prompts(flow) == set()


def test_spoken_prompts_of_a_malformed_flow_is_empty() -> None:
    assert spoken_prompts({"Actions": "none"}) == set()


def test_prompt_usage_maps_each_flow_to_the_prompts_it_speaks() -> None:
    flows = {"Sample": fixture("good"), "Quiet": fixture("version")}

    assert prompt_usage(flows) == {"Sample": {"Menu", "Goodbye"}, "Quiet": set()}


def test_a_problem_without_an_action_names_only_the_flow() -> None:
    problem = Problem("Main", "", "version", "Version is '1', not \"2019-10-30\"")

    assert str(problem) == "Main: Version is '1', not \"2019-10-30\" [version]"


# --- any JSON at all -------------------------------------------------------------------------

NAMES = st.sampled_from(["A", "B", "${flow:A}", "${module:Main}", "$.External.Menu", "1"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | NAMES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=3),
    max_leaves=10,
)


def flow_shaped(**fields: st.SearchStrategy) -> st.SearchStrategy:
    """Objects with some of ``fields``, each holding its usual shape or any JSON value."""
    return st.fixed_dictionaries({}, optional={k: v | JSON for k, v in fields.items()})


TYPES = st.sampled_from(
    [
        "InvokeLambdaFunction",
        "GetParticipantInput",
        "CheckHoursOfOperation",
        "InvokeFlowModule",
        "UpdateContactRoutingBehavior",
        "UpdateContactEventHooks",
        "MessageParticipantIteratively",
    ]
)
BRANCH = flow_shaped(NextAction=NAMES, ErrorType=NAMES, Condition=flow_shaped(Operands=JSON))
ACTION = flow_shaped(
    Identifier=NAMES,
    Type=TYPES,
    Parameters=st.dictionaries(
        st.sampled_from(
            [
                "Text",
                "Messages",
                "EventHooks",
                "LambdaFunctionARN",
                "QueuePriority",
                "InvocationTimeLimitSeconds",
                "LambdaInvocationAttributes",
            ]
        ),
        JSON,
    ),
    Transitions=flow_shaped(
        NextAction=NAMES,
        Errors=st.lists(BRANCH, max_size=3),
        Conditions=st.lists(BRANCH, max_size=3),
    ),
)
FLOW = flow_shaped(
    Version=st.just("2019-10-30"), StartAction=NAMES, Actions=st.lists(ACTION, max_size=4)
)


@settings(max_examples=300, deadline=None)
@given(flow=FLOW)
def test_it_reports_problems_in_any_json_instead_of_crashing(flow: object) -> None:
    flows = {"Main": flow, "A": fixture("version")}

    problems = check(flows, {"Main": "CONTACT_FLOW", "A": "FLOW_MODULE"}, {})

    assert all(isinstance(problem, Problem) for problem in problems)
    assert isinstance(prompt_usage(flows), dict)


# --- rules from the flow language reference (flows/reference.py) ------------------------------


def sample_with(**changes: object) -> dict:
    """The good fixture with its "Goodbye" message changed as given."""
    flow = fixture("good")
    action(flow, "Goodbye").update(changes)
    return flow


def problems_of(flow: dict, flow_type: str = "CONTACT_FLOW") -> list[Problem]:
    return check({"Sample": flow}, {"Sample": flow_type}, PROMPTS, generic=True)


def messages(problems: list[Problem], code: str) -> list[str]:
    return [p.message for p in problems if p.code == code]


def test_an_action_type_the_language_lacks_is_an_error_with_a_suggestion() -> None:
    found = problems_of(sample_with(Type="MessageParticipent"))

    assert messages(found, "unknown-action") == [
        "'MessageParticipent' is not an action type of the flow language "
        "(did you mean MessageParticipant?)"
    ]


def test_a_misspelt_parameter_is_an_error_with_a_suggestion() -> None:
    found = problems_of(sample_with(Parameters={"Txt": "Goodbye."}))

    assert messages(found, "unknown-parameter") == [
        "MessageParticipant takes no parameter 'Txt' (did you mean Text?)"
    ]


def test_text_and_ssml_together_are_an_error() -> None:
    # https://docs.aws.amazon.com/connect/latest/APIReference/participant-actions-messageparticipant.html
    found = problems_of(sample_with(Parameters={"Text": "Bye.", "SSML": "<speak>Bye.</speak>"}))

    assert codes(found) == {"exclusive-parameters"}


def test_a_required_parameter_missing_is_an_error() -> None:
    flow = fixture("good")
    language = {"Identifier": "Language", "Type": "UpdateContactData"}
    language |= {"Parameters": {"LanguageCode": "es-US"}, "Transitions": {"NextAction": "Hang up"}}
    language["Transitions"]["Errors"] = [{"NextAction": "Hang up", "ErrorType": "NoMatchingError"}]
    flow["Actions"].append(language)
    action(flow, "Goodbye")["Transitions"]["NextAction"] = "Language"

    assert messages(problems_of(flow), "missing-parameter") == [
        "UpdateContactData needs TargetContact"
    ]


def test_more_than_250_actions_is_an_error() -> None:
    flow = fixture("good")
    for number in range(250):
        flow["Actions"].append(
            {"Identifier": f"extra-{number}", "Type": "DisconnectParticipant", "Parameters": {}}
        )

    assert "too-many-actions" in codes(problems_of(flow))


def test_an_error_type_the_action_does_not_define_is_an_error() -> None:
    goodbye = action(fixture("good"), "Goodbye")
    errors = [
        {"NextAction": "Hang up", "ErrorType": "NoMatchingError"},
        {"NextAction": "Hang up", "ErrorType": "QueueAtCapacity"},
    ]

    found = problems_of(sample_with(Transitions={**goodbye["Transitions"], "Errors": errors}))

    assert codes(found) == {"unknown-error-type"}


def test_an_event_hooks_map_with_two_entries_is_an_error() -> None:
    hooks = {"CustomerQueue": "arn:q", "CustomerRemaining": "arn:r"}

    found = problems_of(
        sample_with(Type="UpdateContactEventHooks", Parameters={"EventHooks": hooks})
    )

    assert "event-hooks" in codes(found)


@pytest.mark.parametrize(
    ("action_type", "flow_type"),
    [
        ("EndFlowExecution", "CONTACT_FLOW"),
        ("GetParticipantInput", "CUSTOMER_WHISPER"),
    ],
)
def test_an_action_in_a_flow_type_the_reference_keeps_it_out_of_is_an_error(
    action_type: str, flow_type: str
) -> None:
    flow = {
        "Version": "2019-10-30",
        "StartAction": "one",
        "Actions": [{"Identifier": "one", "Type": action_type, "Parameters": {}}],
    }

    assert f"{action_type} is not allowed in a {flow_type} flow" in messages(
        problems_of(flow, flow_type), "flow-type"
    )


def test_a_message_with_no_error_branch_is_a_warning_not_an_error() -> None:
    goodbye = action(fixture("good"), "Goodbye")
    found = problems_of(
        sample_with(Transitions={"NextAction": goodbye["Transitions"]["NextAction"]})
    )

    [warning] = [p for p in found if p.code == "message-error-branch"]
    assert warning.level == "warning"
