"""Publish the contact center to an Amazon Connect instance, and pull the catalog's ids back.

The desired state is declarative: hours of operation (``support.catalog.HOURS``, keyed by
name), the catalog's queues (by Connect name), the Lambda functions the flows invoke, and the
flows in ``flows/definitions``. :func:`plan_build` compares it with the instance (reads only);
:func:`plan_apply` makes the plan's changes. Names are the join key throughout, because ids
differ per instance.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from flows import loader as simulator_flows
from flows.loader import FLOW_MODULE, FLOWS_DIR, placeholder
from support import connect_api
from support.catalog import HOURS, HoursSpec
from support.connect_api import Resource
from support.models import Queue

CREATE, UPDATE, UNCHANGED, ASSOCIATE = "create", "update", "unchanged", "associate"
HOURS_KIND, QUEUE, LAMBDA, MODULE, FLOW = (
    "hours of operation",
    "queue",
    "lambda",
    "flow module",
    "flow",
)

ERROR_LAMBDA_SETTINGS = "Set the Lambda function ARNs the flows invoke: {names}."
ERROR_UNKNOWN_REFERENCE = (
    "Flow {flow} refers to {kind} {name}, which is neither planned nor in Connect."
)
ERROR_UNKNOWN_HOURS = (
    "Queue {queue} has hours of operation {hours}, unknown to the spec and Connect."
)
ERROR_CYCLE = "These flows refer to each other in a cycle: {names}."


class PublishError(Exception):
    """The desired state cannot be published as it is; the message says what to fix."""


@dataclass(frozen=True)
class Step:
    kind: str
    name: str
    action: str


@dataclass
class Instance:
    """What the instance holds, by name; apply adds what it creates."""

    hours: dict[str, Resource]
    queues: dict[str, Resource]
    modules: dict[str, Resource]
    flows: dict[str, Resource]
    lambdas: set[str]


@dataclass(frozen=True)
class FlowSpec:
    name: str
    type: str
    description: str
    content: Mapping


@dataclass
class Plan:
    instance: Instance
    queues: list[Queue]
    flows: dict[str, FlowSpec]
    steps: list[Step] = field(default_factory=list)

    def changes(self) -> list[Step]:
        return [step for step in self.steps if step.action != UNCHANGED]


# --- The desired state -------------------------------------------------------------------------


def hours_spec() -> dict[str, HoursSpec]:
    """Hours of operation by name, in Connect's shape."""
    return {spec["name"]: spec for spec in HOURS.values()}


def lambda_arns() -> dict[str, str]:
    """The ARN each ``${lambda:name}`` stands for, from ``CONNECT_LAMBDA_<NAME>_ARN``."""
    names = sorted(_placeholders_of_kind("lambda"))
    arns = {name: getattr(settings, _lambda_setting(name), "") for name in names}
    missing = [_lambda_setting(name) for name, arn in arns.items() if not arn]
    if missing:
        raise PublishError(ERROR_LAMBDA_SETTINGS.format(names=", ".join(missing)))
    return arns


def _lambda_setting(name: str) -> str:
    return f"CONNECT_LAMBDA_{name.upper()}_ARN"


def flow_specs(directory: Path = FLOWS_DIR) -> dict[str, FlowSpec]:
    """The flows of ``flows/definitions``, targets before the flows that refer to them."""
    flows = simulator_flows.load_flows(directory)  # validates the files and the manifest
    specs = {
        name: FlowSpec(
            name=name,
            type=flows[name].type,
            description=flows[name].description,
            content=json.loads((directory / f"{name}.json").read_text(encoding="utf-8")),
        )
        for name in flows.names
    }
    return {name: specs[name] for name in _dependency_order(specs)}


