"""The DynamoDB adapter: batches of 25, unprocessed items sent again, errors in one type."""

from __future__ import annotations

import time

import pytest
from boto3.resources.base import ServiceResource
from botocore.exceptions import ClientError

from outbox import dynamodb
from outbox.dynamodb import MESSAGE_THROTTLED, DynamoDBError
from tests.customers.conftest import stored_item


def items(count: int) -> list[dict]:
    return [{"PhoneNumber": f"+1202555{n:04d}", "VIP": "false"} for n in range(count)]


def count_batch_writes(resource: ServiceResource) -> list[int]:
    """The number of requests in each BatchWriteItem call the resource's client sends."""
    sizes: list[int] = []

    def record(params: dict, **kwargs: object) -> None:
        sizes.extend(len(batch) for batch in params["RequestItems"].values())

    resource.meta.client.meta.events.register(
        "provide-client-params.dynamodb.BatchWriteItem", record
    )
    return sizes


def test_more_than_25_writes_go_in_batches_of_25(dynamo: ServiceResource) -> None:
    sizes = count_batch_writes(dynamo)

    sent = dynamodb.items_write("customers", puts=items(60))

    assert (sent, sorted(sizes, reverse=True)) == (60, [25, 25, 10])
    assert stored_item(dynamo, "customers", "+12025550059") is not None


def test_puts_and_deletes_share_the_batches(dynamo: ServiceResource) -> None:
    dynamodb.items_write("customers", puts=items(3))
    sizes = count_batch_writes(dynamo)

    dynamodb.items_write("customers", puts=items(30)[3:], deletes=["+12025550000"])

    assert sorted(sizes, reverse=True) == [25, 3]
    assert stored_item(dynamo, "customers", "+12025550000") is None


def test_items_dynamodb_leaves_unprocessed_are_sent_again(
    dynamo: ServiceResource, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = dynamo.meta.client
    real = client.batch_write_item
    calls: list[int] = []

    def takes_all_but_five_the_first_time(RequestItems: dict) -> dict:
        ((table, batch),) = RequestItems.items()
        calls.append(len(batch))
        if len(calls) > 1:
            return real(RequestItems=RequestItems)
        real(RequestItems={table: batch[:-5]})
        return {"UnprocessedItems": {table: batch[-5:]}}

    monkeypatch.setattr(client, "batch_write_item", takes_all_but_five_the_first_time)

    dynamodb.items_write("customers", puts=items(25))

    assert calls == [25, 5]
    assert all(stored_item(dynamo, "customers", i["PhoneNumber"]) for i in items(25))


def test_items_dynamodb_never_takes_fail_as_throttled(
    dynamo: ServiceResource, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(dynamodb.time, "sleep", waits.append)
    monkeypatch.setattr(
        dynamo.meta.client,
        "batch_write_item",
        lambda RequestItems: {"UnprocessedItems": RequestItems},
    )

    with pytest.raises(DynamoDBError) as raised:
        dynamodb.items_write("customers", puts=items(2))

    assert (raised.value.message, raised.value.code) == (MESSAGE_THROTTLED, "UnprocessedItems")
    assert len(waits) == 8
    assert max(waits) <= 2.0


def test_a_missing_table_is_an_error_an_editor_can_read(dynamo: ServiceResource) -> None:
    dynamo.Table(dynamodb.table_names()["customers"][0]).delete()

    with pytest.raises(DynamoDBError) as raised:
        dynamodb.items_write("customers", puts=items(1))

    assert raised.value.code == "ResourceNotFoundException"
    assert "the change is saved and will be retried" in str(raised.value)


def test_a_missing_item_is_none(dynamo: ServiceResource) -> None:
    assert dynamodb.item_get("customers", "+12025550199") is None


def test_a_failed_batch_stops_the_batches_not_yet_sent(
    dynamo: ServiceResource, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def refuses_slowly(RequestItems: dict) -> dict:
        calls.append(1)
        time.sleep(0.02)
        raise ClientError({"Error": {"Code": "InternalServerError"}}, "BatchWriteItem")

    monkeypatch.setattr(dynamo.meta.client, "batch_write_item", refuses_slowly)

    with pytest.raises(DynamoDBError, match="could not be reached"):
        dynamodb.items_write("customers", puts=items(40 * 25))

    assert len(calls) < 40 // 2, "most of the 40 batches were never sent"
