"""Static checks of the contact flows in ``flows/definitions/`` before they are published.

Catches what Connect would refuse on ``CreateContactFlow`` (identifiers, versions, required
conditions) and what it would accept but play wrong to a caller (a prompt that is not in the
database, ``$.External`` still holding another Lambda's answer, a dead end on a timeout).

Plain Python, like the rest of ``flows/``: the ``check_flows`` command and the prompts admin
use it, and it needs neither Django nor boto3.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeGuard

from connect.items import RESERVED_PROMPT_IDS
from flows import reference

MANIFEST = "manifest.json"
MESSAGE_CLEAN = "{flows} flows checked, no problems."
MESSAGE_WARNINGS = "{flows} flows checked, no errors, {warnings}."
MESSAGE_PROBLEMS = "{problems} in {flows} flows."
# An error: Connect would refuse the flow, or a call through it breaks. A warning: legal,
# but likely a mistake (a block no path reaches).
ERROR, WARNING = "error", "warning"
MESSAGE_NO_DIRECTORY = "{directory} is not a directory."
# The flow language's limits, as flows/reference.py gives them from the reference.
VERSION = reference.VERSION
MAX_IDENTIFIER_LENGTH = reference.MAX_IDENTIFIER_LENGTH
FORBIDDEN_IDENTIFIER_CHARACTERS = reference.FORBIDDEN_IDENTIFIER_CHARACTERS
RESERVED_IDENTIFIERS = reference.RESERVED_IDENTIFIERS

FLOW_TYPES = reference.FLOW_TYPES
_INBOUND = frozenset({"CONTACT_FLOW", "AGENT_TRANSFER", "QUEUE_TRANSFER"})
# The restrictions the flow language reference states for each action; actions it does not
# restrict are missing here. A module runs inside an inbound flow, so it may do what they do,
# except what the reference keeps to inbound flows themselves.
ALLOWED_FLOW_TYPES: Mapping[str, frozenset[str]] = {
    "UpdateContactRoutingBehavior": frozenset({"CONTACT_FLOW"}),
    "InvokeFlowModule": frozenset({"CONTACT_FLOW"}),
    "TransferToFlow": _INBOUND | {"FLOW_MODULE"},
    "TransferContactToQueue": _INBOUND | {"FLOW_MODULE"},
    "DequeueContactAndTransferToQueue": frozenset({"CUSTOMER_QUEUE"}),
    "CheckHoursOfOperation": _INBOUND | {"CUSTOMER_QUEUE", "FLOW_MODULE"},
    "EndFlowModuleExecution": frozenset({"FLOW_MODULE"}),
    "MessageParticipant": FLOW_TYPES - {"CUSTOMER_HOLD", "AGENT_HOLD"},
}
# What an event hook runs: a disconnect flow (CustomerRemaining) is an inbound flow.
HOOK_FLOW_TYPES: Mapping[str, frozenset[str]] = {
    "CustomerQueue": frozenset({"CUSTOMER_QUEUE"}),
    "CustomerRemaining": frozenset({"CONTACT_FLOW"}),
    "CustomerHold": frozenset({"CUSTOMER_HOLD"}),
    "CustomerWhisper": frozenset({"CUSTOMER_WHISPER"}),
    "AgentHold": frozenset({"AGENT_HOLD"}),
    "AgentWhisper": frozenset({"AGENT_WHISPER"}),
}
PLACEHOLDER_KINDS = ("lambda", "queue", "flow", "module")

LAMBDA_TIME_LIMITS = range(1, 9)
ROUTING_SETTINGS = ("QueuePriority", "QueueTimeAdjustmentSeconds", "RoutingCriteria")
HOURS_CONDITIONS = (("Equals", ["True"]), ("Equals", ["False"]))
INPUT_ERRORS = ("InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError")
# Storing input (or setting the touch-tone buffer) has no conditions and one error branch.
STORED_INPUT_ERRORS = ("NoMatchingError",)
SPEAKING_ACTIONS = frozenset(
    {"MessageParticipant", "GetParticipantInput", "ConnectParticipantWithLexBot"}
)
ITERATIVE_SPEAKING_ACTION = "MessageParticipantIteratively"
GET_PROMPTS = "get_prompts"

_EXTERNAL = re.compile(r"""\$\.External(?:\.([A-Za-z]\w*)|\.?\[['"]([^'"\]]+)['"]\])""")
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_]+):([^}]*)\}")
_LAMBDA_PLACEHOLDER = re.compile(r"^\$\{lambda:([^}]+)\}$")


@dataclass(frozen=True)
class Problem:
    flow: str
    action: str  # the action's Identifier, or "" for the flow as a whole
    code: str
    message: str
    level: str = ERROR
    # One of this project's own conventions (placeholders, prompts), not the flow language's:
    # ``check(generic=True)`` leaves these out for someone else's flows.
    project: bool = False

    def __str__(self) -> str:
        where = f"{self.flow}: action '{self.action}'" if self.action else self.flow
        tag = self.code if self.level == ERROR else f"{self.code}, {self.level}"
        return f"{where}: {self.message} [{tag}]"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "action": self.action, "message": self.message}


@dataclass(frozen=True)
class _Flow:
    name: str
    type: str
    version: object
    start: object
    # Those with a string Identifier; the others are reported.
    actions: tuple[Mapping[str, Any], ...]
    types: Mapping[str, str]  # every flow's type, for references between flows

    @cached_property
    def ids(self) -> set[str]:
        return {action["Identifier"] for action in self.actions}

    def names_action(self, target: object) -> TypeGuard[str]:
        # A target may be any JSON value; only a string can name an action.
        return isinstance(target, str) and target in self.ids

    def of_type(self, *action_types: str) -> Iterator[Mapping[str, Any]]:
        return (action for action in self.actions if _type(action) in action_types)

    def problem(
        self,
        action: Mapping[str, Any] | None,
        code: str,
        message: str,
        *,
        level: str = ERROR,
        project: bool = False,
    ) -> Problem:
        identifier = action["Identifier"] if action else ""
        return Problem(self.name, identifier, code, message, level=level, project=project)


# --- reading ---------------------------------------------------------------------------------


def load(directory: str | Path) -> tuple[dict[str, object], dict[str, str], list[Problem]]:
    """Read ``directory``'s flows (``<Name>.json``) and ``manifest.json``.

    Returns flows by name (each as its JSON reads, which :func:`check` reports when it is not
    an object), types by name, and what could not be read as problems.
    """
    directory = Path(directory)
    paths = sorted(p for p in directory.glob("*.json") if p.name != MANIFEST)
    flows: dict[str, object] = {}
    problems: list[Problem] = []
    for path in paths:
        content, problem = _read_json(path, flow=path.stem)
        if problem:
            problems.append(problem)
        else:
            flows[path.stem] = content
    types, manifest_problems = _read_manifest(directory / MANIFEST, files={p.stem for p in paths})
    return flows, types, problems + manifest_problems


def _read_json(path: Path, *, flow: str) -> tuple[object, Problem | None]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, Problem(flow, "", "invalid-json", f"{path.name} is not readable JSON: {exc}")


def _read_manifest(path: Path, *, files: set[str]) -> tuple[dict[str, str], list[Problem]]:
    if not path.exists():
        return {}, [Problem(MANIFEST, "", "manifest", "there is no manifest.json")]
    manifest, problem = _read_json(path, flow=MANIFEST)
    if problem:
        return {}, [problem]
    if not isinstance(manifest, Mapping):
        return {}, [Problem(MANIFEST, "", "manifest", "is not a JSON object of flows")]
    types: dict[str, str] = {}
    problems: list[Problem] = []
    for name, entry in manifest.items():
        flow_type = entry.get("type") if isinstance(entry, Mapping) else None
        if isinstance(flow_type, str):
            types[name] = flow_type
        else:
            problems.append(Problem(MANIFEST, "", "manifest", f"'{name}' has no \"type\""))
        if name not in files:
            problems.append(
                Problem(MANIFEST, "", "manifest", f"lists '{name}' but there is no {name}.json")
            )
    return types, problems


# --- prompts the flows speak -----------------------------------------------------------------


def spoken_prompts(flow: object) -> set[str]:
    """Every prompt id the flow speaks as ``$.External.<Id>`` in a message or a menu."""
    actions = flow.get("Actions") if isinstance(flow, Mapping) else None
    if not isinstance(actions, list):
        return set()
    return {prompt_id for action in actions for prompt_id in _spoken(action)}


def prompt_usage(flows: Mapping[str, object]) -> dict[str, set[str]]:
    """Flow name -> the prompt ids it speaks."""
    return {name: spoken_prompts(flow) for name, flow in flows.items()}


def _spoken(action: object) -> list[str]:
    ids = []
    for text in _spoken_texts(action):
        for match in _EXTERNAL.finditer(text):
            prompt_id = match[1] or match[2]
            # The prompts Lambda answers these itself; they are not prompts an editor writes.
            if prompt_id not in RESERVED_PROMPT_IDS and prompt_id not in ids:
                ids.append(prompt_id)
    return ids


def _spoken_texts(action: object) -> Iterator[str]:
    if not isinstance(action, Mapping):
        return
    parameters = _parameters(action)
    messages: object
    if _type(action) in SPEAKING_ACTIONS:
        messages = [parameters]
    elif _type(action) == ITERATIVE_SPEAKING_ACTION:
        messages = parameters.get("Messages")
    else:
        return
    for message in messages if isinstance(messages, list) else []:
        for key in ("Text", "SSML"):
            if isinstance(message, Mapping) and isinstance(message.get(key), str):
                yield message[key]


# --- the check -------------------------------------------------------------------------------


def check(
    flows: Mapping[str, object],
    types: Mapping[str, str],
    prompts: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
    languages: Sequence[str] = ("en-US", "es-US"),
    *,
    generic: bool = False,
) -> list[Problem]:
    """Every problem in ``flows``; ``prompts`` (flow -> id -> language -> text) None skips
    the rules about prompts, and ``generic`` keeps only the flow language's rules (for flows
    that are not this project's)."""
    problems: list[Problem] = []
    for name in sorted(flows):
        content = flows[name]
        problems.extend(_check_flow(name, content, types))
        if prompts is not None and isinstance(content, Mapping):
            problems.extend(_prompt_problems(name, content, prompts.get(name, {}), languages))
    if generic:
        problems = [problem for problem in problems if not problem.project]
    return problems


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.level == ERROR]


