"""A signed-in customer asks for a call, through the site's own pages.

Real database and the local Connect stand-in; botocore's Stubber where a test must see the
exact request or make Connect fail; time-machine for the clock.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import ANY, Stubber
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from phonenumbers import PhoneNumberType
from time_machine import TimeMachineFixture

from connectlocal.models import Contact, HoursOfOperation
from connectlocal.service import CONCURRENT_CALLS_QUOTA
from support import connect_api
from support.catalog import SUPPORT_HOURS
from support.connect_api import MESSAGE_BUSY, MESSAGE_DESTINATION
from support.demo import DEMO_CUSTOMER_PHONE, queue_id_for
from support.models import CallRequest, Queue
from support.phone import (
    MESSAGE_COUNTRY,
    MESSAGE_EMERGENCY,
    MESSAGE_MALFORMED,
    MESSAGE_MISSING,
    MESSAGE_NUMBER_TYPE,
)
from support.services import (
    MESSAGE_HOURS_UNKNOWN,
    MESSAGE_LIMIT_GLOBAL,
    MESSAGE_LIMIT_NUMBER,
    MESSAGE_LIMIT_USER,
    MESSAGE_QUEUE_CLOSED,
    MESSAGE_QUEUE_CLOSED_NO_NEXT,
    MESSAGE_QUEUE_UNAVAILABLE,
)
from tests.conftest import PASSWORD, make_queue, make_user

QUEUE = "Support-Website"  # open around the clock in the demo catalog
LIVE_URL = "/support/"
CALL_URL = "/support/call/"
STATUS_URL = re.compile(r"^/support/calls/[0-9a-f-]{36}/$")
OTHER_NUMBER = "+1 202 555 0143"


class _Alerts(HTMLParser):
    """The text of every element with role="alert"."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._depth += 1
        elif dict(attrs).get("role") == "alert":
            self._depth = 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.texts[-1] += data


def alerts(response: HttpResponse) -> list[str]:
    parser = _Alerts()
    parser.feed(response.content.decode())
    return [" ".join(text.split()) for text in parser.texts]


def ask_for_call(client: Client, phone: str, queue: str = QUEUE) -> HttpResponse:
    return client.post(CALL_URL, {"queue": queue, "phone": phone})


def placed_call(client: Client, phone: str = OTHER_NUMBER, queue: str = QUEUE) -> str:
    """Ask for a call that must be placed; return the status page's URL."""
    response = ask_for_call(client, phone, queue)
    assert response.status_code == 302, alerts(response)
    assert STATUS_URL.match(response.url)
    return response.url


