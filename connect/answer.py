"""Amazon Connect's side of the contract: a flat map of strings, smaller than 32 KB."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from connect.items import MAX_ANSWER_BYTES, MAX_VALUE_CHARS, answer_bytes


def _cost(key: str, value: str) -> int:
    """Bytes the entry adds to ``json.dumps`` of the answer, counting its ", " separator."""
    return len(json.dumps(key)) + len(json.dumps(value)) + 4


def _truncate(key: str, value: str, budget: int) -> str:
    """The longest prefix of ``value`` whose entry fits ``budget`` bytes."""
    if _cost(key, value) <= budget:
        return value
    low, high = 0, len(value)
    while low < high:
        middle = (low + high + 1) // 2
        if _cost(key, value[:middle]) <= budget:
            low = middle
        else:
            high = middle - 1
    return value[:low]


def _keep_required(
    answer: Mapping[str, str], required: Sequence[str], budget: int
) -> tuple[dict[str, str], int]:
    kept: dict[str, str] = {}
    for key in required:
        value = _truncate(key, answer.get(key, ""), budget)
        kept[key] = value
        budget -= _cost(key, value)
    return kept, budget


def _cheapest(answer: Mapping[str, str], keys: Sequence[str], budget: int) -> set[str]:
    chosen = set()
    for key in sorted(keys, key=lambda k: (_cost(k, answer[k]), k)):
        if _cost(key, answer[key]) > budget:
            break  # sorted by cost: nothing after this fits either
        chosen.add(key)
        budget -= _cost(key, answer[key])
    return chosen


def fit(
    answer: Mapping[str, str], *, required: Sequence[str], limit: int = MAX_ANSWER_BYTES
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Make ``answer`` fit ``limit`` bytes of JSON; return it with the keys cut or dropped.

    Required keys always stay, first and in their order, cut short if need be. The other
    entries are kept cheapest first, so one huge value costs itself rather than many small
    ones, and keep their original order. The same answer always loses the same entries.
    """
    # Capping first stops one runaway value from crowding out the rest.
    capped = {key: value[:MAX_VALUE_CHARS] for key, value in answer.items()}
    if answer_bytes(capped) <= limit and all(key in capped for key in required):
        return _required_first(capped, required), _changed(answer, capped)
    kept, budget = _keep_required(capped, required, limit)
    optional = [key for key in capped if key not in kept]
    chosen = _cheapest(capped, optional, budget)
    kept.update((key, capped[key]) for key in optional if key in chosen)
    return kept, _changed(answer, kept)


def _required_first(answer: Mapping[str, str], required: Sequence[str]) -> dict[str, str]:
    ordered = {key: answer[key] for key in required}
    ordered.update(answer)
    return ordered


def _changed(before: Mapping[str, str], after: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(key for key, value in before.items() if after.get(key) != value)
