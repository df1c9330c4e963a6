"""The only module that talks to Amazon Connect.

Two faces, chosen by ``CONNECT_BACKEND``: boto3 against AWS, or the same boto3 client with the
local stand-in answering at the HTTP boundary, made by the factory ``CONNECT_CLIENTS`` names
(``connectlocal`` plugs in there). Either way callers get plain
values back, and every vendor failure becomes :class:`ConnectError` with a message a customer
can read.
"""

from __future__ import annotations

import enum
import logging
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MESSAGE_BUSY = _("Our phone lines are busy right now. Please try again in a minute.")
MESSAGE_DESTINATION = _(
    "We can't call that number. Please check it, or use another number we can reach."
)
MESSAGE_UNAVAILABLE = _(
    "Calling from the website is unavailable right now. Please call us at %(number)s instead."
)

# Connect is answering too many requests a second: worth one more try after a short pause.
_RATE_LIMITED = {"ThrottlingException", "TooManyRequestsException"}
# From StartOutboundVoiceContact these say the instance's concurrent-call quota is full
# (https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundVoiceContact.html:
# LimitExceededException, "the allowed limit for the resource has been exceeded", HTTP 429).
# A call ends only after minutes, so a retry within the request cannot succeed: answer busy.
_QUOTA_FULL = {"LimitExceededException", "ServiceQuotaExceededException"}
_THROTTLED = _RATE_LIMITED | _QUOTA_FULL
# The adapter's own retry pause: "full jitter" exponential back-off, kept short because a
# customer is waiting for the page.
_BACKOFF_BASE, _BACKOFF_CAP = 0.1, 0.5
_DESTINATION = {"DestinationNotAllowedException", "OutboundContactNotPermittedException"}
# GetEffectiveHoursOfOperations is newer than DescribeHoursOfOperation; an instance or IAM
# policy that refuses it still lets us show the weekly hours (without holiday overrides).
_EFFECTIVE_HOURS_FALLBACK = {"AccessDeniedException", "InvalidRequestException", "UnknownOperation"}


class Deadline:
    """The time one piece of work (a page, a call request) may spend on Connect, shared by
    every request and retry it makes."""

    def __init__(self, seconds: float) -> None:
        self._at = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._at - time.monotonic())

    def allows(self, seconds: float) -> bool:
        """True while ``seconds`` more still fit in the budget."""
        return self.remaining() > seconds


# The code a ConnectError carries when the budget ran out before Connect was asked (again).
DEADLINE_CODE = "DeadlineExceeded"


class ConnectError(Exception):
    """Amazon Connect could not do what was asked; ``message`` is safe to show a customer."""

    class Kind(enum.StrEnum):
        BUSY = "busy"
        DESTINATION = "destination"
        UNAVAILABLE = "unavailable"
        NOT_FOUND = "not_found"

    def __init__(self, kind: ConnectError.Kind, code: str = "") -> None:
        self.kind = kind
        self.code = code
        super().__init__(f"{kind}: {code}")

    @property
    def message(self) -> str:
        if self.kind == self.Kind.BUSY:
            return str(MESSAGE_BUSY)
        if self.kind == self.Kind.DESTINATION:
            return str(MESSAGE_DESTINATION)
        return str(MESSAGE_UNAVAILABLE) % {"number": settings.SUPPORT_PHONE_NUMBER}


@dataclass(frozen=True)
class TimeRange:
    """One opening on a date, as Connect gives it: minutes after local midnight.

    ``end <= start`` means the range runs past midnight into the next day (00:00-00:00 is the
    whole day), which is how Connect expresses overnight shifts.
    """

    start: int
    end: int


@dataclass(frozen=True)
class EffectiveHours:
    time_zone: str
    days: dict[date, tuple[TimeRange, ...]]
    # False when only the weekly config was available, so holiday overrides are unknown.
    overrides_known: bool = True


class ContactState(enum.StrEnum):
    INITIATED = "initiated"
    CONNECTED = "connected"
    QUEUED = "queued"
    WITH_AGENT = "with_agent"
    ENDED = "ended"


@dataclass(frozen=True)
class ContactStatus:
    contact_id: str
    state: ContactState
    initiated_at: datetime | None = None
    updated_at: datetime | None = None
    details: dict = field(default_factory=dict)


_client = None
_client_lock = threading.Lock()


def client() -> BaseClient:
    """Return the process-wide Connect client, creating it on first use."""
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                _client = _make_client()
    return _client