def signed_in(user: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


def e164(number: phonenumbers.PhoneNumber | None) -> str:
    assert number is not None, "libphonenumber has no example of this kind"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@pytest.fixture
def connect_requests(customer_client: Client, catalog: list[Queue]) -> list[str]:
    """The Connect operations sent after the customer opened the queue page (which cached
    the hours), recorded at botocore's HTTP boundary before the stand-in answers."""
    assert customer_client.get(LIVE_URL, {"queue": QUEUE}).status_code == 200
    sent: list[str] = []

    def record(event_name: str, **_: object) -> None:
        sent.append(event_name.rsplit(".", 1)[-1])

    connect_api.client().meta.events.register_first("before-send.connect", record)
    return sent


@pytest.fixture
def stubbed_connect(connect_requests: list[str], request: pytest.FixtureRequest) -> Stubber:
    """The AWS face under the Stubber, once the queue page has cached the hours."""
    return request.getfixturevalue("connect_stub")


# --- Numbers the site will not call --------------------------------------------------------------

COUNTRIES = str(MESSAGE_COUNTRY) % {"countries": ", ".join(settings.PHONE_ALLOWED_REGIONS)}

HOSTILE_NUMBERS = [
    pytest.param("", MESSAGE_MISSING, "missing", id="empty"),
    pytest.param("   ", MESSAGE_MISSING, "missing", id="blank"),
    pytest.param("call me please", MESSAGE_MALFORMED, "malformed", id="letters"),
    pytest.param("+1 202 555 0143" + " 0" * 13, MESSAGE_MALFORMED, "malformed", id="too-long"),
    pytest.param("+1 202 555 0143\x00", MESSAGE_MALFORMED, "malformed", id="nul-character"),
    pytest.param("911", MESSAGE_EMERGENCY, "emergency", id="911"),
    pytest.param("112", MESSAGE_EMERGENCY, "emergency", id="112"),
    pytest.param("999", MESSAGE_EMERGENCY, "emergency", id="999"),
    pytest.param("+1 911", MESSAGE_EMERGENCY, "emergency", id="911-with-country-code"),
    pytest.param("+44 999", MESSAGE_EMERGENCY, "emergency", id="uk-999-with-country-code"),
    pytest.param("+1 900 234 5678", MESSAGE_NUMBER_TYPE, "number_type", id="us-900-premium"),
    pytest.param("+44 909 876 5432", MESSAGE_NUMBER_TYPE, "number_type", id="uk-09-premium"),
    pytest.param("+44 7012 345678", MESSAGE_NUMBER_TYPE, "number_type", id="uk-070-personal"),
    pytest.param("+44 7640 123456", MESSAGE_NUMBER_TYPE, "number_type", id="uk-076-pager"),
    pytest.param("+34 901 12 34 56", MESSAGE_NUMBER_TYPE, "number_type", id="es-901-shared"),
    pytest.param("+44 55 1234 5678", MESSAGE_NUMBER_TYPE, "number_type", id="uk-055-uan"),
    pytest.param(
        e164(phonenumbers.example_number_for_type("DE", PhoneNumberType.VOICEMAIL)),
        MESSAGE_NUMBER_TYPE,
        "number_type",
        id="de-voicemail",
    ),
    pytest.param(
        e164(phonenumbers.example_number_for_non_geo_entity(882)),
        MESSAGE_NUMBER_TYPE,
        "number_type",
        id="international-network-882",
    ),
    pytest.param(
        e164(phonenumbers.example_number_for_non_geo_entity(883)),
        MESSAGE_NUMBER_TYPE,
        "number_type",
        id="international-network-883",
    ),
    pytest.param("+81 3-1234-5678", COUNTRIES, "country", id="japan"),
    pytest.param("2025550143' OR '1'='1", MESSAGE_MALFORMED, "malformed", id="sql"),
    pytest.param("<script>alert(1)</script>", MESSAGE_MALFORMED, "malformed", id="html"),
]


@pytest.mark.parametrize(("phone", "message", "reason"), HOSTILE_NUMBERS)
def test_it_refuses_a_number_it_must_not_call_and_says_why(
    customer_client: Client, connect_requests: list[str], phone: str, message: str, reason: str
) -> None:
    response = ask_for_call(customer_client, phone)

    assert response.status_code == 400
    assert alerts(response) == [str(message)]
    refused = CallRequest.objects.get()
    assert (refused.status, refused.reason) == (CallRequest.Status.REFUSED, reason)
    assert connect_requests == []
    assert not Contact.objects.exists()


def test_it_shows_markup_typed_as_a_number_as_text(
    customer_client: Client, connect_requests: list[str]
) -> None:
    response = ask_for_call(customer_client, '"><script>alert(1)</script>')

    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)" in response.content


def test_it_records_the_number_as_typed_without_control_characters(
    customer_client: Client, connect_requests: list[str]
) -> None:
    ask_for_call(customer_client, "202\x00555\n0143")

    assert CallRequest.objects.get().raw_number == "202\ufffd555\ufffd0143"


# --- Placing the call ----------------------------------------------------------------------------


def test_it_calls_the_customer_and_shows_only_the_last_four_digits(
    customer_client: Client, catalog: list[Queue]
) -> None:
    status_url = placed_call(customer_client, "(202) 555-0143")

    page = customer_client.get(status_url)
    assert page.status_code == 200
    assert "We are calling you at ••••••••0143" in page.content.decode()
    assert "555-0143" not in page.content.decode()
    assert "5550143" not in page.content.decode()
    assert Contact.objects.get().destination == "+12025550143"


def test_it_passes_the_queue_language_name_and_verified_number_to_the_flow(
    customer_client: Client, catalog: list[Queue]
) -> None:
    placed_call(customer_client, DEMO_CUSTOMER_PHONE)

    contact = Contact.objects.get()
    assert contact.queue_id == queue_id_for(QUEUE)
    assert contact.attributes == {
        "queueName": QUEUE,
        "queueId": queue_id_for(QUEUE),
        "languageCode": "en-US",
        "customerName": "Casey Jones",
        "verified": "true",
    }


