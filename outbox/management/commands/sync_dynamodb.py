from django.core.management.base import BaseCommand, CommandError, CommandParser

from outbox import dynamodb
from outbox.dynamodb import DynamoDBError
from outbox.sync import PullError, kinds, outbox_push, sync_check, sync_pull, sync_push_all


class Command(BaseCommand):
    help = (
        "Keep DynamoDB's prompt and customer tables in step with the database: --retry pushes "
        "what is pending, --check reports drift, --push repairs it, --pull imports the tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--retry", action="store_true", help="push pending changes")
        action.add_argument("--check", action="store_true", help="report missing/different/extra")
        action.add_argument("--push", action="store_true", help="make DynamoDB match the database")
        action.add_argument("--pull", action="store_true", help="import DynamoDB into the database")
        action.add_argument("--create-tables", action="store_true", help="create missing tables")
        parser.add_argument(
            "--kind", choices=sorted(kinds()), action="append", help="only this table (repeatable)"
        )

    def handle(
        self,
        *args: object,
        kind: list[str] | None,
        create_tables: bool,
        retry: bool,
        check: bool,
        push: bool,
        **options: object,
    ) -> None:
        selected = kind or sorted(kinds())
        try:
            if create_tables:
                made = dynamodb.tables_ensure()
                self.stdout.write(f"created: {', '.join(made) or 'none (all exist)'}")
            elif retry:
                self._retry()
            elif check:
                self._check(selected)
            elif push:
                for name in selected:
                    result = sync_push_all(name)
                    self.stdout.write(f"{name}: put {result.pushed}, deleted {result.deleted}")
            else:
                for name in selected:
                    self.stdout.write(f"{name}: pulled {sync_pull(name)} items")
        except (DynamoDBError, PullError) as exc:
            raise CommandError(str(exc)) from exc

    def _retry(self) -> None:
        result = outbox_push()
        self.stdout.write(
            f"pushed {result.pushed}, deleted {result.deleted}, still pending {result.failed}"
        )
        if result.failed:
            raise CommandError("; ".join(result.errors))

    def _check(self, selected: list[str]) -> None:
        drifted = False
        for kind in selected:
            drift = sync_check(kind)
            drifted |= not drift.clean
            self.stdout.write(
                f"{kind}: missing {len(drift.missing)}, different {len(drift.different)}, "
                f"extra {len(drift.extra)}"
            )
            for label in ("missing", "different", "extra"):
                for key in getattr(drift, label)[:50]:
                    self.stdout.write(f"  {label}: {key}")
        if drifted:
            raise CommandError("DynamoDB differs from the database; repair with --push.")
