"""Amazon Connect's side of the contract: a flat map of strings, smaller than 32 KB."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from xml.parsers import expat

from connect.items import MAX_ANSWER_BYTES, MAX_VALUE_CHARS, answer_bytes, is_ssml, speak

_TAG = re.compile(r"<[^>]*>")
_PAUSES = frozenset({"break", "p", "s"})  # where Polly pauses between words


def _cost(key: str, value: str) -> int:
    """Bytes the entry adds to ``json.dumps`` of the answer, counting its ", " separator.

    ``json.dumps`` escapes every non-ASCII character, so its length is its size in bytes.
    """
    return len(json.dumps(key)) + len(json.dumps(value)) + 4


def spoken_text(ssml: str) -> str:
    """The words a caller hears from ``ssml``: the text, with a <sub>'s alias for its own."""
    words: list[str] = []
    inside_sub = 0
    parser = expat.ParserCreate()  # no namespaces: Polly reads amazon:effect undeclared

    def pause() -> None:
        if words and not words[-1][-1:].isspace():
            words.append(" ")

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal inside_sub
        if name in _PAUSES:
            pause()
        if name == "sub":
            inside_sub += 1
            words.append(attributes.get("alias", ""))

    def end(name: str) -> None:
        nonlocal inside_sub
        if name in _PAUSES:
            pause()
        if name == "sub":
            inside_sub -= 1

    def refuse(*_: object) -> None:
        raise ValueError("SSML with a DOCTYPE is not spoken")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = lambda data: words.append(data) if not inside_sub else None
    parser.StartDoctypeDeclHandler = refuse
    try:
        parser.Parse(ssml, True)
    except (expat.ExpatError, ValueError):
        return html.unescape(_TAG.sub("", ssml))
    return "".join(words)


def _longest(source: str, render: Callable[[str], str], fits: Callable[[str], bool]) -> str:
    """``render`` of the longest prefix of ``source`` whose rendering ``fits``."""
    low, high = 0, len(source)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(render(source[:middle])):
            low = middle
        else:
            high = middle - 1
    return render(source[:low])


def _shortened(value: str, speech: bool, fits: Callable[[str], bool]) -> str:
    """``value`` if it ``fits``, else the longest start of it that does. Speech stays valid
    SSML: its words are cut and spoken again, since SSML cut mid-tag is no SSML at all."""
    if fits(value):
        return value
    if speech and is_ssml(value):
        return _longest(spoken_text(value), speak, fits)
    return _longest(value, speak if speech else str, fits)


def _cap(value: str, speech: bool) -> str:
    return _shortened(value, speech, lambda text: len(text) <= MAX_VALUE_CHARS)


def _keep_required(
    answer: Mapping[str, str], required: Sequence[str], budget: int, speech: Collection[str]
) -> tuple[dict[str, str], int]:
    """The required entries, each whole if it costs no more than an equal share of what is
    left, so short values (the flags the flows branch on) stay whole and long texts share
    the rest evenly instead of the first one taking it all."""
    kept: dict[str, str] = {}
    by_cost = sorted(required, key=lambda k: (_cost(k, answer.get(k, "")), k))
    for position, key in enumerate(by_cost):
        share = budget // (len(by_cost) - position)

        def fits(text: str, key: str = key, share: int = share) -> bool:
            return _cost(key, text) <= share

        value = _shortened(answer.get(key, ""), key in speech, fits)
        kept[key] = value
        budget -= _cost(key, value)
    return {key: kept[key] for key in required}, budget


def _cheapest(answer: Mapping[str, str], keys: Sequence[str], budget: int) -> set[str]:
    chosen = set()
    for key in sorted(keys, key=lambda k: (_cost(k, answer[k]), k)):
        if _cost(key, answer[key]) > budget:
            break  # sorted by cost: nothing after this fits either
        chosen.add(key)
        budget -= _cost(key, answer[key])
    return chosen


def fit(
    answer: Mapping[str, str],
    *,
    required: Sequence[str],
    limit: int = MAX_ANSWER_BYTES,
    speech: Collection[str] = (),
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Make ``answer`` fit ``limit`` bytes of JSON; return it with the keys cut or dropped.

    Required keys always stay, first and in their order; when they cannot all be whole, the
    long ones share the room evenly. The other entries are kept cheapest first, so one huge
    value costs itself rather than many small ones, and keep their original order. Values of
    ``speech`` keys are SSML and stay SSML when cut. The same answer always loses the same
    entries.
    """
    # Capping first stops one runaway value from crowding out the rest.
    capped = {key: _cap(value, key in speech) for key, value in answer.items()}
    complete = _required_first(capped, required)
    if answer_bytes(complete) <= limit:
        return complete, _changed(answer, complete)
    kept, budget = _keep_required(capped, required, limit, speech)
    optional = [key for key in capped if key not in kept]
    chosen = _cheapest(capped, optional, budget)
    kept.update((key, capped[key]) for key in optional if key in chosen)
    return kept, _changed(answer, kept)


def _required_first(answer: Mapping[str, str], required: Sequence[str]) -> dict[str, str]:
    ordered = {key: answer.get(key, "") for key in required}
    ordered.update(answer)
    return ordered


def _changed(before: Mapping[str, str], after: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(key for key, value in before.items() if after.get(key) != value)
