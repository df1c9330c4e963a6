from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from flows.loader import FlowError
from instance.publish import UNCHANGED, Plan, PublishError, plan_apply, plan_build
from support.connect_api import ConnectError

ERROR_CONNECT = "Amazon Connect refused the request ({code}); nothing after it was changed."
ERROR_FRESH_APPLY = "--fresh-instance only plans; apply against the real instance's contents."
ERROR_LOCAL = "connect_publish talks to a real instance: set CONNECT_BACKEND=aws."


class Command(BaseCommand):
    help = (
        "Show what publishing the hours, queues, Lambda associations and flows to the Amazon "
        "Connect instance would change; make the changes with --apply. Idempotent."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Make the planned changes.")
        parser.add_argument(
            "--fresh-instance",
            action="store_true",
            help="Plan for a new, empty instance without asking Connect (cannot be applied).",
        )

    def handle(
        self,
        *args: object,
        apply: bool = False,
        fresh_instance: bool = False,
        **options: object,
    ) -> None:
        if apply and fresh_instance:
            raise CommandError(ERROR_FRESH_APPLY)
        if settings.CONNECT_BACKEND != "aws" and not fresh_instance:
            raise CommandError(ERROR_LOCAL)
        try:
            plan = plan_build(fresh=fresh_instance)
            self._show(plan)
            if apply:
                plan_apply(plan)
                self.stdout.write(self.style.SUCCESS("Applied; the catalog has the Connect ids."))
                self._show_web_ingress(plan)
        except (PublishError, FlowError) as exc:
            raise CommandError(str(exc)) from exc
        except ConnectError as exc:
            raise CommandError(ERROR_CONNECT.format(code=exc.code or exc.kind)) from exc
        if not apply and plan.changes():
            self.stdout.write("Run again with --apply to make these changes.")

    def _show(self, plan: Plan) -> None:
        self.stdout.write(f"Plan for Amazon Connect instance {settings.CONNECT_INSTANCE_ID}:")
        for step in plan.steps:
            self.stdout.write(f"  {step.action:<10} {step.kind:<19} {step.name}")
        changes = plan.changes()
        if not changes:
            self.stdout.write("Nothing to do: the instance is up to date.")
            return
        counts: dict[str, int] = {}
        for step in changes:
            counts[step.action] = counts.get(step.action, 0) + 1
        unchanged = len(plan.steps) - len(changes)
        summary = ", ".join(f"{n} to {action}" for action, n in counts.items())
        self.stdout.write(f"{summary}, {unchanged} {UNCHANGED}.")

    def _show_web_ingress(self, plan: Plan) -> None:
        # The website starts its calls into this flow; its id is per instance.
        flow = plan.instance.flows.get("WebIngress")
        if flow and flow.id != settings.CONNECT_WEB_INGRESS_FLOW_ID:
            self.stdout.write(f"Set CONNECT_WEB_INGRESS_FLOW_ID={flow.id}")