def test_it_asks_the_flow_for_spanish_when_the_customer_reads_the_site_in_spanish(
    customer_client: Client, catalog: list[Queue]
) -> None:
    customer_client.post("/i18n/setlang/", {"language": "es", "next": LIVE_URL})

    placed_call(customer_client)

    assert Contact.objects.get().attributes["languageCode"] == "es-US"


def test_it_marks_a_number_other_than_the_customers_own_as_unverified(
    customer_client: Client, catalog: list[Queue]
) -> None:
    placed_call(customer_client, OTHER_NUMBER)

    assert Contact.objects.get().attributes["verified"] == "false"


def test_it_marks_the_customers_own_number_unverified_until_it_is_verified(
    catalog: list[Queue],
) -> None:
    unverified = make_user("uma@example.com", phone="+12025550177", verified=False)

    placed_call(signed_in(unverified), "+12025550177")

    assert Contact.objects.get().attributes["verified"] == "false"


def test_it_names_a_customer_without_a_full_name_by_their_email(
    outsider: AbstractBaseUser, catalog: list[Queue]
) -> None:
    placed_call(signed_in(outsider))

    assert Contact.objects.get().attributes["customerName"] == "olivia"


def test_it_records_the_placed_call_with_the_token_connect_received(
    customer_client: Client, catalog: list[Queue]
) -> None:
    placed_call(customer_client)

    call, contact = CallRequest.objects.get(), Contact.objects.get()
    assert call.status == CallRequest.Status.PLACED
    assert (call.phone_number, call.masked_number) == ("+12025550143", "••••••••0143")
    assert call.contact_id == contact.contact_id
    assert call.client_token and call.client_token == contact.client_token


def test_it_sends_connect_the_flow_queue_and_number(
    customer_client: Client, stubbed_connect: Stubber
) -> None:
    stubbed_connect.add_response(
        "start_outbound_voice_contact",
        {"ContactId": "c0ffee00-0000-4000-8000-000000000001"},
        expected_params={
            "InstanceId": settings.CONNECT_INSTANCE_ID,
            "ContactFlowId": settings.CONNECT_WEB_INGRESS_FLOW_ID,
            "QueueId": queue_id_for(QUEUE),
            "DestinationPhoneNumber": "+12025550143",
            "ClientToken": ANY,
            "Attributes": ANY,
        },
    )

    response = ask_for_call(customer_client, OTHER_NUMBER)

    assert response.status_code == 302
    assert CallRequest.objects.get().contact_id == "c0ffee00-0000-4000-8000-000000000001"


# --- Queues that cannot take the call ------------------------------------------------------------


def test_it_places_no_call_into_a_queue_that_is_not_in_the_catalog(
    customer_client: Client, connect_requests: list[str]
) -> None:
    response = ask_for_call(customer_client, OTHER_NUMBER, queue="Billing-Secret")

    assert response.status_code == 400
    assert alerts(response) == [str(MESSAGE_QUEUE_UNAVAILABLE)]
    refused = CallRequest.objects.get()
    assert (refused.reason, refused.queue) == ("queue_unknown", None)
    assert connect_requests == []


def test_it_places_no_call_into_a_hidden_queue(
    customer_client: Client, connect_requests: list[str]
) -> None:
    Queue.objects.filter(connect_name="Support-Mobile").update(is_visible=False)

    response = ask_for_call(customer_client, OTHER_NUMBER, queue="Support-Mobile")

    assert response.status_code == 400
    assert alerts(response) == [str(MESSAGE_QUEUE_UNAVAILABLE)]
    assert CallRequest.objects.get().reason == "queue_hidden"
    assert not Contact.objects.exists()


def test_it_places_no_call_into_a_closed_queue_and_says_when_it_opens(
    customer_client: Client, catalog: list[Queue], time_machine: TimeMachineFixture
) -> None:
    # A Sunday noon in Chicago: the Account queues open again on Monday at 8:00.
    time_machine.move_to(datetime(2025, 6, 1, 12, tzinfo=ZoneInfo("America/Chicago")), tick=False)
    assert "Closed now" in customer_client.get(LIVE_URL, {"queue": "Account-Lock"}).content.decode()

    response = ask_for_call(customer_client, OTHER_NUMBER, queue="Account-Lock")

    assert response.status_code == 400
    expected = str(MESSAGE_QUEUE_CLOSED) % {
        "queue": "Account-Lock",
        "when": "tomorrow at 8:00 AM CDT",
    }
    assert alerts(response) == [expected]
    assert "is closed now. It opens" in expected
    assert CallRequest.objects.get().reason == "queue_closed"
    assert not Contact.objects.exists()