def _dependency_order(specs: Mapping[str, FlowSpec]) -> list[str]:
    # Creating targets first means no flow is ever created with a placeholder content.
    deps = {name: _flow_targets(spec.content) & set(specs) for name, spec in specs.items()}
    order: list[str] = []
    while len(order) < len(specs):
        ready = [name for name in specs if name not in order and deps[name] <= set(order)]
        if not ready:
            raise PublishError(ERROR_CYCLE.format(names=", ".join(sorted(set(specs) - set(order)))))
        order.extend(ready)
    return order


def _flow_targets(content: object) -> set[str]:
    return {name for kind, name in _placeholders(content) if kind in (FLOW, "module")}


def _placeholders(value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _placeholders(item)
    elif isinstance(value, list):
        for item in value:
            yield from _placeholders(item)
    elif found := placeholder(value):
        yield found


def _placeholders_of_kind(kind: str) -> set[str]:
    return {n for s in flow_specs().values() for k, n in _placeholders(s.content) if k == kind}


# --- Resolving placeholders --------------------------------------------------------------------


class _Unresolved(Exception):
    pass


def _refs(instance: Instance, lambdas: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """What each placeholder resolves to now: ARNs, except a module's id (InvokeFlowModule)."""
    refs = {("lambda", name): arn for name, arn in lambdas.items()}
    refs |= {("queue", name): queue.arn for name, queue in instance.queues.items()}
    refs |= {("flow", name): flow.arn for name, flow in instance.flows.items()}
    refs |= {("module", name): module.id for name, module in instance.modules.items()}
    return refs


def content_resolved(content: object, refs: Mapping[tuple[str, str], str]) -> object:
    """``content`` with every placeholder replaced; :class:`_Unresolved` if one has no value."""
    if isinstance(content, Mapping):
        return {key: content_resolved(value, refs) for key, value in content.items()}
    if isinstance(content, list):
        return [content_resolved(item, refs) for item in content]
    found = placeholder(content)
    if found is None:
        return content
    if found not in refs:
        raise _Unresolved(found)
    return refs[found]


def content_text(content: object) -> str:
    return json.dumps(content, separators=(",", ":"), ensure_ascii=False)


def _canonical(text: str) -> str:
    # Connect may hand back the content re-serialised; compare meaning, not whitespace.
    try:
        return json.dumps(json.loads(text), sort_keys=True)
    except (TypeError, ValueError):
        return text


def _hours_canonical(time_zone: str, config: list[dict]) -> tuple[str, list[str]]:
    return time_zone, sorted(json.dumps(entry, sort_keys=True) for entry in config)


# --- Planning (reads only) ---------------------------------------------------------------------


def instance_read() -> Instance:
    return Instance(
        hours=connect_api.hours_list(),
        queues=connect_api.queues_list(),
        modules=connect_api.modules_list(),
        flows=connect_api.flows_list(),
        lambdas=set(connect_api.lambdas_list()),
    )


def instance_empty() -> Instance:
    """What a newly created instance holds of ours: nothing (its defaults never match a name)."""
    return Instance(hours={}, queues={}, modules={}, flows={}, lambdas=set())


def plan_build(*, fresh: bool = False) -> Plan:
    """Compare the desired state with the instance; nothing is written.

    ``fresh`` plans for an instance that holds none of it yet, without asking Connect: what a
    new deployment's first publish will create (it cannot be applied).
    """
    lambdas = lambda_arns()
    plan = Plan(
        instance=instance_empty() if fresh else instance_read(),
        queues=list(Queue.objects.order_by("connect_name")),
        flows=flow_specs(),
    )
    _check_references(plan)
    plan.steps = [
        *_hours_steps(plan),
        *_lambda_steps(plan, lambdas),
        *_queue_steps(plan),
        *_flow_steps(plan, lambdas),
    ]
    return plan


def _check_references(plan: Plan) -> None:
    known = {
        "queue": {q.connect_name for q in plan.queues} | set(plan.instance.queues),
        "flow": set(plan.flows) | set(plan.instance.flows),
        "module": set(plan.flows) | set(plan.instance.modules),
    }
    for spec in plan.flows.values():
        for kind, name in _placeholders(spec.content):
            if kind in known and name not in known[kind]:
                raise PublishError(
                    ERROR_UNKNOWN_REFERENCE.format(flow=spec.name, kind=kind, name=name)
                )
    for queue in plan.queues:
        _queue_hours_name_or_id(queue, plan.instance)


def _hours_steps(plan: Plan) -> Iterator[Step]:
    for name, spec in hours_spec().items():
        current = plan.instance.hours.get(name)
        if current is None:
            yield Step(HOURS_KIND, name, CREATE)
            continue
        found = connect_api.hours_describe(hours_id=current.id)
        same = _hours_canonical(found["TimeZone"], found.get("Config", [])) == _hours_canonical(
            spec["time_zone"], spec["config"]
        )
        yield Step(HOURS_KIND, name, UNCHANGED if same else UPDATE)


def _lambda_steps(plan: Plan, lambdas: Mapping[str, str]) -> Iterator[Step]:
    for arn in sorted(set(lambdas.values())):
        yield Step(LAMBDA, arn, UNCHANGED if arn in plan.instance.lambdas else ASSOCIATE)


def _queue_steps(plan: Plan) -> Iterator[Step]:
    for queue in plan.queues:
        current = plan.instance.queues.get(queue.connect_name)
        if current is None:
            yield Step(QUEUE, queue.connect_name, CREATE)
            continue
        wanted = _queue_hours_id(queue, plan.instance)
        found = connect_api.queue_describe(queue_id=current.id)["HoursOfOperationId"]
        yield Step(QUEUE, queue.connect_name, UNCHANGED if found == wanted else UPDATE)


def _queue_hours_name_or_id(queue: Queue, instance: Instance) -> tuple[str, str]:
    """``("name", ...)`` for hours from the spec, ``("id", ...)`` for hours only Connect has.

    The catalog holds either a spec key (before the first publish) or, once written back, the
    Connect id of those hours; both must keep meaning the same hours on every run.
    """
    value = queue.hours_of_operation_id
    if value in HOURS:
        return "name", HOURS[value]["name"]
    if value in {hours.id for hours in instance.hours.values()}:
        return "id", value
    raise PublishError(ERROR_UNKNOWN_HOURS.format(queue=queue.connect_name, hours=value))


def _queue_hours_id(queue: Queue, instance: Instance) -> str:
    """The Connect id of the queue's hours; "" while those hours are still to be created."""
    how, value = _queue_hours_name_or_id(queue, instance)
    if how == "id":
        return value
    hours = instance.hours.get(value)
    return hours.id if hours else ""


def _flow_steps(plan: Plan, lambdas: Mapping[str, str]) -> Iterator[Step]:
    refs = _refs(plan.instance, lambdas)
    for spec in plan.flows.values():
        kind = MODULE if spec.type == FLOW_MODULE else FLOW
        existing = plan.instance.modules if kind == MODULE else plan.instance.flows
        current = existing.get(spec.name)
        if current is None:
            yield Step(kind, spec.name, CREATE)
        else:
            same = _content_matches(spec, current, kind, refs)
            yield Step(kind, spec.name, UNCHANGED if same else UPDATE)


def _content_matches(
    spec: FlowSpec, current: Resource, kind: str, refs: Mapping[tuple[str, str], str]
) -> bool:
    try:
        wanted = content_text(content_resolved(spec.content, refs))
    except _Unresolved:
        return False  # it refers to something still to be created, so it must change
    if kind == MODULE:
        found = connect_api.module_content(module_id=current.id)
    else:
        found = connect_api.flow_content(flow_id=current.id)
    return _canonical(found) == _canonical(wanted)


# --- Applying ----------------------------------------------------------------------------------


def plan_apply(plan: Plan) -> None:
    """Make the plan's changes in order, then write the ids back into the catalog."""
    lambdas = lambda_arns()
    queues = {queue.connect_name: queue for queue in plan.queues}
    for step in plan.changes():
        if step.kind == HOURS_KIND:
            _hours_apply(step, plan.instance)
        elif step.kind == LAMBDA:
            connect_api.lambda_associate(function_arn=step.name)
            plan.instance.lambdas.add(step.name)
        elif step.kind == QUEUE:
            _queue_apply(step, queues[step.name], plan.instance)
        else:
            _flow_apply(step, plan.flows[step.name], plan.instance, lambdas)
    catalog_write_back(plan.queues, plan.instance)


def _hours_apply(step: Step, instance: Instance) -> None:
    spec = hours_spec()[step.name]
    if step.action == CREATE:
        hours_id = connect_api.hours_create(
            name=step.name, time_zone=spec["time_zone"], config=spec["config"]
        )
        instance.hours[step.name] = Resource(step.name, hours_id)
    else:
        connect_api.hours_update(
            hours_id=instance.hours[step.name].id,
            time_zone=spec["time_zone"],
            config=spec["config"],
        )


def _queue_apply(step: Step, queue: Queue, instance: Instance) -> None:
    hours_id = _queue_hours_id(queue, instance)
    if step.action == UPDATE:
        connect_api.queue_hours_update(queue_id=instance.queues[step.name].id, hours_id=hours_id)
        return
    instance.queues[step.name] = connect_api.queue_create(
        name=step.name,
        hours_id=hours_id,
        description=queue.title,
        outbound_caller=_outbound_caller(),
    )


def _outbound_caller() -> dict[str, str]:
    """The caller id the queue's outbound calls show; Connect's default when unset."""
    config = {
        "OutboundCallerIdNumberId": settings.CONNECT_OUTBOUND_CALLER_ID_NUMBER_ID,
        "OutboundCallerIdName": settings.CONNECT_OUTBOUND_CALLER_ID_NAME,
    }
    return {key: value for key, value in config.items() if value}


def _flow_apply(step: Step, spec: FlowSpec, instance: Instance, lambdas: Mapping[str, str]) -> None:
    # Dependency order guarantees every target exists by now.
    content = content_text(content_resolved(spec.content, _refs(instance, lambdas)))
    if step.kind == MODULE and step.action == CREATE:
        instance.modules[spec.name] = connect_api.module_create(
            name=spec.name, content=content, description=spec.description
        )
    elif step.kind == MODULE:
        connect_api.module_content_update(module_id=instance.modules[spec.name].id, content=content)
    elif step.action == CREATE:
        instance.flows[spec.name] = connect_api.flow_create(
            name=spec.name, flow_type=spec.type, content=content, description=spec.description
        )
    else:
        connect_api.flow_content_update(flow_id=instance.flows[spec.name].id, content=content)


@transaction.atomic
def catalog_write_back(queues: list[Queue], instance: Instance) -> None:
    """Store each queue's Connect id and its hours' Connect id in the catalog."""
    for queue in queues:
        found = instance.queues.get(queue.connect_name)
        if found is None:
            continue
        queue.connect_queue_id = found.id
        queue.hours_of_operation_id = (
            _queue_hours_id(queue, instance) or queue.hours_of_operation_id
        )
        queue.full_clean()
        queue.save(update_fields=["connect_queue_id", "hours_of_operation_id"])


# --- Pulling ids -------------------------------------------------------------------------------


def catalog_pull() -> list[str]:
    """Fill the catalog's queue and hours ids from the instance; return the names not found."""
    found = connect_api.queues_list()
    missing = []
    with transaction.atomic():
        for queue in Queue.objects.order_by("connect_name"):
            if queue.connect_name not in found:
                missing.append(queue.connect_name)
                continue
            described = connect_api.queue_describe(queue_id=found[queue.connect_name].id)
            queue.connect_queue_id = described["QueueId"]
            queue.hours_of_operation_id = described["HoursOfOperationId"]
            queue.full_clean()
            queue.save(update_fields=["connect_queue_id", "hours_of_operation_id"])
    return missing
