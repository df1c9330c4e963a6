"""The local Amazon Connect stand-in, answering at botocore's HTTP boundary.

It hooks a real boto3 ``connect`` client's ``before-send`` event, so requests are built,
signed and validated by botocore, and answers are parsed (and errors raised as
``ClientError``) by botocore exactly as with AWS. Only the HTTP round trip is replaced: the
answer comes from this database, shaped like Connect's own payloads.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import partial
from typing import cast
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.client import BaseClient
from botocore.config import Config
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from instance.simulation import WEB_FLOW, simulation_run
from support.connect_api import effective_hours_parse
from support.hours import schedule
from support.models import Queue

from .models import DAYS, Contact, HoursOfOperation, HoursOverride, StartLock

# Seconds after initiation at which a stand-in contact reaches each state: the customer's phone
# rings, they answer (connected to the system), the flow puts them in the queue, and after a
# long wait with no agent (the stand-in has none) the call ends.
CONNECTED_AFTER = 4
QUEUED_AFTER = 8
DISCONNECTED_AFTER = 30 * 60
# Connect's default quota of concurrent active calls per instance
# (https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html);
# past it StartOutboundVoiceContact answers LimitExceededException, HTTP 429
# (https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundVoiceContact.html).
CONCURRENT_CALLS_QUOTA = 10
# Connect answers at most this many days in one GetEffectiveHoursOfOperations request.
MAX_EFFECTIVE_DAYS = 93
# Starts in this process, one at a time (see _one_start_at_a_time).
_start_lock = threading.Lock()


class ConnectError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class _Body:
    """The raw stream botocore reads a response body from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: object) -> Iterator[bytes]:
        yield self._data

    def read(self, *_: object) -> bytes:
        return self._data


class _RateLimiter:
    """A token bucket, like Connect's per-account API rate (about 2 requests a second).

    It starts full, with ``burst`` requests, and refills at ``rate`` requests a second.
    """

    def __init__(self, rate: float, burst: int) -> None:
        self._rate, self._burst = rate, burst
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._stamp = time.monotonic()

    def allow(self) -> bool:
        if self._rate <= 0:
            return True
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
            self._stamp = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True


logger = logging.getLogger(__name__)


def connect_client(config: Config) -> BaseClient:
    """A boto3 Connect client whose requests the stand-in answers (``CONNECT_CLIENTS``).

    The same client class and API model as AWS's, so botocore validates every request; only
    the sending is replaced, and nothing leaves the process.
    """
    local = boto3.client(
        "connect",
        config=config,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        endpoint_url="http://connect.local.invalid",
    )
    install(local)
    return local


def contact_simulation(contact_id: str) -> dict | None:
    """What the stand-in's run of the WebIngress flow said and did for ``contact_id``
    (``CONNECT_LOCAL_SIMULATION``); real Connect reports nothing like it."""
    return (
        Contact.objects.filter(contact_id=contact_id).values_list("simulation", flat=True).first()
    )


def install(client: BaseClient) -> None:
    """Route every request of ``client`` to the stand-in instead of AWS.

    Each client gets its own rate limiter, read from settings now: a client made after the
    settings change (``connect_api.reset_client()``) throttles by the new ones from a full
    bucket, whatever earlier clients did.
    """
    limiter = _RateLimiter(settings.CONNECT_LOCAL_RATE, settings.CONNECT_LOCAL_BURST)
    # botocore-stubs types every handler as returning None; a before-send handler's answer is
    # the response botocore then parses instead of sending the request.
    client.meta.events.register("before-send.connect", partial(_on_before_send, limiter))  # type: ignore[arg-type]


