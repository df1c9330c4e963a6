"""Run the call simulator from Django: the command, the admin page and the Connect stand-in.

The simulator (``flows.simulator``) is plain Python; this module gives it what only the
site knows: the catalog's queues and hours, and the DynamoDB the site writes to.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import User

from connect import events, handlers
from connect.cache import TtlCache
from connect.items import Customer, customer_encode
from connect.lookups import customer_answer
from flows.simulator import CallResult, FlowSet, load_flows, simulate
from support.models import Profile, Queue
from support.selectors import queue_hours

INBOUND_FLOW = "IntroInbound"
WEB_FLOW = "WebIngress"
# The caller whose made-up record stands in for the customer table for editors who may not
# read caller records; 555 numbers are never assigned, so no real customer has this one.
DEMO_CALLER = Customer(phone_number="+15555550100", first_name="Demo", last_name="Caller", vip=True)
MESSAGE_CALLER_RECORDS_HIDDEN = (
    "Caller records are hidden: you may not view customer data, so the simulated customer "
    f"lookup knows only the demo VIP caller {DEMO_CALLER.phone_number} and your own verified "
    "number; every other caller is unknown."
)
# The Lambdas read their settings from the environment; one simulation at a time may point
# it at the site's DynamoDB (the stand-in can run in several of runserver's threads).
_lock = threading.Lock()


@lru_cache(maxsize=1)
def flows() -> FlowSet:
    """The flows in flows/definitions/, read once per process."""
    return load_flows()


def simulation_run(
    *,
    flow: str,
    caller: str,
    inputs: list[str | None],
    attributes: dict[str, str] | None = None,
    language: str | None = None,
    caller_records: bool = True,
    queue_open: Callable[[str], bool] | None = None,
) -> CallResult:
    """Simulate one call with the real Lambdas against the site's DynamoDB.

    Without ``caller_records`` the customer lookup never reads the customer table: it knows
    the demo caller only. ``queue_open`` answers the flows' hours checks; by default the
    site's hours (the Connect stand-in passes its own, so it never asks itself).
    """
    lambdas = None if caller_records else _LAMBDAS_WITHOUT_CALLER_RECORDS
    with _lock, _lambda_environment():
        return simulate(
            flows(),
            flow,
            caller=caller,
            inputs=inputs,
            attributes=attributes,
            language=language,
            queue_open=queue_open or _queue_open,
            lambdas=lambdas,
            queue_names=dict(Queue.objects.values_list("connect_queue_id", "connect_name")),
        )


def caller_records_visible(*, user: User, caller: str) -> bool:
    """Whether a simulation ``user`` runs for ``caller`` may look up the real record."""
    if user.has_perm("customers.view_customer"):
        return True
    # Their own record is theirs to see, as on the website.
    return Profile.objects.filter(user=user, phone_number=caller, phone_verified=True).exists()


def inputs_parse(raw: str) -> list[str | None]:
    """'2,1,,3' -> ['2', '1', None, '3']: one entry per question, empty for a timeout."""
    return [entry.strip() or None for entry in raw.split(",")] if raw.strip() else []


class _DemoCallerTable:
    """A customer table holding the demo caller only (``connect.dynamo.Table``)."""

    name = "simulator-demo-callers"

    def get_item(self, **kwargs: object) -> dict:
        key = kwargs.get("Key") or {}
        found = isinstance(key, dict) and DEMO_CALLER.phone_number in key.values()
        return {"Item": customer_encode(DEMO_CALLER)} if found else {}


def _lookup_customer_demo_only(event: dict, context: object = None) -> dict[str, str]:
    # The real lookup's own answer code, so the flow sees exactly what a hit or a miss gives.
    caller = events.caller(event)
    return customer_answer(_DemoCallerTable(), caller=caller, cache=TtlCache(0)).answer


_LAMBDAS_WITHOUT_CALLER_RECORDS = {
    "get_prompts": handlers.get_prompts,
    "lookup_customer": _lookup_customer_demo_only,
}


def _queue_open(name: str) -> bool:
    queue = Queue.objects.filter(connect_name=name).first()
    return queue is not None and queue_hours(queue).is_open


@contextmanager
def _lambda_environment() -> Iterator[None]:
    """Point the Lambdas' settings at the DynamoDB the site uses, for one simulation."""
    wanted = {
        "PROMPT_TABLE_NAME": settings.PROMPT_TABLE_NAME,
        "CUSTOMER_DATA_TABLE_NAME": settings.CUSTOMER_DATA_TABLE_NAME,
        "DYNAMODB_ENDPOINT_URL": settings.DYNAMODB_ENDPOINT_URL,
        "AWS_REGION": settings.AWS_REGION,
    }
    if settings.DYNAMODB_ENDPOINT_URL and not os.environ.get("AWS_ACCESS_KEY_ID"):
        # A local server accepts any credentials, but botocore will not sign without some.
        wanted.update(AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local")
    saved = {name: os.environ.get(name) for name in wanted}
    _set_environment(wanted)
    handlers.reset()
    try:
        yield
    finally:
        _set_environment(saved)
        handlers.reset()


def _set_environment(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
