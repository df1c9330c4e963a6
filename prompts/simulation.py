"""Run the call simulator from Django: the command, the admin page and the Connect stand-in.

The simulator (``connect.simulator``) is plain Python; this module gives it what only the
site knows: the catalog's queues and hours, and the DynamoDB the site writes to.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings

from connect import handlers
from connect.simulator import CallResult, FlowSet, load_flows, simulate
from support.models import Queue
from support.selectors import queue_hours

INBOUND_FLOW = "IntroInbound"
WEB_FLOW = "WebIngress"
# The Lambdas read their settings from the environment; one simulation at a time may point
# it at the site's DynamoDB (the stand-in can run in several of runserver's threads).
_lock = threading.Lock()


@lru_cache(maxsize=1)
def flows() -> FlowSet:
    """The flows in connect/flows/, read once per process."""
    return load_flows()


def simulation_run(
    *,
    flow: str,
    caller: str,
    inputs: list[str | None],
    attributes: dict[str, str] | None = None,
    language: str | None = None,
) -> CallResult:
    """Simulate one call with the real Lambdas against the site's DynamoDB."""
    with _lock, _lambda_environment():
        return simulate(
            flows(),
            flow,
            caller=caller,
            inputs=inputs,
            attributes=attributes,
            language=language,
            queue_open=_queue_open,
            queue_names=dict(Queue.objects.values_list("connect_queue_id", "connect_name")),
        )


def inputs_parse(raw: str) -> list[str | None]:
    """'2,1,,3' -> ['2', '1', None, '3']: one entry per question, empty for a timeout."""
    return [entry.strip() or None for entry in raw.split(",")] if raw.strip() else []


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
