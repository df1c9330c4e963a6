"""connect_publish against a stubbed instance: fresh, up to date, and drifted.

The instance's answers are recorded payloads (tests/fixtures/connect_api); what the command
should send is worked out here independently of the code under test: placeholders replaced as
plain text in the flow files.
"""

from __future__ import annotations

import json
import uuid
from io import StringIO
from pathlib import Path

import pytest
from botocore.stub import Stubber
from django.core.management import CommandError, call_command

from flows.loader import FLOWS_DIR
from support.catalog import HOURS
from support.models import Queue

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "connect_api"
INSTANCE_ID = "00000000-0000-4000-8000-00000000c0c0"
ARN = f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE_ID}"
GET_PROMPTS = "arn:aws:lambda:us-east-1:123456789012:function:jamcc-get-prompts"
LOOKUP_CUSTOMER = "arn:aws:lambda:us-east-1:123456789012:function:jamcc-lookup-customer"
# Targets before the flows that refer to them (manifest order within a round).
FLOW_ORDER = [
    "SetRecording",
    "MainQueue",
    "Survey",
    "Sales",
    "Account",
    "Support",
    "WebIngress",
    "Main",
    "IntroInbound",
]
# What a new instance already holds; none of it is ours.
DEFAULTS = {
    "Basic Hours",
    "BasicQueue",
    "Default inbound flow",
    "Default customer queue",
    "Default agent whisper",
}


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture(autouse=True)
def _publish_settings(settings: object) -> None:
    settings.CONNECT_INSTANCE_ID = INSTANCE_ID
    settings.CONNECT_LAMBDA_GET_PROMPTS_ARN = GET_PROMPTS
    settings.CONNECT_LAMBDA_LOOKUP_CUSTOMER_ARN = LOOKUP_CUSTOMER
    settings.CONNECT_OUTBOUND_CALLER_ID_NUMBER_ID = ""


