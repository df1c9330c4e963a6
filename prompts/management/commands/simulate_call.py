"""Simulate a phone call through the contact flows, with the real Lambdas and DynamoDB.

python manage.py simulate_call --flow IntroInbound --caller +12025550100 --input "2,1,3"
python manage.py simulate_call --queue Support-Mobile --caller +12025550100 --verified --json
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from connect import handlers
from connect.simulator import CallResult, FlowError, UnknownFlow, load_flows, simulate
from support.models import Queue
from support.selectors import queue_hours

INBOUND_FLOW = "IntroInbound"
WEB_FLOW = "WebIngress"
WEB_CUSTOMER_NAME = "Customer"
MESSAGE_UNKNOWN_QUEUE = "No queue named {name!r} in the catalog; the queues are {names}."
MESSAGE_UNKNOWN_LANGUAGE = "No prompts in {language!r}; the languages are {languages}."


class Command(BaseCommand):
    help = (
        "Simulate a call through the contact flows in connect/flows/, against the configured "
        "DynamoDB, and print what the caller hears and where the call ends up."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--flow", help=f"the flow to start in (default {INBOUND_FLOW})")
        parser.add_argument("--caller", required=True, help="the caller's number, E.164")
        parser.add_argument(
            "--input", default="", help='keys pressed, one per question: "2,1,3" ("" = timeout)'
        )
        parser.add_argument(
            "--queue", help=f"simulate the website's call for this catalog queue ({WEB_FLOW})"
        )
        parser.add_argument("--language", help="the contact's language, e.g. es-US")
        parser.add_argument("--verified", action="store_true", help="web call: signed in")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: object, **options: object) -> None:
        language = _language(options["language"])
        queue = _catalog_queue(options["queue"]) if options["queue"] else None
        try:
            flows = load_flows()
        except FlowError as exc:
            raise CommandError(str(exc)) from exc
        with _lambda_settings():
            try:
                result = simulate(
                    flows,
                    options["flow"] or (WEB_FLOW if queue else INBOUND_FLOW),
                    caller=options["caller"],
                    inputs=_inputs(options["input"]),
                    attributes=_web_attributes(queue, language, options["verified"]),
                    language=None if queue else language,
                    queue_open=_queue_open,
                    queue_names=dict(Queue.objects.values_list("connect_queue_id", "connect_name")),
                )
            except UnknownFlow as exc:
                raise CommandError(str(exc)) from exc
        self._print(result, as_json=options["json"])

    def _print(self, result: CallResult, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        for line in [*result.transcript, "", *_summary(result)]:
            self.stdout.write(line)


def _language(language: str | None) -> str | None:
    if language and language not in settings.PROMPT_LANGUAGES:
        languages = ", ".join(settings.PROMPT_LANGUAGES)
        raise CommandError(MESSAGE_UNKNOWN_LANGUAGE.format(language=language, languages=languages))
    return language


def _catalog_queue(name: str) -> Queue:
    queue = Queue.objects.filter(connect_name=name).first()
    if queue is None:
        names = ", ".join(Queue.objects.values_list("connect_name", flat=True)) or "none"
        raise CommandError(MESSAGE_UNKNOWN_QUEUE.format(name=name, names=names))
    return queue


def _inputs(raw: str) -> list[str | None]:
    return [entry.strip() or None for entry in raw.split(",")] if raw.strip() else []


def _web_attributes(
    queue: Queue | None, language: str | None, verified: bool
) -> dict[str, str] | None:
    """The attributes the website's click-to-call sends (support/services.py)."""
    if queue is None:
        return None
    return {
        "queueName": queue.connect_name,
        "queueId": queue.connect_queue_id,
        "languageCode": language or settings.PROMPT_LANGUAGES[0],
        "customerName": WEB_CUSTOMER_NAME,
        "verified": "true" if verified else "false",
    }


def _queue_open(name: str) -> bool:
    queue = Queue.objects.filter(connect_name=name).first()
    return queue is not None and queue_hours(queue).is_open


@contextmanager
def _lambda_settings() -> Iterator[None]:
    """Point the Lambdas' settings at the DynamoDB the site uses, for this command only."""
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


def _summary(result: CallResult) -> list[str]:
    where = f" in {result.queue}" if result.queue and result.ended == "queued" else ""
    attributes = ", ".join(f"{k}={v}" for k, v in result.attributes.items()) or "none"
    return [
        f"Ended: {result.ended}{where}",
        f"Flows: {' > '.join(result.flows)}",
        f"Language: {result.language}",
        f"Queue: {result.queue or 'none'}, priority: {result.priority or 'default'}",
        f"Recording: {'on' if result.recording else 'off'}",
        f"Callback: {'yes' if result.callback else 'no'}",
        f"Attributes: {attributes}",
    ]
