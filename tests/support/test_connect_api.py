"""The Connect adapter: the exact requests it sends, what it makes of the answers, and how
every vendor failure becomes a ConnectError a customer can read.

Requests go through botocore's Stubber, which checks each one against Connect's API model;
network failures are raised at botocore's HTTP boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from botocore.stub import Stubber

from support import connect_api
from support.connect_api import (
    MESSAGE_BUSY,
    MESSAGE_DESTINATION,
    MESSAGE_UNAVAILABLE,
    ConnectError,
    ContactState,
    EffectiveHours,
    TimeRange,
)

INSTANCE_ID = "11111111-2222-4333-8444-555555555555"
FLOW_ID = "66666666-7777-4888-8999-000000000000"
QUEUE_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
HOURS_ID = "hours-0001"
CONTACT_ID = "c0ffee00-0000-4000-8000-000000000001"
TOKEN = "f" * 64
SUPPORT_NUMBER = "+1 312 555 0123"
ATTRIBUTES = {
    "queueName": "Support-Website",
    "queueId": QUEUE_ID,
    "languageCode": "en-US",
    "customerName": "Casey Jones",
    "verified": "true",
}
T0 = datetime(2025, 6, 2, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _connect_settings(settings: object) -> None:
    settings.CONNECT_INSTANCE_ID = INSTANCE_ID
    settings.CONNECT_WEB_INGRESS_FLOW_ID = FLOW_ID
    settings.CONNECT_SOURCE_PHONE_NUMBER = ""
    settings.SUPPORT_PHONE_NUMBER = SUPPORT_NUMBER


def start_call() -> str:
    return connect_api.contact_start(
        destination="+12025550143",
        queue_id=QUEUE_ID,
        attributes=ATTRIBUTES,
        client_token=TOKEN,
    )


def start_params(**extra: object) -> dict:
    return {
        "InstanceId": INSTANCE_ID,
        "ContactFlowId": FLOW_ID,
        "QueueId": QUEUE_ID,
        "DestinationPhoneNumber": "+12025550143",
        "ClientToken": TOKEN,
        "Attributes": ATTRIBUTES,
        **extra,
    }


def hours_june_first_to_fourth() -> EffectiveHours:
    return connect_api.hours_effective(
        hours_id=HOURS_ID, first=date(2025, 6, 1), last=date(2025, 6, 4)
    )


def effective_hours_params() -> dict:
    return {
        "InstanceId": INSTANCE_ID,
        "HoursOfOperationId": HOURS_ID,
        "FromDate": "2025-06-01",
        "ToDate": "2025-06-04",
    }


def hm(hours: int, minutes: int = 0) -> dict:
    return {"Hours": hours, "Minutes": minutes}


def weekly(day: str, start: dict, end: dict) -> dict:
    return {"Day": day, "StartTime": start, "EndTime": end}


# --- StartOutboundVoiceContact -----------------------------------------------------------------


def test_it_starts_a_call_with_the_configured_instance_flow_and_the_callers_details(
    connect_stub: Stubber,
) -> None:
    connect_stub.add_response(
        "start_outbound_voice_contact", {"ContactId": CONTACT_ID}, expected_params=start_params()
    )

    assert start_call() == CONTACT_ID


def test_it_sends_the_source_number_when_one_is_configured(
    connect_stub: Stubber, settings: object
) -> None:
    settings.CONNECT_SOURCE_PHONE_NUMBER = "+12025550199"
    connect_stub.add_response(
        "start_outbound_voice_contact",
        {"ContactId": CONTACT_ID},
        expected_params=start_params(SourcePhoneNumber="+12025550199"),
    )

    assert start_call() == CONTACT_ID


def test_before_the_first_publish_it_refuses_with_the_support_number_and_asks_nothing(
    connect_stub: Stubber, settings: object
) -> None:
    # The stub holds no answer: any request to Connect would fail the test.
    settings.CONNECT_WEB_INGRESS_FLOW_ID = ""

    with pytest.raises(ConnectError) as refused:
        start_call()

    assert refused.value.kind == ConnectError.Kind.UNAVAILABLE
    assert settings.SUPPORT_PHONE_NUMBER in refused.value.message


@pytest.mark.parametrize(
    "code", ["ThrottlingException", "TooManyRequestsException", "LimitExceededException"]
)
def test_it_tells_the_caller_to_try_again_in_a_minute_when_connect_is_busy(
    connect_stub: Stubber, code: str
) -> None:
    connect_stub.add_client_error(
        "start_outbound_voice_contact", service_error_code=code, http_status_code=429
    )

    with pytest.raises(ConnectError) as caught:
        start_call()

    assert caught.value.kind == ConnectError.Kind.BUSY
    assert caught.value.code == code
    assert caught.value.message == str(MESSAGE_BUSY)
    assert "try again in a minute" in caught.value.message


@pytest.mark.parametrize(
    "code", ["DestinationNotAllowedException", "OutboundContactNotPermittedException"]
)
def test_it_asks_for_another_number_when_connect_may_not_call_this_one(
    connect_stub: Stubber, code: str
) -> None:
    connect_stub.add_client_error(
        "start_outbound_voice_contact", service_error_code=code, http_status_code=403
    )

    with pytest.raises(ConnectError) as caught:
        start_call()

    assert caught.value.kind == ConnectError.Kind.DESTINATION
    assert caught.value.message == str(MESSAGE_DESTINATION)


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("InternalServiceException", 500, ConnectError.Kind.UNAVAILABLE),
        ("InvalidParameterException", 400, ConnectError.Kind.UNAVAILABLE),
        ("InvalidRequestException", 400, ConnectError.Kind.UNAVAILABLE),
        ("ResourceNotFoundException", 404, ConnectError.Kind.NOT_FOUND),
    ],
)
def test_it_gives_the_support_number_when_connect_fails_otherwise(
    connect_stub: Stubber, code: str, status: int, kind: ConnectError.Kind
) -> None:
    connect_stub.add_client_error(
        "start_outbound_voice_contact", service_error_code=code, http_status_code=status
    )

    with pytest.raises(ConnectError) as caught:
        start_call()

    assert caught.value.kind == kind
    assert caught.value.message == str(MESSAGE_UNAVAILABLE) % {"number": SUPPORT_NUMBER}
    assert SUPPORT_NUMBER in caught.value.message


# --- Retries and the time budget ----------------------------------------------------------------


class FakeClock:
    """Monotonic time that moves only when the adapter pauses before a retry."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pauses: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(connect_api.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(connect_api.time, "sleep", clock.sleep)
    # The longest pause the back-off allows, so the budget arithmetic is exact.
    monkeypatch.setattr(connect_api.random, "uniform", lambda low, high: high)
    return clock