class Instance:
    """What a stubbed instance holds, and the requests the command should make of it."""

    def __init__(self, stub: Stubber, *, fresh: bool = False) -> None:
        self.stub = stub
        self.hours = recorded("list_hours_of_operations")["HoursOfOperationSummaryList"]
        self.queues = recorded("list_queues")["QueueSummaryList"]
        self.flows = recorded("list_contact_flows")["ContactFlowSummaryList"]
        self.modules = recorded("list_contact_flow_modules")["ContactFlowModulesSummaryList"]
        self.lambdas = recorded("list_lambda_functions")["LambdaFunctions"]
        self.contents: dict[str, str] = {}
        if fresh:
            self.hours, self.queues, self.flows = (
                [item for item in items if item["Name"] in DEFAULTS]
                for items in (self.hours, self.queues, self.flows)
            )
            self.modules, self.lambdas = [], []

    def expect(self, operation: str, response: dict, **params: object) -> None:
        self.stub.add_response(operation, response, {"InstanceId": INSTANCE_ID, **params})

    def id_of(self, kind: str, name: str) -> str:
        items = {"hours": self.hours, "queue": self.queues, "flow": self.flows}[kind]
        return next(item["Id"] for item in items if item["Name"] == name)

    def expect_lists(self) -> None:
        # Copies: what is created later must not show up in these answers.
        self.expect("list_hours_of_operations", {"HoursOfOperationSummaryList": list(self.hours)})
        self.expect("list_queues", {"QueueSummaryList": list(self.queues)}, QueueTypes=["STANDARD"])
        self.expect(
            "list_contact_flow_modules",
            {"ContactFlowModulesSummaryList": list(self.modules)},
            ContactFlowModuleState="ACTIVE",
        )
        self.expect("list_contact_flows", {"ContactFlowSummaryList": list(self.flows)})
        self.expect("list_lambda_functions", {"LambdaFunctions": list(self.lambdas)})

    def published(self, name: str) -> str:
        """The flow file with its placeholders replaced as plain text, serialised compactly."""
        text = (FLOWS_DIR / f"{name}.json").read_text()
        replacements = {"${lambda:get_prompts}": GET_PROMPTS}
        replacements["${lambda:lookup_customer}"] = LOOKUP_CUSTOMER
        replacements |= {f"${{queue:{q['Name']}}}": q["Arn"] for q in self.queues}
        replacements |= {f"${{flow:{f['Name']}}}": f["Arn"] for f in self.flows}
        replacements |= {f"${{module:{m['Name']}}}": m["Id"] for m in self.modules}
        for placeholder, value in replacements.items():
            text = text.replace(placeholder, value)
        return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)

    def expect_describes(
        self, *, skip_queues: set[str] = frozenset(), skip_flows: set[str] = frozenset()
    ) -> None:
        described = recorded("describe_hours_of_operation")
        for spec in HOURS.values():
            hours_id = self.id_of("hours", spec["name"])
            self.expect(
                "describe_hours_of_operation", described[hours_id], HoursOfOperationId=hours_id
            )
        queues = recorded("describe_queue")
        for name in sorted(Queue.objects.values_list("connect_name", flat=True)):
            if name not in skip_queues:
                queue_id = self.id_of("queue", name)
                self.expect("describe_queue", queues[queue_id], QueueId=queue_id)
        for name in FLOW_ORDER:
            if name not in skip_flows:
                self.expect_content(name)

    def expect_content(self, name: str) -> None:
        content = self.contents.get(name) or self.published(name)
        if name == "SetRecording":
            module = self.modules[0]
            answer = {"ContactFlowModule": {**module, "Content": content, "Status": "PUBLISHED"}}
            self.expect("describe_contact_flow_module", answer, ContactFlowModuleId=module["Id"])
            return
        flow = next(f for f in self.flows if f["Name"] == name)
        answer = {
            "ContactFlow": {"Id": flow["Id"], "Arn": flow["Arn"], "Name": name, "Content": content}
        }
        self.expect("describe_contact_flow", answer, ContactFlowId=flow["Id"])

    def expect_creates(self) -> None:
        """A fresh instance gets everything, each target before what refers to it."""
        for spec in HOURS.values():
            self.expect_hours_create(spec)
        for arn in (GET_PROMPTS, LOOKUP_CUSTOMER):
            self.expect("associate_lambda_function", {}, FunctionArn=arn)
        for queue in Queue.objects.order_by("connect_name"):
            self.expect_queue_create(queue)
        for name in FLOW_ORDER:
            self.expect_flow_create(name)

    def expect_hours_create(self, spec: dict) -> None:
        hours_id = created_id("hours", spec["name"])
        self.hours.append(
            {"Id": hours_id, "Arn": f"{ARN}/operating-hours/{hours_id}", "Name": spec["name"]}
        )
        self.expect(
            "create_hours_of_operation",
            {"HoursOfOperationId": hours_id, "HoursOfOperationArn": self.hours[-1]["Arn"]},
            Name=spec["name"],
            TimeZone=spec["time_zone"],
            Config=spec["config"],
        )

    def expect_queue_create(self, queue: Queue) -> None:
        queue_id = created_id("queue", queue.connect_name)
        arn = f"{ARN}/queue/{queue_id}"
        self.queues.append({"Id": queue_id, "Arn": arn, "Name": queue.connect_name})
        self.expect(
            "create_queue",
            {"QueueId": queue_id, "QueueArn": arn},
            Name=queue.connect_name,
            Description=queue.title,
            HoursOfOperationId=self.id_of("hours", HOURS[queue.hours_of_operation_id]["name"]),
        )

    def expect_flow_create(self, name: str) -> None:
        manifest = json.loads((FLOWS_DIR / "manifest.json").read_text())[name]
        flow_id = created_id("flow", name)
        content = self.published(name)
        if manifest["type"] == "FLOW_MODULE":
            arn = f"{ARN}/flow-module/{flow_id}"
            self.modules.append({"Id": flow_id, "Arn": arn, "Name": name})
            self.expect(
                "create_contact_flow_module",
                {"Id": flow_id, "Arn": arn},
                Name=name,
                Content=content,
                Description=manifest["description"],
            )
            return
        arn = f"{ARN}/contact-flow/{flow_id}"
        self.flows.append({"Id": flow_id, "Arn": arn, "Name": name})
        self.expect(
            "create_contact_flow",
            {"ContactFlowId": flow_id, "ContactFlowArn": arn},
            Name=name,
            Type=manifest["type"],
            Content=content,
            Description=manifest["description"],
        )


