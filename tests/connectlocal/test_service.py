"""The local Amazon Connect stand-in, asked through the same boto3 client the site uses.

botocore builds and validates every request and parses every answer, so each test sees the
stand-in exactly as the adapter does: payloads shaped like Connect's, errors as ClientError.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import boto3
import pytest
import time_machine
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError
from django import db
from django.conf import settings

from connectlocal.demo import next_holiday
from connectlocal.models import Contact
from connectlocal.service import CONCURRENT_CALLS_QUOTA, _RateLimiter, install, queue_open_now
from support import connect_api
from support.catalog import ACCOUNT_HOURS, AMER_HOURS, APAC_HOURS, HOURS
from support.connect_api import ConnectError, ContactState, TimeRange
from support.models import Queue

NOW = datetime(2026, 6, 3, 15, 0, tzinfo=UTC)
MONDAY = date(2026, 6, 1)
NUMBER = "+12025550123"


@pytest.fixture
def connect(catalog: list[Queue]) -> BaseClient:
    """The site's Connect client, answered by the stand-in holding the demo hours."""
    return connect_api.client()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def single_attempt(settings: object) -> None:
    """No botocore retries, so a refusal reaches the test on the first request."""
    settings.CONNECT_MAX_ATTEMPTS = 1
    connect_api.reset_client()
    assert connect_api.client().meta.config.retries["total_max_attempts"] == 1


def _hours(client: BaseClient, hours_id: str, first: date, last: date, **changes: str) -> dict:
    params = {
        "InstanceId": settings.CONNECT_INSTANCE_ID,
        "HoursOfOperationId": hours_id,
        "FromDate": first.isoformat(),
        "ToDate": last.isoformat(),
        **changes,
    }
    return client.get_effective_hours_of_operations(**params)


def _day(answer: dict, day: date) -> list[dict]:
    [entry] = [e for e in answer["EffectiveHoursOfOperationList"] if e["Date"] == day.isoformat()]
    return entry["OperationalHours"]


def _range(start: str, end: str) -> dict:
    (sh, sm), (eh, em) = (map(int, start.split(":")), map(int, end.split(":")))
    return {"Start": {"Hours": sh, "Minutes": sm}, "End": {"Hours": eh, "Minutes": em}}


def _start(client: BaseClient, **changes: object) -> str:
    params = {
        "InstanceId": settings.CONNECT_INSTANCE_ID,
        "ContactFlowId": settings.CONNECT_WEB_INGRESS_FLOW_ID,
        "DestinationPhoneNumber": NUMBER,
        "QueueId": "queue-sales",
        "ClientToken": "token-1",
        "Attributes": {"customer": "Casey"},
        **changes,
    }
    return client.start_outbound_voice_contact(**params)["ContactId"]


def _describe(client: BaseClient, contact_id: str) -> dict:
    return client.describe_contact(InstanceId=settings.CONNECT_INSTANCE_ID, ContactId=contact_id)[
        "Contact"
    ]


def _error_code(info: pytest.ExceptionInfo[ClientError]) -> str:
    return info.value.response["Error"]["Code"]


# --- GetEffectiveHoursOfOperations ------------------------------------------------------------


def test_effective_hours_list_every_date_asked_with_the_hours_zone(connect: BaseClient) -> None:
    answer = _hours(connect, APAC_HOURS, MONDAY, MONDAY + timedelta(days=9))

    assert [e["Date"] for e in answer["EffectiveHoursOfOperationList"]] == [
        (MONDAY + timedelta(days=i)).isoformat() for i in range(10)
    ]
    assert answer["TimeZone"] == "Asia/Singapore"


def test_effective_hours_split_a_singapore_weekday_at_lunch(connect: BaseClient) -> None:
    answer = _hours(connect, APAC_HOURS, MONDAY, MONDAY + timedelta(days=6))

    assert _day(answer, MONDAY) == [_range("09:00", "12:30"), _range("13:30", "18:00")]


