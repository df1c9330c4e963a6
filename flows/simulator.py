"""An offline call simulator: runs our contact flows (flows/definitions/) the way Amazon Connect
would, against the real Lambdas, without a phone or an instance.

    flows = load_flows()
    result = simulate(flows, "IntroInbound", caller="+12025550100", inputs=["2", "1", "3"])
    result.transcript  # ["[IntroInbound] Say: ...", "[IntroInbound] Caller pressed 2", ...]

Standard library only; ``connect.handlers`` (and so boto3) is imported only when the real
Lambdas are used. The action types it knows are ``simulator_actions.HANDLERS``; any other
ends the call with "unsupported action X at Flow/Identifier".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from flows.loader import (
    CUSTOMER_QUEUE,
    FLOWS_DIR,
    Flow,
    FlowError,
    FlowSet,
    flow_set,
    load_flows,
)
from flows.simulator_actions import HANDLERS
from flows.simulator_call import DEFAULT_LANGUAGE, Call, Lambda, Step

__all__ = [
    "FLOWS_DIR",
    "CallResult",
    "FlowError",
    "FlowSet",
    "UnknownFlow",
    "flow_set",
    "load_flows",
    "simulate",
]

MAX_STEPS = 500  # actions per call: a flow that loops for ever is stopped, not hung
MAX_QUEUE_STEPS = 100  # actions while queued: the customer queue flow loops by design

# queued: in a queue; disconnected: the call is over; transferred: to a flow, number or
# module outside the simulated set (the reason names it); ended: the flow's execution ended
# with nothing after it; stopped: a step cap ended a loop; error: the flows are broken
# (no branch for an error); unsupported: an action type the simulator cannot play.
Ended = Literal["queued", "disconnected", "transferred", "ended", "stopped", "error", "unsupported"]


class UnknownFlow(ValueError):
    """``simulate`` was asked for a flow the set does not have."""


@dataclass
class CallResult:
    flows: list[str]
    spoken: list[str]
    language: str
    attributes: dict[str, str]
    queue: str | None
    priority: int | None
    recording: bool
    callback: bool
    ended: Ended
    transcript: list[str] = field(default_factory=list)
    reason: str = ""  # why the run ended where it did, when the outcome alone does not say
    unsupported: list[str] = field(default_factory=list)  # action types it could not play

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Frame:
    flow: Flow
    at: str
    return_to: str | None = None  # the caller's next action, for a flow module
    saved_external: dict[str, str] | None = None


def simulate(
    flows: FlowSet,
    flow: str,
    *,
    caller: str,
    inputs: list[str | None],
    attributes: dict[str, str] | None = None,
    language: str | None = None,
    queue_open: Callable[[str], bool] = lambda name: True,
    lambdas: Mapping[str, Lambda] | None = None,
    queue_names: Mapping[str, str] | None = None,
    empty_prompt: str = "error",
) -> CallResult:
    """Run ``flow`` for one call and report what the caller heard and where they ended up.

    ``inputs`` are the caller's entries, one per input prompt (None or "" is a timeout).
    Initial ``attributes`` mark a call the website started (web ingress). ``empty_prompt``
    is what Connect is taken to do with an empty prompt text ("error" or "silence"), which its
    documentation does not say.
    """
    if flow not in flows:
        raise UnknownFlow(f"No flow named {flow!r}; the flows are {', '.join(flows.names)}.")
    call = Call(
        flows=flows,
        caller=caller,
        inputs=deque(inputs),
        lambdas=_default_lambdas() if lambdas is None else lambdas,
        queue_open=queue_open,
        queue_names=queue_names or {},
        language=language or DEFAULT_LANGUAGE,
        attributes=dict(attributes or {}),
        web=bool(attributes),
        empty_prompt=empty_prompt,
    )
    ended = _Interpreter(call).run(flows[flow])
    return _result(call, ended)


def _default_lambdas() -> dict[str, Lambda]:
    from connect import handlers  # boto3 is loaded only when the real Lambdas run

    return {"get_prompts": handlers.get_prompts, "lookup_customer": handlers.lookup_customer}


def _result(call: Call, ended: Ended) -> CallResult:
    return CallResult(
        flows=call.entered,
        spoken=call.spoken,
        language=call.language,
        attributes=call.attributes,
        queue=call.queue,
        priority=call.priority,
        recording=call.recording,
        callback=call.callback,
        ended=ended,
        transcript=call.transcript,
        reason=call.reason,
        unsupported=call.unsupported,
    )


class _Interpreter:
    def __init__(self, call: Call) -> None:
        self.call = call
        self.frames: list[_Frame] = []
        self.steps = 0
        self.queue_steps = 0
        self.ended: Ended | None = None

    def run(self, start: Flow) -> Ended:
        self.call.in_queue = start.type == CUSTOMER_QUEUE
        self._enter(start)
        while self.ended is None:
            self._step()
        return self.ended

    def _step(self) -> None:
        if self._over_limit():
            return
        frame = self.frames[-1]
        action = frame.flow.actions.get(frame.at)
        if action is None:
            self._end("error", f"No action {frame.at!r} in {frame.flow.name}")
            return
        handler = HANDLERS.get(str(action.get("Type")))
        if handler is None:
            self.call.unsupported.append(str(action.get("Type")))
            self._end("unsupported", f"Unsupported action {action.get('Type')} at {frame.at}")
            return
        try:
            step = handler(self.call, action)
        except Exception as exc:
            self._end("error", f"{action.get('Type')} at {frame.at} cannot be played: {exc!r}")
            return
        self._follow(frame, action, step)

    def _over_limit(self) -> bool:
        self.steps += 1
        if self.call.in_queue:
            self.queue_steps += 1
        if self.call.in_queue and self.queue_steps > MAX_QUEUE_STEPS:
            self._end("queued", f"Still waiting in queue after {MAX_QUEUE_STEPS} steps")
        elif self.steps > MAX_STEPS:
            self._end("stopped", f"Stopped after {MAX_STEPS} steps: the flows loop")
        return self.ended is not None

    def _follow(self, frame: _Frame, action: Mapping[str, Any], step: Step) -> None:
        follow = {
            "next": lambda: self._go(frame, _transitions(action).get("NextAction")),
            "goto": lambda: self._go(frame, step.value),
            "error": lambda: self._error(frame, action, step.value),
            "flow": lambda: self._transfer(step.value),
            "module": lambda: self._module(frame, action, step.value),
            "return": lambda: self._return(),
            "queued": lambda: self._queued(),
            "disconnected": lambda: self._end("disconnected"),
            "wait": lambda: self._end("queued", "Caller keeps waiting in queue"),
            "transferred": lambda: self._end("transferred", f"Transferred to {step.value}"),
            "ended": lambda: self._end("ended", f"Flow execution ends at {frame.at}"),
        }
        follow[step.kind]()

    def _go(self, frame: _Frame, target: str | None) -> None:
        if not target:
            # A customer queue flow that runs out leaves the caller waiting in the queue.
            outcome: Ended = "queued" if self.call.in_queue else "ended"
            self._end(outcome, f"Flow ends at {frame.at} without a transfer or a disconnect")
            return
        frame.at = target

    def _error(self, frame: _Frame, action: Mapping[str, Any], kind: str) -> None:
        errors = {e.get("ErrorType"): e.get("NextAction") for e in _transitions(action)["Errors"]}
        target = errors.get(kind) or errors.get("NoMatchingError")
        if not target:
            self._end("error", f"{kind} at {frame.at}, and no branch for it")
            return
        self.call.note(f"{frame.at}: {kind}")
        frame.at = target

    def _transfer(self, name: str) -> None:
        # The reference does not say that a transfer clears $.External (an AWS sample relies
        # on it surviving), so it is kept; our flows fetch their own prompts all the same.
        self.frames.pop()
        self._enter(self.call.flows[name])

    def _module(self, frame: _Frame, action: Mapping[str, Any], name: str) -> None:
        frame.return_to = _transitions(action).get("NextAction")
        saved, self.call.external = self.call.external, {}
        self._enter(self.call.flows[name], saved_external=saved)

    def _return(self) -> None:
        module = self.frames.pop()
        if not self.frames:
            self._end("error", f"Module {module.flow.name} returns to no flow")
            return
        # A module cannot change its caller's $.External (Connect's flow module limitation).
        self.call.external = module.saved_external or {}
        caller = self.frames[-1]
        self.call.flow = caller.flow.name
        self._go(caller, caller.return_to)

    def _queued(self) -> None:
        hook = self.call.hooks.get("CustomerQueue")
        if not hook:
            self._end("queued")
            return
        self.call.in_queue = True
        self.frames.clear()
        self._enter(self.call.flows[hook])

    def _enter(self, flow: Flow, saved_external: dict[str, str] | None = None) -> None:
        self.frames.append(_Frame(flow, flow.start, saved_external=saved_external))
        self.call.flow = flow.name
        self.call.entered.append(flow.name)

    def _end(self, ended: Ended, reason: str = "") -> None:
        if reason:
            self.call.note(reason)
        self.call.reason = reason
        self.ended = ended


def _transitions(action: Mapping[str, Any]) -> dict[str, Any]:
    transitions = action.get("Transitions")
    transitions = transitions if isinstance(transitions, Mapping) else {}
    return {**transitions, "Errors": transitions.get("Errors") or []}
