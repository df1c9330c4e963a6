"""Benchmark: pushing caller records to DynamoDB in batches vs one PutItem each.

Figures, not pass/fail assertions. Against moto's DynamoDB-compatible server on a free
loopback port (started and stopped here) and a throwaway SQLite database:

1. ``COUNT`` customers (default 100,000) are created in the database with bulk inserts.
2. (b) ``Table.put_item`` once per item for the first ``SAMPLE`` items (default 5,000), timed
   and extrapolated linearly to ``COUNT``; the table says so. Run first, on the freshest server.
3. (a) ``outbox.sync.sync_push_all("customers")`` pushes all of them: the database read,
   the item encoding and the BatchWriteItem calls (25 items each, ``WRITE_THREADS`` in
   flight), timed end to end; then again one batch at a time, to show what batching alone
   gives. Each measurement starts from an empty table.

Goal: the batched push at least 10x faster than one PutItem per item.

    uv run python scripts/bench_sync.py [--count 100000] [--sample 5000] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.motoserver import moto_server  # noqa: E402 - after the path is set

GOAL_SPEEDUP = 10.0
SERVER_START_SECONDS = 30


def _django(db_path: Path, endpoint: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "jamcc.settings",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "DYNAMODB_ENDPOINT_URL": endpoint,
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "LOG_LEVEL": "ERROR",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _phone(n: int) -> str:
    # +1 202 2XX XXXX: distinct, well-formed NANP numbers (exchanges 200-299).
    return f"+1202{200 + n // 10_000:03d}{n % 10_000:04d}"


def create_customers(count: int) -> float:
    from customers.models import Customer

    started = time.perf_counter()
    batch = 5_000
    for start in range(0, count, batch):
        Customer.objects.bulk_create(
            Customer(
                phone_number=_phone(n),
                first_name="Caller",
                last_name=f"{n:06d}",
                vip=n % 10 == 0,
            )
            for n in range(start, min(start + batch, count))
        )
    return time.perf_counter() - started


def _empty_table() -> None:
    """Each measurement starts from an empty table, as a first push would."""
    from outbox import dynamodb

    dynamodb.reset()
    name = dynamodb.table_names()["customers"][0]
    if name in dynamodb.resource().meta.client.list_tables()["TableNames"]:
        dynamodb.resource().Table(name).delete()
    dynamodb.tables_ensure()


def batched_push(count: int, *, threads: int) -> dict:
    from outbox import dynamodb
    from outbox.sync import sync_push_all

    calls: list[int] = []
    _empty_table()
    dynamodb.resource().meta.client.meta.events.register(
        "provide-client-params.dynamodb.BatchWriteItem", lambda **_: calls.append(1)
    )
    default, dynamodb.WRITE_THREADS = dynamodb.WRITE_THREADS, threads
    try:
        started = time.perf_counter()
        result = sync_push_all("customers")
        seconds = time.perf_counter() - started
    finally:
        dynamodb.WRITE_THREADS = default
    assert result.pushed == count, result
    stored = dynamodb.resource().Table(dynamodb.table_names()["customers"][0]).item_count
    return {
        "items": result.pushed,
        "threads": threads,
        "seconds": seconds,
        "items_per_second": result.pushed / seconds,
        "batch_write_calls": len(calls),
        "table_item_count": stored,
    }


def put_item_each(sample: int, count: int) -> dict:
    from customers.models import Customer
    from customers.selectors import customer_item
    from outbox import dynamodb

    items = [customer_item(c) for c in Customer.objects.order_by("pk")[:sample]]
    _empty_table()
    table = dynamodb.resource().Table(dynamodb.table_names()["customers"][0])
    started = time.perf_counter()
    for item in items:
        table.put_item(Item=item)
    seconds = time.perf_counter() - started
    return {
        "items": len(items),
        "seconds": seconds,
        "items_per_second": len(items) / seconds,
        "extrapolated_items": count,
        "extrapolated_seconds": seconds / len(items) * count,
    }


def run(count: int, sample: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp, moto_server() as endpoint:
        _django(Path(tmp) / "bench.sqlite3", endpoint)
        from outbox import dynamodb

        created = create_customers(count)
        # PutItem first, on the freshest server: any slowdown of moto's server over the run
        # counts against the batched push, not for it.
        single = put_item_each(min(sample, count), count)
        batched = batched_push(count, threads=dynamodb.WRITE_THREADS)
        # The same push one batch at a time: how much of the gain is batching alone.
        sequential = batched_push(count, threads=1)
    speedup = single["extrapolated_seconds"] / batched["seconds"]
    return {
        "customers": count,
        "create_seconds": created,
        "batched": batched,
        "batched_one_at_a_time": sequential,
        "put_item": single,
        "speedup": speedup,
        "speedup_one_at_a_time": single["extrapolated_seconds"] / sequential["seconds"],
        "goal_speedup": GOAL_SPEEDUP,
        "goal_met": speedup >= GOAL_SPEEDUP,
        "dynamodb": "moto server (python -m moto.server) on 127.0.0.1",
        "database": "SQLite (throwaway file)",
    }


def print_table(r: dict) -> None:
    b, s, p = r["batched"], r["batched_one_at_a_time"], r["put_item"]
    rows = [
        ("Method", "Items timed", "Seconds", "Items/s", f"Time for {r['customers']:,}"),
        *(
            (
                f"sync_push_all, BatchWriteItem x25, {x['threads']} thread(s)",
                f"{x['items']:,}",
                f"{x['seconds']:.1f}",
                f"{x['items_per_second']:,.0f}",
                f"{x['seconds']:.1f} s measured",
            )
            for x in (b, s)
        ),
        (
            "Table.put_item, one per item",
            f"{p['items']:,}",
            f"{p['seconds']:.1f}",
            f"{p['items_per_second']:,.0f}",
            f"{p['extrapolated_seconds']:.1f} s extrapolated",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            print("-+-".join("-" * w for w in widths))
    print()
    print(
        f"{r['customers']:,} customers created in {r['create_seconds']:.1f} s (bulk inserts); "
        f"{b['batch_write_calls']:,} BatchWriteItem calls; table holds {b['table_item_count']:,}."
    )
    extrapolated = "" if p["items"] == r["customers"] else " (PutItem time extrapolated)"
    verdict = "met" if r["goal_met"] else "NOT met"
    print(
        f"Speed-up: {r['speedup']:.1f}x{extrapolated}; goal >= {r['goal_speedup']:.0f}x {verdict}. "
        f"One batch at a time: {r['speedup_one_at_a_time']:.1f}x."
    )
    print(f"DynamoDB: {r['dynamodb']}; database: {r['database']}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="customers to push")
    parser.add_argument("--sample", type=int, default=5_000, help="PutItem calls to time")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.count, args.sample)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
