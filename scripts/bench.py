"""Benchmarks for the live-support site (`make bench`); figures, not pass/fail assertions.

1. Connect API requests for 1000 live-support views served by two processes sharing one
   database (and so the database cache): goal at most one per hours id per cache TTL.
2. SQL queries per live-support page with 10 and with 100 queues: goal constant.
3. Bytes a browser transfers for the live-support page, gzipped: goal under 100 KB.
4. With the local stand-in throttling every request: the live-support page with a cold hours
   cache (goal under 3 s), and, with Connect's concurrent-call quota full, the refusal of 40
   customers' calls asked ten at a time (goal under 1 s each).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = 1000
PROCESSES = 2


def _django(db_path: Path, ttl: int) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "jamcc.settings",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "CONNECT_HOURS_TTL": str(ttl),
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "LOG_LEVEL": "ERROR",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _signed_in_client():  # noqa: ANN202 - django.test.Client, imported after setup
    from django.test import Client

    from support.demo import DEMO_CUSTOMER, DEMO_PASSWORD

    client = Client()
    assert client.login(username=DEMO_CUSTOMER, password=DEMO_PASSWORD)
    return client


def worker(db_path: Path, ttl: int, views: int, offset: int) -> None:
    """Serve ``views`` live-support pages; print the Connect requests this process made."""
    _django(db_path, ttl)
    from support import connect_api
    from support.models import Queue

    calls: Counter[str] = Counter()

    def count(request: object, event_name: str, **_: object) -> None:
        operation = event_name.rsplit(".", 1)[-1]
        hours_id = request.url.rsplit("/", 1)[-1].split("?")[0]
        calls[f"{operation} {hours_id}" if "Hours" in operation else operation] += 1

    # Registered before the stand-in's handler answers, so every request is seen once.
    connect_api.client().meta.events.register_first("before-send.connect", count)
    names = list(Queue.objects.visible().values_list("connect_name", flat=True))
    client = _signed_in_client()
    started = time.perf_counter()
    for i in range(views):
        response = client.get("/support/", {"queue": names[(i + offset) % len(names)]})
        assert response.status_code == 200, response.status_code
    print(json.dumps({"calls": calls, "seconds": time.perf_counter() - started}))


COLD_PAGES = 5
QUOTA_CUSTOMERS, QUOTA_AT_ONCE = 40, 10


def throttled(db_path: Path) -> None:
    """Print item 4's figures: Connect throttled, then Connect's call quota full."""
    os.environ.update(
        {
            "CONNECT_LOCAL_RATE": "0.001",  # one request in 1000 s: every request throttled
            "CONNECT_LOCAL_BURST": "0",
            "CALL_LIMIT_PER_USER": "1000",
            "CALL_LIMIT_PER_NUMBER": "1000",
            "CALL_LIMIT_GLOBAL_PER_MINUTE": "1000",
        }
    )
    _django(db_path, ttl=3600)
    from django.conf import settings
    from django.core.cache import cache

    client = _signed_in_client()
    pages = []
    for _ in range(COLD_PAGES):
        cache.clear()
        started = time.perf_counter()
        assert client.get("/support/", {"queue": "Support-Website"}).status_code == 200
        pages.append(time.perf_counter() - started)
    print(json.dumps({"cold_page_seconds": pages, "refusals": _quota_full_refusals(settings)}))


def _quota_full_refusals(settings: object) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from connectlocal.models import Contact
    from connectlocal.service import CONCURRENT_CALLS_QUOTA
    from support import connect_api

    settings.CONNECT_LOCAL_RATE = 0  # the hours come back; the quota is what refuses now
    connect_api.reset_client()
    cache.clear()
    assert _signed_in_client().get("/support/").status_code == 200  # caches the hours
    Contact.objects.bulk_create(
        Contact(
            instance_id=settings.CONNECT_INSTANCE_ID,
            contact_flow_id=settings.CONNECT_WEB_INGRESS_FLOW_ID,
            destination=f"+1202555{n:04d}",
            client_token=f"bench-active-{n}",
            initiated_at=timezone.now(),
        )
        for n in range(CONCURRENT_CALLS_QUOTA)
    )
    users = [
        get_user_model().objects.create_user(f"bench-{n}@example.com", f"bench-{n}@example.com")
        for n in range(QUOTA_CUSTOMERS)
    ]

    def ask(n: int) -> tuple[float, int]:
        try:
            client = Client()
            client.force_login(users[n])
            started = time.perf_counter()
            data = {"queue": "Support-Website", "phone": f"+1 202 555 {n + 100:04d}"}
            status = client.post("/support/call/", data).status_code
            return time.perf_counter() - started, status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=QUOTA_AT_ONCE) as pool:
        results = list(pool.map(ask, range(QUOTA_CUSTOMERS)))
    seconds = sorted(r[0] for r in results)
    return {
        "customers": QUOTA_CUSTOMERS,
        "at_once": QUOTA_AT_ONCE,
        "statuses": dict(Counter(r[1] for r in results)),
        "median_seconds": round(seconds[len(seconds) // 2], 3),
        "max_seconds": round(seconds[-1], 3),
    }


def throttled_figures(db_path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--throttled", str(db_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    pages = sorted(result["cold_page_seconds"])
    return {
        "cold_page_median_seconds": round(pages[len(pages) // 2], 3),
        "cold_page_max_seconds": round(pages[-1], 3),
        "cold_page_goal_met": pages[-1] < 3,
        "quota_full_refusals": result["refusals"],
        "refusal_goal_met": result["refusals"]["max_seconds"] < 1,
    }


def _prepare(db_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "LOG_LEVEL": "ERROR"}
    for args in (["migrate", "-v0"], ["createcachetable"], ["demo_data"]):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def connect_calls(db_path: Path, ttl: int) -> dict:
    per_process = VIEWS // PROCESSES
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                str(db_path),
                str(ttl),
                str(per_process),
                str(n),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    started = time.perf_counter()
    results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    elapsed = time.perf_counter() - started
    total: Counter[str] = Counter()
    for r in results:
        total.update(r["calls"])
    hours_ids = {k.split(" ", 1)[1] for k in total if " " in k}
    windows = int(elapsed // ttl) + 1
    return {
        "views": VIEWS,
        "processes": PROCESSES,
        "ttl_seconds": ttl,
        "elapsed_seconds": round(elapsed, 1),
        "connect_requests": sum(total.values()),
        "distinct_hours_ids": len(hours_ids),
        "max_requests_per_hours_id": max((v for k, v in total.items() if " " in k), default=0),
        "ttl_windows_elapsed": windows,
        "goal_met": all(v <= windows for k, v in total.items() if " " in k),
    }


def queries_and_bytes(db_path: Path) -> dict:
    _django(db_path, ttl=3600)
    from django.contrib.staticfiles import finders
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from support.models import Department, Queue

    client = _signed_in_client()
    result: dict = {}
    for target in (10, 100):
        existing = Queue.objects.count()
        department = Department.objects.get(name="Support")
        hours_ids = sorted(set(Queue.objects.values_list("hours_of_operation_id", flat=True)))
        Queue.objects.bulk_create(
            Queue(
                department=department,
                connect_name=f"Bench-{n:03d}",
                title=f"Bench queue {n}",
                summary="A queue added by the benchmark.",
                connect_queue_id=f"bench-{n}",
                hours_of_operation_id=hours_ids[n % len(hours_ids)],
                order=100 + n,
            )
            for n in range(existing, target)
        )
        client.get("/support/", {"queue": "Support-Website"})  # warm the hours cache
        with CaptureQueriesContext(connection) as queries:
            client.get("/support/", {"queue": "Support-Website"})
        result[f"queries_with_{target}_queues"] = len(queries)
    Queue.objects.filter(connect_name__startswith="Bench-").delete()

    response = client.get("/support/", {"queue": "Support-Website"}, HTTP_ACCEPT_ENCODING="gzip")
    html_gz = len(response.content)
    assert response.get("Content-Encoding") == "gzip"
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'(?:href|src)="/static/([^"?]+)"', html)
    asset_sizes = {}
    for asset in assets:
        path = finders.find(asset)
        asset_sizes[asset] = len(gzip.compress(Path(path).read_bytes(), compresslevel=9))
    result.update(
        {
            "html_gzip_bytes": html_gz,
            "assets_gzip_bytes": asset_sizes,
            "total_gzip_bytes": html_gz + sum(asset_sizes.values()),
        }
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", nargs=4, metavar=("DB", "TTL", "VIEWS", "OFFSET"))
    parser.add_argument("--throttled", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--only-throttled", action="store_true", help="figure 4 alone")
    args = parser.parse_args()
    if args.worker:
        db, ttl, views, offset = args.worker
        worker(Path(db), int(ttl), int(views), int(offset))
        return
    if args.throttled:
        throttled(Path(args.throttled))
        return
    report = {}
    with tempfile.TemporaryDirectory(prefix="jamcc-bench-") as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        _prepare(db_path)
        report["connect_throttled"] = throttled_figures(db_path)
    if args.only_throttled:
        print(json.dumps(report, indent=2))
        return
    # Each scenario starts from its own database, so none sees another's warm cache.
    for name, ttl in (("connect_default_ttl", 60), ("connect_short_ttl", 2)):
        with tempfile.TemporaryDirectory(prefix="jamcc-bench-") as tmp:
            db_path = Path(tmp) / "bench.sqlite3"
            _prepare(db_path)
            report[name] = connect_calls(db_path, ttl=ttl)
    with tempfile.TemporaryDirectory(prefix="jamcc-bench-") as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        _prepare(db_path)
        report["page"] = queries_and_bytes(db_path)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, figures in report.items():
        print(f"\n{name}")
        for key, value in figures.items():
            print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