def test_it_says_so_when_a_closed_queue_has_no_opening_this_week(
    customer_client: Client, catalog: list[Queue]
) -> None:
    HoursOfOperation.objects.create(hours_id="hours-never", name="Never", config=[])
    make_queue("Retired-Line", hours_id="hours-never")

    response = ask_for_call(customer_client, OTHER_NUMBER, queue="Retired-Line")

    assert response.status_code == 400
    assert alerts(response) == [str(MESSAGE_QUEUE_CLOSED_NO_NEXT) % {"queue": "Retired-Line"}]
    assert not Contact.objects.exists()


def test_it_places_no_call_when_connect_cannot_say_whether_the_queue_is_open(
    customer_client: Client, catalog: list[Queue], settings: object
) -> None:
    settings.CONNECT_MAX_ATTEMPTS = 1
    connect_api.reset_client()

    def unreachable(**_: object) -> None:
        raise ReadTimeoutError(endpoint_url="https://connect.us-east-1.amazonaws.com")

    hours_request = "before-send.connect.GetEffectiveHoursOfOperations"
    connect_api.client().meta.events.register_first(hours_request, unreachable)

    response = ask_for_call(customer_client, OTHER_NUMBER)

    assert response.status_code == 503
    assert alerts(response) == [str(MESSAGE_HOURS_UNKNOWN) % {"queue": QUEUE}]
    assert CallRequest.objects.get().reason == "hours_unknown"
    assert not Contact.objects.exists()


# --- Signing in ----------------------------------------------------------------------------------


def test_it_sends_a_visitor_who_asks_for_a_call_to_sign_in_and_places_no_call(
    client: Client, catalog: list[Queue]
) -> None:
    response = ask_for_call(client, OTHER_NUMBER)

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/support/call/"
    assert not CallRequest.objects.exists()
    assert not Contact.objects.exists()


def test_it_brings_a_visitor_back_to_live_support_after_signing_in(
    client: Client, customer: AbstractBaseUser, catalog: list[Queue]
) -> None:
    response = client.get(LIVE_URL)
    assert response.url == "/accounts/login/?next=/support/"

    signed = client.post(
        "/accounts/login/",
        {"username": customer.username, "password": PASSWORD, "next": LIVE_URL},
    )

    assert signed.url == LIVE_URL
    assert client.get(LIVE_URL).status_code == 200


# --- Limits --------------------------------------------------------------------------------------


def test_it_refuses_a_fourth_call_for_one_customer_within_ten_minutes(
    customer_client: Client, catalog: list[Queue]
) -> None:
    for last_digit in "123":
        placed_call(customer_client, f"+1 202 555 014{last_digit}")

    response = ask_for_call(customer_client, "+1 202 555 0144")

    assert response.status_code == 429
    assert alerts(response) == [str(MESSAGE_LIMIT_USER)]
    assert CallRequest.objects.filter(reason="rate_limited").count() == 1
    assert Contact.objects.count() == 3