def publish(*args: str) -> str:
    out = StringIO()
    call_command("connect_publish", *args, stdout=out)
    return out.getvalue()


def created_id(kind: str, name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"created:{kind}:{name}"))


def queue_ids() -> dict[str, tuple[str, str]]:
    return dict(
        (q.connect_name, (q.connect_queue_id, q.hours_of_operation_id)) for q in Queue.objects.all()
    )


# --- A fresh instance --------------------------------------------------------------------------


def test_it_plans_to_create_everything_in_a_fresh_instance(
    catalog: list, connect_stub: Stubber
) -> None:
    instance = Instance(connect_stub, fresh=True)
    instance.expect_lists()

    output = publish()

    assert "24 to create, 2 to associate, 0 unchanged." in output
    assert "  create     flow                IntroInbound" in output
    assert "Run again with --apply" in output


def test_it_plans_the_shipped_content_for_a_fresh_instance(db: None, connect_stub: Stubber) -> None:
    # Production: load_content on an empty database, then the plan, before any id exists.
    call_command("load_content", stdout=StringIO())
    Instance(connect_stub, fresh=True).expect_lists()

    output = publish()

    assert "24 to create, 2 to associate, 0 unchanged." in output
    assert "  create     queue               Sales-AMER" in output


def test_it_plans_a_fresh_instance_without_asking_connect(db: None, connect_stub: Stubber) -> None:
    # The stub holds no answer: any request to Connect would fail the test.
    call_command("load_content", stdout=StringIO())

    output = publish("--fresh-instance")

    assert "24 to create, 2 to associate, 0 unchanged." in output


def test_a_plan_for_a_fresh_instance_cannot_be_applied(db: None) -> None:
    with pytest.raises(CommandError, match="--fresh-instance only plans"):
        publish("--fresh-instance", "--apply")


def test_it_creates_the_shipped_content_and_then_customers_see_the_queues(
    db: None, connect_stub: Stubber
) -> None:
    call_command("load_content", stdout=StringIO())
    instance = Instance(connect_stub, fresh=True)
    instance.expect_lists()
    instance.expect_creates()

    publish("--apply")

    assert all(queue_id for queue_id, _ in queue_ids().values())
    assert Queue.objects.visible().count() == 10


def test_it_creates_everything_in_a_fresh_instance_targets_first(
    catalog: list, connect_stub: Stubber
) -> None:
    instance = Instance(connect_stub, fresh=True)
    instance.expect_lists()
    instance.expect_creates()

    publish("--apply")

    connect_stub.assert_no_pending_responses()


def test_it_writes_the_created_ids_back_into_the_catalog(
    catalog: list, connect_stub: Stubber
) -> None:
    instance = Instance(connect_stub, fresh=True)
    instance.expect_lists()
    instance.expect_creates()

    publish("--apply")

    assert queue_ids()["Sales-EMEA"] == (
        created_id("queue", "Sales-EMEA"),
        created_id("hours", "Sales EMEA"),
    )


# --- An instance that is up to date ------------------------------------------------------------