def reset_client() -> None:
    """Forget the client (tests switch faces and settings)."""
    global _client
    with _client_lock:
        _client = None


def backend() -> str:
    return settings.CONNECT_BACKEND


def _make_client() -> BaseClient:
    config = Config(
        region_name=settings.AWS_REGION,
        connect_timeout=settings.CONNECT_CONNECT_TIMEOUT,
        read_timeout=settings.CONNECT_READ_TIMEOUT,
        # One try per botocore call: the adapter retries itself (see _send), within a time
        # budget. botocore's standard and adaptive modes both count LimitExceededException as
        # throttling and retry it, and adaptive mode's client-side token bucket makes every
        # thread of the process wait once Connect refuses
        # (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
        retries={"mode": "standard", "total_max_attempts": 1},
    )
    # A dotted path per backend, as Django picks EMAIL_BACKEND: the stand-in plugs in here
    # and this module never imports it.
    factory = import_string(settings.CONNECT_CLIENTS[settings.CONNECT_BACKEND])
    return factory(config)


def aws_client(config: Config) -> BaseClient:
    """Amazon Connect itself, credentials and region from the environment."""
    return boto3.client("connect", config=config)


def _translate(exc: Exception, operation: str) -> ConnectError:
    if isinstance(exc, ClientError):
        code = _code(exc)
        logger.warning("Connect %s failed: %s", operation, code)
        if code in _THROTTLED:
            return ConnectError(ConnectError.Kind.BUSY, code)
        if code in _DESTINATION:
            return ConnectError(ConnectError.Kind.DESTINATION, code)
        if code == "ResourceNotFoundException":
            return ConnectError(ConnectError.Kind.NOT_FOUND, code)
        return ConnectError(ConnectError.Kind.UNAVAILABLE, code)
    logger.warning("Connect %s failed: %r", operation, exc)
    return ConnectError(ConnectError.Kind.UNAVAILABLE, type(exc).__name__)


# --- Hours of operation --------------------------------------------------------------------


def hours_effective(
    *,
    hours_id: str,
    first: date,
    last: date,
    deadline: Deadline | None = None,
    attempts: int | None = None,
) -> EffectiveHours:
    """Return the hours in force on each date from ``first`` to ``last``, overrides included."""
    operation = "GetEffectiveHoursOfOperations"
    try:
        answer = _send(
            operation,
            deadline=deadline,
            attempts=attempts,
            HoursOfOperationId=hours_id,
            FromDate=first.isoformat(),
            ToDate=last.isoformat(),
        )
    except ClientError as exc:
        if _code(exc) not in _EFFECTIVE_HOURS_FALLBACK:
            raise _translate(exc, operation) from exc
        return _hours_from_weekly_config(
            hours_id=hours_id, first=first, last=last, deadline=deadline
        )
    except BotoCoreError as exc:
        raise _translate(exc, operation) from exc
    return effective_hours_parse(answer)


def effective_hours_parse(answer: dict[str, Any]) -> EffectiveHours:
    """GetEffectiveHoursOfOperations' answer as :class:`EffectiveHours` (the local stand-in
    reads its own answers with it too)."""
    days = {
        date.fromisoformat(item["Date"]): tuple(
            TimeRange(_minutes(r["Start"]), _minutes(r["End"]))
            for r in item.get("OperationalHours", [])
        )
        for item in answer.get("EffectiveHoursOfOperationList", [])
    }
    return EffectiveHours(time_zone=answer["TimeZone"], days=days)


def _hours_from_weekly_config(
    *, hours_id: str, first: date, last: date, deadline: Deadline | None
) -> EffectiveHours:
    hours = hours_describe(hours_id=hours_id, deadline=deadline)
    weekly: dict[str, list[TimeRange]] = {}
    for entry in hours.get("Config", []):
        weekly.setdefault(entry["Day"], []).append(
            TimeRange(_minutes(entry["StartTime"]), _minutes(entry["EndTime"]))
        )
    days = {}
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        ranges = weekly.get(day.strftime("%A").upper(), [])
        days[day] = tuple(sorted(ranges, key=lambda r: r.start))
    return EffectiveHours(time_zone=hours["TimeZone"], days=days, overrides_known=False)


def _minutes(slice_: dict) -> int:
    return int(slice_["Hours"]) * 60 + int(slice_["Minutes"])


# --- Contacts --------------------------------------------------------------------------------