def _on_before_send(
    limiter: _RateLimiter, request: AWSPreparedRequest, event_name: str, **_: object
) -> AWSResponse:
    operation = event_name.rsplit(".", 1)[-1]
    try:
        if not limiter.allow():
            raise ConnectError(429, "TooManyRequestsException", "Rate exceeded")
        handler = _HANDLERS.get(operation)
        if handler is None:
            raise ConnectError(400, "InvalidRequestException", f"{operation} is not supported")
        status, payload = 200, handler(request)
    except Exception as exc:
        if not isinstance(exc, ConnectError):
            logger.exception("Connect stand-in failed on %s", operation)
            exc = ConnectError(500, "InternalServiceException", "Internal service error")
        payload = {"Message": exc.message}
        headers = {"x-amzn-ErrorType": f"{exc.code}:", "Content-Type": "application/json"}
        # AWSResponse takes any mapping of headers (it copies them into a HeadersDict);
        # botocore-stubs asks for HTTPHeaders.
        return AWSResponse(request.url, exc.status, headers, _Body(json.dumps(payload).encode()))  # type: ignore[arg-type]
    body = json.dumps(payload, default=_json_default).encode()
    headers = {"Content-Type": "application/json", "x-amzn-RequestId": str(uuid.uuid4())}
    return AWSResponse(request.url, status, headers, _Body(body))  # type: ignore[arg-type]  # as above


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(type(value))


def _path(request: AWSPreparedRequest) -> list[str]:
    return [unquote(part) for part in urlsplit(request.url).path.split("/") if part]


def _query(request: AWSPreparedRequest) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def _check_instance(instance_id: str) -> None:
    if instance_id != settings.CONNECT_INSTANCE_ID:
        raise ConnectError(404, "ResourceNotFoundException", "Instance not found")


def _hours(instance_id: str, hours_id: str) -> HoursOfOperation:
    _check_instance(instance_id)
    try:
        return HoursOfOperation.objects.get(hours_id=hours_id)
    except HoursOfOperation.DoesNotExist:
        raise ConnectError(
            404, "ResourceNotFoundException", "Hours of operation not found"
        ) from None


# --- DescribeHoursOfOperation ----------------------------------------------------------------


def _describe_hours(request: AWSPreparedRequest) -> dict:
    _, instance_id, hours_id = _path(request)
    hours = _hours(instance_id, hours_id)
    return {
        "HoursOfOperation": {
            "HoursOfOperationId": hours.hours_id,
            "HoursOfOperationArn": _arn(f"operating-hours/{hours.hours_id}"),
            "Name": hours.name,
            "Description": hours.description,
            "TimeZone": hours.time_zone,
            "Config": hours.config,
            "Tags": {},
            "LastModifiedTime": hours.last_modified,
            "LastModifiedRegion": settings.AWS_REGION,
        }
    }


# --- GetEffectiveHoursOfOperations ---------------------------------------------------------


def _effective_hours(request: AWSPreparedRequest) -> dict:
    _, instance_id, hours_id = _path(request)
    hours = _hours(instance_id, hours_id)
    query = _query(request)
    try:
        first = date.fromisoformat(query["fromDate"])
        last = date.fromisoformat(query["toDate"])
    except (KeyError, ValueError):
        raise ConnectError(
            400, "InvalidParameterException", "fromDate and toDate must be YYYY-MM-DD"
        ) from None
    if last < first or (last - first).days > MAX_EFFECTIVE_DAYS:
        raise ConnectError(400, "InvalidParameterException", "Invalid date range")
    return _effective_answer(hours, first, last)


def _effective_answer(hours: HoursOfOperation, first: date, last: date) -> dict:
    """GetEffectiveHoursOfOperations' answer for ``hours`` from ``first`` to ``last``."""
    overrides = list(hours.overrides.filter(effective_from__lte=last, effective_till__gte=first))
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        days.append(
            {"Date": day.isoformat(), "OperationalHours": _day_hours(hours, overrides, day)}
        )
    return {"EffectiveHoursOfOperationList": days, "TimeZone": hours.time_zone}


def _day_hours(hours: HoursOfOperation, overrides: list[HoursOverride], day: date) -> list[dict]:
    name = DAYS[day.weekday()]
    for override in overrides:
        if override.effective_from <= day <= override.effective_till:
            if override.override_type == HoursOverride.OverrideType.CLOSED:
                return []
            return [_slice(e) for e in override.config if e.get("Day") in (None, name)]
    return [_slice(e) for e in hours.config if e["Day"] == name]


