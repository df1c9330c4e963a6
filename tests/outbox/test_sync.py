"""Caller records reach DynamoDB after commit, and a failed push loses nothing."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from boto3.resources.base import ServiceResource
from botocore.config import Config
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from jamcc.tasks import sync_retry
from outbox import dynamodb, sync
from outbox.dynamodb import MESSAGE_UNAVAILABLE
from outbox.models import SyncRecord
from outbox.sync import outbox_push
from tests.customers.conftest import (
    dynamodb_unreachable,
    make_customer,
    outbox,
    stored_item,
)

pytestmark = pytest.mark.django_db

PHONE = "+12025550177"
NEW_PHONE = "+12025550178"


def item(dynamo: ServiceResource, phone: str = PHONE) -> dict | None:
    return stored_item(dynamo, "customers", phone)


def test_saving_a_customer_pushes_its_item_after_commit(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_customer(PHONE, vip=True, first_name="Avery", last_name="Stone")

    assert item(dynamo) == {
        "PhoneNumber": PHONE,
        "FirstName": "Avery",
        "LastName": "Stone",
        "VIP": "true",
    }
    assert outbox("customers", PHONE).status == SyncRecord.Status.SYNCED


def test_nothing_is_pushed_before_the_transaction_commits(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_customer(PHONE)

    assert callbacks, "the push waits for the commit"
    assert item(dynamo) is None
    assert outbox("customers", PHONE).status == SyncRecord.Status.PENDING


def test_a_rolled_back_edit_pushes_nothing_and_leaves_no_outbox_row(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                make_customer(PHONE)
                raise RuntimeError("the request failed after the save")
        except RuntimeError:
            pass

    assert item(dynamo) is None
    assert not SyncRecord.objects.exists()


def test_a_failed_push_leaves_the_customer_saved_and_pending_with_the_error(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with dynamodb_unreachable(), django_capture_on_commit_callbacks(execute=True):
        make_customer(PHONE)

    assert Customer.objects.filter(phone_number=PHONE).exists()
    record = outbox("customers", PHONE)
    assert record.status == SyncRecord.Status.PENDING
    assert record.attempts == 1
    assert record.last_error == MESSAGE_UNAVAILABLE
    assert item(dynamo) is None


def test_retry_pushes_what_failed_once_dynamodb_is_back(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with dynamodb_unreachable(), django_capture_on_commit_callbacks(execute=True):
        make_customer(PHONE, vip=True)

    call_command("sync_dynamodb", "--retry")

    assert item(dynamo)["VIP"] == "true"
    record = outbox("customers", PHONE)
    assert (record.status, record.last_error, record.attempts) == (SyncRecord.Status.SYNCED, "", 0)


def test_retry_while_dynamodb_is_still_down_fails_and_keeps_the_record_pending(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with dynamodb_unreachable():
        with django_capture_on_commit_callbacks(execute=True):
            make_customer(PHONE)
        with pytest.raises(Exception, match="could not be reached"):
            call_command("sync_dynamodb", "--retry")

    assert outbox("customers", PHONE).attempts == 2


def test_a_customer_edited_again_while_its_push_is_in_flight_stays_pending(
    dynamo: ServiceResource,
) -> None:
    customer = make_customer(PHONE)
    client = dynamo.meta.client

    def edit_during_the_push(**kwargs: object) -> None:
        client.meta.events.unregister("before-call.dynamodb.BatchWriteItem", edit_during_the_push)
        Customer.objects.filter(pk=customer.pk).update(vip=True)
        customer.refresh_from_db()
        customer.save()  # marks the outbox again, newer than the push that is under way

    client.meta.events.register("before-call.dynamodb.BatchWriteItem", edit_during_the_push)
    outbox_push()

    assert item(dynamo)["VIP"] == "false", "the push sent the state it had read"
    assert outbox("customers", PHONE).status == SyncRecord.Status.PENDING
    outbox_push()
    assert item(dynamo)["VIP"] == "true"


def test_an_edit_marked_before_a_push_but_committed_during_it_stays_pending(
    dynamo: ServiceResource,
) -> None:
    """Another request marked the record before this push began and committed while it was in
    flight: the push sent the older state, so the record must not be called synced."""
    now = timezone.now()
    with time_machine.travel(now - timedelta(seconds=10), tick=False):
        customer = make_customer(PHONE)  # pending, its own push not run yet
    client = dynamo.meta.client

    def other_request_commits(**kwargs: object) -> None:
        client.meta.events.unregister("before-call.dynamodb.BatchWriteItem", other_request_commits)
        with time_machine.travel(now - timedelta(seconds=5), tick=False):
            customer.vip = True
            customer.save()

    client.meta.events.register("before-call.dynamodb.BatchWriteItem", other_request_commits)
    with time_machine.travel(now, tick=False):
        outbox_push()

    assert item(dynamo)["VIP"] == "false"
    assert outbox("customers", PHONE).status == SyncRecord.Status.PENDING


def test_deleting_a_customer_deletes_its_item(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        customer = make_customer(PHONE)
    assert item(dynamo) is not None

    with django_capture_on_commit_callbacks(execute=True):
        customer.delete()

    assert item(dynamo) is None
    assert outbox("customers", PHONE).status == SyncRecord.Status.SYNCED


def test_a_new_phone_number_moves_the_item_to_the_new_key(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        customer = make_customer(PHONE)

    with django_capture_on_commit_callbacks(execute=True):
        customer.phone_number = NEW_PHONE
        customer.save()

    assert item(dynamo, PHONE) is None
    assert item(dynamo, NEW_PHONE)["PhoneNumber"] == NEW_PHONE


def test_reverting_to_an_earlier_version_pushes_the_reverted_state(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        customer = make_customer(PHONE, vip=False, first_name="Avery")
    with django_capture_on_commit_callbacks(execute=True):
        customer.first_name, customer.vip = "Ava", True
        customer.save()

    with django_capture_on_commit_callbacks(execute=True):
        customer.history.earliest().instance.save()

    assert item(dynamo)["FirstName"] == "Avery"
    assert item(dynamo)["VIP"] == "false"


def test_a_large_retry_during_an_outage_asks_dynamodb_once_not_once_per_chunk(
    dynamo: ServiceResource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync, "PUSH_CHUNK", 2)
    for n in range(5):
        make_customer(f"+1202555017{n}")
    attempts: list[str] = []

    with dynamodb_unreachable():
        dynamodb.resource().meta.client.meta.events.register(
            "provide-client-params.dynamodb.BatchWriteItem", lambda **_: attempts.append("call")
        )
        result = outbox_push()

    assert (result.failed, len(attempts)) == (5, 1)
    assert set(SyncRecord.objects.values_list("attempts", "last_error")) == {
        (1, MESSAGE_UNAVAILABLE)
    }


def test_records_are_pushed_in_chunks_until_none_is_pending(
    dynamo: ServiceResource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync, "PUSH_CHUNK", 2)
    for n in range(5):
        make_customer(f"+1202555017{n}")

    result = outbox_push()

    assert result.pushed == 5
    assert not SyncRecord.objects.filter(status=SyncRecord.Status.PENDING).exists()
    assert all(item(dynamo, f"+1202555017{n}") for n in range(5))


@contextmanager
def dynamodb_hung() -> Iterator[None]:
    """DynamoDB hung for the block: a loopback socket takes every connection, answers none."""
    # The kernel completes the handshake for connections waiting in the listen backlog, so
    # boto3 connects at once and then waits for an answer that never comes.
    with socket.create_server(("127.0.0.1", 0), backlog=16) as server:
        previous = django_settings.DYNAMODB_ENDPOINT_URL
        django_settings.DYNAMODB_ENDPOINT_URL = f"http://127.0.0.1:{server.getsockname()[1]}"
        dynamodb.reset()
        try:
            yield
        finally:
            django_settings.DYNAMODB_ENDPOINT_URL = previous
            dynamodb.reset()


def test_a_save_while_dynamodb_hangs_tries_briefly_and_leaves_the_push_to_the_retry(
    dynamo: ServiceResource,
    django_capture_on_commit_callbacks: Callable,
    settings: object,
) -> None:
    settings.DYNAMODB_REQUEST_READ_TIMEOUT = 0.2  # keep the test quick; the count is the point
    sent: list[Config] = []

    with dynamodb_hung():
        client = dynamodb.resource(in_request=True).meta.client
        client.meta.events.register(
            "before-send.dynamodb.BatchWriteItem", lambda **_: sent.append(client.meta.config)
        )
        with django_capture_on_commit_callbacks(execute=True):
            make_customer(PHONE, vip=True)

    assert len(sent) == settings.DYNAMODB_REQUEST_MAX_ATTEMPTS == 2
    assert {(c.connect_timeout, c.read_timeout) for c in sent} == {
        (settings.DYNAMODB_REQUEST_CONNECT_TIMEOUT, 0.2)
    }
    record = outbox("customers", PHONE)
    assert (record.status, record.attempts) == (SyncRecord.Status.PENDING, 1)
    assert record.last_error == MESSAGE_UNAVAILABLE

    sync_retry({"detail-type": "Scheduled Event"}, None)  # DynamoDB (moto) is back

    assert item(dynamo)["VIP"] == "true"
    assert outbox("customers", PHONE).status == SyncRecord.Status.SYNCED