def test_effective_hours_of_a_weekday_queue_are_empty_at_the_weekend(connect: BaseClient) -> None:
    answer = _hours(connect, APAC_HOURS, MONDAY, MONDAY + timedelta(days=6))

    assert _day(answer, date(2026, 6, 6)) == []
    assert _day(answer, date(2026, 6, 7)) == []


def test_effective_hours_of_accounts_run_past_midnight_on_saturday(connect: BaseClient) -> None:
    answer = _hours(connect, ACCOUNT_HOURS, MONDAY, MONDAY + timedelta(days=6))

    assert _day(answer, date(2026, 6, 6)) == [_range("22:00", "02:00")]
    assert _day(answer, date(2026, 6, 7)) == []


def test_effective_hours_of_accounts_are_closed_on_the_holiday(connect: BaseClient) -> None:
    holiday = next_holiday(date.today())

    answer = _hours(connect, ACCOUNT_HOURS, holiday - timedelta(days=7), holiday)

    assert _day(answer, holiday) == []
    assert _day(answer, holiday - timedelta(days=7)) == [_range("08:00", "20:00")]


def test_the_holiday_closes_only_the_queues_it_was_set_for(connect: BaseClient) -> None:
    holiday = next_holiday(date.today())

    answer = _hours(connect, AMER_HOURS, holiday, holiday)

    assert _day(answer, holiday) == [_range("09:00", "18:00")]


def test_effective_hours_reach_the_adapter_as_ranges_in_minutes(connect: BaseClient) -> None:
    hours = connect_api.hours_effective(
        hours_id=ACCOUNT_HOURS, first=MONDAY, last=MONDAY + timedelta(days=6)
    )

    assert hours.time_zone == "America/Chicago"
    assert hours.days[date(2026, 6, 6)] == (TimeRange(22 * 60, 2 * 60),)
    assert hours.overrides_known


def test_effective_hours_of_unknown_hours_are_not_found(connect: BaseClient) -> None:
    with pytest.raises(ClientError) as info:
        _hours(connect, "no-such-hours", MONDAY, MONDAY)

    assert _error_code(info) == "ResourceNotFoundException"


def test_effective_hours_in_another_instance_are_not_found(connect: BaseClient) -> None:
    with pytest.raises(ClientError) as info:
        _hours(connect, AMER_HOURS, MONDAY, MONDAY, InstanceId="another-instance")

    assert _error_code(info) == "ResourceNotFoundException"


def test_a_date_range_that_ends_before_it_starts_is_an_invalid_parameter(
    connect: BaseClient,
) -> None:
    with pytest.raises(ClientError) as info:
        _hours(connect, AMER_HOURS, MONDAY, MONDAY - timedelta(days=1))

    assert _error_code(info) == "InvalidParameterException"


def test_a_date_that_is_not_a_date_is_an_invalid_parameter(connect: BaseClient) -> None:
    with pytest.raises(ClientError) as info:
        _hours(connect, AMER_HOURS, MONDAY, MONDAY, ToDate="2026-02-30")

    assert _error_code(info) == "InvalidParameterException"


def test_a_date_range_longer_than_connect_answers_is_an_invalid_parameter(
    connect: BaseClient,
) -> None:
    with pytest.raises(ClientError) as info:
        _hours(connect, AMER_HOURS, MONDAY, MONDAY + timedelta(days=94))

    assert _error_code(info) == "InvalidParameterException"


# --- DescribeHoursOfOperation -----------------------------------------------------------------


def test_describe_hours_gives_the_weekly_config_and_zone(connect: BaseClient) -> None:
    answer = connect.describe_hours_of_operation(
        InstanceId=settings.CONNECT_INSTANCE_ID, HoursOfOperationId=ACCOUNT_HOURS
    )["HoursOfOperation"]

    assert answer["HoursOfOperationId"] == ACCOUNT_HOURS
    assert answer["Name"] == "Accounts"
    assert answer["TimeZone"] == "America/Chicago"
    assert answer["Config"] == HOURS[ACCOUNT_HOURS]["config"]


