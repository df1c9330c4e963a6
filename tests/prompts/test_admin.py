"""The prompts admin as a prompt editor uses it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from boto3.resources.base import ServiceResource
from django.test import Client

from outbox.dynamodb import MESSAGE_UNAVAILABLE
from prompts.models import MESSAGE_SSML_ROOT, ContactFlow, Prompt
from tests.customers.conftest import dynamodb_unreachable, stored_item
from tests.prompts.conftest import make_flow

pytestmark = pytest.mark.django_db

PROMPTS = "/admin/prompts/prompt/"
PROMPT_PAGES = [
    "/admin/prompts/contactflow/",
    "/admin/prompts/contactflow/add/",
    PROMPTS,
    f"{PROMPTS}add/",
    "/admin/prompts/announcement/",
    "/admin/prompts/announcement/add/",
]
CUSTOMER_PAGES = ["/admin/customers/customer/", "/admin/customers/customer/add/"]


@pytest.mark.parametrize("url", PROMPT_PAGES)
def test_a_prompt_editor_can_open_the_prompt_pages(prompt_editor_client: Client, url: str) -> None:
    assert prompt_editor_client.get(url).status_code == 200


@pytest.mark.parametrize("url", CUSTOMER_PAGES)
def test_a_prompt_editor_is_refused_the_customer_pages(
    prompt_editor_client: Client, url: str
) -> None:
    assert prompt_editor_client.get(url).status_code == 403


def test_a_prompt_editor_sees_only_prompts_on_the_admin_index(
    prompt_editor_client: Client,
) -> None:
    page = prompt_editor_client.get("/admin/").content.decode()

    assert 'href="/admin/prompts/prompt/"' in page
    assert "/admin/customers/" not in page


def prompt_form(flow_id: int, **changes: str) -> dict[str, str]:
    return {
        "flow": str(flow_id),
        "prompt_id": "Welcome",
        "text_en_US": "Welcome.",
        "text_es_US": "Bienvenido.",
        "description": "",
        "order": "0",
        **changes,
    }


def add_prompt(client: Client, **changes: str) -> dict[str, list[str]]:
    """Post the add form; return its errors by field (empty when the prompt was saved)."""
    flow = make_flow("Main")
    response = client.post(f"{PROMPTS}add/", prompt_form(flow.pk, **changes))
    if response.status_code == 302:
        return {}
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


def test_the_english_text_is_required(prompt_editor_client: Client) -> None:
    errors = add_prompt(prompt_editor_client, text_en_US="")

    assert errors == {"text_en_US": ["This field is required."]}


def test_a_prompt_without_spanish_is_accepted(prompt_editor_client: Client) -> None:
    assert add_prompt(prompt_editor_client, text_es_US="") == {}
    assert Prompt.objects.get().texts == {"en-US": "Welcome."}


def test_malformed_ssml_is_refused_with_where_it_breaks(prompt_editor_client: Client) -> None:
    errors = add_prompt(prompt_editor_client, text_es_US="<speak>Hola")

    assert errors == {
        "text_es_US": [
            "The SSML is not well-formed at line 1, column 12: "
            "check that every tag is closed and every & is written &amp;."
        ]
    }
    assert not Prompt.objects.exists()


def test_ssml_outside_speak_is_refused(prompt_editor_client: Client) -> None:
    errors = add_prompt(prompt_editor_client, text_en_US="<p>Welcome.</p>")

    assert errors == {"text_en_US": [MESSAGE_SSML_ROOT]}


def test_well_formed_ssml_is_accepted(prompt_editor_client: Client) -> None:
    ssml = (
        '<speak>Welcome.<break time="300ms"/> '
        '<say-as interpret-as="characters">JAM</say-as></speak>'
    )

    assert add_prompt(prompt_editor_client, text_en_US=ssml) == {}
    assert Prompt.objects.get().texts["en-US"] == ssml


@pytest.mark.parametrize("reserved", ["operation", "promptsFound", "announcement"])
def test_ids_the_lambda_answer_uses_are_refused(
    prompt_editor_client: Client, reserved: str
) -> None:
    errors = add_prompt(prompt_editor_client, prompt_id=reserved)

    assert errors == {
        "prompt_id": [f"'{reserved}' is reserved: the flow's Lambda answers with that name."]
    }


def test_a_saved_prompt_in_the_admin_reaches_its_flows_item(
    dynamo: ServiceResource,
    prompt_editor_client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        add_prompt(prompt_editor_client, text_es_US="¡Bienvenidos!")

    (stored,) = stored_item(dynamo, "prompts", "Main")["Prompts"]
    assert stored == {
        "Id": "Welcome",
        "PromptText": {"en-US": "Welcome.", "es-US": "¡Bienvenidos!"},
    }


def test_the_list_names_missing_translations(prompt_editor_client: Client) -> None:
    make_flow("Main", Welcome={"en-US": "Welcome."}, Goodbye={"en-US": "Bye.", "es-US": "Adiós."})

    page = prompt_editor_client.get(PROMPTS).content.decode()

    assert '<td class="field-missing_translations">es-US</td>' in page
    assert '<td class="field-missing_translations">—</td>' in page


def test_the_missing_translation_filter_lists_only_untranslated_prompts(
    prompt_editor_client: Client,
) -> None:
    make_flow(
        "Main",
        Welcome={"en-US": "Welcome."},
        Empty={"en-US": "Hi.", "es-US": ""},
        Goodbye={"en-US": "Bye.", "es-US": "Adiós."},
    )

    shown = prompt_editor_client.get(PROMPTS, {"missing": "es-US"}).context["cl"].result_list

    assert sorted(p.prompt_id for p in shown) == ["Empty", "Welcome"]


@pytest.mark.parametrize("term", ["Goodbye", "Adiós", "Main"])
def test_searching_finds_prompts_by_id_text_or_flow(
    prompt_editor_client: Client, term: str
) -> None:
    make_flow("Main", Goodbye={"en-US": "Bye.", "es-US": "Adiós."})
    make_flow("Sales", Welcome={"en-US": "Welcome."})

    shown = prompt_editor_client.get(PROMPTS, {"q": term}).context["cl"].result_list

    assert [str(p) for p in shown] == ["Main.Goodbye"]


def announcement_form(**changes: str) -> dict[str, str]:
    return {
        "name": "Storm",
        "text_en_US": "We are closed.",
        "text_es_US": "",
        "starts_at_0": "2026-12-24",
        "starts_at_1": "00:00:00",
        "ends_at_0": "2026-12-26",
        "ends_at_1": "00:00:00",
        "all_flows": "on",
        **changes,
    }


def add_announcement(client: Client, **changes: str) -> dict[str, list[str]]:
    response = client.post("/admin/prompts/announcement/add/", announcement_form(**changes))
    if response.status_code == 302:
        return {}
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


def test_an_announcement_must_end_after_it_starts(prompt_editor_client: Client) -> None:
    errors = add_announcement(prompt_editor_client, ends_at_0="2026-12-23")

    assert errors == {"ends_at": ["The announcement must end after it starts."]}


def test_an_announcement_needs_its_english_text(prompt_editor_client: Client) -> None:
    errors = add_announcement(prompt_editor_client, text_en_US="")

    assert errors == {"text_en_US": ["This field is required."]}


def test_an_announcement_with_ssml_outside_speak_is_refused(prompt_editor_client: Client) -> None:
    errors = add_announcement(prompt_editor_client, text_es_US="<p>Cerrado.</p>")

    assert errors == {"text_es_US": [MESSAGE_SSML_ROOT]}


def test_an_announcement_is_found_by_its_spanish_text(prompt_editor_client: Client) -> None:
    add_announcement(prompt_editor_client, text_es_US="Cerrado por la tormenta.")
    add_announcement(prompt_editor_client, name="Holiday")

    found = prompt_editor_client.get("/admin/prompts/announcement/", {"q": "tormenta"})

    assert [a.name for a in found.context["cl"].result_list] == ["Storm"]


def flow_form(flow: ContactFlow, prompt: Prompt, **changes: str) -> dict[str, str]:
    """The flow's change form with its one prompt inline, as the page posts it."""
    return {
        "name": flow.name,
        "description": flow.description,
        "prompts-TOTAL_FORMS": "1",
        "prompts-INITIAL_FORMS": "1",
        "prompts-MIN_NUM_FORMS": "0",
        "prompts-MAX_NUM_FORMS": "1000",
        "prompts-0-id": str(prompt.pk),
        "prompts-0-flow": str(flow.pk),
        "prompts-0-prompt_id": prompt.prompt_id,
        "prompts-0-text_en_US": prompt.texts["en-US"],
        "prompts-0-text_es_US": prompt.texts.get("es-US", ""),
        "prompts-0-description": "",
        "prompts-0-order": "0",
        **changes,
    }


