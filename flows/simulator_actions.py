"""What each flow-language action does to a simulated call.

Each handler reads one action's Parameters, changes the :class:`Call`, and answers a
:class:`Step`: the interpreter in ``flows.simulator`` follows the branches. Semantics follow
the Amazon Connect flow language reference; where the reference is silent the choice is noted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from connect.answer import spoken_text
from connect.items import is_ssml
from flows.loader import CONTACT_FLOW, CUSTOMER_QUEUE, FLOW_MODULE
from flows.simulator_call import Call, Lambda, Step

E164 = re.compile(r"^\+[1-9]\d{1,14}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
MAX_LAMBDA_SECONDS = 8  # Connect's ceiling for InvocationTimeLimitSeconds

Handler = Callable[[Call, Mapping[str, Any]], Step]

NEXT = Step("next")
FAILED = Step("error", "NoMatchingError")


@dataclass(frozen=True)
class LambdaContext:
    """The few attributes of Lambda's context object a handler might read."""

    function_name: str
    aws_request_id: str
    time_limit_ms: int

    def get_remaining_time_in_millis(self) -> int:
        return self.time_limit_ms


def _parameters(action: Mapping[str, Any]) -> Mapping[str, Any]:
    parameters = action.get("Parameters")
    return parameters if isinstance(parameters, Mapping) else {}


def message_participant(call: Call, action: Mapping[str, Any]) -> Step:
    return NEXT if _speak(call, _parameters(action)) else FAILED


def _speak(call: Call, parameters: Mapping[str, Any]) -> bool:
    """Say the action's message; False where Connect would take the Error branch."""
    if "SSML" in parameters:
        ssml = call.text(parameters["SSML"])
        if ssml.strip() and not is_ssml(ssml):
            call.note(f"Not SSML, so nothing is played: {ssml[:80]!r}")
            return False
        # The transcript shows what the caller hears: the words, not the markup.
        text = spoken_text(ssml).strip() if ssml.strip() else ""
    elif "PromptId" in parameters:
        text = f"(recorded prompt {call.resolve(parameters['PromptId'])})"
    else:
        text = call.text(parameters.get("Text"))
    if not text:
        # Undocumented in Connect: the simulator plays either reading (Call.empty_prompt).
        if call.empty_prompt == "silence":
            call.note("Nothing to say (the text is empty): silence, and the flow goes on")
            return True
        call.note("Nothing to say (the text is empty): the error branch")
        return False
    call.say(text)
    return True


def get_participant_input(call: Call, action: Mapping[str, Any]) -> Step:
    parameters = _parameters(action)
    if not _speak(call, parameters):
        return FAILED
    entry = call.take_input()
    if entry is False:
        return Step("wait")
    if str(parameters.get("StoreInput", "False")).lower() == "true":
        return _store(call, parameters, entry)
    return _choose(call, action, entry)


def _store(call: Call, parameters: Mapping[str, Any], entry: str | None) -> Step:
    # Store customer input: a timeout takes the success branch, the stored value "Timeout".
    validation = parameters.get("InputValidation") or {}
    limit = str((validation.get("CustomValidation") or {}).get("MaximumLength"))
    value = entry if entry is not None else "Timeout"
    if entry is not None and limit.isdigit():
        value = entry[: int(limit)]
    call.stored_input = value
    call.note(f"Caller entered {value}" if entry is not None else "Caller pressed nothing")
    return NEXT


def _choose(call: Call, action: Mapping[str, Any], entry: str | None) -> Step:
    if entry is None:
        call.note("Caller pressed nothing (timeout)")
        return Step("error", "InputTimeLimitExceeded")
    digit = entry[0]  # Get customer input takes a single key
    call.note(f"Caller pressed {digit}")
    target = _matching(action, digit)
    return Step("goto", target) if target else Step("error", "NoMatchingCondition")