def test_describing_unknown_hours_is_not_found(connect: BaseClient) -> None:
    with pytest.raises(ClientError) as info:
        connect.describe_hours_of_operation(
            InstanceId=settings.CONNECT_INSTANCE_ID, HoursOfOperationId="no-such-hours"
        )

    assert _error_code(info) == "ResourceNotFoundException"


# --- StartOutboundVoiceContact ----------------------------------------------------------------


def test_starting_an_outbound_call_records_the_contact(
    connect: BaseClient, clock: time_machine.Traveller
) -> None:
    contact_id = _start(connect)

    contact = Contact.objects.get(contact_id=contact_id)
    assert contact.destination == NUMBER
    assert contact.queue_id == "queue-sales"
    assert contact.attributes == {"customer": "Casey"}
    assert contact.client_token == "token-1"
    assert contact.initiated_at == NOW


def test_the_same_client_token_gives_the_same_contact_and_no_second_call(
    connect: BaseClient,
) -> None:
    first = _start(connect, ClientToken="double-submit")
    second = _start(connect, ClientToken="double-submit")

    assert second == first
    assert Contact.objects.count() == 1


def test_another_client_token_places_another_call(connect: BaseClient) -> None:
    first = _start(connect, ClientToken="first")
    second = _start(connect, ClientToken="second")

    assert second != first
    assert Contact.objects.count() == 2


def test_a_client_token_a_week_old_places_a_new_call(
    connect: BaseClient, clock: time_machine.Traveller
) -> None:
    first = _start(connect, ClientToken="reused")
    clock.shift(timedelta(days=7, seconds=1))

    assert _start(connect, ClientToken="reused") != first


def test_a_country_the_instance_may_not_call_is_refused(connect: BaseClient) -> None:
    with pytest.raises(ClientError) as info:
        _start(connect, DestinationPhoneNumber="+81312345678")

    assert _error_code(info) == "DestinationNotAllowedException"
    assert not Contact.objects.exists()


def test_a_number_that_is_not_e164_is_an_invalid_parameter(connect: BaseClient) -> None:
    with pytest.raises(ClientError) as info:
        _start(connect, DestinationPhoneNumber="2025550123")

    assert _error_code(info) == "InvalidParameterException"


def test_an_eleventh_concurrent_call_exceeds_the_limit(
    connect: BaseClient, single_attempt: None
) -> None:
    for i in range(10):
        _start(connect_api.client(), ClientToken=f"call-{i}")

    with pytest.raises(ClientError) as info:
        _start(connect_api.client(), ClientToken="call-10")

    assert _error_code(info) == "LimitExceededException"
    assert Contact.objects.count() == 10


@pytest.mark.django_db(transaction=True)
def test_parallel_calls_never_exceed_the_concurrent_calls_quota(catalog: list[Queue]) -> None:
    """Twenty requests at once, each on its own thread and database connection: the count
    and the new contact happen under one lock, so exactly the quota gets through."""
    # Its own client with one attempt and no retries, so each thread's one request is exactly
    # one try at the quota.
    client = boto3.client(
        "connect",
        region_name=settings.AWS_REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )
    install(client)
    barrier = threading.Barrier(20)

    def start(i: int) -> str:
        try:
            barrier.wait()
            _start(client, ClientToken=f"race-{i}", DestinationPhoneNumber=f"+1202555{i:04d}")
            return "started"
        except ClientError as exc:
            return exc.response["Error"]["Code"]
        finally:
            db.connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(start, range(20)))

    assert sorted(outcomes) == ["LimitExceededException"] * 10 + ["started"] * 10
    assert Contact.objects.count() == CONCURRENT_CALLS_QUOTA == 10


def test_calls_that_ended_leave_room_for_new_ones(
    connect: BaseClient, single_attempt: None, clock: time_machine.Traveller
) -> None:
    for i in range(10):
        _start(connect_api.client(), ClientToken=f"call-{i}")
    clock.shift(timedelta(minutes=30, seconds=1))

    _start(connect_api.client(), ClientToken="call-10")

    assert Contact.objects.count() == 11


