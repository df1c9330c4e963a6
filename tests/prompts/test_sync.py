"""Contact flows, their prompts and announcements reach DynamoDB as one item per flow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from boto3.resources.base import ServiceResource
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from jamcc.tasks import sync_retry
from outbox import dynamodb
from outbox.dynamodb import MESSAGE_UNAVAILABLE
from outbox.models import SyncRecord
from prompts.models import Announcement, ContactFlow, Prompt
from tests.customers.conftest import stored_item
from tests.outbox.test_sync import dynamodb_hung
from tests.prompts.conftest import make_announcement, make_flow

pytestmark = pytest.mark.django_db

WELCOME = {"en-US": "Welcome.", "es-US": "Bienvenido."}


def flow_item(dynamo: ServiceResource, name: str) -> dict | None:
    return stored_item(dynamo, "prompts", name)


def test_a_new_flow_is_pushed_with_its_prompts_in_order(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_flow("Main", Welcome=WELCOME, Goodbye={"en-US": "Goodbye."})

    assert flow_item(dynamo, "Main") == {
        "ContactFlowName": "Main",
        "Prompts": [
            {"Id": "Welcome", "PromptText": WELCOME},
            {"Id": "Goodbye", "PromptText": {"en-US": "Goodbye."}},
        ],
    }


def test_editing_a_prompt_pushes_its_flows_item_again(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_flow("Main", Welcome=WELCOME)

    with django_capture_on_commit_callbacks(execute=True):
        prompt = Prompt.objects.get(prompt_id="Welcome")
        prompt.texts = {**prompt.texts, "es-US": "¡Bienvenidos!"}
        prompt.save()

    assert flow_item(dynamo, "Main")["Prompts"][0]["PromptText"]["es-US"] == "¡Bienvenidos!"
    assert SyncRecord.objects.get(kind="prompts", key="Main").status == SyncRecord.Status.SYNCED


def test_deleting_a_prompt_removes_it_from_its_flows_item(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_flow("Main", Welcome=WELCOME, Goodbye={"en-US": "Goodbye."})

    with django_capture_on_commit_callbacks(execute=True):
        Prompt.objects.get(prompt_id="Goodbye").delete()

    assert [p["Id"] for p in flow_item(dynamo, "Main")["Prompts"]] == ["Welcome"]


def test_renaming_a_flow_moves_its_item_to_the_new_name(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        flow = make_flow("Main", Welcome=WELCOME)

    with django_capture_on_commit_callbacks(execute=True):
        flow.name = "MainMenu"
        flow.save()

    assert flow_item(dynamo, "Main") is None
    assert flow_item(dynamo, "MainMenu")["Prompts"][0]["Id"] == "Welcome"


def test_deleting_a_flow_deletes_its_item(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        flow = make_flow("Main", Welcome=WELCOME)

    with django_capture_on_commit_callbacks(execute=True):
        flow.delete()

    assert flow_item(dynamo, "Main") is None


def test_an_announcement_for_all_flows_is_in_every_flows_item(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_flow("Main", Welcome=WELCOME)
        make_flow("Sales", Welcome=WELCOME)
        announcement = make_announcement("Storm", all_flows=True)

    for name in ("Main", "Sales"):
        (stored,) = flow_item(dynamo, name)["Announcements"]
        assert (stored["Id"], stored["Text"]) == (str(announcement.pk), announcement.texts)


def test_an_announcement_for_some_flows_is_only_in_theirs(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        main = make_flow("Main", Welcome=WELCOME)
        make_flow("Sales", Welcome=WELCOME)
        make_announcement("Outage", flows=[main])

    assert [a["Text"]["en-US"] for a in flow_item(dynamo, "Main")["Announcements"]] == [
        "Outage: we are closed."
    ]
    assert "Announcements" not in flow_item(dynamo, "Sales")


def test_taking_a_flow_off_an_announcement_removes_it_from_that_flows_item(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        main = make_flow("Main", Welcome=WELCOME)
        sales = make_flow("Sales", Welcome=WELCOME)
        announcement = make_announcement("Outage", flows=[main, sales])

    with django_capture_on_commit_callbacks(execute=True):
        announcement.flows.remove(sales)

    assert "Announcements" in flow_item(dynamo, "Main")
    assert "Announcements" not in flow_item(dynamo, "Sales")


SEED_PROMPTS = [
    {
        "ContactFlowName": "Main",
        "Prompts": [
            {
                "Id": "MainMenu",
                "PromptText": {"en-US": "For sales, press 1.", "es-US": "Ventas: 1."},
            },
            {"Id": "Goodbye", "PromptText": {"en-US": "Goodbye."}},
        ],
    },
    {
        "ContactFlowName": "Survey",
        "Prompts": [{"Id": "Thanks", "PromptText": {"en-US": "<speak>Thank you.</speak>"}}],
    },
]


@pytest.fixture
def seed_prompts(dynamo: ServiceResource) -> ServiceResource:
    """A seed deployment's prompts table: a Prompts list with PromptText maps per flow."""
    for seed_item in SEED_PROMPTS:
        dynamo.Table(settings.PROMPT_TABLE_NAME).put_item(Item=seed_item)
    return dynamo