def contact_start(
    *,
    destination: str,
    queue_id: str,
    attributes: dict[str, str],
    client_token: str,
    deadline: Deadline | None = None,
) -> str:
    """Have Connect call ``destination`` into the WebIngress flow; return the contact id.

    Retrying is safe: Connect answers the same ClientToken with the same contact.
    """
    if not settings.CONNECT_WEB_INGRESS_FLOW_ID:
        # A new deployment before its first connect_publish: the site is up, the flow is not.
        logger.error("CONNECT_WEB_INGRESS_FLOW_ID is not set: web calls are refused")
        raise ConnectError(ConnectError.Kind.UNAVAILABLE, "WebIngressFlowNotSet")
    params: dict[str, Any] = {
        "ContactFlowId": settings.CONNECT_WEB_INGRESS_FLOW_ID,
        "DestinationPhoneNumber": destination,
        "QueueId": queue_id,
        "ClientToken": client_token,
        "Attributes": attributes,
    }
    if settings.CONNECT_SOURCE_PHONE_NUMBER:
        params["SourcePhoneNumber"] = settings.CONNECT_SOURCE_PHONE_NUMBER
    return _call("StartOutboundVoiceContact", deadline=deadline, **params)["ContactId"]


def contact_describe(*, contact_id: str) -> ContactStatus:
    contact = _call("DescribeContact", ContactId=contact_id)["Contact"]
    return ContactStatus(
        contact_id=contact_id,
        state=_contact_state(contact),
        initiated_at=contact.get("InitiationTimestamp"),
        updated_at=contact.get("LastUpdateTimestamp"),
        details={"disconnect_reason": contact.get("DisconnectReason", "")},
    )


def _contact_state(contact: dict) -> ContactState:
    # DescribeContact has no single state field; the timestamps say how far the call got.
    if contact.get("DisconnectTimestamp"):
        return ContactState.ENDED
    if contact.get("AgentInfo", {}).get("ConnectedToAgentTimestamp"):
        return ContactState.WITH_AGENT
    if contact.get("QueueInfo", {}).get("EnqueueTimestamp"):
        return ContactState.QUEUED
    if contact.get("ConnectedToSystemTimestamp"):
        return ContactState.CONNECTED
    return ContactState.INITIATED


def client_state() -> str:
    """'ready' once a client exists, 'idle' before first use: health checks make no calls."""
    return "ready" if _client is not None else "idle"


# --- Instance configuration (connect_publish / connect_pull) ----------------------------------


@dataclass(frozen=True)
class Resource:
    """A named thing in the instance: its id, and its ARN where Connect gives one."""

    name: str
    id: str
    arn: str = ""


def _call(
    operation: str,
    *,
    deadline: Deadline | None = None,
    attempts: int | None = None,
    **params: object,
) -> dict:
    """Call ``operation`` on the one instance; vendor failures become ConnectError."""
    try:
        return _send(operation, deadline=deadline, attempts=attempts, **params)
    except (ClientError, BotoCoreError) as exc:
        raise _translate(exc, operation) from exc


def _send(
    operation: str, *, deadline: Deadline | None, attempts: int | None, **params: object
) -> dict:
    """Send ``operation``, retrying only a rate limit, and only while the budget allows.

    Without a ``deadline`` the call gets ``CONNECT_REQUEST_BUDGET`` seconds of its own.
    """
    method = getattr(client(), _snake(operation))
    deadline = deadline or Deadline(settings.CONNECT_REQUEST_BUDGET)
    attempts = attempts or settings.CONNECT_MAX_ATTEMPTS
    for attempt in range(1, attempts + 1):
        if not deadline.allows(0):
            logger.warning("Connect %s not sent: the request's time budget is spent", operation)
            raise ConnectError(ConnectError.Kind.BUSY, DEADLINE_CODE)
        try:
            return method(InstanceId=settings.CONNECT_INSTANCE_ID, **params)
        except ClientError as exc:
            pause = _backoff(attempt)
            last = attempt == attempts or not deadline.allows(pause)
            if last or _code(exc) not in _RATE_LIMITED:
                raise
        time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover - the last attempt returns or raises


def _backoff(attempt: int) -> float:
    return random.uniform(0, min(_BACKOFF_CAP, _BACKOFF_BASE * 2**attempt))


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def _pages(operation: str, key: str, **params: Any) -> list[Any]:  # noqa: ANN401 - boto3 parameters
    """Every item of ``key`` in every page: summaries, or ARNs from ListLambdaFunctions."""
    items: list[Any] = []
    while True:
        answer = _call(operation, **params)
        items.extend(answer.get(key, []))
        if not answer.get("NextToken"):
            return items
        params["NextToken"] = answer["NextToken"]