def test_a_contact_flow_the_instance_does_not_have_is_not_found(connect: BaseClient) -> None:
    with pytest.raises(ClientError) as info:
        _start(connect, ContactFlowId="00000000-0000-4000-8000-000000000bad")

    assert _error_code(info) == "ResourceNotFoundException"
    assert not Contact.objects.exists()


def test_a_call_placed_through_the_adapter_is_a_recorded_contact(connect: BaseClient) -> None:
    contact_id = connect_api.contact_start(
        destination=NUMBER, queue_id="queue-sales", attributes={}, client_token="adapter"
    )

    assert Contact.objects.filter(contact_id=contact_id, client_token="adapter").exists()


# --- DescribeContact --------------------------------------------------------------------------


def test_a_new_contact_is_only_initiated(
    connect: BaseClient, clock: time_machine.Traveller
) -> None:
    contact = _describe(connect, _start(connect))

    assert contact["InitiationTimestamp"] == NOW
    assert contact["LastUpdateTimestamp"] == NOW
    assert "ConnectedToSystemTimestamp" not in contact
    assert "QueueInfo" not in contact
    assert "DisconnectTimestamp" not in contact


def test_after_four_seconds_the_contact_is_connected_to_the_system(
    connect: BaseClient, clock: time_machine.Traveller
) -> None:
    contact_id = _start(connect)
    clock.shift(timedelta(seconds=4))

    contact = _describe(connect, contact_id)

    assert contact["ConnectedToSystemTimestamp"] == NOW + timedelta(seconds=4)
    assert "QueueInfo" not in contact


def test_after_eight_seconds_the_contact_waits_in_its_queue(
    connect: BaseClient, clock: time_machine.Traveller
) -> None:
    contact_id = _start(connect)
    clock.shift(timedelta(seconds=8))

    contact = _describe(connect, contact_id)

    assert contact["QueueInfo"] == {
        "Id": "queue-sales",
        "EnqueueTimestamp": NOW + timedelta(seconds=8),
    }
    assert contact["LastUpdateTimestamp"] == NOW + timedelta(seconds=8)
    assert "DisconnectTimestamp" not in contact


def test_after_half_an_hour_with_no_agent_the_contact_ends(
    connect: BaseClient, clock: time_machine.Traveller
) -> None:
    contact_id = _start(connect)
    clock.shift(timedelta(minutes=30))

    contact = _describe(connect, contact_id)

    assert contact["DisconnectTimestamp"] == NOW + timedelta(minutes=30)
    assert contact["DisconnectReason"] == "CUSTOMER_DISCONNECT"
    assert contact["LastUpdateTimestamp"] == NOW + timedelta(minutes=30)


def test_a_contact_the_flow_does_not_queue_is_hung_up_when_the_flow_ends(
    connect: BaseClient, clock: time_machine.Traveller
) -> None:
    # No web ingress attributes: WebIngress has no queue to put the caller in.
    contact_id = _start(connect, QueueId="")
    clock.shift(timedelta(seconds=20))

    contact = _describe(connect, contact_id)

    assert "QueueInfo" not in contact
    assert contact["DisconnectTimestamp"] == NOW + timedelta(seconds=8)
    assert contact["DisconnectReason"] == "CONTACT_FLOW_DISCONNECT"


@pytest.mark.parametrize(
    ("seconds", "state"),
    [
        (0, ContactState.INITIATED),
        (3, ContactState.INITIATED),
        (4, ContactState.CONNECTED),
        (8, ContactState.QUEUED),
        (30 * 60 - 1, ContactState.QUEUED),
        (30 * 60, ContactState.ENDED),
    ],
)
def test_the_adapter_reads_the_contact_state_from_its_timestamps(
    connect: BaseClient, clock: time_machine.Traveller, seconds: int, state: ContactState
) -> None:
    contact_id = _start(connect)
    clock.shift(timedelta(seconds=seconds))

    status = connect_api.contact_describe(contact_id=contact_id)

    assert status.state == state
    assert status.initiated_at == NOW