def _matching(action: Mapping[str, Any], value: str) -> str | None:
    for condition in (action.get("Transitions") or {}).get("Conditions") or []:
        test = condition.get("Condition") or {}
        operands = [str(o) for o in test.get("Operands") or []]
        if operands and _holds(str(test.get("Operator")), value, operands[0]):
            target: str | None = condition.get("NextAction")  # an Identifier in a checked flow
            return target
    return None


def _holds(operator: str, value: str, operand: str) -> bool:
    text_tests = {
        "Equals": value == operand,
        "TextStartsWith": value.startswith(operand),
        "StartsWith": value.startswith(operand),
        "TextContains": operand in value,
        "Contains": operand in value,
        "TextEndsWith": value.endswith(operand),
    }
    if operator in text_tests:
        return text_tests[operator]
    return _number_test(operator, value, operand)


def _number_test(operator: str, value: str, operand: str) -> bool:
    try:
        left, right = float(value), float(operand)
    except ValueError:
        return False
    return {
        "NumberGreaterThan": left > right,
        "NumberGreaterOrEqualTo": left >= right,
        "NumberLessThan": left < right,
        "NumberLessOrEqualTo": left <= right,
    }.get(operator, False)


def compare(call: Call, action: Mapping[str, Any]) -> Step:
    reference = str(_parameters(action).get("ComparisonValue", ""))
    value = call.resolve(reference)
    call.note(f"Check {reference}: {value!r}")
    target = _matching(action, value)
    return Step("goto", target) if target else Step("error", "NoMatchingCondition")


def invoke_lambda(call: Call, action: Mapping[str, Any]) -> Step:
    parameters = _parameters(action)
    name = call.target("lambda", parameters.get("LambdaFunctionARN")) or ""
    # "*" answers for any function (python -m flows simulate --lambda-answer), real ARNs too.
    function = call.lambdas.get(name) or call.lambdas.get("*")
    name = name or str(parameters.get("LambdaFunctionARN", ""))
    limit = str(parameters.get("InvocationTimeLimitSeconds", ""))
    if function is None or not limit.isdigit() or not 0 < int(limit) <= MAX_LAMBDA_SECONDS:
        call.note(f"Lambda {name or parameters.get('LambdaFunctionARN')!r} cannot be invoked")
        call.external = {}
        return FAILED
    raw = parameters.get("LambdaInvocationAttributes") or {}
    event = call.lambda_event({key: call.resolve(value) for key, value in raw.items()})
    return _answer(call, name, function, event, int(limit), parameters)


def _answer(
    call: Call,
    name: str,
    function: Lambda,
    event: dict[str, Any],
    limit: int,
    parameters: Mapping[str, Any],
) -> Step:
    # $.External holds the latest answer only: a failed invocation leaves it empty.
    call.external = {}
    started = time.monotonic()
    try:
        answer = function(event, LambdaContext(name, call.contact_id, limit * 1000))
    except Exception as exc:  # any failure of the function takes the Error branch
        call.note(f"Lambda {name} failed: {type(exc).__name__}: {exc}")
        return FAILED
    if time.monotonic() - started > limit:
        call.note(f"Lambda {name} took longer than {limit} s")
        return FAILED
    if not _valid_answer(answer, parameters):
        call.note(f"Lambda {name} answered something other than a map of strings")
        return FAILED
    call.external = dict(answer)
    call.note(f"Lambda {name} answered {len(answer)} values")
    return NEXT


def _valid_answer(answer: object, parameters: Mapping[str, Any]) -> bool:
    if not isinstance(answer, Mapping):
        return False
    response_type = (parameters.get("ResponseValidation") or {}).get("ResponseType", "STRING_MAP")
    return response_type == "JSON" or all(isinstance(v, str) for v in answer.values())


def update_contact_attributes(call: Call, action: Mapping[str, Any]) -> Step:
    values = _parameters(action).get("Attributes") or {}
    resolved = {str(key): call.resolve(value) for key, value in values.items()}
    call.attributes.update(resolved)
    call.note("Set " + ", ".join(f"{key}={value}" for key, value in resolved.items()))
    return NEXT