def _check_flow(name: str, content: object, types: Mapping[str, str]) -> list[Problem]:
    if not isinstance(content, Mapping):
        return [Problem(name, "", "invalid-json", "is not a JSON object")]
    problems = _type_problems(name, types)
    actions = content.get("Actions")
    if not isinstance(actions, list):
        return [*problems, Problem(name, "", "structure", 'has no "Actions" list')]
    flow, structure = _parse(name, content, actions, types)
    problems += structure
    for rule in _RULES:
        problems.extend(rule(flow))
    return problems


def _type_problems(name: str, types: Mapping[str, str]) -> list[Problem]:
    if name not in types:
        return [Problem(name, "", "manifest", "has no type in manifest.json")]
    if types[name] not in FLOW_TYPES:
        return [Problem(name, "", "manifest", f"type '{types[name]}' is not a Connect flow type")]
    return []


def _parse(
    name: str, content: Mapping[str, Any], actions: list[Any], types: Mapping[str, str]
) -> tuple[_Flow, list[Problem]]:
    kept: list[Mapping[str, Any]] = []
    problems: list[Problem] = []
    for position, action in enumerate(actions, start=1):
        if not isinstance(action, Mapping) or not isinstance(action.get("Identifier"), str):
            problems.append(
                Problem(name, "", "structure", f"action #{position} has no string Identifier")
            )
            continue
        kept.append(action)
        problems.extend(_action_structure(name, action))
    flow = _Flow(
        name=name,
        type=types.get(name, ""),
        version=content.get("Version"),
        start=content.get("StartAction"),
        actions=tuple(kept),
        types=types,
    )
    return flow, problems


