"""Functions Zappa schedules on the site's Lambda (``events`` in zappa_settings.json)."""

import os

import django
from django.core.management import call_command


def sync_retry(event: object = None, context: object = None) -> None:
    """Push the DynamoDB changes still pending (the outbox), as ``sync_dynamodb --retry``."""
    # Zappa's handler has usually set Django up already, but not on every path that can reach
    # here (a direct invoke, a test); setup() is idempotent.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamcc.settings")
    django.setup()
    # A CommandError (something still pending) propagates, so the invocation counts as failed
    # in CloudWatch and the alarm on the function's errors sees it.
    call_command("sync_dynamodb", "--retry")