def pull() -> str:
    out = StringIO()
    call_command("sync_dynamodb", "--pull", "--kind", "prompts", stdout=out)
    return out.getvalue()


def test_pull_creates_flows_and_prompts_from_a_seed_table(seed_prompts: ServiceResource) -> None:
    assert pull() == "prompts: pulled 2 items\n"

    assert list(ContactFlow.objects.values_list("name", flat=True)) == ["Main", "Survey"]
    assert list(
        Prompt.objects.filter(flow__name="Main").values_list("prompt_id", "texts", "order")
    ) == [
        ("MainMenu", {"en-US": "For sales, press 1.", "es-US": "Ventas: 1."}, 0),
        ("Goodbye", {"en-US": "Goodbye."}, 1),
    ]


def test_pull_leaves_nothing_pending(seed_prompts: ServiceResource) -> None:
    pull()

    assert not SyncRecord.objects.exists()


def test_pulled_flows_match_the_table_they_came_from(seed_prompts: ServiceResource) -> None:
    pull()
    out = StringIO()

    call_command("sync_dynamodb", "--check", "--kind", "prompts", stdout=out)

    assert out.getvalue() == "prompts: missing 0, different 0, extra 0\n"


def test_pulling_twice_changes_nothing(seed_prompts: ServiceResource) -> None:
    pull()
    pull()

    assert Prompt.objects.count() == 3
    assert Prompt.history.count() == 3


def test_a_seed_item_that_breaks_the_rules_stops_the_pull_and_is_named(
    seed_prompts: ServiceResource,
) -> None:
    seed_prompts.Table(settings.PROMPT_TABLE_NAME).put_item(
        Item={
            "ContactFlowName": "Broken",
            "Prompts": [{"Id": "operation", "PromptText": {"en-US": "Hello."}}],
        }
    )

    with pytest.raises(CommandError) as raised:
        pull()

    assert str(raised.value) == (
        "prompts item 'Broken' cannot be stored. prompt_id: 'operation' is reserved: "
        "the flow's Lambda answers with that name. Nothing was pulled."
    )
    assert not ContactFlow.objects.exists()


def test_an_announcement_that_has_ended_since_the_push_is_not_drift(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_flow("Main", Welcome=WELCOME)
        make_announcement("Storm", all_flows=True)
    out = StringIO()

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        call_command("sync_dynamodb", "--check", "--kind", "prompts", stdout=out)

    assert "prompts: missing 0, different 0, extra 0" in out.getvalue()


def test_an_announcement_still_running_in_dynamodb_but_not_here_is_drift(
    dynamo: ServiceResource, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_flow("Main", Welcome=WELCOME)
        announcement = make_announcement("Storm", all_flows=True)
    # Deleted here, while its push never runs (as when DynamoDB is down): the table still has it.
    Announcement.objects.filter(pk=announcement.pk).delete()

    with pytest.raises(CommandError):
        call_command("sync_dynamodb", "--check", "--kind", "prompts", stdout=StringIO())


def test_a_prompt_edit_while_dynamodb_hangs_stays_pending_until_the_retry(
    dynamo: ServiceResource,
    django_capture_on_commit_callbacks: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "DYNAMODB_REQUEST_READ_TIMEOUT", 0.2)  # a quick test
    attempts: list[str] = []

    with dynamodb_hung():
        client = dynamodb.resource(in_request=True).meta.client
        client.meta.events.register(
            "before-send.dynamodb.BatchWriteItem", lambda **_: attempts.append("sent")
        )
        with django_capture_on_commit_callbacks(execute=True):
            make_flow("Main", Welcome=WELCOME)

    assert len(attempts) == settings.DYNAMODB_REQUEST_MAX_ATTEMPTS
    record = SyncRecord.objects.get(kind="prompts", key="Main")
    assert (record.status, record.last_error) == (SyncRecord.Status.PENDING, MESSAGE_UNAVAILABLE)

    sync_retry({"detail-type": "Scheduled Event"}, None)

    assert flow_item(dynamo, "Main")["Prompts"][0]["PromptText"] == WELCOME
    assert SyncRecord.objects.get(kind="prompts", key="Main").status == SyncRecord.Status.SYNCED
