"""`python -m connect invoke ...` against moto's server in a subprocess, as a developer runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from connect.__main__ import MESSAGE_UNREACHABLE
from connect.items import (
    CUSTOMERS_KEY,
    DEFAULT_CUSTOMER_TABLE,
    DEFAULT_PROMPT_TABLE,
    PROMPTS_KEY,
    customer_encode,
    prompts_encode,
    table_definition,
)
from deploy.motoserver import free_port
from deploy.motoserver import moto_server as start_moto_server
from tests.connect.conftest import CASEY, MAIN

ROOT = Path(__file__).resolve().parents[2]
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")


@pytest.fixture
def local_dynamodb(moto_server: str) -> str:
    """The server's DynamoDB with the Main flow and Casey, and nothing else."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"))
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=moto_server,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    resource.create_table(**table_definition(DEFAULT_PROMPT_TABLE, PROMPTS_KEY))
    resource.create_table(**table_definition(DEFAULT_CUSTOMER_TABLE, CUSTOMERS_KEY))
    resource.Table(DEFAULT_PROMPT_TABLE).put_item(Item=prompts_encode(MAIN))
    resource.Table(DEFAULT_CUSTOMER_TABLE).put_item(Item=customer_encode(CASEY))
    return moto_server


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    """The CLI in a fresh process, without AWS credentials unless given."""
    base = {k: v for k, v in os.environ.items() if k not in CREDENTIALS}
    base.pop("DYNAMODB_ENDPOINT_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "connect", "invoke", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_prints_a_flows_prompts_in_spanish(local_dynamodb: str) -> None:
    result = run_cli(
        "get_prompts", "--flow", "Main", "--language", "es-US", DYNAMODB_ENDPOINT_URL=local_dynamodb
    )

    assert json.loads(result.stdout) == {
        "operation": "getPrompts",
        "promptsFound": "true",
        "promptsComplete": "true",
        "announcement": "",
        "hasAnnouncement": "false",
        "Welcome": "<speak>Bienvenido a JAM.</speak>",
        "Menu": "<speak>Para ventas, oprima 1.</speak>",
        "Goodbye": "<speak>Thank you for calling.</speak>",
    }


def test_it_prints_what_is_known_about_a_caller(local_dynamodb: str) -> None:
    result = run_cli(
        "lookup_customer", "--caller", CASEY.phone_number, DYNAMODB_ENDPOINT_URL=local_dynamodb
    )

    assert json.loads(result.stdout)["FirstName"] == "Casey"


def test_without_an_endpoint_it_uses_the_local_server_port(local_dynamodb: str) -> None:
    port = local_dynamodb.rsplit(":", 1)[1]

    result = run_cli("lookup_customer", "--caller", CASEY.phone_number, LOCAL_DYNAMODB_PORT=port)

    assert json.loads(result.stdout)["VIP"] == "true"


def test_the_endpoint_option_wins_over_the_environment(local_dynamodb: str) -> None:
    result = run_cli(
        "get_prompts",
        "--flow",
        "Main",
        "--endpoint-url",
        local_dynamodb,
        DYNAMODB_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}",
    )

    assert json.loads(result.stdout)["promptsFound"] == "true"


def test_an_unreachable_endpoint_exits_2_with_a_clear_message() -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"

    result = run_cli("get_prompts", "--flow", "Main", "--endpoint-url", endpoint)

    assert result.returncode == 2
    assert MESSAGE_UNREACHABLE.splitlines()[-1] in result.stderr
    assert f"DynamoDB at {endpoint} could not answer" in result.stderr


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    with start_moto_server() as url:
        yield url
