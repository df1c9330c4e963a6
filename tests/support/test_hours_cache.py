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
from django.test import Client

from connectlocal.models import HoursOfOperation
from support import connect_api
from support.catalog import AMER_HOURS, HOURS
from support.connect_api import MESSAGE_BUSY, MESSAGE_UNAVAILABLE
from support.models import Queue
from support.selectors import queue_hours, queue_hours_many
from tests.conftest import make_queue

# A Wednesday, 11:00 in New York: the weekday queues are open.
NOW = datetime(2026, 6, 3, 15, 0, tzinfo=UTC)
HOURS_ID = "hours-test"
EFFECTIVE = "GetEffectiveHoursOfOperations"
LIVE_URL = "/support/"
FIVE_HOURS_IDS = [f"hours-{n}" for n in range(5)]


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def operations_sent(event: str, *, first: bool = False) -> list[str]:
    """A list that fills with the operation of each botocore ``event`` of the adapter's
    client, in order."""
    sent: list[str] = []

    def _record(event_name: str, **_: object) -> None:
        sent.append(event_name.rsplit(".", 1)[-1])

    events = connect_api.client().meta.events
    (events.register_first if first else events.register)(event, _record)
    return sent


@pytest.fixture
def connect_requests() -> list[str]:
    """The operation of every HTTP request the stand-in is sent, in order."""
    # First, so it sees each request before the stand-in answers it.
    return operations_sent("before-send.connect", first=True)


