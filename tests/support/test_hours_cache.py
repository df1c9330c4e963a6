"""Queue hours read through the database cache that all the site's processes share.

Connect is the local stand-in (its requests counted at botocore's HTTP boundary) or, where a
test needs Connect to fail in a particular way, botocore's Stubber on the AWS face.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from botocore.stub import Stubber
from django.core.cache import cache

from connectlocal.models import HoursOfOperation
from support import connect_api
from support.connect_api import MESSAGE_BUSY, MESSAGE_UNAVAILABLE
from support.demo import AMER_HOURS, HOURS
from support.models import Queue
from support.selectors import queue_hours, queue_hours_many
from tests.conftest import make_queue

# A Wednesday, 11:00 in New York: the weekday queues are open.
NOW = datetime(2026, 6, 3, 15, 0, tzinfo=UTC)
HOURS_ID = "hours-test"
EFFECTIVE = "GetEffectiveHoursOfOperations"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def connect_requests() -> list[str]:
    """The operation of every HTTP request the stand-in is sent, in order."""
    sent: list[str] = []

    def _record(event_name: str, **_: object) -> None:
        sent.append(event_name.rsplit(".", 1)[-1])

    # First, so it sees each request before the stand-in answers it.
    connect_api.client().meta.events.register_first("before-send.connect", _record)
    return sent


@pytest.fixture
def sales_americas(catalog: list[Queue]) -> Queue:
    return next(q for q in catalog if q.hours_of_operation_id == AMER_HOURS)


def _expire(clock: time_machine.Traveller, settings: object) -> None:
    clock.shift(timedelta(seconds=settings.CONNECT_HOURS_TTL + 1))


def _hold_lock(hours_id: str) -> None:
    """Be the other process that is asking Connect for ``hours_id`` right now."""
    assert cache.add(f"connect:hours-lock:{hours_id}", 1, timeout=10)


def _request(settings: object) -> dict:
    return {
        "InstanceId": settings.CONNECT_INSTANCE_ID,
        "HoursOfOperationId": HOURS_ID,
        "FromDate": "2026-06-02",
        "ToDate": "2026-06-11",
    }


def _nine_to_six_on_weekdays() -> dict:
    first = date(2026, 6, 2)
    days = [first + timedelta(days=i) for i in range(10)]
    nine_to_six = [{"Start": {"Hours": 9, "Minutes": 0}, "End": {"Hours": 18, "Minutes": 0}}]
    return {
        "EffectiveHoursOfOperationList": [
            {"Date": d.isoformat(), "OperationalHours": nine_to_six if d.weekday() < 5 else []}
            for d in days
        ],
        "TimeZone": "America/New_York",
    }


def _stub_good_answer(stub: Stubber, settings: object) -> None:
    stub.add_response(
        "get_effective_hours_of_operations", _nine_to_six_on_weekdays(), _request(settings)
    )


def _stub_failure(stub: Stubber, settings: object, code: str, status: int) -> None:
    stub.add_client_error(
        "get_effective_hours_of_operations",
        service_error_code=code,
        http_status_code=status,
        expected_params=_request(settings),
    )


# --- One request per hours id and TTL ----------------------------------------------------------


def test_two_reads_within_the_ttl_ask_connect_once(
    sales_americas: Queue, connect_requests: list[str], clock: time_machine.Traveller
) -> None:
    queue_hours(sales_americas)
    clock.shift(timedelta(seconds=30))
    queue_hours(sales_americas)

    assert connect_requests == [EFFECTIVE]


def test_a_read_after_the_ttl_asks_connect_again(
    sales_americas: Queue,
    connect_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    queue_hours(sales_americas)
    _expire(clock, settings)
    queue_hours(sales_americas)

    assert connect_requests == [EFFECTIVE, EFFECTIVE]


def test_fresh_hours_are_not_marked_stale(
    sales_americas: Queue, connect_requests: list[str], clock: time_machine.Traveller
) -> None:
    queue_hours(sales_americas)
    clock.shift(timedelta(seconds=30))

    result = queue_hours(sales_americas)

    assert result.is_open
    assert result.as_of is None
    assert result.error == ""


def test_a_new_utc_day_asks_connect_for_the_new_window(
    sales_americas: Queue, connect_requests: list[str]
) -> None:
    with time_machine.travel(datetime(2026, 6, 3, 23, 59, 45, tzinfo=UTC), tick=False) as clock:
        queue_hours(sales_americas)
        clock.shift(timedelta(seconds=30))
        queue_hours(sales_americas)

    assert connect_requests == [EFFECTIVE, EFFECTIVE]


def test_the_whole_catalog_asks_connect_once_per_distinct_hours_id(
    catalog: list[Queue], connect_requests: list[str], clock: time_machine.Traveller
) -> None:
    queue_hours_many(catalog)

    assert len(connect_requests) == len(HOURS) < len(catalog)


def test_the_whole_catalog_gets_hours_for_every_queue(
    catalog: list[Queue], clock: time_machine.Traveller
) -> None:
    result = queue_hours_many(catalog)

    assert set(result) == {q.pk for q in catalog}
    assert all(hours.schedule is not None for hours in result.values())


def test_queues_sharing_hours_share_a_schedule(
    catalog: list[Queue], clock: time_machine.Traveller
) -> None:
    result = queue_hours_many(catalog)

    sales = next(q for q in catalog if q.hours_of_operation_id == AMER_HOURS)
    accounts = [q for q in catalog if q.department.name == "Accounts"]
    assert result[sales.pk].schedule.time_zone.key == "America/New_York"
    assert len({result[q.pk].schedule.time_zone.key for q in accounts}) == 1
    assert result[accounts[0].pk].schedule.time_zone.key == "America/Chicago"


def test_the_catalog_read_again_within_the_ttl_asks_connect_nothing(
    catalog: list[Queue], connect_requests: list[str], clock: time_machine.Traveller
) -> None:
    queue_hours_many(catalog)
    connect_requests.clear()
    clock.shift(timedelta(seconds=30))

    queue_hours_many(catalog)

    assert connect_requests == []


# --- When Connect fails -----------------------------------------------------------------------


def test_when_connect_throttles_the_last_good_hours_come_back_as_of_the_good_fetch(
    db: None, connect_stub: Stubber, clock: time_machine.Traveller, settings: object
) -> None:
    queue = make_queue(hours_id=HOURS_ID)
    _stub_good_answer(connect_stub, settings)
    queue_hours(queue)
    _expire(clock, settings)
    _stub_failure(connect_stub, settings, "ThrottlingException", 429)

    result = queue_hours(queue)

    assert result.as_of == NOW
    assert result.error == str(MESSAGE_BUSY)
    assert result.is_open


def test_when_connect_fails_the_last_good_hours_come_back_with_the_call_us_message(
    db: None, connect_stub: Stubber, clock: time_machine.Traveller, settings: object
) -> None:
    queue = make_queue(hours_id=HOURS_ID)
    _stub_good_answer(connect_stub, settings)
    queue_hours(queue)
    _expire(clock, settings)
    _stub_failure(connect_stub, settings, "InternalServiceException", 500)

    result = queue_hours(queue)

    assert result.as_of == NOW
    assert result.error == str(MESSAGE_UNAVAILABLE) % {"number": settings.SUPPORT_PHONE_NUMBER}
    assert result.schedule.days[0].day == date(2026, 6, 3)


def test_with_no_last_good_hours_a_failure_leaves_no_schedule_and_says_why(
    db: None, connect_stub: Stubber, clock: time_machine.Traveller, settings: object
) -> None:
    queue = make_queue(hours_id=HOURS_ID)
    _stub_failure(connect_stub, settings, "ThrottlingException", 429)

    result = queue_hours(queue)

    assert result.schedule is None
    assert not result.is_open
    assert result.error == str(MESSAGE_BUSY)


def test_right_after_a_failure_the_next_read_does_not_ask_connect_again(
    sales_americas: Queue,
    connect_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    queue_hours(sales_americas)
    _expire(clock, settings)
    HoursOfOperation.objects.filter(hours_id=AMER_HOURS).delete()
    queue_hours(sales_americas)
    clock.shift(timedelta(seconds=1))

    result = queue_hours(sales_americas)

    assert connect_requests == [EFFECTIVE, EFFECTIVE]
    assert result.as_of == NOW
    assert result.error == str(MESSAGE_UNAVAILABLE) % {"number": settings.SUPPORT_PHONE_NUMBER}


def test_a_while_after_a_failure_connect_is_asked_again(
    sales_americas: Queue,
    connect_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    hours = HoursOfOperation.objects.get(hours_id=AMER_HOURS)
    hours.hours_id = "moved-away"
    hours.save()
    queue_hours(sales_americas)
    hours.hours_id = AMER_HOURS
    hours.save()
    clock.shift(timedelta(seconds=15))

    result = queue_hours(sales_americas)

    assert connect_requests == [EFFECTIVE, EFFECTIVE]
    assert result.is_open
    assert result.as_of is None


def test_effective_hours_refused_fall_back_to_the_weekly_hours(
    db: None, connect_stub: Stubber, clock: time_machine.Traveller, settings: object
) -> None:
    queue = make_queue(hours_id=HOURS_ID)
    _stub_failure(connect_stub, settings, "AccessDeniedException", 403)
    connect_stub.add_response(
        "describe_hours_of_operation",
        {
            "HoursOfOperation": {
                "HoursOfOperationId": HOURS_ID,
                "Name": "Test hours",
                "TimeZone": "America/New_York",
                "Config": [
                    {
                        "Day": day,
                        "StartTime": {"Hours": 9, "Minutes": 0},
                        "EndTime": {"Hours": 18, "Minutes": 0},
                    }
                    for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
                ],
            }
        },
        {"InstanceId": settings.CONNECT_INSTANCE_ID, "HoursOfOperationId": HOURS_ID},
    )

    result = queue_hours(queue)

    assert result.is_open
    assert result.error == ""
    assert not result.schedule.overrides_known
    assert [len(day.openings) for day in result.schedule.days] == [1, 1, 1, 0, 0, 1, 1]


# --- Another process is asking Connect --------------------------------------------------------


def test_a_read_while_another_process_asks_connect_shows_the_last_good_hours(
    sales_americas: Queue,
    connect_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    settings.CONNECT_HOURS_LOCK_WAIT = 0.1
    queue_hours(sales_americas)
    _expire(clock, settings)
    _hold_lock(AMER_HOURS)

    result = queue_hours(sales_americas)

    assert connect_requests == [EFFECTIVE]
    assert result.as_of == NOW
    assert result.is_open


def test_a_read_while_another_process_asks_connect_waits_for_its_answer(
    sales_americas: Queue, clock: time_machine.Traveller, settings: object
) -> None:
    settings.CONNECT_HOURS_LOCK_WAIT = 0.2
    _hold_lock(AMER_HOURS)

    started = time.monotonic()
    queue_hours(sales_americas)

    assert time.monotonic() - started >= 0.2


def test_a_read_while_another_process_asks_connect_with_no_last_good_says_busy(
    sales_americas: Queue,
    connect_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    settings.CONNECT_HOURS_LOCK_WAIT = 0.1
    _hold_lock(AMER_HOURS)

    result = queue_hours(sales_americas)

    assert connect_requests == []
    assert result.schedule is None
    assert result.error == str(MESSAGE_BUSY)


def test_the_lock_is_released_after_a_fetch_so_the_next_expiry_asks_connect(
    sales_americas: Queue,
    connect_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    settings.CONNECT_HOURS_LOCK_WAIT = 0.1
    queue_hours(sales_americas)
    _expire(clock, settings)

    result = queue_hours(sales_americas)

    assert connect_requests == [EFFECTIVE, EFFECTIVE]
    assert result.as_of is None
