"""``manage.py check_flows``: the flows in the repository against the prompts in the database."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamcc.demo import demo_load
from prompts.models import Prompt

from .conftest import make_flow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "flows"
SAMPLE_PROMPTS = {
    "Menu": {"en-US": "For sales, press 1.", "es-US": "Para ventas, oprima 1."},
    "Goodbye": {"en-US": "Goodbye.", "es-US": "Adiós."},
}


@pytest.fixture
def demo(db: None) -> None:
    demo_load()


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A flows directory holding the good fixture flow as "Sample"."""
    shutil.copy(FIXTURES / "good.json", tmp_path / "Sample.json")
    (tmp_path / "manifest.json").write_text('{"Sample": {"type": "CONTACT_FLOW"}}')
    return tmp_path


def check_flows(*args: str) -> str:
    out = StringIO()
    call_command("check_flows", *args, stdout=out)
    return out.getvalue()


def failing_check_flows(*args: str) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("check_flows", *args, stdout=out)
    return out.getvalue(), str(error.value)


def test_the_repository_flows_pass_with_the_demo_prompts(demo: None) -> None:
    assert check_flows() == "9 flows checked, no problems.\n"


def test_a_prompt_deleted_from_the_database_fails_the_check_naming_it(demo: None) -> None:
    Prompt.objects.filter(flow__name="Main", prompt_id="MainMenu").delete()

    out, error = failing_check_flows()

    assert "speaks $.External.MainMenu, which is not a prompt of Main [unknown-prompt]" in out
    assert error.endswith("in 9 flows.")


def test_a_broken_directory_fails_with_the_count(db: None) -> None:
    out, error = failing_check_flows("--dir", str(FIXTURES / "flow-reference"))

    assert "${module:Queue} is a CUSTOMER_QUEUE; here it must be FLOW_MODULE" in out
    assert error == "1 problem in 2 flows."


def test_a_good_directory_passes_with_its_flows_counted(db: None) -> None:
    assert check_flows("--dir", str(FIXTURES / "good-set")) == "4 flows checked, no problems.\n"


def test_the_prompts_come_from_the_database(db: None, sample_dir: Path) -> None:
    make_flow("Sample", **SAMPLE_PROMPTS)

    assert check_flows("--dir", str(sample_dir)) == "1 flows checked, no problems.\n"


def test_a_translation_emptied_in_the_database_fails_the_check(db: None, sample_dir: Path) -> None:
    make_flow("Sample", **{**SAMPLE_PROMPTS, "Goodbye": {"en-US": "Goodbye.", "es-US": ""}})

    out, _ = failing_check_flows("--dir", str(sample_dir))

    assert out == "Sample: prompt Goodbye has no es-US text [missing-translation]\n"


def test_only_the_configured_languages_are_required(
    db: None, sample_dir: Path, settings: object
) -> None:
    settings.PROMPT_LANGUAGES = ["en-US"]
    make_flow("Sample", **{**SAMPLE_PROMPTS, "Goodbye": {"en-US": "Goodbye."}})

    assert check_flows("--dir", str(sample_dir)) == "1 flows checked, no problems.\n"


def test_a_directory_that_does_not_exist_is_refused(db: None, tmp_path: Path) -> None:
    _, error = failing_check_flows("--dir", str(tmp_path / "nowhere"))

    assert error == f"{tmp_path / 'nowhere'} is not a directory."
