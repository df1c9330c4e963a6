"""Benchmarks for the flow-time Lambdas in ``connect/``; figures, not pass/fail assertions.

Against moto's DynamoDB server on a free loopback port, with a realistic Main flow (12 prompts
in English and Spanish, an announcement running) and one customer:

a. Cold import of ``connect.handlers`` / a bare ``import boto3`` (fresh processes, median of 9):
   goal at most 1.1, and Django never imported.
b. Warm ``get_prompts`` with the cache off (TTL 0) / a raw ``Table.get_item`` of the same item
   (medians of 300 interleaved calls): goal at most 1.2.
c. ``get_prompts`` answered from the cache / the raw GetItem: goal at most 0.05.
d. For context, a cold process's first answer (import and first lookup) / ``import boto3`` plus
   one GetItem: the import that (a) saves is paid again at the first lookup.

    uv run python scripts/bench_connect.py [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connect import dynamo, handlers  # noqa: E402 - after the path is set
from connect.items import (  # noqa: E402
    CUSTOMERS_KEY,
    DEFAULT_CUSTOMER_TABLE,
    DEFAULT_PROMPT_TABLE,
    PROMPTS_KEY,
    Announcement,
    Customer,
    FlowPrompts,
    customer_encode,
    prompts_encode,
    table_definition,
)
from deploy.motoserver import moto_server  # noqa: E402

COLD_RUNS = 9
WARM_CALLS = 300
WARMUP_CALLS = 20
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
EVENT = {
    "Details": {
        "ContactData": {"ContactId": "bench", "LanguageCode": "es-US"},
        "Parameters": {"contactFlowName": "Main", "languageCode": "es-US"},
    },
    "Name": "ContactFlowEvent",
}

COLD_IMPORT_BOTO3 = """
import json, sys, time
started = time.perf_counter()
import boto3
print(json.dumps({"seconds": time.perf_counter() - started}))
"""
COLD_IMPORT_CONNECT = """
import json, sys, time
started = time.perf_counter()
import connect.handlers
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "django": any(m.startswith("django") for m in sys.modules)}))
"""
COLD_ANSWER_BOTO3 = """
import json, os, time
started = time.perf_counter()
import boto3
from botocore.config import Config
from connect.dynamo import TIMEOUTS
resource = boto3.resource("dynamodb", endpoint_url=os.environ["DYNAMODB_ENDPOINT_URL"],
                          region_name=os.environ["AWS_REGION"], config=Config(**TIMEOUTS))