@pytest.fixture
def no_sleeping(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything waits: a page must not queue behind Connect."""

    def sleep(seconds: float) -> None:
        raise AssertionError(f"slept {seconds} s")

    monkeypatch.setattr(time, "sleep", sleep)


@pytest.fixture
def stubbed_requests(connect_stub: Stubber) -> list[str]:
    """The operation of every request the adapter makes through the Stubber, retries
    included (botocore emits before-parameter-build once per API call)."""
    return operations_sent("before-parameter-build.connect")


@pytest.fixture
def five_queues(db: None) -> list[Queue]:
    return [
        make_queue(f"Queue-{n}", hours_id=hours_id) for n, hours_id in enumerate(FIVE_HOURS_IDS)
    ]


def _throttle_every_hours_request(stub: Stubber, count: int) -> None:
    for _ in range(count):
        _stub_failure_any(stub, "ThrottlingException", 429)


def _stub_failure_any(stub: Stubber, code: str, status: int) -> None:
    stub.add_client_error(
        "get_effective_hours_of_operations", service_error_code=code, http_status_code=status
    )


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
    queue_hours(sales_americas)
    _expire(clock, settings)
    _hold_lock(AMER_HOURS)

    result = queue_hours(sales_americas)

    assert connect_requests == [EFFECTIVE]
    assert result.as_of == NOW
    assert result.is_open


def test_a_read_while_another_process_asks_connect_does_not_wait_for_it(
    sales_americas: Queue,
    connect_requests: list[str],
    clock: time_machine.Traveller,
    no_sleeping: None,
) -> None:
    _hold_lock(AMER_HOURS)

    result = queue_hours(sales_americas)

    assert connect_requests == []
    assert result.schedule is None


def test_the_live_page_renders_without_asking_connect_while_other_processes_hold_the_locks(
    customer_client: Client,
    catalog: list[Queue],
    connect_requests: list[str],
    clock: time_machine.Traveller,
    no_sleeping: None,
) -> None:
    for hours_id in HOURS:
        _hold_lock(hours_id)

    response = customer_client.get(LIVE_URL)

    assert response.status_code == 200
    assert connect_requests == []
    assert all(hours.schedule is None for hours in response.context["hours"].values())


def test_a_read_while_another_process_asks_connect_with_no_last_good_says_busy(
    sales_americas: Queue,
    connect_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
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
    queue_hours(sales_americas)
    _expire(clock, settings)

    result = queue_hours(sales_americas)

    assert connect_requests == [EFFECTIVE, EFFECTIVE]
    assert result.as_of is None


# --- Connect throttled with a cold cache ---------------------------------------------------------


@pytest.mark.parametrize("threads", [1, 5], ids=["one-by-one", "at-once"])
def test_the_live_page_with_connect_throttled_asks_once_per_hours_id_and_says_hours_unknown(
    customer_client: Client,
    five_queues: list[Queue],
    stubbed_requests: list[str],
    connect_stub: Stubber,
    clock: time_machine.Traveller,
    settings: object,
    no_sleeping: None,
    threads: int,
) -> None:
    settings.CONNECT_MAX_ATTEMPTS = 3
    settings.CONNECT_HOURS_FETCH_THREADS = threads
    _throttle_every_hours_request(connect_stub, len(FIVE_HOURS_IDS))

    response = customer_client.get(LIVE_URL)

    assert response.status_code == 200
    assert stubbed_requests == [EFFECTIVE] * len(FIVE_HOURS_IDS)
    hours = response.context["hours"]
    assert [hours[q.pk].schedule for q in five_queues] == [None] * len(FIVE_HOURS_IDS)
    assert {hours[q.pk].error for q in five_queues} == {str(MESSAGE_BUSY)}


def test_the_live_page_within_the_back_off_asks_connect_nothing(
    customer_client: Client,
    five_queues: list[Queue],
    stubbed_requests: list[str],
    connect_stub: Stubber,
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    _throttle_every_hours_request(connect_stub, len(FIVE_HOURS_IDS))
    customer_client.get(LIVE_URL)
    stubbed_requests.clear()
    clock.shift(timedelta(seconds=settings.CONNECT_HOURS_RETRY_AFTER - 1))

    response = customer_client.get(LIVE_URL)

    assert response.status_code == 200
    assert stubbed_requests == []


def test_the_back_off_doubles_with_each_failure_in_a_row(
    db: None,
    connect_stub: Stubber,
    stubbed_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    queue = make_queue(hours_id=HOURS_ID)
    _throttle_every_hours_request(connect_stub, 2)
    queue_hours(queue)
    clock.shift(timedelta(seconds=settings.CONNECT_HOURS_RETRY_AFTER + 1))
    queue_hours(queue)  # the second failure in a row
    stubbed_requests.clear()

    clock.shift(timedelta(seconds=settings.CONNECT_HOURS_RETRY_AFTER + 1))
    queue_hours(queue)

    assert stubbed_requests == []


def test_a_good_answer_ends_the_back_off(
    db: None,
    connect_stub: Stubber,
    stubbed_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    queue = make_queue(hours_id=HOURS_ID)
    _throttle_every_hours_request(connect_stub, 1)
    queue_hours(queue)
    clock.shift(timedelta(seconds=settings.CONNECT_HOURS_RETRY_AFTER + 1))
    _stub_good_answer(connect_stub, settings)
    queue_hours(queue)
    _expire(clock, settings)
    _throttle_every_hours_request(connect_stub, 1)
    queue_hours(queue)
    stubbed_requests.clear()

    # After one failure since the good answer, the first back-off again.
    clock.shift(timedelta(seconds=settings.CONNECT_HOURS_RETRY_AFTER + 1))
    _stub_good_answer(connect_stub, settings)
    queue_hours(queue)

    assert stubbed_requests == [EFFECTIVE]


def test_a_page_whose_time_budget_is_spent_asks_connect_nothing_more(
    five_queues: list[Queue],
    connect_stub: Stubber,
    stubbed_requests: list[str],
    clock: time_machine.Traveller,
    settings: object,
) -> None:
    settings.CONNECT_REQUEST_BUDGET = 0

    result = queue_hours_many(five_queues)

    assert stubbed_requests == []
    assert {hours.error for hours in result.values()} == {str(MESSAGE_BUSY)}


def test_with_the_stand_in_throttling_the_live_page_sends_one_request_per_hours_id(
    customer_client: Client,
    catalog: list[Queue],
    clock: time_machine.Traveller,
    settings: object,
    no_sleeping: None,
) -> None:
    """At the HTTP boundary, where botocore's own retries would show."""
    settings.CONNECT_LOCAL_RATE, settings.CONNECT_LOCAL_BURST = 0.001, 0
    settings.CONNECT_MAX_ATTEMPTS = 3
    connect_api.reset_client()
    sent: list[str] = []
    connect_api.client().meta.events.register_first(
        "before-send.connect", lambda request, **_: sent.append(request.url.rsplit("/", 1)[-1])
    )

    response = customer_client.get(LIVE_URL)

    assert response.status_code == 200
    assert sorted(url.split("?")[0] for url in sent) == sorted(HOURS)
    assert all(hours.schedule is None for hours in response.context["hours"].values())
