"""``manage.py load_content``: the contact center's production content on a fresh database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from customers.models import Customer
from prompts.content import FLOWS
from prompts.models import ContactFlow, Prompt
from support.catalog import HOURS
from support.models import Department, Queue
from support.selectors import department_list_with_queues


def load_content() -> str:
    out = StringIO()
    call_command("load_content", stdout=out)
    return out.getvalue()


@pytest.fixture
def content(db: None) -> str:
    return load_content()


def test_it_loads_three_departments_and_their_ten_queues(content: str) -> None:
    assert list(Department.objects.values_list("name", flat=True)) == [
        "Sales",
        "Accounts",
        "Support",
    ]
    assert Queue.objects.count() == 10
    assert "Live support: 10 created, 0 kept" in content


def test_every_queue_has_a_title_a_summary_and_hours_that_publish_creates(content: str) -> None:
    for queue in Queue.objects.all():
        assert queue.title and queue.summary, queue.connect_name
        assert queue.hours_of_operation_id in HOURS, queue.connect_name


def test_every_flow_has_its_prompts_in_english_and_spanish(content: str) -> None:
    assert set(ContactFlow.objects.values_list("name", flat=True)) == set(FLOWS)
    for prompt in Prompt.objects.all():
        assert prompt.texts["en-US"].strip() and prompt.texts["es-US"].strip(), prompt
    assert Prompt.objects.count() == sum(len(prompts) for _, prompts in FLOWS.values())


def test_it_brings_no_demo_sign_ins_and_no_demo_customers(content: str) -> None:
    assert get_user_model().objects.count() == 0
    assert Customer.objects.count() == 0


def test_the_flows_check_clean_against_the_loaded_prompts(content: str) -> None:
    out = StringIO()
    call_command("check_flows", stdout=out)

    assert out.getvalue() == "9 flows checked, no problems.\n"


def test_a_second_load_creates_nothing_and_keeps_what_editors_changed(content: str) -> None:
    queue = Queue.objects.get(connect_name="Sales-EMEA")
    queue.title = "Sales, Europe"
    queue.save()
    prompt = Prompt.objects.get(flow__name="Main", prompt_id="MainMenu")
    prompt.texts = {**prompt.texts, "en-US": "Press 1 for sales."}
    prompt.save()

    again = load_content()

    assert "Live support: 0 created, 10 kept" in again
    assert "IVR prompts: 0 created," in again
    assert Queue.objects.get(connect_name="Sales-EMEA").title == "Sales, Europe"
    assert Prompt.objects.get(pk=prompt.pk).texts["en-US"] == "Press 1 for sales."


def test_a_deleted_prompt_comes_back_on_the_next_load(content: str) -> None:
    Prompt.objects.filter(flow__name="Survey", prompt_id="Thanks").delete()

    assert "IVR prompts: 1 created," in load_content()
    assert Prompt.objects.filter(flow__name="Survey", prompt_id="Thanks").exists()


def test_customers_see_a_queue_only_once_it_is_in_amazon_connect(content: str) -> None:
    assert list(department_list_with_queues()) == []

    Queue.objects.filter(connect_name="Support-Website").update(connect_queue_id="q-1")

    [support] = department_list_with_queues()
    assert [q.connect_name for q in support.visible_queues] == ["Support-Website"]
