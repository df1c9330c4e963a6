"""The scheduled job Zappa runs on the site's Lambda every five minutes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from boto3.resources.base import ServiceResource
from django.core.management import CommandError

from jamcc.tasks import sync_retry
from outbox.models import SyncRecord
from tests.customers.conftest import dynamodb_unreachable, make_customer, outbox, stored_item

pytestmark = pytest.mark.django_db

PHONE = "+12025550177"


def test_the_scheduled_retry_pushes_what_is_pending(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with dynamodb_unreachable(), django_capture_on_commit_callbacks(execute=True):
        make_customer(PHONE)

    sync_retry({"detail-type": "Scheduled Event"}, None)

    assert stored_item(dynamo, "customers", PHONE) is not None
    assert outbox("customers", PHONE).status == SyncRecord.Status.SYNCED


def test_the_scheduled_retry_fails_the_invocation_while_dynamodb_is_down(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with dynamodb_unreachable(), django_capture_on_commit_callbacks(execute=True):
        make_customer(PHONE)

    with dynamodb_unreachable(), pytest.raises(CommandError):
        sync_retry({"detail-type": "Scheduled Event"}, None)

    assert outbox("customers", PHONE).status == SyncRecord.Status.PENDING
