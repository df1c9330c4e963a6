"""Production settings: what production must set, and what it gets when it does."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings
from django.test import Client

from jamcc.logging import JsonFormatter
from support.models import Queue
from tests.support.test_click_to_call import placed_call

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_ENV = ROOT / "deploy" / "production.env.example"


def example_env() -> dict[str, str]:
    values = {}
    for line in EXAMPLE_ENV.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value
    return values


def check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    """Run `manage.py check --deploy` in a fresh process with exactly the given production env."""
    # Nothing else from this process: tests elsewhere set variables (DJANGO_ALLOW_ASYNC_UNSAFE)
    # that production never has and that the deploy checks rightly reject.
    inherited = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def without(*names: str) -> dict[str, str]:
    return {name: value for name, value in example_env().items() if name not in names}


def test_the_example_production_env_passes_the_deploy_checks() -> None:
    result = check_deploy(**example_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_example_lists_every_required_variable() -> None:
    assert set(django_settings.PRODUCTION_REQUIRED) <= set(example_env())


def test_it_refuses_to_start_without_a_required_variable_and_names_it() -> None:
    result = check_deploy(**without("STATIC_BUCKET"))
    assert result.returncode != 0
    assert "ImproperlyConfigured: Missing required settings: STATIC_BUCKET" in result.stderr


def test_it_names_every_missing_variable_at_once() -> None:
    result = check_deploy(**without("SECRET_KEY", "DATABASE_URL", "MEDIA_BUCKET"))
    assert result.returncode != 0
    assert "Missing required settings: SECRET_KEY, DATABASE_URL, MEDIA_BUCKET" in result.stderr


def test_it_refuses_sqlite_in_production() -> None:
    result = check_deploy(**{**example_env(), "DATABASE_URL": "sqlite:////tmp/jamcc.sqlite3"})
    assert result.returncode != 0
    assert "DATABASE_URL (must be postgres:// in production)" in result.stderr


def test_the_embedded_default_keeps_local_files_and_plain_http() -> None:
    assert django_settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    assert not django_settings.SECURE_SSL_REDIRECT
    assert django_settings.SECURE_PROXY_SSL_HEADER is None


def test_the_json_formatter_writes_one_object_with_the_fields() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("jamcc.test").makeRecord(
            "jamcc.test", logging.ERROR, __file__, 1, "call %s failed", ("abc",), sys.exc_info()
        )

    line = JsonFormatter().format(record)

    assert "\n" not in line
    payload = json.loads(line)
    assert payload["level"] == "ERROR"
    assert payload["logger"] == "jamcc.test"
    assert payload["message"] == "call abc failed"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", payload["time"])
    assert "ValueError: boom" in payload["exc_info"]


def test_the_htmx_script_carries_the_nonce_the_policy_allows(
    customer_client: Client, catalog: list[Queue]
) -> None:
    page = customer_client.get(placed_call(customer_client))

    nonce = re.search(r"script-src [^;]*'nonce-([^']+)'", page.headers["Content-Security-Policy"])
    assert nonce
    assert re.search(
        rf'<script src="[^"]*htmx[^"]*" defer nonce="{re.escape(nonce.group(1))}">',
        page.content.decode(),
    )


def test_the_policy_can_be_report_only(
    customer_client: Client, catalog: list[Queue], settings: object
) -> None:
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None

    page = customer_client.get(placed_call(customer_client))

    assert "Content-Security-Policy" not in page.headers
    assert "'nonce-" in page.headers["Content-Security-Policy-Report-Only"]


def installed_apps(**env: str) -> list[str]:
    """INSTALLED_APPS as a fresh process with exactly ``env`` sees it."""
    inherited = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    code = (
        "from django.conf import settings; import json; print(json.dumps(settings.INSTALLED_APPS))"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "jamcc.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_connect_stand_in_is_installed_only_when_it_is_used() -> None:
    assert "connectlocal" in installed_apps()
    assert "connectlocal" not in installed_apps(CONNECT_BACKEND="aws")
    assert "connectlocal" not in installed_apps(**example_env())