def _action_structure(name: str, action: Mapping[str, Any]) -> Iterator[Problem]:
    def problem(message: str) -> Problem:
        return Problem(name, action["Identifier"], "structure", message)

    if not isinstance(action.get("Type"), str):
        yield problem('has no "Type"')
    for key in ("Parameters", "Transitions"):
        if not isinstance(action.get(key, {}), Mapping):
            yield problem(f'"{key}" is not an object')
    transitions = _transitions(action)
    for key in ("Errors", "Conditions"):
        entries = transitions.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
            yield problem(f'"Transitions.{key}" is not a list of objects')


def _identifier(action: Mapping[str, Any]) -> str:
    return action["Identifier"] if isinstance(action.get("Identifier"), str) else ""


def _type(action: Mapping[str, Any]) -> str:
    # Any JSON value may stand where a string belongs; only a string is a Type.
    return action["Type"] if isinstance(action.get("Type"), str) else ""


def _parameters(action: Mapping[str, Any]) -> Mapping[str, Any]:
    parameters = action.get("Parameters")
    return parameters if isinstance(parameters, Mapping) else {}


def _transitions(action: Mapping[str, Any]) -> Mapping[str, Any]:
    transitions = action.get("Transitions")
    return transitions if isinstance(transitions, Mapping) else {}