def _slice(entry: dict) -> dict:
    return {
        "Start": {"Hours": entry["StartTime"]["Hours"], "Minutes": entry["StartTime"]["Minutes"]},
        "End": {"Hours": entry["EndTime"]["Hours"], "Minutes": entry["EndTime"]["Minutes"]},
    }


# --- StartOutboundVoiceContact -------------------------------------------------------------


def _start_outbound(request: AWSPreparedRequest) -> dict:
    # botocore serializes Connect's JSON requests to bytes (the other types are for streams).
    params = json.loads(cast(bytes, request.body) or b"{}")
    _check_instance(params["InstanceId"])
    if params["ContactFlowId"] != settings.CONNECT_WEB_INGRESS_FLOW_ID:
        raise ConnectError(404, "ResourceNotFoundException", "Contact flow not found")
    destination = params["DestinationPhoneNumber"]
    if not _is_e164(destination):
        raise ConnectError(400, "InvalidParameterException", "DestinationPhoneNumber is invalid")
    if not destination.startswith(tuple("+" + c for c in settings.CONNECT_LOCAL_CALLING_CODES)):
        raise ConnectError(
            403, "DestinationNotAllowedException", "Outbound calls to this country not allowed"
        )
    with _one_start_at_a_time():
        contact = _contact_create(params, destination)
    if isinstance(contact, str):
        return {"ContactId": contact}
    _play_flow(contact)
    return {"ContactId": contact.contact_id}


@contextmanager
def _one_start_at_a_time() -> Iterator[None]:
    """Hold the start lock: this process's threads first, then the database's lock row.

    The thread lock spares the database the wait, and SQLite's shared-cache memory database
    (the tests') refuses a second writer at once rather than waiting for it.
    """
    with _start_lock, transaction.atomic():
        # Write before any read: a deferred SQLite transaction that read first could count
        # alongside another one and both would create the eleventh call.
        StartLock.objects.bulk_create([StartLock(pk=1)], ignore_conflicts=True)
        StartLock.objects.filter(pk=1).update(starts=F("starts") + 1)
        yield


def _contact_create(params: dict, destination: str) -> Contact | str:
    """The new contact, or the id of the one this ClientToken already placed."""
    token = params.get("ClientToken", "")
    if token:
        # Connect is idempotent on ClientToken for seven days: the same contact comes back.
        week_ago = timezone.now() - timedelta(days=7)
        earlier = Contact.objects.filter(client_token=token, initiated_at__gte=week_ago).first()
        if earlier is not None:
            return earlier.contact_id
        # An older contact no longer holds the token, so it can place a new call.
        Contact.objects.filter(client_token=token, initiated_at__lt=week_ago).update(
            client_token=""
        )
    active_since = timezone.now() - timedelta(seconds=DISCONNECTED_AFTER)
    if Contact.objects.filter(initiated_at__gte=active_since).count() >= CONCURRENT_CALLS_QUOTA:
        raise ConnectError(429, "LimitExceededException", "Concurrent calls limit exceeded")
    return Contact.objects.create(
        instance_id=params["InstanceId"],
        contact_flow_id=params["ContactFlowId"],
        queue_id=params.get("QueueId", ""),
        destination=destination,
        source=params.get("SourcePhoneNumber", ""),
        client_token=token,
        attributes=params.get("Attributes", {}),
        initiated_at=timezone.now(),
    )


def _play_flow(contact: Contact) -> None:
    """Play the call through the WebIngress flow, as Connect would once the customer answers.

    The simulator uses the real flows, Lambdas and prompts; where the flow puts the caller is
    what DescribeContact reports. A simulation that fails leaves the contact as it was.
    """
    try:
        result = simulation_run(
            flow=WEB_FLOW,
            caller=contact.destination,
            inputs=[],
            attributes={str(k): str(v) for k, v in contact.attributes.items()},
            queue_open=queue_open_now,
        )
    except Exception:  # a demo aid must never fail the call itself
        logger.exception("Simulating WebIngress for contact %s failed", contact.contact_id)
        return
    contact.simulation = result.as_dict()
    with _start_lock:  # a write to the contacts, like a start's
        contact.save(update_fields=["simulation"])


