"""Personas and DynamoDB helpers for the IVR data apps (prompts and caller records).

The prompts tests import these too: the two editor groups are one story told from two sides.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from boto3.resources.base import ServiceResource
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.test import Client

from customers.models import Customer
from outbox import dynamodb
from outbox.models import SyncRecord
from tests.conftest import make_user

PROMPT_EDITORS = "Prompt editors"
CUSTOMER_DATA_EDITORS = "Customer data editors"
# The port nothing listens on (see tests/conftest.py): DynamoDB "down", failing at once.
DEAD_ENDPOINT = "http://127.0.0.1:9"


_editor_groups = importlib.import_module("customers.migrations.0002_editor_groups")


def editor_group(name: str) -> Group:
    """The group the data migration made; rebuilt from the migration's own table when a
    transactional test's flush has emptied the database (flush keeps no migration data)."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        by_app = _editor_groups.GROUPS[name]
        codenames = [
            f"{action}_{model}"
            for models in by_app.values()
            for model in models
            for action in _editor_groups.ACTIONS
        ]
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=list(by_app), codename__in=codenames
            )
        )
    return group


def make_editor(email: str, group: str) -> AbstractBaseUser:
    """A staff member whose only permissions come from one of the editor groups."""
    user = make_user(email, is_staff=True)
    user.groups.add(editor_group(group))
    return user


def make_staff(email: str, *codenames: str) -> AbstractBaseUser:
    """A staff member with exactly the customer permissions named, and no group."""
    user = make_user(email, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="customers", codename__in=codenames)
    )
    return user


def make_customer(phone: str = "+12025550177", *, vip: bool = False, **extra: object) -> Customer:
    return Customer.objects.create(
        phone_number=phone,
        first_name=extra.pop("first_name", "Avery"),
        last_name=extra.pop("last_name", "Stone"),
        vip=vip,
        **extra,
    )


def stored_item(table: ServiceResource, kind: str, key: str) -> dict | None:
    """The item DynamoDB holds under ``key`` (GetItem, consistent), or None."""
    name, key_name = dynamodb.table_names()[kind]
    return table.Table(name).get_item(Key={key_name: key}, ConsistentRead=True).get("Item")


def outbox(kind: str, key: str) -> SyncRecord:
    return SyncRecord.objects.get(kind=kind, key=key)


@contextmanager
def dynamodb_unreachable() -> Iterator[None]:
    """DynamoDB down for the block: every request is refused at the network boundary."""
    previous = settings.DYNAMODB_ENDPOINT_URL
    settings.DYNAMODB_ENDPOINT_URL = DEAD_ENDPOINT
    dynamodb.reset()
    try:
        yield
    finally:
        settings.DYNAMODB_ENDPOINT_URL = previous
        dynamodb.reset()


@pytest.fixture
def prompt_editor(db: None) -> AbstractBaseUser:
    return make_editor("pat@example.com", PROMPT_EDITORS)


@pytest.fixture
def customer_data_editor(db: None) -> AbstractBaseUser:
    return make_editor("cody@example.com", CUSTOMER_DATA_EDITORS)


@pytest.fixture
def prompt_editor_client(client: Client, prompt_editor: AbstractBaseUser) -> Client:
    client.force_login(prompt_editor)
    return client


@pytest.fixture
def customer_editor_client(client: Client, customer_data_editor: AbstractBaseUser) -> Client:
    client.force_login(customer_data_editor)
    return client


@pytest.fixture
def customer_viewer(db: None) -> AbstractBaseUser:
    """Staff who may read caller records and nothing more."""
    return make_staff("vera@example.com", "view_customer")


@pytest.fixture
def staff_outsider(db: None) -> AbstractBaseUser:
    """Staff in no group and with no permission: the admin's front page and nothing else."""
    return make_staff("sam@example.com")
