"""A per-container memory of recent lookups, so a busy flow does not read DynamoDB per call.

Hits and misses are both remembered (an unknown caller stays unknown for a TTL), edits show
within the TTL, and when DynamoDB fails the last answer is served past its TTL rather than
failing the call. Lambda runs one invocation at a time per container, so no locking.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from connect.dynamo import Unavailable

logger = logging.getLogger(__name__)

V = TypeVar("V")
Status = Literal["hit", "miss", "stale"]

MAX_ENTRIES = 10_000  # one entry per flow or per caller; bounds a long-lived container's memory
STALE_RETRY_SECONDS = 5.0  # during an outage, try DynamoDB again at most this often


@dataclass
class _Entry(Generic[V]):
    value: V
    fresh_until: float
    stale: bool = False


class TtlCache(Generic[V]):
    def __init__(
        self,
        ttl: float,
        *,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[Hashable, _Entry[V]] = {}

    def get(self, key: Hashable, load: Callable[[], V]) -> tuple[V, Status]:
        """The value for ``key``, calling ``load`` when it is not fresh.

        When ``load`` raises :class:`Unavailable`, an expired value is served instead; with
        nothing remembered the error propagates.
        """
        now = self._clock()
        entry = self._entries.get(key)
        if entry is not None and now < entry.fresh_until:
            return entry.value, "stale" if entry.stale else "hit"
        try:
            value = load()
        except Unavailable as exc:
            if entry is None:
                raise
            return self._serve_stale(entry, now, exc), "stale"
        self._remember(key, _Entry(value, now + self.ttl))
        return value, "miss"

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _serve_stale(self, entry: _Entry[V], now: float, exc: Exception) -> V:
        # The key is not logged: for customers it is a phone number.
        logger.warning(json.dumps({"cache": "stale", "error": str(exc)[:500]}))
        # Waiting out DynamoDB's timeouts on every call would cost each caller seconds of silence.
        entry.fresh_until = now + min(self.ttl, STALE_RETRY_SECONDS)
        entry.stale = True
        return entry.value

    def _remember(self, key: Hashable, entry: _Entry[V]) -> None:
        self._entries.pop(key, None)  # re-inserted last, so eviction takes the oldest write
        if len(self._entries) >= self.max_entries:
            del self._entries[next(iter(self._entries))]
        self._entries[key] = entry