def test_broken_ssml_in_a_flows_inline_prompt_is_shown_on_that_prompt(
    prompt_editor_client: Client,
) -> None:
    flow = make_flow("Main", Welcome={"en-US": "Welcome.", "es-US": "Bienvenido."})
    prompt = flow.prompts.get()

    response = prompt_editor_client.post(
        f"/admin/prompts/contactflow/{flow.pk}/change/",
        flow_form(flow, prompt, **{"prompts-0-text_es_US": "<p>Hola</p>"}),
    )

    (formset,) = response.context["inline_admin_formsets"]
    assert formset.formset.errors == [{"text_es_US": [MESSAGE_SSML_ROOT]}]
    prompt.refresh_from_db()
    assert prompt.texts["es-US"] == "Bienvenido."


def test_a_prompt_edited_inline_on_its_flow_reaches_the_flows_item(
    dynamo: ServiceResource,
    prompt_editor_client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    flow = make_flow("Main", Welcome={"en-US": "Welcome.", "es-US": "Bienvenido."})

    with django_capture_on_commit_callbacks(execute=True):
        response = prompt_editor_client.post(
            f"/admin/prompts/contactflow/{flow.pk}/change/",
            flow_form(flow, flow.prompts.get(), **{"prompts-0-text_es_US": "Hola."}),
        )

    assert response.status_code == 302
    (stored,) = stored_item(dynamo, "prompts", "Main")["Prompts"]
    assert stored["PromptText"]["es-US"] == "Hola."


def test_the_flow_list_shows_a_failed_push_as_pending_with_its_error(
    prompt_editor_client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    with dynamodb_unreachable(), django_capture_on_commit_callbacks(execute=True):
        make_flow("Main", Welcome={"en-US": "Welcome."})

    page = prompt_editor_client.get("/admin/prompts/contactflow/").content.decode()

    assert f"pending: {MESSAGE_UNAVAILABLE}" in page


@pytest.mark.parametrize(
    ("ssml", "error"),
    [
        (
            '<speak><foo>Hi</foo><audio src="http://attacker.example/a.mp3"/></speak>',
            "<foo> at line 1, column 8 is not an SSML tag Amazon Connect supports.",
        ),
        (
            '<speak>Hold on.<break time="3600s"/></speak>',
            '<break> at line 1, column 16: time="3600s" '
            "is longer than the 10 seconds a pause may last.",
        ),
        (
            '<!DOCTYPE speak [<!ENTITY e "Welcome">]><speak>&e;</speak>',
            "SSML may not contain a DOCTYPE or ENTITY declaration.",
        ),
    ],
    ids=["unknown-tag-and-audio", "hour-long-break", "doctype-entity"],
)
def test_ssml_that_amazon_connect_would_not_speak_is_refused(
    prompt_editor_client: Client, ssml: str, error: str
) -> None:
    assert add_prompt(prompt_editor_client, text_es_US=ssml) == {"text_es_US": [error]}
    assert not Prompt.objects.exists()