def test_the_adapter_gives_the_reason_an_ended_contact_ended(
    connect: BaseClient, clock: time_machine.Traveller
) -> None:
    contact_id = _start(connect)
    clock.shift(timedelta(hours=1))

    status = connect_api.contact_describe(contact_id=contact_id)

    assert status.details == {"disconnect_reason": "CUSTOMER_DISCONNECT"}


def test_an_unknown_contact_is_not_found(connect: BaseClient) -> None:
    with pytest.raises(ClientError) as info:
        _describe(connect, "no-such-contact")

    assert _error_code(info) == "ResourceNotFoundException"


def test_the_adapter_says_an_unknown_contact_was_not_found(connect: BaseClient) -> None:
    with pytest.raises(ConnectError) as info:
        connect_api.contact_describe(contact_id="no-such-contact")

    assert info.value.kind == ConnectError.Kind.NOT_FOUND


# --- Throttling -------------------------------------------------------------------------------


@pytest.fixture
def rate_one_burst_two(settings: object, single_attempt: None) -> None:
    settings.CONNECT_LOCAL_RATE = 1
    settings.CONNECT_LOCAL_BURST = 2
    connect_api.reset_client()


def test_requests_beyond_the_burst_are_throttled(
    catalog: list[Queue], rate_one_burst_two: None
) -> None:
    client = connect_api.client()
    _hours(client, AMER_HOURS, MONDAY, MONDAY)
    _hours(client, AMER_HOURS, MONDAY, MONDAY)

    with pytest.raises(ClientError) as info:
        _hours(client, AMER_HOURS, MONDAY, MONDAY)

    assert _error_code(info) == "TooManyRequestsException"


def test_a_new_client_starts_with_a_full_burst(
    catalog: list[Queue], rate_one_burst_two: None
) -> None:
    for _ in range(2):
        _hours(connect_api.client(), AMER_HOURS, MONDAY, MONDAY)
    connect_api.reset_client()

    for _ in range(2):
        _hours(connect_api.client(), AMER_HOURS, MONDAY, MONDAY)


def test_the_stand_in_lets_requests_through_again_as_its_bucket_refills() -> None:
    # The bucket itself, not a client: the refill is the stand-in's behaviour under test, and
    # the site's own retries would only hide it.
    bucket = _RateLimiter(rate=20, burst=1)
    assert bucket.allow()
    assert not bucket.allow()

    time.sleep(0.06)

    assert bucket.allow()


def test_throttling_reaches_the_adapter_as_busy(
    catalog: list[Queue], rate_one_burst_two: None
) -> None:
    for _ in range(2):
        _hours(connect_api.client(), AMER_HOURS, MONDAY, MONDAY)

    with pytest.raises(ConnectError) as info:
        connect_api.hours_effective(hours_id=AMER_HOURS, first=MONDAY, last=MONDAY)

    assert info.value.kind == ConnectError.Kind.BUSY


def test_a_flows_hours_check_is_answered_from_the_stand_ins_own_hours(
    catalog: list[Queue], clock: time_machine.Traveller
) -> None:
    # NOW is 11:00 on a Wednesday in New York: Sales-AMER is open, and so is every 24x7 queue.
    assert queue_open_now("Sales-AMER")
    assert queue_open_now("Support-Product")
    clock.move_to(datetime(2026, 12, 5, 15, 0, tzinfo=UTC))  # a Saturday
    assert not queue_open_now("Sales-AMER")
    assert queue_open_now("Support-Product")


def test_a_flows_hours_check_on_a_queue_unknown_to_the_catalog_is_closed(
    catalog: list[Queue],
) -> None:
    assert not queue_open_now("No-Such-Queue")


def test_a_flows_hours_check_never_asks_the_site_for_hours(
    catalog: list[Queue], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**_: object) -> None:
        raise AssertionError("the stand-in asked the site's adapter for hours")

    monkeypatch.setattr(connect_api, "hours_effective", refuse)

    assert queue_open_now("Support-Product")
