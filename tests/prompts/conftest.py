"""Prompt fixtures; the personas are shared with the caller-records tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from prompts.models import Announcement, ContactFlow, Prompt
from tests.customers.conftest import (  # noqa: F401 - fixtures, found by name
    CUSTOMER_DATA_EDITORS,
    PROMPT_EDITORS,
    customer_data_editor,
    customer_editor_client,
    editor_group,
    make_editor,
    prompt_editor,
    prompt_editor_client,
)


@pytest.fixture
def both_editor(db: None) -> AbstractBaseUser:
    """A staff member in both editor groups: prompts, and the caller records behind them."""
    user = make_editor("bea@example.com", PROMPT_EDITORS)
    user.groups.add(editor_group(CUSTOMER_DATA_EDITORS))
    return user


def make_flow(name: str = "Main", **prompts: dict[str, str]) -> ContactFlow:
    """A flow with ``prompts`` (prompt id -> language -> text), in the order given."""
    flow = ContactFlow.objects.create(name=name)
    for order, (prompt_id, texts) in enumerate(prompts.items()):
        Prompt.objects.create(flow=flow, prompt_id=prompt_id, texts=texts, order=order)
    return flow


def make_announcement(
    name: str = "Holiday", *, flows: list[ContactFlow] = (), all_flows: bool = False
) -> Announcement:
    now = timezone.now()
    announcement = Announcement.objects.create(
        name=name,
        texts={"en-US": f"{name}: we are closed.", "es-US": f"{name}: estamos cerrados."},
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
        all_flows=all_flows,
    )
    announcement.flows.set(flows)
    return announcement
