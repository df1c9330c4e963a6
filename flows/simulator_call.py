"""One simulated contact: what Amazon Connect keeps about a call while its flows run."""

from __future__ import annotations

import re
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from flows.loader import FlowSet, placeholder

DEFAULT_LANGUAGE = "en-US"
INSTANCE_ARN = (
    "arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-4000-8000-00000000c0c0"
)
# A single JSONPath identifier, as a whole parameter value: "$.External.Welcome".
REFERENCE = re.compile(r"^\$\.[A-Za-z]\w*(?:\.[\w-]+)*$")
# The same, inside a text to speak: "Hello $.Attributes.customerName."
EMBEDDED = re.compile(r"\$\.[A-Za-z]\w*(?:\.[\w-]+)*")

# A flow's Lambda: the event and a context in, the answer (a JSON map) out.
Lambda = Callable[[dict[str, Any], object], Mapping[str, Any]]
StepKind = Literal[
    "next",
    "goto",
    "error",
    "flow",
    "module",
    "return",
    "queued",
    "disconnected",
    "wait",
    "transferred",  # out of the flows simulated: value names where to
    "ended",  # the flow's execution ends (EndFlowExecution)
]


@dataclass(frozen=True)
class Step:
    """What an action asks the interpreter to do next.

    ``next``: follow NextAction; ``goto``: the action ``value``; ``error``: the error branch
    ``value``; ``flow``/``module``: run the flow named ``value``; ``return``: end a module;
    ``queued``/``disconnected``: the contact left the flows; ``wait``: the caller has no more
    keys to press while queued.
    """

    kind: StepKind
    value: str = ""


@dataclass
class Call:
    flows: FlowSet
    caller: str
    inputs: deque[str | None]
    lambdas: Mapping[str, Lambda]
    queue_open: Callable[[str], bool]
    queue_names: Mapping[str, str]
    language: str = DEFAULT_LANGUAGE
    attributes: dict[str, str] = field(default_factory=dict)
    flow_attributes: dict[str, str] = field(default_factory=dict)
    web: bool = False  # started by StartOutboundVoiceContact: no customer endpoint in events
    # What Connect does with an empty prompt text is not documented: "error" takes the
    # action's error branch, "silence" plays nothing and goes on. Flows must be safe in both.
    empty_prompt: str = "error"
    external: dict[str, str] = field(default_factory=dict)
    stored_input: str | None = None
    queue: str | None = None
    priority: int | None = None
    recording: bool = False
    callback: bool = False
    callback_number: str = ""
    hooks: dict[str, str] = field(default_factory=dict)
    in_queue: bool = False
    flow: str = ""
    entered: list[str] = field(default_factory=list)
    spoken: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    reason: str = ""
    unsupported: list[str] = field(default_factory=list)
    contact_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def note(self, line: str) -> None:
        self.transcript.append(f"[{self.flow}] {line}")

    def say(self, text: str) -> None:
        self.spoken.append(text)
        self.note(f"Say: {text}")

    def take_input(self) -> str | Literal[False] | None:
        """The caller's next entry (None: a timeout); False once they are all used while
        queued, where a silent caller simply keeps waiting."""
        if self.inputs:
            return self.inputs.popleft() or None
        return False if self.in_queue else None

    def resolve(self, value: object) -> str:
        """A parameter's value: a JSONPath reference looked up, anything else as written."""
        if isinstance(value, str) and REFERENCE.match(value):
            return self.lookup(value)
        return value if isinstance(value, str) else ""

    def text(self, value: object) -> str:
        """A text to speak, with every reference in it replaced ('' where it has no value)."""
        if not isinstance(value, str):
            return ""
        return EMBEDDED.sub(lambda match: self.lookup(match[0]), value).strip()

    def lookup(self, path: str) -> str:
        found: object = self.data()
        for name in path[2:].split("."):
            found = found.get(name) if isinstance(found, Mapping) else None
        return found if isinstance(found, str) else ""

    def data(self) -> dict[str, Any]:
        """The flow data object JSONPath references read."""
        return {
            "External": self.external,
            "Attributes": self.attributes,
            "FlowAttributes": self.flow_attributes,
            "LanguageCode": self.language,
            "Channel": "VOICE",
            "ContactId": self.contact_id,
            "CustomerEndpoint": self._endpoint(),
            "Queue": {"Name": self.queue} if self.queue else None,
            "StoredCustomerInput": self.stored_input,
        }

    def target(self, kind: str, value: object) -> str | None:
        """The name a ``${kind:Name}`` placeholder stands for, if it is one of that kind."""
        parsed = placeholder(value)
        return parsed[1] if parsed and parsed[0] == kind else None

    def queue_name(self, value: object) -> str | None:
        """A queue parameter as a queue name: a placeholder, or an id known to queue_names."""
        named = self.target("queue", value)
        if named:
            return named
        return self.queue_names.get(self.resolve(value)) or None

    def lambda_event(self, parameters: Mapping[str, str]) -> dict[str, Any]:
        """A ContactFlowEvent as Connect sends it to a flow's Lambda."""
        contact = {
            "Attributes": dict(self.attributes),
            "Channel": "VOICE",
            "ContactId": self.contact_id,
            "CustomerEndpoint": self._endpoint(),
            "InitialContactId": self.contact_id,
            "InitiationMethod": "API" if self.web else "INBOUND",
            "InstanceARN": INSTANCE_ARN,
            "LanguageCode": self.language,
            "Name": "ContactFlowEvent",
            "PreviousContactId": self.contact_id,
            "Queue": self._queue_data(),
        }
        return {
            "Details": {"ContactData": contact, "Parameters": dict(parameters)},
            "Name": "ContactFlowEvent",
        }

    def _endpoint(self) -> dict[str, str] | None:
        if self.web:
            return None  # an API-started contact's event carries no customer endpoint
        return {"Address": self.caller, "Type": "TELEPHONE_NUMBER"}

    def _queue_data(self) -> dict[str, str | None] | None:
        if not self.queue:
            return None
        ids = [queue_id for queue_id, name in self.queue_names.items() if name == self.queue]
        arn = f"{INSTANCE_ARN}/queue/{ids[0]}" if ids else None
        return {"ARN": arn, "Name": self.queue}
