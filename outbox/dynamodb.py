"""The only module of the Django apps that talks to DynamoDB.

Lazily made boto3 resource, configured once from settings; vendor failures become
:class:`DynamoDBError` with a message an admin user can read. A missing item is ``None``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings

from connect.items import CUSTOMERS_KEY, PROMPTS_KEY, table_definition

if TYPE_CHECKING:  # boto3-stubs' types: a development dependency, not in the Lambda package
    from mypy_boto3_dynamodb import DynamoDBServiceResource
    from mypy_boto3_dynamodb.service_resource import Table

logger = logging.getLogger(__name__)

MESSAGE_THROTTLED = "DynamoDB is throttling requests; the change is saved and will be retried."
MESSAGE_UNAVAILABLE = "DynamoDB could not be reached; the change is saved and will be retried."
# BatchWriteItem takes at most 25 requests; unprocessed ones are retried with backoff.
BATCH_SIZE = 25
_UNPROCESSED_RETRIES = 8
# In a request, a throttled batch is left pending for the scheduled retry sooner.
_UNPROCESSED_RETRIES_IN_REQUEST = 2
# BatchWriteItem calls in flight at once during a large write.
WRITE_THREADS = 4
_THROTTLED = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
}


class DynamoDBError(Exception):
    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(f"{message} ({code})" if code else message)
        self.message, self.code = message, code


# Keyed by ``in_request``: the full budget for the retry job and commands, a short one for
# the push that runs inside a web request after its commit.
_resources: dict[bool, DynamoDBServiceResource] = {}
_lock = threading.Lock()


def resource(*, in_request: bool = False) -> DynamoDBServiceResource:
    if in_request not in _resources:
        with _lock:
            if in_request not in _resources:
                _resources[in_request] = _make_resource(in_request=in_request)
    return _resources[in_request]


def reset() -> None:
    with _lock:
        _resources.clear()


def _make_resource(*, in_request: bool) -> DynamoDBServiceResource:
    prefix = "DYNAMODB_REQUEST_" if in_request else "DYNAMODB_"
    config = Config(
        region_name=settings.AWS_REGION,
        connect_timeout=getattr(settings, f"{prefix}CONNECT_TIMEOUT"),
        read_timeout=getattr(settings, f"{prefix}READ_TIMEOUT"),
        retries={
            "mode": "standard",
            "total_max_attempts": getattr(settings, f"{prefix}MAX_ATTEMPTS"),
        },
    )
    kwargs: dict[str, Any] = {"config": config}
    if settings.DYNAMODB_ENDPOINT_URL:
        # The local server accepts any credentials; AWS gets the real ones from the runtime.
        kwargs.update(
            endpoint_url=settings.DYNAMODB_ENDPOINT_URL,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
    return boto3.resource("dynamodb", **kwargs)


def table_names() -> dict[str, tuple[str, str]]:
    """Kind -> (table name, key attribute)."""
    return {
        "prompts": (settings.PROMPT_TABLE_NAME, PROMPTS_KEY),
        "customers": (settings.CUSTOMER_DATA_TABLE_NAME, CUSTOMERS_KEY),
    }


def _table(kind: str) -> Table:
    return resource().Table(table_names()[kind][0])


def _error(exc: Exception) -> DynamoDBError:
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        message = MESSAGE_THROTTLED if code in _THROTTLED else MESSAGE_UNAVAILABLE
        return DynamoDBError(message, code=code)
    return DynamoDBError(MESSAGE_UNAVAILABLE, code=type(exc).__name__)


def tables_ensure() -> list[str]:
    """Create the tables that do not exist yet (local server, tests); return those made."""
    created = []
    try:
        existing = set(resource().meta.client.list_tables()["TableNames"])
        for name, key in table_names().values():
            if name not in existing:
                resource().create_table(**table_definition(name, key)).wait_until_exists()
                created.append(name)
    except (ClientError, BotoCoreError) as exc:
        raise _error(exc) from exc
    return created


def item_get(kind: str, key: str) -> dict | None:
    key_name = table_names()[kind][1]
    try:
        return _table(kind).get_item(Key={key_name: key}, ConsistentRead=True).get("Item")
    except (ClientError, BotoCoreError) as exc:
        raise _error(exc) from exc


def items_write(
    kind: str,
    *,
    puts: Iterable[dict] = (),
    deletes: Iterable[str] = (),
    in_request: bool = False,
) -> int:
    """Put and delete items in BatchWriteItem calls; return how many requests were sent.

    Several batches go out on a few threads at once: a full push is bound by round trips.
    The first failure stops the batches not yet sent and is raised. ``in_request`` uses the
    short timeouts and retries a web request can afford.
    """
    table_name, key_name = table_names()[kind]
    requests = [{"PutRequest": {"Item": item}} for item in puts]
    requests += [{"DeleteRequest": {"Key": {key_name: key}}} for key in deletes]
    batches = [requests[i : i + BATCH_SIZE] for i in range(0, len(requests), BATCH_SIZE)]
    if len(batches) <= 1:
        for batch in batches:
            _batch_write(table_name, batch, in_request=in_request)
        return len(requests)
    with ThreadPoolExecutor(max_workers=min(WRITE_THREADS, len(batches))) as pool:
        futures = [
            pool.submit(_batch_write, table_name, batch, in_request=in_request) for batch in batches
        ]
        try:
            for future in futures:
                future.result()
        except DynamoDBError:
            for future in futures:
                future.cancel()
            raise
    return len(requests)


def _batch_write(table_name: str, batch: list[dict[str, Any]], *, in_request: bool) -> None:
    # The resource's client, not the resource: clients may be shared by threads, resources not.
    # It carries the resource's handlers that serialize plain Python values to DynamoDB's types
    # (so the requests hold plain values, not the typed AttributeValue maps of a bare client).
    pending: dict[str, Any] = {table_name: batch}
    client = resource(in_request=in_request).meta.client
    retries = _UNPROCESSED_RETRIES_IN_REQUEST if in_request else _UNPROCESSED_RETRIES
    for attempt in range(retries):
        try:
            answer = client.batch_write_item(RequestItems=pending)
        except (ClientError, BotoCoreError) as exc:
            raise _error(exc) from exc
        pending = answer.get("UnprocessedItems") or {}
        if not pending:
            return
        # DynamoDB hands back what it could not take under load: back off, then resend.
        time.sleep(min(0.05 * 2**attempt, 2.0))
    raise DynamoDBError(MESSAGE_THROTTLED, code="UnprocessedItems")


def items_scan(kind: str) -> Iterator[dict]:
    table = _table(kind)
    kwargs: dict[str, Any] = {}
    while True:
        try:
            page = table.scan(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise _error(exc) from exc
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
