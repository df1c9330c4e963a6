"""The Lambda packages `zappa package` builds, each run on its own as Lambda would run it.

Every package is unzipped into an empty directory and invoked in a fresh interpreter without
site-packages: only the package (and, for the Connect Lambdas, boto3 as the Lambda runtime
provides it) is importable, so a missing or leaked dependency fails here, not in production.
DynamoDB is moto's server on a free loopback port; the site's database a throw-away SQLite file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from connect.items import (
    CUSTOMERS_KEY,
    DEFAULT_CUSTOMER_TABLE,
    DEFAULT_PROMPT_TABLE,
    PROMPTS_KEY,
    Customer,
    FlowPrompts,
    customer_encode,
    prompts_encode,
    table_definition,
)
from tests.moto_server import moto_server as start_moto_server

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "connect"
SETTINGS = json.loads((ROOT / "zappa_settings.json").read_text())
# What the python3.11 Lambda runtime provides besides the standard library.
RUNTIME_MODULES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3")
# Connect packages hold the lookups alone; Zappa adds its settings module and an __init__.py.
CONNECT_PACKAGE_TOP = {"connect", "zappa_settings.py", "__init__.py"}
MAX_CONNECT_PACKAGE_BYTES = 5 * 1024 * 1024
MAX_SITE_PACKAGE_BYTES = 50 * 1024 * 1024  # Lambda's limit for a zip uploaded directly
MAX_SITE_UNZIPPED_BYTES = 250 * 1024 * 1024  # Lambda's limit for the unzipped code

# Runs inside the unzipped package: imports the handler by name, as Lambda does.
INVOKE = """
import importlib, json, sys
module, _, function = sys.argv[1].rpartition(".")
handler = getattr(importlib.import_module(module), function)
result = handler(json.loads(sys.stdin.read()), None)
loaded = {name: getattr(sys.modules[name], "__file__", None) for name in ("django", "connect")
          if name in sys.modules}
print(json.dumps({"result": result, "loaded": loaded}))
"""

MAIN = FlowPrompts(flow="Main", prompts={"Welcome": {"en-US": "Welcome to JAM."}})
CASEY = Customer("+12025550100", first_name="Casey", last_name="Jones", vip=True)


@pytest.fixture(scope="module")
def packages() -> dict[str, Path]:
    """Every stage's zip, built by scripts/package from the deploy-only environment."""
    subprocess.run([str(ROOT / "scripts" / "package")], cwd=ROOT, check=True)
    return {stage: ROOT / ".deploy" / f"{stage}.zip" for stage in SETTINGS}


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding only what the Lambda runtime adds: boto3 and its dependencies."""
    directory = tmp_path_factory.mktemp("runtime")
    site_packages = Path(boto3.__file__).resolve().parents[1]
    for name in RUNTIME_MODULES:
        (directory / name).symlink_to(site_packages / name)
    return directory


def unzip(package: Path, directory: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(directory)
    return directory


def invoke(
    directory: Path, handler: str, event: dict, *, env: dict[str, str], extra_path: str = ""
) -> dict:
    """Run ``handler`` in a fresh interpreter that sees only ``directory`` (and extra_path)."""
    environment = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": os.pathsep.join(p for p in (str(directory), extra_path) if p),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        **env,
    }
    completed = subprocess.run(
        # -S: no site-packages, so nothing leaks in from the interpreter running the tests.
        [sys.executable, "-S", "-c", INVOKE, handler],
        input=json.dumps(event),
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def connect_event(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def site_event(path: str) -> dict:
    """An API Gateway (REST, v1) proxy event, as the site's API sends it."""
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "GET",
        "headers": {"Host": "localhost", "X-Forwarded-Proto": "https"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": "GET",
            "path": f"/site{path}",
            "stage": "site",
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


@pytest.mark.parametrize("stage", ["lookup-prompts", "lookup-customer"])
def test_a_connect_package_holds_the_lookups_alone(packages: dict[str, Path], stage: str) -> None:
    with zipfile.ZipFile(packages[stage]) as archive:
        top = {name.split("/", 1)[0] for name in archive.namelist()}

    assert top == CONNECT_PACKAGE_TOP
    assert packages[stage].stat().st_size < MAX_CONNECT_PACKAGE_BYTES


def test_the_prompts_package_answers_a_flow_with_its_prompts(
    packages: dict[str, Path], moto_server: str, runtime: Path, tmp_path: Path
) -> None:
    directory = unzip(packages["lookup-prompts"], tmp_path)
    stage = SETTINGS["lookup-prompts"]

    out = invoke(
        directory,
        stage["lambda_handler"],
        connect_event("contact_flow_event"),
        env={**stage["aws_environment_variables"], "DYNAMODB_ENDPOINT_URL": moto_server},
        extra_path=str(runtime),
    )

    assert out["result"]["Welcome"] == "<speak>Welcome to JAM.</speak>"
    assert out["loaded"] == {"connect": str(directory / "connect" / "__init__.py")}


def test_the_customer_package_answers_a_known_caller(
    packages: dict[str, Path], moto_server: str, runtime: Path, tmp_path: Path
) -> None:
    directory = unzip(packages["lookup-customer"], tmp_path)
    stage = SETTINGS["lookup-customer"]

    out = invoke(
        directory,
        stage["lambda_handler"],
        connect_event("contact_flow_event"),
        env={**stage["aws_environment_variables"], "DYNAMODB_ENDPOINT_URL": moto_server},
        extra_path=str(runtime),
    )

    assert (out["result"]["CustomerFound"], out["result"]["FirstName"]) == ("true", "Casey")
    assert "django" not in out["loaded"]


def test_the_site_package_fits_lambda(packages: dict[str, Path]) -> None:
    with zipfile.ZipFile(packages["site"]) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())

    assert packages["site"].stat().st_size < MAX_SITE_PACKAGE_BYTES
    assert unzipped < MAX_SITE_UNZIPPED_BYTES


