"""Shared personas and boundary fakes.

Fakes only at the edge of the project: Amazon Connect through botocore's Stubber (which checks
every request against Connect's real API model) or through the local stand-in, which answers
at botocore's HTTP boundary. Everything else is the real database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from boto3.resources.base import ServiceResource
from botocore.stub import Stubber
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from moto import mock_aws

from jamcc.demo import demo_load
from outbox import dynamodb
from support import connect_api
from support.demo import DEMO_CUSTOMER_PHONE
from support.models import Department, Profile, Queue

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _site_settings(settings: object) -> Iterator[None]:
    """Plain static storage (no collectstatic in tests), the stand-in face, no throttling,
    fast password hashing."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CONNECT_BACKEND = "local"
    settings.CONNECT_LOCAL_RATE = 0
    # The demo sign-ins' passwords are hashed in many set-ups; the production hasher is slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Outside the `dynamo` fixture DynamoDB is a loopback port nothing listens on, so a stray
    # push fails at once instead of writing to a developer's running local server.
    settings.DYNAMODB_ENDPOINT_URL = "http://127.0.0.1:9"
    settings.DYNAMODB_MAX_ATTEMPTS = 1
    connect_api.reset_client()
    dynamodb.reset()
    yield
    connect_api.reset_client()
    dynamodb.reset()


@pytest.fixture
def catalog(db: None) -> list[Queue]:
    """The demo catalog with the stand-in's demo hours."""
    demo_load()
    return list(Queue.objects.select_related("department"))


def make_user(
    email: str, *, phone: str = "", verified: bool = False, **extra: object
) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, **extra
    )
    if phone:
        Profile.objects.create(user=user, phone_number=phone, phone_verified=verified)
    return user


def make_queue(
    name: str = "Test-Queue",
    *,
    hours_id: str = "hours-test",
    department: str = "Testing",
    visible: bool = True,
    **extra: object,
) -> Queue:
    dept, _ = Department.objects.get_or_create(name=department)
    return Queue.objects.create(
        department=dept,
        connect_name=name,
        title=extra.pop("title", f"{name} title"),
        summary=extra.pop("summary", f"What {name} is for."),
        connect_queue_id=extra.pop("connect_queue_id", f"queue-id-{name}"),
        hours_of_operation_id=hours_id,
        is_visible=visible,
        **extra,
    )


@pytest.fixture
def customer(db: None) -> AbstractBaseUser:
    """A signed-up customer whose verified phone is the demo VIP's number."""
    return make_user(
        "casey@example.com",
        phone=DEMO_CUSTOMER_PHONE,
        verified=True,
        first_name="Casey",
        last_name="Jones",
    )


@pytest.fixture
def customer_client(client: Client, customer: AbstractBaseUser) -> Client:
    client.force_login(customer)
    return client


@pytest.fixture
def outsider(db: None) -> AbstractBaseUser:
    """Another signed-in customer, who must not see the first one's calls."""
    return make_user("olivia@example.com")


@pytest.fixture
def staff_user(db: None) -> AbstractBaseUser:
    return make_user("admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def connect_stub(settings: object) -> Iterator[Stubber]:
    """The AWS face of the adapter with botocore's Stubber in place of the network.

    Each test queues the exact requests it expects; a request that does not match Connect's
    API model, or one not queued, fails the test.
    """
    settings.CONNECT_BACKEND = "aws"
    settings.CONNECT_MAX_ATTEMPTS = 1
    connect_api.reset_client()
    stubber = Stubber(connect_api.client())
    with stubber:
        yield stubber
        stubber.assert_no_pending_responses()
    connect_api.reset_client()


@pytest.fixture
def dynamo(settings: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServiceResource]:
    """DynamoDB faked in-process by moto, with both tables created empty."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": settings.AWS_REGION,
    }.items():
        monkeypatch.setenv(name, value)
    settings.DYNAMODB_ENDPOINT_URL = ""
    with mock_aws():
        dynamodb.reset()
        dynamodb.tables_ensure()
        yield dynamodb.resource()
    dynamodb.reset()
