from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from flows import check as flowcheck
from flows.loader import FLOWS_DIR
from prompts.models import Prompt


class Command(BaseCommand):
    help = (
        "Check the contact flows (flows/definitions/ or --dir) against the flow language, our "
        "conventions and the prompts in the database; fail when any error is found (warnings are "
        "listed and pass)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=FLOWS_DIR, help="the flows' directory")

    def handle(self, *args: object, dir: Path, **options: object) -> None:
        directory = dir
        if not directory.is_dir():
            raise CommandError(flowcheck.MESSAGE_NO_DIRECTORY.format(directory=directory))
        flows, types, problems = flowcheck.load(directory)
        problems += flowcheck.check(
            flows, types, prompts=_prompts(), languages=settings.PROMPT_LANGUAGES
        )
        for problem in problems:
            self.stdout.write(str(problem))
        if flowcheck.errors(problems):  # warnings are shown, and never fail the check
            raise CommandError(flowcheck.outcome(problems, len(flows)))
        self.stdout.write(flowcheck.outcome(problems, len(flows)))


def _prompts() -> dict[str, dict[str, dict[str, str]]]:
    """Flow name -> prompt id -> language -> text, as the editors left them."""
    by_flow: dict[str, dict[str, dict[str, str]]] = {}
    for prompt in Prompt.objects.select_related("flow"):
        by_flow.setdefault(prompt.flow.name, {})[prompt.prompt_id] = prompt.texts or {}
    return by_flow