@pytest.fixture
def requests_made(connect_stub: Stubber) -> list[str]:
    """Every request the adapter makes, retries included (botocore emits
    before-parameter-build once per API call)."""
    sent: list[str] = []

    def record(event_name: str, **_: object) -> None:
        sent.append(event_name.rsplit(".", 1)[-1])

    connect_api.client().meta.events.register("before-parameter-build.connect", record)
    return sent


def throttle(stub: Stubber, times: int, code: str = "ThrottlingException") -> None:
    for _ in range(times):
        stub.add_client_error(
            "start_outbound_voice_contact", service_error_code=code, http_status_code=429
        )


def test_it_tries_a_rate_limited_call_again_up_to_the_configured_attempts(
    connect_stub: Stubber, requests_made: list[str], fake_clock: FakeClock, settings: object
) -> None:
    settings.CONNECT_MAX_ATTEMPTS = 3
    throttle(connect_stub, 3)

    with pytest.raises(ConnectError) as caught:
        start_call()

    assert caught.value.kind == ConnectError.Kind.BUSY
    assert requests_made == ["StartOutboundVoiceContact"] * 3
    assert len(fake_clock.pauses) == 2


def test_a_retry_gets_the_call_through_once_connect_has_room(
    connect_stub: Stubber, requests_made: list[str], fake_clock: FakeClock, settings: object
) -> None:
    settings.CONNECT_MAX_ATTEMPTS = 3
    throttle(connect_stub, 1, "TooManyRequestsException")
    connect_stub.add_response(
        "start_outbound_voice_contact", {"ContactId": CONTACT_ID}, expected_params=start_params()
    )

    assert start_call() == CONTACT_ID
    assert len(requests_made) == 2


