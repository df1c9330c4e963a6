"""The Lambda packages `zappa package` builds, each run on its own as Lambda would run it.

Every package is unzipped into an empty directory and invoked in a fresh interpreter without
site-packages: only the package (and, for the Connect Lambdas, boto3 as the Lambda runtime
provides it) is importable, so a missing or leaked dependency fails here, not in production,
and so does a file the site reads at run time (the flows) that the package leaves out.
DynamoDB is moto's server on a free loopback port; the site's database a throw-away SQLite file.
"""

from __future__ import annotations

import html
import json
import os
import re
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
from deploy.glibc import LAMBDA_GLIBC, scan_zip
from deploy.motoserver import moto_server as start_moto_server
from deploy.rehearsal import site_event

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

# Runs inside the unzipped site package, as a warm Lambda would: Zappa's handler migrates and
# creates the DynamoDB tables (`zappa manage`), the ORM loads the demo prompts, adds one prompt
# no flow speaks (argv: flow, prompt id) and a superuser, the prompts go to DynamoDB, and each
# API Gateway event on stdin is answered by the handler with that superuser signed in.
SIGNED_IN = """
import json, sys
from handler import lambda_handler
lambda_handler({"manage": "migrate --noinput"}, None)
lambda_handler({"manage": "sync_dynamodb --create-tables"}, None)
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from prompts.demo import demo_prompts_load
from prompts.models import ContactFlow, Prompt
demo_prompts_load()
flow, prompt_id = sys.argv[1:3]
Prompt.objects.create(flow=ContactFlow.objects.get(name=flow), prompt_id=prompt_id,
                      texts={"en-US": "No flow says this."})
lambda_handler({"manage": "sync_dynamodb --push"}, None)
admin = get_user_model().objects.create_superuser("admin", "admin@example.com", None)
client = Client()
client.force_login(admin)
cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
answers = []
for event in json.loads(sys.stdin.read()):
    event["headers"]["Cookie"] = cookie
    answers.append(lambda_handler(event, None))
print(json.dumps({"result": answers, "loaded": {"django": sys.modules["django"].__file__}}))
"""

MAIN = FlowPrompts(flow="Main", prompts={"Welcome": {"en-US": "Welcome to JAM."}})
CASEY = Customer("+12025550100", first_name="Casey", last_name="Jones", vip=True)
# A demo prompt its flow speaks (flows/definitions/Main.json), and one the test adds to the
# same flow that no flow speaks.
SPOKEN = ("Main", "MainMenu")
UNSPOKEN = ("Main", "RetiredMenu")
NOT_SPOKEN = "⚠ not spoken by any flow"
# The admin simulator's query: an inbound call from an unknown caller who presses 1 (English).
SIMULATION = {"flow": "IntroInbound", "caller": "+12025550199", "inputs": "1"}


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
    return run(directory, INVOKE, [handler], json.dumps(event), env=env, extra_path=extra_path)


def run(
    directory: Path,
    script: str,
    args: list[str],
    stdin: str,
    *,
    env: dict[str, str],
    extra_path: str = "",
) -> dict:
    """Run ``script`` in a fresh interpreter that sees only ``directory`` (and extra_path);
    its last line of output is JSON."""
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
        [sys.executable, "-S", "-c", script, *args],
        input=stdin,
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


@pytest.mark.parametrize("stage", SETTINGS)
def test_every_shared_object_in_a_package_runs_on_lambdas_glibc(
    packages: dict[str, Path], stage: str
) -> None:
    # The python3.11 runtime is Amazon Linux 2, glibc 2.26: a wheel built for a newer glibc
    # imports here and fails on Lambda.
    assert scan_zip(packages[stage], LAMBDA_GLIBC) == []


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
    out = invoke(directory, "handler.lambda_handler", site_event("/healthz", "localhost"), env=env)

    assert out["result"]["statusCode"] == 200, out["result"]
    assert json.loads(out["result"]["body"])["status"] == "ok"
    assert out["loaded"]["django"].startswith(str(directory))