def _entries(action: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    entries = _transitions(action).get(key)
    return [e for e in entries if isinstance(e, Mapping)] if isinstance(entries, list) else []


def _error_types(action: Mapping[str, Any]) -> list[object]:
    return [error.get("ErrorType") for error in _entries(action, "Errors")]


def _next_actions(action: Mapping[str, Any]) -> Iterator[tuple[str, object]]:
    """(kind, target) of every transition: kind is "next", "error" or "condition"."""
    if "NextAction" in _transitions(action):
        yield "next", _transitions(action)["NextAction"]
    for kind, key in (("error", "Errors"), ("condition", "Conditions")):
        for entry in _entries(action, key):
            yield kind, entry.get("NextAction")


# --- rules about the flow language -----------------------------------------------------------


def _version(flow: _Flow) -> Iterator[Problem]:
    if flow.version != VERSION:
        yield flow.problem(None, "version", f'Version is {flow.version!r}, not "{VERSION}"')


def _start_action(flow: _Flow) -> Iterator[Problem]:
    if not flow.names_action(flow.start):
        yield flow.problem(None, "start-action", f"StartAction {flow.start!r} names no action")


def _identifiers(flow: _Flow) -> Iterator[Problem]:
    seen: set[str] = set()
    for action in flow.actions:
        identifier = action["Identifier"]
        if identifier in seen:
            yield flow.problem(action, "duplicate-identifier", "another action has this Identifier")
        seen.add(identifier)
        reason = _identifier_problem(identifier)
        if reason:
            yield flow.problem(action, "illegal-identifier", reason)


def _identifier_problem(identifier: str) -> str:
    """Why Connect refuses ``identifier`` as an action Identifier, or ''."""
    if not identifier:
        return "the Identifier is empty"
    if len(identifier) > MAX_IDENTIFIER_LENGTH:
        return f"the Identifier is longer than {MAX_IDENTIFIER_LENGTH} characters"
    forbidden = sorted(FORBIDDEN_IDENTIFIER_CHARACTERS & set(identifier))
    if forbidden:
        return f"the Identifier contains {' '.join(forbidden)}, which Connect does not allow"
    if identifier in RESERVED_IDENTIFIERS:
        return f"'{identifier}' is reserved and cannot be an Identifier"
    return ""


def _dangling_transitions(flow: _Flow) -> Iterator[Problem]:
    for action in flow.actions:
        for _, target in _next_actions(action):
            if not flow.names_action(target):
                message = f"transition to {target!r} names no action"
                yield flow.problem(action, "dangling-transition", message)


def _unreachable(flow: _Flow) -> Iterator[Problem]:
    if not flow.names_action(flow.start):
        return  # reported as start-action; every action would be "unreachable"
    reached = {state for state, _ in _walk(flow, lambda action, kind, label: label)}
    for action in flow.actions:
        if action["Identifier"] not in reached:
            message = "no path from StartAction reaches it"
            yield flow.problem(action, "unreachable", message, level=WARNING)


def _lambda_time_limits(flow: _Flow) -> Iterator[Problem]:
    for action in flow.of_type("InvokeLambdaFunction"):
        limit = _parameters(action).get("InvocationTimeLimitSeconds")
        if _whole_number(limit) not in LAMBDA_TIME_LIMITS:
            message = (
                f"InvocationTimeLimitSeconds is {limit!r}; Connect takes a static whole number "
                f"of seconds from {LAMBDA_TIME_LIMITS[0]} to {LAMBDA_TIME_LIMITS[-1]}"
            )
            yield flow.problem(action, "lambda-timeout", message)


def _lambda_error_branches(flow: _Flow) -> Iterator[Problem]:
    for action in flow.of_type("InvokeLambdaFunction"):
        if "NoMatchingError" not in _error_types(action):
            message = "has no NoMatchingError branch: a failing Lambda would end the call"
            yield flow.problem(action, "lambda-error-branch", message)


def _routing_behavior(flow: _Flow) -> Iterator[Problem]:
    for action in flow.of_type("UpdateContactRoutingBehavior"):
        reason = _routing_problem(_parameters(action))
        if reason:
            yield flow.problem(action, "routing-behavior", reason)


def _routing_problem(parameters: Mapping[str, Any]) -> str:
    settings = [key for key in ROUTING_SETTINGS if key in parameters]
    if len(settings) != 1:
        return f"sets {len(settings)} of {', '.join(ROUTING_SETTINGS)}; Connect takes exactly one"
    setting, value = settings[0], parameters[settings[0]]
    if isinstance(value, str) and value.strip().startswith("$"):
        return f"{setting} is {value!r}; it must be static"
    if setting == "QueuePriority" and (_whole_number(value) or 0) < 1:
        return f"QueuePriority is {value!r}; it must be a whole number above 0"
    if setting == "QueueTimeAdjustmentSeconds" and _whole_number(value) is None:
        return f"QueueTimeAdjustmentSeconds is {value!r}; it must be a whole number"
    return ""


def _hours_conditions(flow: _Flow) -> Iterator[Problem]:
    for action in flow.of_type("CheckHoursOfOperation"):
        found = [_condition_key(c.get("Condition")) for c in _entries(action, "Conditions")]
        if found not in (list(HOURS_CONDITIONS), list(reversed(HOURS_CONDITIONS))):
            message = "needs exactly two conditions, Equals True and Equals False"
            yield flow.problem(action, "hours-conditions", message)


def _condition_key(condition: object) -> tuple[object, object]:
    if not isinstance(condition, Mapping):
        return None, None
    return condition.get("Operator"), condition.get("Operands")


def _input_errors(flow: _Flow) -> Iterator[Problem]:
    for action in flow.of_type("GetParticipantInput"):
        required = STORED_INPUT_ERRORS if _stores_input(action) else INPUT_ERRORS
        missing = [error for error in required if error not in _error_types(action)]
        if missing:
            message = f"has no {', '.join(missing)} branch"
            yield flow.problem(action, "input-errors", message)


def _stores_input(action: Mapping[str, Any]) -> bool:
    parameters = _parameters(action)
    stored = str(parameters.get("StoreInput", "")).lower() == "true"
    return stored or "EnableDTMFBuffer" in parameters


def _flow_types(flow: _Flow) -> Iterator[Problem]:
    for action in flow.actions:
        allowed = ALLOWED_FLOW_TYPES.get(_type(action))
        if flow.type in FLOW_TYPES and allowed is not None and flow.type not in allowed:
            message = f"{_type(action)} is not allowed in a {flow.type} flow"
            yield flow.problem(action, "flow-type", message)


# --- rules from the flow language reference (flows/reference.py) ------------------------------

# Error types console exports of GetParticipantInput carry that its reference page does not
# list; accepted, never required, so a real export is not called wrong.
_EXPORTED_ERRORS: Mapping[str, frozenset[str]] = {
    "GetParticipantInput": frozenset({"InputTimeLimitExceeded"}),
}


def _action_count(flow: _Flow) -> Iterator[Problem]:
    if len(flow.actions) > reference.MAX_ACTIONS:
        message = f"has {len(flow.actions)} actions; Connect takes at most {reference.MAX_ACTIONS}"
        yield flow.problem(None, "too-many-actions", message)


def _against_reference(flow: _Flow) -> Iterator[Problem]:
    for action in flow.actions:
        action_type = _type(action)
        if not action_type:
            continue  # reported as structure
        spec = reference.spec(action_type)
        if spec is None:
            known = difflib.get_close_matches(action_type, reference.ACTIONS, n=1)
            hint = f" (did you mean {known[0]}?)" if known else ""
            message = f"{action_type!r} is not an action type of the flow language{hint}"
            yield flow.problem(action, "unknown-action", message)
            continue
        yield from _parameter_problems(flow, action, spec)
        yield from _error_type_problems(flow, action, spec)


# Checked by a rule of their own, with a sharper message: the reference's generic check would
# report the same fault twice. UpdateContactRoutingBehavior's page lists fewer settings than
# the routing rule accepts (RoutingCriteria), so it is left to that rule entirely.
_DEDICATED = {"UpdateContactRoutingBehavior"}
_DEDICATED_LIMITS = {("InvokeLambdaFunction", "InvocationTimeLimitSeconds")}


def _parameter_problems(
    flow: _Flow, action: Mapping[str, Any], spec: reference.ActionSpec
) -> Iterator[Problem]:
    if spec.type in _DEDICATED:
        return
    given = set(_parameters(action))
    allowed = spec.required | spec.optional
    for key in sorted(given - allowed):
        known = difflib.get_close_matches(key, allowed, n=1)
        hint = f" (did you mean {known[0]}?)" if known else ""
        message = f"{spec.type} takes no parameter {key!r}{hint}"
        yield flow.problem(action, "unknown-parameter", message)
    for key in sorted(spec.required - given):
        yield flow.problem(action, "missing-parameter", f"{spec.type} needs {key}")
    for group in spec.exclusive:
        if len(group & given) > 1:
            both = " and ".join(sorted(group & given))
            message = f"{spec.type} takes one of {', '.join(sorted(group))}, not {both} together"
            yield flow.problem(action, "exclusive-parameters", message)
    for group in spec.one_of:
        if len(group & given) != 1:
            message = f"{spec.type} needs exactly one of {', '.join(sorted(group))}"
            yield flow.problem(action, "one-of-parameters", message)
    for key, low, high in spec.limits:
        if (spec.type, key) in _DEDICATED_LIMITS:
            continue
        value = _whole_number(_parameters(action).get(key))
        if key in given and value is not None and not low <= value <= high:
            message = f"{key} is {value}; Connect takes {low} to {high}"
            yield flow.problem(action, "parameter-limit", message)
    if spec.type == "UpdateContactEventHooks":
        hooks = _parameters(action).get("EventHooks")
        if isinstance(hooks, Mapping) and len(hooks) != 1:
            message = f"EventHooks has {len(hooks)} entries; Connect takes exactly one per action"
            yield flow.problem(action, "event-hooks", message)
    # ALLOWED_FLOW_TYPES, checked by _flow_types, refines the reference for modules.
    restricted = spec.flow_types is not None and spec.type not in ALLOWED_FLOW_TYPES
    if restricted and flow.type in FLOW_TYPES and flow.type not in (spec.flow_types or ()):
        message = f"{spec.type} is not allowed in a {flow.type} flow"
        yield flow.problem(action, "flow-type", message)


def _error_type_problems(
    flow: _Flow, action: Mapping[str, Any], spec: reference.ActionSpec
) -> Iterator[Problem]:
    allowed = spec.errors | reference.COMMON_ERRORS | _EXPORTED_ERRORS.get(spec.type, frozenset())
    for error_type in _error_types(action):
        if isinstance(error_type, str) and error_type not in allowed:
            message = f"{spec.type} has no error type {error_type!r} ({', '.join(sorted(allowed))})"
            yield flow.problem(action, "unknown-error-type", message)


def _message_error_branches(flow: _Flow) -> Iterator[Problem]:
    for action in flow.of_type("MessageParticipant"):
        if "NoMatchingError" not in _error_types(action):
            message = "has no NoMatchingError branch: if the prompt cannot play, the call ends"
            yield flow.problem(action, "message-error-branch", message, level=WARNING)


# --- rules about our conventions -------------------------------------------------------------


def _references(flow: _Flow) -> Iterator[Problem]:
    for action in flow.actions:
        for path, kind, name in _placeholders(_parameters(action)):
            if kind not in PLACEHOLDER_KINDS:
                message = f"${{{kind}:{name}}} is not a placeholder connect_publish resolves"
                yield flow.problem(action, "placeholder", message, project=True)
            elif kind in ("flow", "module"):
                reason = _reference_problem(flow, kind, name, _expected(action, kind, path))
                if reason:
                    yield flow.problem(action, "flow-reference", reason, project=True)


def _placeholders(
    value: object, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """(path of keys, kind, name) of every ``${kind:name}`` in a Parameters object."""
    if isinstance(value, str):
        for match in _PLACEHOLDER.finditer(value):
            yield path, match[1], match[2]
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _placeholders(item, (*path, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from _placeholders(item, path)


def _expected(action: Mapping[str, Any], kind: str, path: tuple[str, ...]) -> frozenset[str]:
    if kind == "module":
        return frozenset({"FLOW_MODULE"})
    if _type(action) == "UpdateContactEventHooks" and len(path) == 2:
        return HOOK_FLOW_TYPES.get(path[1], FLOW_TYPES - {"FLOW_MODULE"})
    if _type(action) == "TransferToFlow":
        return _INBOUND
    return FLOW_TYPES - {"FLOW_MODULE"}


def _reference_problem(flow: _Flow, kind: str, name: str, expected: frozenset[str]) -> str:
    placeholder = f"${{{kind}:{name}}}"
    if name not in flow.types:
        return f"{placeholder} names no flow in manifest.json"
    if flow.types[name] not in expected:
        wanted = " or ".join(sorted(expected)) if len(expected) <= 3 else "a contact flow"
        return f"{placeholder} is a {flow.types[name]}; here it must be {wanted}"
    return ""


def _prompts_loaded(flow: _Flow) -> Iterator[Problem]:
    """``$.External`` holds the most recent Lambda's answer only: a flow speaks its prompts
    only where get_prompts is the last Lambda that answered on every path there."""
    if not flow.names_action(flow.start):
        return
    labels: dict[str, set[str]] = {}
    for identifier, label in _walk(flow, _external_after):
        labels.setdefault(identifier, set()).add(label)
    for action in flow.actions:
        spoken = _spoken(action)
        untrusted = sorted(labels.get(action["Identifier"], set()) - {GET_PROMPTS})
        if spoken and untrusted:
            message = (
                f"speaks {', '.join('$.External.' + p for p in spoken)}, but $.External may "
                f"not hold get_prompts' answer here: {'; '.join(untrusted)}"
            )
            yield flow.problem(action, "prompts-not-loaded", message, project=True)


def _external_after(action: Mapping[str, Any], kind: str, label: str) -> str:
    """What ``$.External`` holds after a transition of ``kind`` out of ``action``: GET_PROMPTS
    when it is this flow's prompts, otherwise where the untrusted answer came from."""
    identifier = action["Identifier"]
    if _type(action) == "InvokeLambdaFunction" and kind != "next":
        return f"on the error branch of '{identifier}'"
    if _type(action) == "InvokeLambdaFunction":
        name = _lambda_name(_parameters(action).get("LambdaFunctionARN"))
        return GET_PROMPTS if name == GET_PROMPTS else f"after '{identifier}' ({name}) answered"
    if _type(action) == "InvokeFlowModule":
        return f"after the module in '{identifier}', which may invoke a Lambda of its own"
    return label


def _lambda_name(arn: object) -> str:
    if not isinstance(arn, str):
        return ""
    placeholder = _LAMBDA_PLACEHOLDER.match(arn)
    name = placeholder[1] if placeholder else arn.rsplit(":function:", 1)[-1].split(":")[0]
    # A deployed name such as "jamcc-get-prompts" is still the prompts Lambda.
    return GET_PROMPTS if name.replace("-", "_").endswith(GET_PROMPTS) else name


def _get_prompts_names(flow: _Flow) -> Iterator[Problem]:
    for action in flow.of_type("InvokeLambdaFunction"):
        parameters = _parameters(action)
        if _lambda_name(parameters.get("LambdaFunctionARN")) != GET_PROMPTS:
            continue
        attributes = parameters.get("LambdaInvocationAttributes")
        asked = attributes.get("contactFlowName") if isinstance(attributes, Mapping) else None
        if asked != flow.name:
            message = f"asks get_prompts for contactFlowName {asked!r}, not {flow.name!r}"
            yield flow.problem(action, "get-prompts-name", message, project=True)


def _walk(
    flow: _Flow, follow: Callable[[Mapping[str, Any], str, str], str]
) -> Iterator[tuple[str, str]]:
    """Every (action identifier, label) reachable from StartAction, where ``follow(action,
    kind, label)`` gives the label carried along a transition."""
    if not flow.names_action(flow.start):
        return  # nothing is reachable from a StartAction that names no action
    by_id = {action["Identifier"]: action for action in flow.actions}
    queue = deque([(flow.start, _BEFORE_ANY_LAMBDA)])
    seen = set(queue)
    while queue:
        identifier, label = queue.popleft()
        yield identifier, label
        action = by_id[identifier]
        for kind, target in _next_actions(action):
            if not flow.names_action(target):
                continue
            state = (target, follow(action, kind, label))
            if state not in seen:
                seen.add(state)
                queue.append(state)


_BEFORE_ANY_LAMBDA = "before any Lambda has answered"


def _whole_number(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None


_RULES = (
    _version,
    _start_action,
    _identifiers,
    _dangling_transitions,
    _unreachable,
    _lambda_time_limits,
    _lambda_error_branches,
    _routing_behavior,
    _hours_conditions,
    _input_errors,
    _flow_types,
    _action_count,
    _against_reference,
    _message_error_branches,
    _references,
    _prompts_loaded,
    _get_prompts_names,
)


# --- rules about the prompts in the database -------------------------------------------------


def _prompt_problems(
    name: str,
    content: Mapping[str, Any],
    prompts: Mapping[str, Mapping[str, str]],
    languages: Sequence[str],
) -> Iterator[Problem]:
    actions = content.get("Actions")
    for action in actions if isinstance(actions, list) else []:
        for prompt_id in _spoken(action):
            if prompt_id not in prompts:
                message = f"speaks $.External.{prompt_id}, which is not a prompt of {name}"
                yield Problem(name, _identifier(action), "unknown-prompt", message, project=True)
    for prompt_id in sorted(spoken_prompts(content) & set(prompts)):
        for language in languages:
            if not str(prompts[prompt_id].get(language) or "").strip():
                message = f"prompt {prompt_id} has no {language} text"
                yield Problem(name, "", "missing-translation", message, project=True)


def outcome(problems: Sequence[Problem], flows: int) -> str:
    """The last line of a check: all clear, only warnings, or how many errors in how many
    flows (warnings never fail a check)."""
    found = errors(problems)
    warnings = len(problems) - len(found)
    warned = "1 warning" if warnings == 1 else f"{warnings} warnings"
    if not found:
        if not warnings:
            return MESSAGE_CLEAN.format(flows=flows)
        return MESSAGE_WARNINGS.format(flows=flows, warnings=warned)
    count = "1 problem" if len(found) == 1 else f"{len(found)} problems"
    line = MESSAGE_PROBLEMS.format(problems=count, flows=flows)
    return line if not warnings else f"{line[:-1]}, and {warned}."
