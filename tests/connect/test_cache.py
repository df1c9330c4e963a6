"""The per-container cache: remembered hits and misses, a TTL, and stale answers in an outage."""

from __future__ import annotations

import pytest

from connect.cache import STALE_RETRY_SECONDS, TtlCache
from connect.dynamo import Unavailable


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Source:
    """A loader that counts its calls and can be switched to fail like DynamoDB."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0
        self.down = False

    def __call__(self) -> object:
        self.calls += 1
        if self.down:
            raise Unavailable("GetItem on jam-cc-prompts failed")
        return self.value


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(clock: Clock) -> TtlCache:
    return TtlCache(60, clock=clock)


def test_a_fresh_value_is_served_without_loading_again(cache: TtlCache) -> None:
    source = Source("prompts")
    cache.get("Main", source)

    assert cache.get("Main", source) == ("prompts", "hit")
    assert source.calls == 1


def test_a_miss_is_remembered_like_a_hit(cache: TtlCache) -> None:
    source = Source(None)
    cache.get("+447700900123", source)

    assert cache.get("+447700900123", source) == (None, "hit")


def test_a_value_past_its_ttl_is_loaded_again(cache: TtlCache, clock: Clock) -> None:
    cache.get("Main", Source("old"))
    clock.now += 60

    assert cache.get("Main", Source("new")) == ("new", "miss")


def test_a_zero_ttl_loads_every_time(clock: Clock) -> None:
    cache = TtlCache(0, clock=clock)
    source = Source("prompts")
    cache.get("Main", source)
    cache.get("Main", source)

    assert source.calls == 2


def test_in_an_outage_the_expired_value_is_served_stale(cache: TtlCache, clock: Clock) -> None:
    source = Source("prompts")
    cache.get("Main", source)
    clock.now += 61
    source.down = True

    assert cache.get("Main", source) == ("prompts", "stale")


def test_in_an_outage_with_nothing_remembered_the_error_propagates(cache: TtlCache) -> None:
    source = Source("prompts")
    source.down = True

    with pytest.raises(Unavailable):
        cache.get("Main", source)


def test_in_an_outage_it_asks_again_only_every_few_seconds(cache: TtlCache, clock: Clock) -> None:
    source = Source("prompts")
    cache.get("Main", source)
    clock.now += 61
    source.down = True
    cache.get("Main", source)
    cache.get("Main", source)
    clock.now += STALE_RETRY_SECONDS
    cache.get("Main", source)

    assert source.calls == 3


def test_once_dynamodb_is_back_the_answer_is_fresh_again(cache: TtlCache, clock: Clock) -> None:
    source = Source("prompts")
    cache.get("Main", source)
    clock.now += 61
    source.down = True
    cache.get("Main", source)
    clock.now += STALE_RETRY_SECONDS
    source.down = False

    assert cache.get("Main", source) == ("prompts", "miss")


def test_other_errors_are_not_hidden_behind_a_stale_value(cache: TtlCache, clock: Clock) -> None:
    cache.get("Main", Source("prompts"))
    clock.now += 61

    def broken() -> object:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        cache.get("Main", broken)


def test_when_full_it_forgets_the_oldest_entry(clock: Clock) -> None:
    cache = TtlCache(60, max_entries=2, clock=clock)
    for caller in ("+1", "+2", "+3"):
        cache.get(caller, Source(caller))
    source = Source("+1 again")

    assert cache.get("+1", source) == ("+1 again", "miss")
    assert len(cache) == 2