def _by_name(summaries: list[dict]) -> dict[str, Resource]:
    return {s["Name"]: Resource(s["Name"], s["Id"], s.get("Arn", "")) for s in summaries}


def hours_list() -> dict[str, Resource]:
    return _by_name(_pages("ListHoursOfOperations", "HoursOfOperationSummaryList"))


def hours_describe(*, hours_id: str, deadline: Deadline | None = None) -> dict:
    """Connect's HoursOfOperation: Name, TimeZone, Config, ..."""
    answer = _call("DescribeHoursOfOperation", deadline=deadline, HoursOfOperationId=hours_id)
    return answer["HoursOfOperation"]


def hours_create(*, name: str, time_zone: str, config: list[dict], description: str = "") -> str:
    params: dict[str, Any] = {"Name": name, "TimeZone": time_zone, "Config": config}
    if description:
        params["Description"] = description
    return _call("CreateHoursOfOperation", **params)["HoursOfOperationId"]


def hours_update(*, hours_id: str, time_zone: str, config: list[dict]) -> None:
    _call("UpdateHoursOfOperation", HoursOfOperationId=hours_id, TimeZone=time_zone, Config=config)


def queues_list() -> dict[str, Resource]:
    """Standard queues by name (agent queues have no name worth routing to)."""
    return _by_name(_pages("ListQueues", "QueueSummaryList", QueueTypes=["STANDARD"]))


def queue_describe(*, queue_id: str) -> dict:
    """Connect's Queue: Name, QueueId, QueueArn, HoursOfOperationId, ..."""
    return _call("DescribeQueue", QueueId=queue_id)["Queue"]


def queue_create(
    *, name: str, hours_id: str, description: str = "", outbound_caller: dict | None = None
) -> Resource:
    params: dict[str, Any] = {"Name": name, "HoursOfOperationId": hours_id}
    if description:
        params["Description"] = description
    if outbound_caller:
        params["OutboundCallerConfig"] = outbound_caller
    answer = _call("CreateQueue", **params)
    return Resource(name, answer["QueueId"], answer["QueueArn"])


def flows_list() -> dict[str, Resource]:
    return _by_name(_pages("ListContactFlows", "ContactFlowSummaryList"))


def flow_content(*, flow_id: str) -> str:
    return _call("DescribeContactFlow", ContactFlowId=flow_id)["ContactFlow"].get("Content", "")


def flow_create(*, name: str, flow_type: str, content: str, description: str = "") -> Resource:
    params: dict[str, Any] = {"Name": name, "Type": flow_type, "Content": content}
    if description:
        params["Description"] = description
    answer = _call("CreateContactFlow", **params)
    return Resource(name, answer["ContactFlowId"], answer["ContactFlowArn"])


def flow_content_update(*, flow_id: str, content: str) -> None:
    _call("UpdateContactFlowContent", ContactFlowId=flow_id, Content=content)


def modules_list() -> dict[str, Resource]:
    return _by_name(
        _pages(
            "ListContactFlowModules",
            "ContactFlowModulesSummaryList",
            ContactFlowModuleState="ACTIVE",
        )
    )


def module_content(*, module_id: str) -> str:
    answer = _call("DescribeContactFlowModule", ContactFlowModuleId=module_id)
    return answer["ContactFlowModule"].get("Content", "")


def module_create(*, name: str, content: str, description: str = "") -> Resource:
    params: dict[str, Any] = {"Name": name, "Content": content}
    if description:
        params["Description"] = description
    answer = _call("CreateContactFlowModule", **params)
    return Resource(name, answer["Id"], answer["Arn"])


def module_content_update(*, module_id: str, content: str) -> None:
    _call("UpdateContactFlowModuleContent", ContactFlowModuleId=module_id, Content=content)


def lambdas_list() -> list[str]:
    """ARNs of the Lambda functions the instance's flows may invoke."""
    return list(_pages("ListLambdaFunctions", "LambdaFunctions"))


def lambda_associate(*, function_arn: str) -> None:
    _call("AssociateLambdaFunction", FunctionArn=function_arn)


def queue_hours_update(*, queue_id: str, hours_id: str) -> None:
    _call("UpdateQueueHoursOfOperation", QueueId=queue_id, HoursOfOperationId=hours_id)