def test_no_top_level_name_in_the_site_package_shadows_the_standard_library(
    packages: dict[str, Path],
) -> None:
    # Lambda puts the package before the standard library on sys.path, and Zappa adds an
    # __init__.py to any folder holding Python files (locale/ once held a data module).
    with zipfile.ZipFile(packages["site"]) as archive:
        names = archive.namelist()
    modules = {name.removesuffix(".py") for name in names if "/" not in name}
    packages_ = {name.split("/")[0] for name in names if name.count("/") == 1}
    packages_ = {name for name in packages_ if f"{name}/__init__.py" in names}

    assert (modules | packages_) & sys.stdlib_module_names == set()


def test_the_site_package_migrates_runs_its_schedule_and_answers_its_health_check(
    packages: dict[str, Path], moto_server: str, tmp_path: Path
) -> None:
    directory = unzip(packages["site"], tmp_path / "package")
    # DEBUG stays on: production's settings demand PostgreSQL and the AWS-only values.
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DYNAMODB_ENDPOINT_URL": moto_server,
    }
    schedule = SETTINGS["site"]["events"][0]["function"]
    rule = f"arn:aws:events:us-east-1:123456789012:rule/jamcc-site-{schedule}"

    invoke(directory, "handler.lambda_handler", {"manage": "migrate --noinput"}, env=env)
    invoke(
        directory,
        "handler.lambda_handler",
        {"detail-type": "Scheduled Event", "source": "aws.events", "resources": [rule]},
        env=env,
    )
    out = invoke(directory, "handler.lambda_handler", site_event("/healthz"), env=env)

    assert out["result"]["statusCode"] == 200, out["result"]
    assert json.loads(out["result"]["body"])["status"] == "ok"
    assert out["loaded"]["django"].startswith(str(directory))


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    """moto's DynamoDB server, with both tables and one flow and one caller in them."""
    with start_moto_server() as url:
        dynamodb = boto3.resource(
            "dynamodb",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        for name, key, item in (
            (DEFAULT_PROMPT_TABLE, PROMPTS_KEY, prompts_encode(MAIN)),
            (DEFAULT_CUSTOMER_TABLE, CUSTOMERS_KEY, customer_encode(CASEY)),
        ):
            dynamodb.create_table(**table_definition(name, key)).put_item(Item=item)
        yield url
