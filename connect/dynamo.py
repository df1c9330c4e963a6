"""The Lambdas' only door to DynamoDB.

boto3 is imported on first use, not at import time: it is most of a cold start, and the Django
apps import ``connect`` for the item format alone. The resource is then kept for the life of the
container, so warm invocations reuse its connections.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol, TypedDict

from connect.config import settings
from connect.items import Item


class _Retries(TypedDict, total=False):
    """botocore's retry configuration (``Config(retries=...)``)."""

    mode: Literal["legacy", "standard", "adaptive"]
    total_max_attempts: int
    max_attempts: int


class _Timeouts(TypedDict):
    """The keyword arguments of botocore's ``Config`` that TIMEOUTS sets."""

    connect_timeout: float
    read_timeout: float
    retries: _Retries


# Connect gives a flow's Lambda at most 8 s. A silent DynamoDB costs two attempts timing out
# at 1 s plus standard-mode backoff (under 1 s): about 3 s. Even a connect and a read both just
# inside their limits, twice, stays near 5 s.
TIMEOUTS: _Timeouts = {
    "connect_timeout": 1,
    "read_timeout": 1,
    "retries": {"mode": "standard", "total_max_attempts": 2},
}
MAX_KEY_BYTES = 2048  # DynamoDB refuses longer partition keys

_resource: Any = None
_tables: dict[str, Table] = {}


class Table(Protocol):
    """What the lookups need of a boto3 DynamoDB Table."""

    name: str

    def get_item(self, **kwargs: object) -> dict[str, Any]: ...


class Unavailable(Exception):
    """DynamoDB did not answer, or answered with an error: not the same as "no such item"."""


def resource() -> Any:  # noqa: ANN401 - boto3's DynamoDB ServiceResource, built at run time
    global _resource
    if _resource is None:
        import boto3
        from botocore.config import Config

        config = settings()
        _resource = boto3.resource(
            "dynamodb",
            region_name=config.region,
            endpoint_url=config.endpoint_url,
            config=Config(**TIMEOUTS),
        )
    return _resource


def table(name: str) -> Table:
    if name not in _tables:
        _tables[name] = resource().Table(name)
    return _tables[name]


def reset() -> None:
    """Drop the resource and tables, so the next use builds them from the current settings."""
    global _resource
    _resource = None
    _tables.clear()


def is_key(value: object) -> bool:
    """Whether DynamoDB would accept ``value`` as a string partition key."""
    if not isinstance(value, str) or not value:
        return False
    try:
        return len(value.encode("utf-8")) <= MAX_KEY_BYTES
    except UnicodeEncodeError:  # lone surrogates cannot be sent
        return False


def get_item(table: Table, key: Mapping[str, str]) -> Item | None:
    """The item with ``key``, or None; raise :class:`Unavailable` when DynamoDB fails."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        response = table.get_item(Key=dict(key))
    except (BotoCoreError, ClientError) as exc:
        raise Unavailable(f"GetItem on {table.name} failed: {exc}") from exc
    return response.get("Item")
