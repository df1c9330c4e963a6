"""Calls through our contact flows, against the real Lambdas and the demo data in moto.

Each journey test loads the demo catalog, prompts and callers, pushes them to the moto tables
and points the Lambdas' settings at them, as a cold container would read them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from boto3.resources.base import ServiceResource
from django.conf import settings

from connect import handlers
from flows.simulator import CallResult, FlowSet, load_flows, simulate
from outbox.sync import sync_push_all
from prompts.content import FLOWS as SHIPPED_PROMPTS
from support.models import Queue

VIP = "+12025550100"  # Casey Jones, a VIP in the demo caller records
REGULAR = "+12025550101"  # Robin Smith, a known caller who is not a VIP
ENGLISH, SPANISH = "en-US", "es-US"

# Keys from the language menu to each queue, in English.
QUEUE_KEYS = {
    "Sales-AMER": ["1", "1", "1"],
    "Sales-APAC": ["1", "1", "2"],
    "Sales-EMEA": ["1", "1", "3"],
    "Account-Balance": ["1", "2", "1"],
    "Account-Open": ["1", "2", "2"],
    "Account-Close": ["1", "2", "3"],
    "Account-Lock": ["1", "2", "4"],
    "Support-Product": ["1", "3", "1"],
    "Support-Mobile": ["1", "3", "2"],
    "Support-Website": ["1", "3", "3"],
}


def prompt(flow: str, prompt_id: str, language: str = ENGLISH) -> str:
    """A shipped prompt's text, as prompts/content.py ships it."""
    english, spanish = SHIPPED_PROMPTS[flow][1][prompt_id]
    return spanish if language == SPANISH else english


@pytest.fixture(scope="session")
def flows() -> FlowSet:
    return load_flows()


@pytest.fixture
def ivr(
    dynamo: ServiceResource, catalog: list[Queue], monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The demo prompts and callers in moto's tables, and the Lambdas reading them."""
    sync_push_all("prompts")
    sync_push_all("customers")
    monkeypatch.setenv("PROMPT_TABLE_NAME", settings.PROMPT_TABLE_NAME)
    monkeypatch.setenv("CUSTOMER_DATA_TABLE_NAME", settings.CUSTOMER_DATA_TABLE_NAME)
    monkeypatch.delenv("DYNAMODB_ENDPOINT_URL", raising=False)
    handlers.reset()
    yield
    handlers.reset()


@pytest.fixture
def queue_names(catalog: list[Queue]) -> dict[str, str]:
    """Connect queue id -> name, as the website sends the id in its call attributes."""
    return {queue.connect_queue_id: queue.connect_name for queue in catalog}


@pytest.fixture
def call(ivr: None, flows: FlowSet) -> Callable[..., CallResult]:
    """An inbound call to IntroInbound: ``call("1", "3", "1", caller=REGULAR)``."""

    def dial(*inputs: str | None, caller: str = VIP, **options: object) -> CallResult:
        return simulate(flows, "IntroInbound", caller=caller, inputs=list(inputs), **options)

    return dial


def web_attributes(
    queue: Queue, *, verified: bool = False, language: str = ENGLISH, name: str = "Casey Jones"
) -> dict[str, str]:
    """What the website's StartOutboundVoiceContact sends (support/services.py)."""
    return {
        "queueName": queue.connect_name,
        "queueId": queue.connect_queue_id,
        "languageCode": language,
        "customerName": name,
        "verified": "true" if verified else "false",
    }