def test_it_lets_a_customer_call_again_once_ten_minutes_have_passed(
    customer_client: Client, catalog: list[Queue], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    for last_digit in "123":
        placed_call(customer_client, f"+1 202 555 014{last_digit}")

    time_machine.shift(timedelta(minutes=10, seconds=1))

    placed_call(customer_client, "+1 202 555 0144")


def test_it_refuses_a_fourth_call_to_one_number_within_an_hour_whoever_asks(
    customer_client: Client, outsider: AbstractBaseUser, catalog: list[Queue]
) -> None:
    other = signed_in(outsider)
    placed_call(customer_client, OTHER_NUMBER, "Support-Website")
    placed_call(customer_client, OTHER_NUMBER, "Support-Mobile")
    placed_call(other, OTHER_NUMBER, "Support-Product")

    response = ask_for_call(other, OTHER_NUMBER, "Support-Website")

    assert response.status_code == 429
    assert alerts(response) == [str(MESSAGE_LIMIT_NUMBER)]
    assert Contact.objects.count() == 3


def test_it_refuses_calls_beyond_the_sites_limit_per_minute(
    customer_client: Client, outsider: AbstractBaseUser, catalog: list[Queue], settings: object
) -> None:
    settings.CALL_LIMIT_GLOBAL_PER_MINUTE = 2
    placed_call(customer_client, "+1 202 555 0141")
    placed_call(customer_client, "+1 202 555 0142")

    response = ask_for_call(signed_in(outsider), "+1 202 555 0143")

    assert response.status_code == 429
    assert alerts(response) == [str(MESSAGE_LIMIT_GLOBAL)]
    assert Contact.objects.count() == 2


def test_it_places_one_call_for_a_double_submit(
    customer_client: Client, catalog: list[Queue]
) -> None:
    first = placed_call(customer_client)

    second = placed_call(customer_client)

    assert second == first
    assert_one_call_and_its_duplicate()


def assert_one_call_and_its_duplicate() -> None:
    """One contact, one request that placed it, and one duplicate pointing at it."""
    assert Contact.objects.count() == 1
    placed = CallRequest.objects.get(status=CallRequest.Status.PLACED)
    assert placed.contact_id == Contact.objects.get().contact_id
    assert CallRequest.objects.get(reason="duplicate").contact_id == placed.contact_id


def test_a_double_submit_that_races_the_first_counts_once_and_shows_the_first_call(
    customer_client: Client, connect_requests: list[str]
) -> None:
    """The second click arrives while the first waits for Connect: both reach Connect with
    one ClientToken, and Connect answers both with the one contact."""
    inner: list[HttpResponse] = []
    clicked = threading.Event()

    def second_click(**_: object) -> None:
        if not clicked.is_set():
            clicked.set()
            inner.append(ask_for_call(customer_client, OTHER_NUMBER))

    connect_api.client().meta.events.register_first(
        "before-send.connect.StartOutboundVoiceContact", second_click
    )

    first = ask_for_call(customer_client, OTHER_NUMBER)

    assert first.status_code == inner[0].status_code == 302
    assert first.url == inner[0].url
    assert_one_call_and_its_duplicate()


def test_a_double_submit_leaves_the_customer_their_other_calls(
    customer_client: Client, catalog: list[Queue]
) -> None:
    placed_call(customer_client)
    placed_call(customer_client)

    placed_call(customer_client, "+1 202 555 0141")
    placed_call(customer_client, "+1 202 555 0142")

    assert CallRequest.objects.filter(status=CallRequest.Status.PLACED).count() == 3


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_submits_place_one_call_and_count_once(
    customer: AbstractBaseUser, catalog: list[Queue]
) -> None:
    warm = signed_in(customer)
    assert warm.get(LIVE_URL, {"queue": QUEUE}).status_code == 200  # caches the hours
    clients = [signed_in(customer) for _ in range(10)]
    barrier = threading.Barrier(len(clients))

    def submit(client: Client) -> int:
        try:
            barrier.wait()
            return ask_for_call(client, OTHER_NUMBER).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        outcomes = list(pool.map(submit, clients))

    assert outcomes == [302] * len(clients)
    assert Contact.objects.count() == 1
    assert CallRequest.objects.filter(status=CallRequest.Status.PLACED).count() == 1
    placed_call(warm, "+1 202 555 0141")
    placed_call(warm, "+1 202 555 0142")


def test_calls_connect_could_not_place_do_not_use_up_the_customers_calls(
    customer_client: Client, stubbed_connect: Stubber
) -> None:
    for _ in range(3):
        stubbed_connect.add_client_error(
            "start_outbound_voice_contact",
            service_error_code="ThrottlingException",
            http_status_code=429,
        )
        assert ask_for_call(customer_client, OTHER_NUMBER).status_code == 503
    stubbed_connect.add_response(
        "start_outbound_voice_contact", {"ContactId": "c0ffee00-0000-4000-8000-000000000001"}
    )

    response = ask_for_call(customer_client, OTHER_NUMBER)

    assert response.status_code == 302
    assert CallRequest.objects.filter(status=CallRequest.Status.FAILED).count() == 3


def test_calls_connect_could_not_place_still_count_toward_the_sites_limit(
    customer_client: Client, outsider: AbstractBaseUser, stubbed_connect: Stubber, settings: object
) -> None:
    settings.CALL_LIMIT_GLOBAL_PER_MINUTE = 2
    for _ in range(2):
        stubbed_connect.add_client_error(
            "start_outbound_voice_contact",
            service_error_code="InternalServiceException",
            http_status_code=500,
        )
        assert ask_for_call(customer_client, OTHER_NUMBER).status_code == 503

    response = ask_for_call(signed_in(outsider), "+1 202 555 0141")

    assert response.status_code == 429
    assert alerts(response) == [str(MESSAGE_LIMIT_GLOBAL)]


# --- Connect failures ----------------------------------------------------------------------------


def test_it_asks_the_customer_to_try_again_when_connect_is_throttling(
    customer_client: Client, stubbed_connect: Stubber
) -> None:
    stubbed_connect.add_client_error(
        "start_outbound_voice_contact",
        service_error_code="ThrottlingException",
        http_status_code=429,
    )

    response = ask_for_call(customer_client, OTHER_NUMBER)

    assert response.status_code == 503
    assert alerts(response) == [str(MESSAGE_BUSY)]
    failed = CallRequest.objects.get()
    assert (failed.status, failed.reason) == (CallRequest.Status.FAILED, "busy")


def test_with_the_concurrent_call_quota_full_it_answers_busy_after_one_request(
    customer_client: Client,
    connect_requests: list[str],
    settings: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.CONNECT_MAX_ATTEMPTS = 3
    now = timezone.now()
    Contact.objects.bulk_create(
        Contact(
            instance_id=settings.CONNECT_INSTANCE_ID,
            contact_flow_id=settings.CONNECT_WEB_INGRESS_FLOW_ID,
            destination=f"+1202555{n:04d}",
            client_token=f"active-{n}",
            initiated_at=now,
        )
        for n in range(CONCURRENT_CALLS_QUOTA)
    )

    def no_waiting(seconds: float) -> None:
        raise AssertionError(f"slept {seconds} s on a full quota")

    monkeypatch.setattr(time, "sleep", no_waiting)

    response = ask_for_call(customer_client, OTHER_NUMBER)

    assert response.status_code == 503
    assert alerts(response) == [str(MESSAGE_BUSY)]
    assert connect_requests == ["StartOutboundVoiceContact"]
    assert CallRequest.objects.get().reason == "busy"


def test_it_asks_for_another_number_when_connect_may_not_call_it(
    customer_client: Client, stubbed_connect: Stubber
) -> None:
    stubbed_connect.add_client_error(
        "start_outbound_voice_contact",
        service_error_code="DestinationNotAllowedException",
        http_status_code=403,
    )

    response = ask_for_call(customer_client, OTHER_NUMBER)

    assert response.status_code == 400
    assert alerts(response) == [str(MESSAGE_DESTINATION)]
    assert CallRequest.objects.get().status == CallRequest.Status.FAILED


# --- The call's status ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "status/"], ids=["page", "fragment"])
def test_it_hides_a_customers_call_from_another_customer(
    customer_client: Client, outsider: AbstractBaseUser, catalog: list[Queue], suffix: str
) -> None:
    status_url = placed_call(customer_client)

    response = signed_in(outsider).get(status_url + suffix)

    assert response.status_code == 404


def test_the_status_fragment_polls_while_the_call_is_live(
    customer_client: Client, catalog: list[Queue]
) -> None:
    status_url = placed_call(customer_client)

    fragment = customer_client.get(status_url + "status/").content.decode()

    assert 'data-state="initiated"' in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_the_status_fragment_stops_polling_once_the_call_has_ended(
    customer_client: Client, catalog: list[Queue], time_machine: TimeMachineFixture
) -> None:
    status_url = placed_call(customer_client)
    time_machine.move_to(timezone.now() + timedelta(minutes=31))

    fragment = customer_client.get(status_url + "status/").content.decode()

    assert 'data-state="ended"' in fragment
    assert "The call has ended." in fragment
    assert "hx-trigger" not in fragment


# --- Cost of the page ----------------------------------------------------------------------------


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warms the hours cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_queues(count: int) -> None:
    for i in range(count):
        make_queue(f"Extra-{i:02}", hours_id=SUPPORT_HOURS, department=f"Extra {i % 3}")


def test_the_live_support_page_queries_as_much_for_thirty_queues_as_for_ten(
    customer_client: Client, catalog: list[Queue]
) -> None:
    ten = queries_for(customer_client, LIVE_URL)
    add_queues(20)

    thirty = queries_for(customer_client, LIVE_URL)

    assert Queue.objects.visible().count() == 30
    assert thirty == ten