def test_it_has_nothing_to_do_for_an_up_to_date_instance(
    catalog: list, connect_stub: Stubber
) -> None:
    instance = Instance(connect_stub)
    instance.expect_lists()
    instance.expect_describes()

    output = publish("--apply")  # only the reads are queued: any write fails the test

    assert "Nothing to do: the instance is up to date." in output
    assert " create " not in output and " update " not in output


def test_it_still_writes_the_instances_ids_into_the_catalog_when_up_to_date(
    catalog: list, connect_stub: Stubber
) -> None:
    instance = Instance(connect_stub)
    instance.expect_lists()
    instance.expect_describes()

    publish("--apply")

    assert queue_ids()["Support-Mobile"] == (
        instance.id_of("queue", "Support-Mobile"),
        instance.id_of("hours", "Support 24x7"),
    )


def test_a_second_run_after_writing_the_ids_back_is_still_up_to_date(
    catalog: list, connect_stub: Stubber
) -> None:
    instance = Instance(connect_stub)
    for _ in range(2):
        instance.expect_lists()
        instance.expect_describes()

    publish("--apply")
    output = publish("--apply")

    assert "Nothing to do" in output


# --- A drifted instance ------------------------------------------------------------------------


def test_it_changes_only_what_drifted(catalog: list, connect_stub: Stubber) -> None:
    instance = Instance(connect_stub)
    instance.queues = [q for q in instance.queues if q["Name"] != "Support-Website"]
    survey = json.loads(instance.published("Survey"))
    survey["Actions"][0]["Parameters"]["InvocationTimeLimitSeconds"] = "8"
    instance.contents["Survey"] = json.dumps(survey, indent=2)
    instance.expect_lists()
    # Support refers to the missing queue, so its content must change and is not compared.
    instance.expect_describes(skip_queues={"Support-Website"}, skip_flows={"Support"})
    support_website = Queue.objects.get(connect_name="Support-Website")
    instance.expect_queue_create(support_website)
    for name in ("Survey", "Support"):
        flow_id = instance.id_of("flow", name)
        instance.expect(
            "update_contact_flow_content",
            {},
            ContactFlowId=flow_id,
            Content=instance.published(name),
        )

    output = publish("--apply")

    assert "1 to create, 2 to update, 23 unchanged." in output


def test_its_plan_names_the_drifted_resources(catalog: list, connect_stub: Stubber) -> None:
    instance = Instance(connect_stub)
    instance.queues = [q for q in instance.queues if q["Name"] != "Support-Website"]
    instance.contents["Survey"] = '{"Version": "2019-10-30", "StartAction": "x", "Actions": []}'
    instance.expect_lists()
    instance.expect_describes(skip_queues={"Support-Website"}, skip_flows={"Support"})

    output = publish()

    assert "  create     queue               Support-Website" in output
    assert "  update     flow                Survey" in output
    assert "  update     flow                Support" in output
    assert "  unchanged  flow                Sales" in output


# --- Errors ------------------------------------------------------------------------------------


def test_a_refusal_from_connect_becomes_a_readable_command_error(
    catalog: list, connect_stub: Stubber
) -> None:
    connect_stub.add_client_error(
        "list_hours_of_operations", service_error_code="AccessDeniedException", http_status_code=403
    )

    with pytest.raises(CommandError) as error:
        publish()

    assert str(error.value) == (
        "Amazon Connect refused the request (AccessDeniedException); nothing after it was changed."
    )


def test_it_asks_for_the_lambda_arns_before_calling_connect(
    catalog: list, connect_stub: Stubber, settings: object
) -> None:
    settings.CONNECT_LAMBDA_LOOKUP_CUSTOMER_ARN = ""

    with pytest.raises(CommandError) as error:
        publish()

    assert str(error.value) == (
        "Set the Lambda function ARNs the flows invoke: CONNECT_LAMBDA_LOOKUP_CUSTOMER_ARN."
    )


def test_it_refuses_the_local_stand_in(catalog: list) -> None:
    with pytest.raises(CommandError, match="CONNECT_BACKEND=aws"):
        publish()
