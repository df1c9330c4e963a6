"""What the flows ask for, given a table: pure of AWS setup, so tests hand in any table."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeVar

from connect import dynamo
from connect.answer import fit
from connect.cache import TtlCache
from connect.dynamo import Table
from connect.items import (
    CUSTOMER_ANSWER_KEYS,
    CUSTOMERS_KEY,
    PROMPTS_KEY,
    RESERVED_PROMPT_IDS,
    Customer,
    FlowPrompts,
    ItemError,
    customer_decode,
    prompts_complete,
    prompts_decode,
    prompts_flat,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")
# The prompts answer's keys that are not SSML for a flow to play; the flows branch on them.
NOT_SPOKEN = ("operation", "promptsFound", "promptsComplete", "hasAnnouncement")
CacheStatus = Literal["hit", "miss", "stale", "skipped"]

# prompts_decode and customer_decode raise ItemError for the shapes they know; an attribute
# of an unexpected type (a number where a list belongs) can surface as one of the others.
_MALFORMED = (ItemError, TypeError, ValueError, AttributeError)


@dataclass(frozen=True)
class Outcome:
    """An answer for Connect, and what the log line needs to know about how it was made."""

    answer: dict[str, str]
    found: bool
    cache: CacheStatus
    trimmed: tuple[str, ...] = ()


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _decoded(
    table: Table, item: Mapping[str, object] | None, decode: Callable[[Mapping[str, object]], T]
) -> T | None:
    if item is None:
        return None
    try:
        return decode(item)
    except _MALFORMED as exc:
        # A bad item reads as a missing one: the flow carries on with its defaults.
        logger.warning(json.dumps({"malformedItem": table.name, "error": str(exc)[:500]}))
        return None


def _lookup(
    table: Table,
    key_name: str,
    key: str,
    cache: TtlCache[T | None],
    decode: Callable[[Mapping[str, object]], T],
) -> tuple[T | None, CacheStatus]:
    if not dynamo.is_key(key):
        return None, "skipped"  # DynamoDB would refuse the request: no such item, surely

    def load() -> T | None:
        return _decoded(table, dynamo.get_item(table, {key_name: key}), decode)

    return cache.get((table.name, key), load)


def prompts_answer(
    table: Table,
    *,
    flow: str,
    language: str,
    now: datetime,
    cache: TtlCache[FlowPrompts | None],
    required: Sequence[str] = (),
) -> Outcome:
    """The flow's prompts in ``language`` (English where missing) and its announcement, each
    as SSML for MessageParticipant's SSML parameter; ``required`` are the prompt ids the flow
    needs words for before it speaks them (promptsComplete)."""
    prompts, status = _lookup(table, PROMPTS_KEY, flow, cache, prompts_decode)
    announcement = prompts.announcement(language, now) if prompts is not None else ""
    answer = prompts_flat(prompts, language, announcement=announcement, required=required)
    speech = [key for key in answer if key not in NOT_SPOKEN]
    fitted, trimmed = fit(answer, required=RESERVED_PROMPT_IDS, speech=speech)
    return Outcome(prompts_complete(fitted, required), prompts is not None, status, trimmed)


def customer_answer(table: Table, *, caller: str, cache: TtlCache[Customer | None]) -> Outcome:
    """What the customer table knows about ``caller``; "not found" answers with blanks."""
    customer, status = _lookup(table, CUSTOMERS_KEY, caller, cache, customer_decode)
    found = customer or Customer(phone_number=caller)
    answer = {key: value for key, value in found.extra.items() if key not in CUSTOMER_ANSWER_KEYS}
    answer.update(
        operation="lookupCustomer",
        CustomerFound=_flag(customer is not None),
        FirstName=found.first_name,
        LastName=found.last_name,
        VIP=_flag(found.vip),
    )
    fitted, trimmed = fit(answer, required=CUSTOMER_ANSWER_KEYS)
    return Outcome(fitted, customer is not None, status, trimmed)