resource.Table("jam-cc-prompts").get_item(Key={"ContactFlowName": "Main"})
print(json.dumps({"seconds": time.perf_counter() - started}))
"""
COLD_ANSWER_CONNECT = """
import json, sys, time
started = time.perf_counter()
import connect.handlers
connect.handlers.get_prompts(EVENT_JSON, None)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "django": any(m.startswith("django") for m in sys.modules)}))
""".replace("EVENT_JSON", json.dumps(EVENT))


def main_flow(now: datetime) -> FlowPrompts:
    ids = ["Welcome", "LanguageMenu", "MainMenu", "SalesMenu", "SupportMenu", "AccountMenu"]
    ids += ["Hold", "Transfer", "Closed", "Recording", "Callback", "Goodbye"]
    prompts = {
        prompt_id: {
            "en-US": f"{prompt_id}: thank you for calling JAM. " + "Please listen carefully. " * 3,
            "es-US": f"{prompt_id}: gracias por llamar a JAM. " + "Escuche con atención. " * 3,
        }
        for prompt_id in ids
    }
    running = Announcement(
        "storm",
        now - timedelta(hours=1),
        now + timedelta(days=1),
        {
            "en-US": "Due to the storm, wait times are longer.",
            "es-US": "Por la tormenta, la espera es mayor.",
        },
    )
    return FlowPrompts("Main", prompts, (running,))


def seed() -> None:
    client = dynamo.resource().meta.client
    client.create_table(**table_definition(DEFAULT_PROMPT_TABLE, PROMPTS_KEY))
    client.create_table(**table_definition(DEFAULT_CUSTOMER_TABLE, CUSTOMERS_KEY))
    dynamo.table(DEFAULT_PROMPT_TABLE).put_item(Item=prompts_encode(main_flow(datetime.now(UTC))))
    customer = Customer("+12025550100", "Casey", "Jones", vip=True)
    dynamo.table(DEFAULT_CUSTOMER_TABLE).put_item(Item=customer_encode(customer))


def _run(script: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def cold(baseline: str, ours: str) -> dict:
    """Medians over fresh processes, the two scripts interleaved so drift hits both alike."""
    base, mine, django = [], [], False
    for _ in range(COLD_RUNS):
        base.append(_run(baseline)["seconds"])
        run = _run(ours)
        mine.append(run["seconds"])
        django = django or run["django"]
    return {
        "baseline_ms": round(statistics.median(base) * 1000, 1),
        "connect_ms": round(statistics.median(mine) * 1000, 1),
        "ratio": round(statistics.median(mine) / statistics.median(base), 3),
        "django_imported": django,
    }


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def warm(ours: Callable[[], object]) -> dict:
    """``ours`` against a raw GetItem of the same item through the same resource."""
    table = dynamo.table(DEFAULT_PROMPT_TABLE)

    def raw() -> object:
        return table.get_item(Key={PROMPTS_KEY: "Main"})

    for _ in range(WARMUP_CALLS):
        raw(), ours()
    base, mine = [], []
    for _ in range(WARM_CALLS):
        base.append(_timed(raw))
        mine.append(_timed(ours))
    return {
        "get_item_ms": round(statistics.median(base) * 1000, 3),
        "connect_ms": round(statistics.median(mine) * 1000, 3),
        "ratio": round(statistics.median(mine) / statistics.median(base), 3),
    }


def _restart(ttl: int) -> None:
    os.environ["PROMPT_CACHE_TTL"] = str(ttl)
    handlers.reset()


def measure(endpoint: str) -> dict:
    os.environ.update({**CREDENTIALS, "AWS_REGION": "us-east-1", "DYNAMODB_ENDPOINT_URL": endpoint})
    # Lambda writes every log line somewhere; so does the benchmark, to count its cost.
    logging.getLogger("connect").addHandler(logging.StreamHandler(open(os.devnull, "w")))  # noqa: SIM115
    logging.getLogger("connect").propagate = False
    _restart(ttl=0)
    seed()
    report = {
        "a_cold_import": cold(COLD_IMPORT_BOTO3, COLD_IMPORT_CONNECT),
        "b_warm_uncached": warm(lambda: handlers.get_prompts(EVENT, None)),
    }
    _restart(ttl=60)
    report["c_cache_hit"] = warm(lambda: handlers.get_prompts(EVENT, None))
    report["d_cold_first_answer"] = cold(COLD_ANSWER_BOTO3, COLD_ANSWER_CONNECT)
    return report


GOALS = {"a_cold_import": 1.1, "b_warm_uncached": 1.2, "c_cache_hit": 0.05}


def print_table(report: dict) -> None:
    print(f"{'figure':<22} {'baseline ms':>12} {'connect ms':>11} {'ratio':>7} {'goal':>7}  met")
    for name, row in report.items():
        base = row.get("baseline_ms", row.get("get_item_ms"))
        goal = GOALS.get(name)
        met = "-" if goal is None else ("yes" if row["ratio"] <= goal else "NO")
        goal_text = "-" if goal is None else f"<={goal}"
        print(
            f"{name:<22} {base:>12} {row['connect_ms']:>11} {row['ratio']:>7} {goal_text:>7}  {met}"
        )
    imported = any(row.get("django_imported") for row in report.values())
    print(f"Django imported by connect: {'YES' if imported else 'no'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="also print one JSON object")
    args = parser.parse_args()
    with moto_server() as endpoint:
        report = measure(endpoint)
    print_table(report)
    if args.json:
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
