"""Configuration of the flow-time Lambdas, read from the environment once per container."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

from connect.items import DEFAULT_CUSTOMER_TABLE, DEFAULT_PROMPT_TABLE

DEFAULT_REGION = "us-east-1"
DEFAULT_CACHE_TTL = 60.0


class ConfigError(ValueError):
    """An environment variable holds a value the Lambdas cannot use."""


@dataclass(frozen=True)
class Settings:
    prompt_table: str = DEFAULT_PROMPT_TABLE
    customer_table: str = DEFAULT_CUSTOMER_TABLE
    endpoint_url: str | None = None  # None: AWS itself; set for a local DynamoDB-compatible server
    region: str = DEFAULT_REGION
    prompt_cache_ttl: float = DEFAULT_CACHE_TTL
    customer_cache_ttl: float = DEFAULT_CACHE_TTL
    log_level: str = "INFO"


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also rejects NaN
        raise ConfigError(f"{name} must be a number of seconds, 0 or more; got {raw!r}")
    return value


def settings_from(env: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping; empty values count as unset."""
    prompt_ttl = _seconds(env, "PROMPT_CACHE_TTL", DEFAULT_CACHE_TTL)
    return Settings(
        prompt_table=env.get("PROMPT_TABLE_NAME") or DEFAULT_PROMPT_TABLE,
        customer_table=env.get("CUSTOMER_DATA_TABLE_NAME") or DEFAULT_CUSTOMER_TABLE,
        endpoint_url=env.get("DYNAMODB_ENDPOINT_URL") or None,
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or DEFAULT_REGION,
        prompt_cache_ttl=prompt_ttl,
        customer_cache_ttl=_seconds(env, "CUSTOMER_CACHE_TTL", prompt_ttl),
        log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
    )


@functools.cache
def settings() -> Settings:
    return settings_from(os.environ)


def reset() -> None:
    """Forget the settings read so far, so the next call reads the environment again."""
    settings.cache_clear()