@pytest.fixture(scope="module")
def admin_pages(packages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The prompt list and a simulated call, as the packaged site's admin answers them.

    The admin reads flows/definitions/ at run time: the prompt list's "used by" column and the
    call simulator come from those files, so a package without them shows every prompt as
    unspoken and answers the simulator with a 500 (as production did).
    """
    directory = unzip(packages["site"], tmp_path_factory.mktemp("site-admin"))
    events = [
        site_event("/admin/prompts/prompt/", "localhost"),
        site_event("/admin/simulator/", "localhost", query=SIMULATION),
    ]
    # A DynamoDB of its own: the site pushes every demo flow, Main included, into its tables.
    with start_moto_server() as dynamodb:
        # The stage's own environment, but DEBUG stays on: production's settings demand
        # PostgreSQL and the AWS-only values (S3 static files, Cognito sign-in).
        env = {
            **SETTINGS["site"]["aws_environment_variables"],
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{directory / 'site.sqlite3'}",
            "DYNAMODB_ENDPOINT_URL": dynamodb,
        }
        out = run(directory, SIGNED_IN, list(UNSPOKEN), json.dumps(events), env=env)
    assert out["loaded"]["django"].startswith(str(directory))
    prompts, simulator = out["result"]
    return {"prompts": prompts, "simulator": simulator}


def test_the_site_package_prompt_list_names_the_flow_that_speaks_each_prompt(
    admin_pages: dict,
) -> None:
    page = admin_pages["prompts"]

    assert page["statusCode"] == 200, failure(page["body"])
    used_by = changelist_column(page["body"], "used_by")
    assert used_by[SPOKEN] == SPOKEN[0]
    assert used_by[UNSPOKEN] == NOT_SPOKEN


def test_the_site_package_call_simulator_plays_a_call_against_dynamodb(
    admin_pages: dict,
) -> None:
    page = admin_pages["simulator"]

    assert page["statusCode"] == 200, failure(page["body"])
    assert 'class="errornote"' not in page["body"], page["body"]
    transcript = page_list(page["body"], "transcript")
    # The real Lambdas answered from DynamoDB: without it the flows run on ("get_prompts
    # failed") with their built-in texts, which hold no greeting.
    assert not [line for line in transcript if "failed" in line], transcript
    assert "[IntroInbound] Say: Thank you for calling JAM Contact Center." in transcript
    assert "[IntroInbound] Caller pressed 1" in transcript
    assert any(line.startswith("[Main] Say: For sales, press 1.") for line in transcript)
    assert outcome(page["body"], "Flows") == "IntroInbound → Main"


def failure(page: str) -> str:
    """What an error page says: DEBUG's names the exception in its title and value."""
    parts = re.findall(r'<title>(.*?)</title>|<pre class="exception_value">(.*?)</pre>', page, re.S)
    said = " | ".join(page_text(text) for pair in parts for text in pair if text.strip())
    return said or page[:2000]


def page_text(fragment: str) -> str:
    """An HTML fragment's text, its whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def changelist_column(page: str, field: str) -> dict[tuple[str, str], str]:
    """(flow, prompt id) -> the text of ``field``'s cell, for each row of the prompt list."""
    column = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S):
        cells = dict(re.findall(r'<t[hd] class="field-(\w+)[^"]*">(.*?)</t[hd]>', row, re.S))
        if "prompt_id" in cells:
            key = (page_text(cells["flow"]), page_text(cells["prompt_id"]))
            column[key] = page_text(cells[field])
    return column


def outcome(page: str, row: str) -> str:
    """The simulator's outcome table: the value in ``row``."""
    found = re.search(rf'<th scope="row">{row}</th><td>(.*?)</td>', page, re.S)
    assert found, f"no outcome row {row!r} in the page"
    return page_text(found[1])


def page_list(page: str, css_class: str) -> list[str]:
    """The text of each item of the page's ``<ol class="css_class">``, which must be there."""
    found = re.search(rf'<ol class="{css_class}">(.*?)</ol>', page, re.S)
    assert found, f'no <ol class="{css_class}"> in the page'
    return [page_text(item) for item in re.findall(r"<li>(.*?)</li>", found[1], re.S)]


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