def test_it_starts_no_retry_the_time_budget_cannot_hold(
    connect_stub: Stubber, requests_made: list[str], fake_clock: FakeClock, settings: object
) -> None:
    settings.CONNECT_MAX_ATTEMPTS = 10
    # Pauses of 0.2 s and then 0.4 s fit in one second; the next one, 0.5 s, does not.
    settings.CONNECT_REQUEST_BUDGET = 1.0
    throttle(connect_stub, 3)

    with pytest.raises(ConnectError) as caught:
        start_call()

    assert caught.value.kind == ConnectError.Kind.BUSY
    assert len(requests_made) == 3
    assert sum(fake_clock.pauses) <= settings.CONNECT_REQUEST_BUDGET


def test_it_sends_nothing_once_a_shared_deadline_has_passed(
    connect_stub: Stubber, requests_made: list[str], fake_clock: FakeClock
) -> None:
    deadline = connect_api.Deadline(0.5)
    fake_clock.now += 0.5

    with pytest.raises(ConnectError) as caught:
        connect_api.hours_effective(
            hours_id=HOURS_ID, first=date(2025, 6, 1), last=date(2025, 6, 4), deadline=deadline
        )

    assert caught.value.kind == ConnectError.Kind.BUSY
    assert caught.value.code == connect_api.DEADLINE_CODE
    assert requests_made == []


@pytest.mark.parametrize("code", ["LimitExceededException", "ServiceQuotaExceededException"])
def test_it_answers_busy_at_once_when_the_concurrent_call_quota_is_full(
    connect_stub: Stubber,
    requests_made: list[str],
    fake_clock: FakeClock,
    settings: object,
    code: str,
) -> None:
    settings.CONNECT_MAX_ATTEMPTS = 3
    throttle(connect_stub, 1, code)

    with pytest.raises(ConnectError) as caught:
        start_call()

    assert (caught.value.kind, caught.value.code) == (ConnectError.Kind.BUSY, code)
    assert requests_made == ["StartOutboundVoiceContact"]
    assert fake_clock.pauses == []


# --- Network failures ----------------------------------------------------------------------------


@pytest.fixture
def connect_fails_with(settings: object) -> Callable[[Exception], None]:
    """Make every Connect request fail at the HTTP boundary with the given botocore error."""
    settings.CONNECT_MAX_ATTEMPTS = 1
    connect_api.reset_client()

    def fail(error: Exception) -> None:
        def raise_error(**_: object) -> None:
            raise error

        connect_api.client().meta.events.register_first("before-send.connect", raise_error)

    return fail


@pytest.mark.parametrize(
    "error",
    [
        ReadTimeoutError(endpoint_url="https://connect.us-east-1.amazonaws.com"),
        EndpointConnectionError(endpoint_url="https://connect.us-east-1.amazonaws.com"),
    ],
    ids=["read-timeout", "no-connection"],
)
def test_it_gives_the_support_number_when_connect_cannot_be_reached(
    connect_fails_with: Callable[[Exception], None], error: Exception
) -> None:
    connect_fails_with(error)

    with pytest.raises(ConnectError) as caught:
        start_call()

    assert caught.value.kind == ConnectError.Kind.UNAVAILABLE
    assert caught.value.code == type(error).__name__
    assert caught.value.message == str(MESSAGE_UNAVAILABLE) % {"number": SUPPORT_NUMBER}


def test_it_reports_unreachable_hours_as_unavailable(
    connect_fails_with: Callable[[Exception], None],
) -> None:
    connect_fails_with(ReadTimeoutError(endpoint_url="https://connect.us-east-1.amazonaws.com"))

    with pytest.raises(ConnectError) as caught:
        hours_june_first_to_fourth()

    assert caught.value.kind == ConnectError.Kind.UNAVAILABLE