def update_contact_data(call: Call, action: Mapping[str, Any]) -> Step:
    parameters = _parameters(action)
    if "LanguageCode" in parameters:
        code = call.resolve(parameters["LanguageCode"])
        if not LANGUAGE_CODE.match(code):
            call.note(f"Not a language code: {code!r}")
            return FAILED
        call.language = code
        call.note(f"Language: {code}")
    return NEXT


def update_voice(call: Call, action: Mapping[str, Any]) -> Step:
    call.note(f"Voice: {call.resolve(_parameters(action).get('TextToSpeechVoice'))}")
    return NEXT


def update_target_queue(call: Call, action: Mapping[str, Any]) -> Step:
    reference = _parameters(action).get("QueueId")
    name = call.queue_name(reference)
    if name is None:
        call.note(f"No queue for {call.resolve(reference) or reference!r}")
        return FAILED
    call.queue = name
    call.note(f"Queue: {name}")
    return NEXT


def update_routing(call: Call, action: Mapping[str, Any]) -> Step:
    parameters = _parameters(action)
    if "QueuePriority" in parameters:
        priority = str(parameters["QueuePriority"])
        if not priority.isdigit() or int(priority) < 1:
            call.note(f"Not a queue priority: {priority!r}")
            return FAILED
        call.priority = int(priority)
        call.note(f"Priority: {call.priority}")
    if "QueueTimeAdjustmentSeconds" in parameters:
        call.note(f"Queue time adjusted by {parameters['QueueTimeAdjustmentSeconds']} s")
    return NEXT


def update_recording(call: Call, action: Mapping[str, Any]) -> Step:
    behavior = _parameters(action).get("RecordingBehavior") or {}
    who = [str(p) for p in behavior.get("RecordedParticipants") or []]
    call.recording = bool(who)
    call.note(f"Recording: on ({', '.join(who)})" if who else "Recording: off")
    return NEXT


def update_event_hooks(call: Call, action: Mapping[str, Any]) -> Step:
    for event, reference in (_parameters(action).get("EventHooks") or {}).items():
        name = call.target("flow", reference)
        if name is None or name not in call.flows:
            call.note(f"Event hook {event}: no flow {reference!r}")
            return FAILED
        call.hooks[event] = name
        call.note(f"Event hook {event}: {name}")
    return NEXT


def check_hours(call: Call, action: Mapping[str, Any]) -> Step:
    if not call.queue:
        call.note("Hours: no working queue set")
        return FAILED
    is_open = call.queue_open(call.queue)
    call.note(f"Hours: {call.queue} is {'open' if is_open else 'closed'}")
    target = _matching(action, "True" if is_open else "False")
    return Step("goto", target) if target else FAILED


def update_callback_number(call: Call, action: Mapping[str, Any]) -> Step:
    number = call.resolve(_parameters(action).get("CallbackNumber"))
    if not E164.match(number):
        call.note(f"Not a callback number: {number!r}")
        return Step("error", "InvalidCallbackNumber")
    call.callback_number = number
    call.note(f"Callback number: {number}")
    return NEXT


def create_callback(call: Call, action: Mapping[str, Any]) -> Step:
    parameters = _parameters(action)
    queue = call.queue_name(parameters["QueueId"]) if "QueueId" in parameters else call.queue
    # Without a number set, Connect calls back the customer participant's own number.
    number = call.callback_number or call.caller
    if not queue or not E164.match(number):
        call.note("Callback: no queue or no number to call")
        return FAILED
    call.callback = True
    call.note(f"Callback: {number} from {queue}")
    return NEXT


