"""connect_pull fills the catalog's Connect ids from a stubbed instance, by queue name."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from botocore.stub import Stubber
from django.core.management import CommandError, call_command

from support.models import Queue

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "connect_api"
INSTANCE_ID = "00000000-0000-4000-8000-00000000c0c0"


@pytest.fixture(autouse=True)
def _instance(settings: object) -> None:
    settings.CONNECT_INSTANCE_ID = INSTANCE_ID


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def expect_instance_without(stub: Stubber, missing: str) -> list[dict]:
    """Queue the instance's queue list (less ``missing``) and a describe per catalog queue."""
    queues = [q for q in recorded("list_queues")["QueueSummaryList"] if q["Name"] != missing]
    params = {"InstanceId": INSTANCE_ID}
    stub.add_response(
        "list_queues", {"QueueSummaryList": queues}, {**params, "QueueTypes": ["STANDARD"]}
    )
    described = recorded("describe_queue")
    by_name = {q["Name"]: q["Id"] for q in queues}
    for name in Queue.objects.order_by("connect_name").values_list("connect_name", flat=True):
        if name in by_name:
            queue_id = by_name[name]
            stub.add_response(
                "describe_queue", described[queue_id], {**params, "QueueId": queue_id}
            )
    return queues


def pull() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("connect_pull", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_fills_each_queues_connect_ids_by_name(catalog: list, connect_stub: Stubber) -> None:
    expect_instance_without(connect_stub, missing="Account-Lock")

    pull()

    emea = Queue.objects.get(connect_name="Sales-EMEA")
    answer = next(
        a["Queue"]
        for a in recorded("describe_queue").values()
        if a["Queue"]["Name"] == "Sales-EMEA"
    )
    assert (emea.connect_queue_id, emea.hours_of_operation_id) == (
        answer["QueueId"],
        answer["HoursOfOperationId"],
    )


def test_it_reports_a_queue_the_instance_does_not_have(
    catalog: list, connect_stub: Stubber
) -> None:
    expect_instance_without(connect_stub, missing="Account-Lock")

    _, errors = pull()

    assert errors == "Not found in Connect (left as they were): Account-Lock\n"


def test_it_leaves_a_missing_queues_ids_as_they_were(catalog: list, connect_stub: Stubber) -> None:
    before = Queue.objects.get(connect_name="Account-Lock").connect_queue_id
    expect_instance_without(connect_stub, missing="Account-Lock")

    pull()

    assert Queue.objects.get(connect_name="Account-Lock").connect_queue_id == before


def test_a_refusal_from_connect_leaves_the_catalog_unchanged(
    catalog: list, connect_stub: Stubber
) -> None:
    connect_stub.add_client_error(
        "list_queues", service_error_code="AccessDeniedException", http_status_code=403
    )

    with pytest.raises(CommandError) as error:
        pull()

    assert str(error.value) == (
        "Amazon Connect refused the request (AccessDeniedException); the catalog is unchanged."
    )
