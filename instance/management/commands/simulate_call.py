"""Simulate a phone call through the contact flows, with the real Lambdas and DynamoDB.

python manage.py simulate_call --flow IntroInbound --caller +12025550100 --input "2,1,3"
python manage.py simulate_call --queue Support-Mobile --caller +12025550100 --verified --json
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from flows.simulator import CallResult, FlowError, UnknownFlow
from instance.simulation import (
    INBOUND_FLOW,
    WEB_FLOW,
    flows,
    inputs_parse,
    simulation_run,
)
from support.models import Queue
from support.services import web_ingress_attributes

WEB_CUSTOMER_NAME = "Customer"
MESSAGE_UNKNOWN_QUEUE = "No queue named {name!r} in the catalog; the queues are {names}."
MESSAGE_UNKNOWN_LANGUAGE = "No prompts in {language!r}; the languages are {languages}."


class Command(BaseCommand):
    help = (
        "Simulate a call through the contact flows in flows/definitions/, against the configured "
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

    def handle(
        self,
        *args: object,
        flow: str | None,
        caller: str,
        input: str,
        queue: str | None,
        language: str | None,
        verified: bool,
        json: bool,
        **options: object,
    ) -> None:
        language = _language(language)
        catalog_queue = _catalog_queue(queue) if queue else None
        try:
            flows()
        except FlowError as exc:
            raise CommandError(str(exc)) from exc
        attributes = None
        if catalog_queue is not None:
            attributes = web_ingress_attributes(
                catalog_queue,
                language_code=language or settings.PROMPT_LANGUAGES[0],
                customer_name=WEB_CUSTOMER_NAME,
                verified=verified,
            )
        try:
            result = simulation_run(
                flow=flow or (WEB_FLOW if catalog_queue else INBOUND_FLOW),
                caller=caller,
                inputs=inputs_parse(input),
                attributes=attributes,
                language=None if catalog_queue else language,
            )
        except UnknownFlow as exc:
            raise CommandError(str(exc)) from exc
        self._print(result, as_json=json)

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