def transfer_to_flow(call: Call, action: Mapping[str, Any]) -> Step:
    value = _parameters(action).get("ContactFlowId")
    name = call.target("flow", value)
    if name is None and isinstance(value, str) and value.strip():
        # A real id or ARN: a flow outside the set simulated, where this run ends.
        return Step("transferred", f"flow {call.resolve(value)}")
    if name is None or name not in call.flows or call.flows[name].type != CONTACT_FLOW:
        call.note(f"Transfer: no contact flow {name!r}")
        return FAILED
    call.note(f"Transfer to flow {name}")
    return Step("flow", name)


def invoke_module(call: Call, action: Mapping[str, Any]) -> Step:
    name = call.target("module", _parameters(action).get("FlowModuleId"))
    if name is None or name not in call.flows or call.flows[name].type != FLOW_MODULE:
        call.note(f"Module: no flow module {name!r}")
        return FAILED
    call.note(f"Invoke module {name}")
    return Step("module", name)


def end_module(call: Call, action: Mapping[str, Any]) -> Step:
    return Step("return")


def transfer_to_queue(call: Call, action: Mapping[str, Any]) -> Step:
    if not call.queue or call.in_queue:
        call.note("Transfer to queue: no working queue, or already queued")
        return FAILED
    hook = call.hooks.get("CustomerQueue")
    if hook and call.flows[hook].type != CUSTOMER_QUEUE:
        call.note(f"Transfer to queue: {hook} is not a customer queue flow")
        return FAILED
    call.note(f"Queued in {call.queue}")
    return Step("queued")


def disconnect(call: Call, action: Mapping[str, Any]) -> Step:
    call.note("Disconnect")
    return Step("disconnected")


def end_flow(call: Call, action: Mapping[str, Any]) -> Step:
    return Step("ended")


def goes_on(call: Call, action: Mapping[str, Any]) -> Step:
    """An action that changes nothing a simulated voice call can observe (logging, media
    streaming): it takes its NextAction."""
    call.note(f"{action.get('Type')}: no effect on the call here")
    return NEXT


def update_flow_attributes(call: Call, action: Mapping[str, Any]) -> Step:
    # Flow attributes live for the flow only ($.FlowAttributes); kept beside the contact's.
    attributes = _parameters(action).get("FlowAttributes")
    if not isinstance(attributes, Mapping):
        return FAILED
    for key, spec in attributes.items():
        value = spec.get("Value") if isinstance(spec, Mapping) else spec
        call.flow_attributes[str(key)] = call.text(value)
    return NEXT


def transfer_to_third_party(call: Call, action: Mapping[str, Any]) -> Step:
    number = call.resolve(_parameters(action).get("ThirdPartyPhoneNumber"))
    if not E164.match(number):
        return Step("error", "InvalidPhoneNumber")
    return Step("transferred", f"number {number}")


HANDLERS: dict[str, Handler] = {
    "MessageParticipant": message_participant,
    "GetParticipantInput": get_participant_input,
    "Compare": compare,
    "InvokeLambdaFunction": invoke_lambda,
    "UpdateContactAttributes": update_contact_attributes,
    "UpdateContactData": update_contact_data,
    "UpdateContactTextToSpeechVoice": update_voice,
    "UpdateContactTargetQueue": update_target_queue,
    "UpdateContactRoutingBehavior": update_routing,
    "UpdateContactRecordingBehavior": update_recording,
    "UpdateContactEventHooks": update_event_hooks,
    "CheckHoursOfOperation": check_hours,
    "UpdateContactCallbackNumber": update_callback_number,
    "CreateCallbackContact": create_callback,
    "TransferToFlow": transfer_to_flow,
    "InvokeFlowModule": invoke_module,
    "EndFlowModuleExecution": end_module,
    "TransferContactToQueue": transfer_to_queue,
    "DisconnectParticipant": disconnect,
    "EndFlowExecution": end_flow,
    "UpdateFlowLoggingBehavior": goes_on,
    "UpdateContactMediaStreamingBehavior": goes_on,
    "UpdateFlowAttributes": update_flow_attributes,
    "TransferParticipantToThirdParty": transfer_to_third_party,
}