def queue_open_now(queue_name: str) -> bool:
    """Whether the stand-in's own hours have ``queue_name`` open now, as Connect's
    CheckHoursOfOperation answers inside a flow: from the instance's rows, never through the
    site's hours cache (the stand-in must not call itself)."""
    hours_id = (
        Queue.objects.filter(connect_name=queue_name)
        .values_list("hours_of_operation_id", flat=True)
        .first()
    )
    hours = HoursOfOperation.objects.filter(hours_id=hours_id).first() if hours_id else None
    if hours is None:
        return False
    now = timezone.now()
    today = now.astimezone(ZoneInfo(hours.time_zone)).date()
    # Yesterday too: a shift that began last night may still be running.
    answer = _effective_answer(hours, today - timedelta(days=1), today)
    return schedule(effective_hours_parse(answer), now, days=1).is_open


def _is_e164(number: str) -> bool:
    return number.startswith("+") and number[1:].isdigit() and 2 <= len(number) - 1 <= 15


# --- DescribeContact -------------------------------------------------------------------------


def _describe_contact(request: AWSPreparedRequest) -> dict:
    _, instance_id, contact_id = _path(request)
    _check_instance(instance_id)
    contact = Contact.objects.filter(contact_id=contact_id).first()
    if contact is None:
        raise ConnectError(404, "ResourceNotFoundException", "Contact not found")
    return {"Contact": _contact_payload(contact, timezone.now())}


def _contact_payload(contact: Contact, now: datetime) -> dict:
    start = contact.initiated_at
    elapsed = (now - start).total_seconds()
    payload: dict = {
        "Arn": _arn(f"contact/{contact.contact_id}"),
        "Id": contact.contact_id,
        "InitialContactId": contact.contact_id,
        "InitiationMethod": "API",
        "Channel": "VOICE",
        "InitiationTimestamp": start,
        "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": contact.destination},
        "Attributes": contact.attributes,
    }
    last_update = start
    if elapsed >= CONNECTED_AFTER:
        last_update = start + timedelta(seconds=CONNECTED_AFTER)
        payload["ConnectedToSystemTimestamp"] = last_update
    simulation = contact.simulation or {}
    # Without a simulation the call is queued where the site asked; with one, where the flow
    # put it (a flow that ended the call hangs up soon after answering instead).
    queued = bool(contact.queue_id) and simulation.get("ended", "queued") == "queued"
    ends_after = DISCONNECTED_AFTER if queued else QUEUED_AFTER
    if elapsed >= QUEUED_AFTER and queued:
        last_update = start + timedelta(seconds=QUEUED_AFTER)
        payload["QueueInfo"] = {"Id": contact.queue_id, "EnqueueTimestamp": last_update}
    if elapsed >= ends_after:
        last_update = start + timedelta(seconds=ends_after)
        payload["DisconnectTimestamp"] = last_update
        payload["DisconnectReason"] = "CUSTOMER_DISCONNECT" if queued else "CONTACT_FLOW_DISCONNECT"
    payload["LastUpdateTimestamp"] = last_update
    return payload


def _arn(resource: str) -> str:
    return (
        f"arn:aws:connect:{settings.AWS_REGION}:000000000000:"
        f"instance/{settings.CONNECT_INSTANCE_ID}/{resource}"
    )


_HANDLERS: dict[str, Callable[[AWSPreparedRequest], dict]] = {
    "DescribeHoursOfOperation": _describe_hours,
    "GetEffectiveHoursOfOperations": _effective_hours,
    "StartOutboundVoiceContact": _start_outbound,
    "DescribeContact": _describe_contact,
}
