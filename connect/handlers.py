"""The Lambda entry points Amazon Connect's flows invoke.

Handlers unpack the event, call a lookup with its table, and log one JSON line. Ordinary
misses (unknown flow or caller, junk in the event, a malformed item) answer normally; only a
DynamoDB failure with nothing remembered raises, which sends the flow down its Error branch.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from connect import config, dynamo, events
from connect.cache import TtlCache
from connect.dynamo import Unavailable
from connect.items import Customer, FlowPrompts
from connect.lookups import Outcome, customer_answer, prompts_answer

logger = logging.getLogger(__name__)

MAX_LOGGED_CHARS = 100  # event values are caller-controlled; keep log lines bounded


def get_prompts(event: object, context: object = None) -> dict[str, str]:
    flow = events.parameter(event, "contactFlowName")
    language = events.language(event)
    fields = {"operation": "getPrompts", "flow": flow, "language": language}
    return _invoke(
        event,
        fields,
        lambda: prompts_answer(
            dynamo.table(config.settings().prompt_table),
            flow=flow,
            language=language,
            now=datetime.now(UTC),
            cache=_prompt_cache(),
            required=events.listed(event, "requiredPrompts"),
        ),
    )


def lookup_customer(event: object, context: object = None) -> dict[str, str]:
    caller = events.caller(event)
    fields = {"operation": "lookupCustomer", "caller": mask(caller)}
    return _invoke(
        event,
        fields,
        lambda: customer_answer(
            dynamo.table(config.settings().customer_table),
            caller=caller,
            cache=_customer_cache(),
        ),
    )


def mask(address: str) -> str:
    """``address`` fit for a log: every letter and digit but the last four starred."""
    tail = address[-32:]
    return "".join("*" if c.isalnum() else c for c in tail[:-4]) + tail[-4:]


def reset() -> None:
    """Forget settings, the DynamoDB resource and the caches, as a cold start would."""
    config.reset()
    dynamo.reset()
    _prompt_cache.cache_clear()
    _customer_cache.cache_clear()
    _configure_logging.cache_clear()


@functools.cache
def _prompt_cache() -> TtlCache[FlowPrompts | None]:
    return TtlCache(config.settings().prompt_cache_ttl)


@functools.cache
def _customer_cache() -> TtlCache[Customer | None]:
    return TtlCache(config.settings().customer_cache_ttl)


@functools.cache
def _configure_logging() -> None:
    # Lambda's root logger stops at WARNING; the per-invocation line is INFO.
    level = logging.getLevelNamesMapping().get(config.settings().log_level, logging.INFO)
    logging.getLogger("connect").setLevel(level)


def _invoke(event: object, fields: dict[str, str], lookup: Callable[[], Outcome]) -> dict[str, str]:
    _configure_logging()
    started = time.perf_counter()
    fields = {"contactId": events.contact_id(event), **fields}
    try:
        outcome = lookup()
    except Unavailable as exc:
        _log(logging.ERROR, fields, started, result="error", error=str(exc)[:500])
        raise
    more: dict[str, object] = {"result": "hit" if outcome.found else "miss", "cache": outcome.cache}
    if outcome.trimmed:  # cut or dropped to fit Connect's size limit
        more["trimmed"] = [key[:MAX_LOGGED_CHARS] for key in outcome.trimmed[:20]]
    _log(logging.INFO, fields, started, **more)
    return outcome.answer


def _log(level: int, fields: dict[str, str], started: float, **more: object) -> None:
    line: dict[str, object] = {key: value[:MAX_LOGGED_CHARS] for key, value in fields.items()}
    line.update(more, latencyMs=round((time.perf_counter() - started) * 1000, 2))
    logger.log(level, json.dumps(line))