# --- GetEffectiveHoursOfOperations ---------------------------------------------------------------


def test_it_asks_for_the_effective_hours_of_each_date_and_reads_their_ranges(
    connect_stub: Stubber,
) -> None:
    connect_stub.add_response(
        "get_effective_hours_of_operations",
        {
            "TimeZone": "America/Chicago",
            "EffectiveHoursOfOperationList": [
                {"Date": "2025-06-01", "OperationalHours": []},
                {
                    "Date": "2025-06-02",
                    "OperationalHours": [
                        {"Start": hm(8), "End": hm(12, 30)},
                        {"Start": hm(13, 30), "End": hm(20)},
                    ],
                },
                {"Date": "2025-06-03", "OperationalHours": [{"Start": hm(22), "End": hm(2)}]},
                {"Date": "2025-06-04", "OperationalHours": [{"Start": hm(0), "End": hm(0)}]},
            ],
        },
        expected_params=effective_hours_params(),
    )

    assert hours_june_first_to_fourth() == EffectiveHours(
        time_zone="America/Chicago",
        days={
            date(2025, 6, 1): (),
            date(2025, 6, 2): (TimeRange(8 * 60, 12 * 60 + 30), TimeRange(13 * 60 + 30, 20 * 60)),
            date(2025, 6, 3): (TimeRange(22 * 60, 2 * 60),),
            date(2025, 6, 4): (TimeRange(0, 0),),
        },
        overrides_known=True,
    )


def test_it_falls_back_to_the_weekly_hours_when_effective_hours_are_denied(
    connect_stub: Stubber,
) -> None:
    connect_stub.add_client_error(
        "get_effective_hours_of_operations",
        service_error_code="AccessDeniedException",
        http_status_code=403,
        expected_params=effective_hours_params(),
    )
    connect_stub.add_response(
        "describe_hours_of_operation",
        {
            "HoursOfOperation": {
                "HoursOfOperationId": HOURS_ID,
                "Name": "Accounts",
                "TimeZone": "America/Chicago",
                "Config": [
                    weekly("MONDAY", hm(13, 30), hm(20)),
                    weekly("MONDAY", hm(8), hm(12, 30)),
                    weekly("TUESDAY", hm(22), hm(2)),
                ],
            }
        },
        expected_params={"InstanceId": INSTANCE_ID, "HoursOfOperationId": HOURS_ID},
    )

    # 2025-06-01 is a Sunday: closed; Monday's ranges come back sorted by start.
    assert hours_june_first_to_fourth() == EffectiveHours(
        time_zone="America/Chicago",
        days={
            date(2025, 6, 1): (),
            date(2025, 6, 2): (TimeRange(8 * 60, 12 * 60 + 30), TimeRange(13 * 60 + 30, 20 * 60)),
            date(2025, 6, 3): (TimeRange(22 * 60, 2 * 60),),
            date(2025, 6, 4): (),
        },
        overrides_known=False,
    )


def test_it_does_not_fall_back_when_connect_is_throttling(connect_stub: Stubber) -> None:
    connect_stub.add_client_error(
        "get_effective_hours_of_operations",
        service_error_code="ThrottlingException",
        http_status_code=429,
    )

    with pytest.raises(ConnectError) as caught:
        hours_june_first_to_fourth()

    assert caught.value.kind == ConnectError.Kind.BUSY


def test_it_reports_a_failed_fallback_as_unavailable(connect_stub: Stubber) -> None:
    connect_stub.add_client_error(
        "get_effective_hours_of_operations",
        service_error_code="AccessDeniedException",
        http_status_code=403,
    )
    connect_stub.add_client_error(
        "describe_hours_of_operation",
        service_error_code="InternalServiceException",
        http_status_code=500,
    )

    with pytest.raises(ConnectError) as caught:
        hours_june_first_to_fourth()

    assert caught.value.kind == ConnectError.Kind.UNAVAILABLE
    assert caught.value.code == "InternalServiceException"


def test_it_reports_unknown_hours_as_not_found(connect_stub: Stubber) -> None:
    connect_stub.add_client_error(
        "get_effective_hours_of_operations",
        service_error_code="ResourceNotFoundException",
        http_status_code=404,
    )

    with pytest.raises(ConnectError) as caught:
        hours_june_first_to_fourth()

    assert caught.value.kind == ConnectError.Kind.NOT_FOUND


# --- DescribeContact -----------------------------------------------------------------------------


def at(seconds: int) -> datetime:
    return T0.replace(second=seconds)


@pytest.mark.parametrize(
    ("timestamps", "state"),
    [
        ({}, ContactState.INITIATED),
        ({"ConnectedToSystemTimestamp": at(4)}, ContactState.CONNECTED),
        (
            {"QueueInfo": {"Id": QUEUE_ID}, "ConnectedToSystemTimestamp": at(4)},
            ContactState.CONNECTED,
        ),
        (
            {"ConnectedToSystemTimestamp": at(4), "QueueInfo": {"EnqueueTimestamp": at(8)}},
            ContactState.QUEUED,
        ),
        (
            {
                "ConnectedToSystemTimestamp": at(4),
                "QueueInfo": {"EnqueueTimestamp": at(8)},
                "AgentInfo": {"ConnectedToAgentTimestamp": at(20)},
            },
            ContactState.WITH_AGENT,
        ),
        (
            {
                "ConnectedToSystemTimestamp": at(4),
                "QueueInfo": {"EnqueueTimestamp": at(8)},
                "AgentInfo": {"ConnectedToAgentTimestamp": at(20)},
                "DisconnectTimestamp": at(50),
            },
            ContactState.ENDED,
        ),
        (
            {
                "ConnectedToSystemTimestamp": at(4),
                "QueueInfo": {"EnqueueTimestamp": at(8)},
                "DisconnectTimestamp": at(50),
            },
            ContactState.ENDED,
        ),
        ({"DisconnectTimestamp": at(30)}, ContactState.ENDED),
    ],
    ids=[
        "dialing",
        "answered",
        "answered-queue-chosen",
        "in-queue",
        "with-agent",
        "ended-after-agent",
        "abandoned-in-queue",
        "never-answered",
    ],
)
def test_it_tells_how_far_a_call_got_from_the_contacts_timestamps(
    connect_stub: Stubber, timestamps: dict, state: ContactState
) -> None:
    connect_stub.add_response(
        "describe_contact",
        {"Contact": {"Id": CONTACT_ID, "InitiationTimestamp": T0, **timestamps}},
        expected_params={"InstanceId": INSTANCE_ID, "ContactId": CONTACT_ID},
    )

    assert connect_api.contact_describe(contact_id=CONTACT_ID).state == state


def test_it_keeps_why_a_call_ended(connect_stub: Stubber) -> None:
    connect_stub.add_response(
        "describe_contact",
        {
            "Contact": {
                "Id": CONTACT_ID,
                "InitiationTimestamp": T0,
                "DisconnectTimestamp": at(30),
                "DisconnectReason": "CUSTOMER_DISCONNECT",
            }
        },
    )

    status = connect_api.contact_describe(contact_id=CONTACT_ID)

    assert status.details == {"disconnect_reason": "CUSTOMER_DISCONNECT"}


def test_it_reports_an_unknown_contact_as_not_found(connect_stub: Stubber) -> None:
    connect_stub.add_client_error(
        "describe_contact", service_error_code="ResourceNotFoundException", http_status_code=404
    )

    with pytest.raises(ConnectError) as caught:
        connect_api.contact_describe(contact_id=CONTACT_ID)

    assert caught.value.kind == ConnectError.Kind.NOT_FOUND


def test_it_reports_a_throttled_status_check_as_busy(connect_stub: Stubber) -> None:
    connect_stub.add_client_error(
        "describe_contact", service_error_code="ThrottlingException", http_status_code=429
    )

    with pytest.raises(ConnectError) as caught:
        connect_api.contact_describe(contact_id=CONTACT_ID)

    assert caught.value.kind == ConnectError.Kind.BUSY
