"""The Lambdas cold-start inside a phone call: importing them must not drag Django along."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

AFTER_IMPORT = """
import json, sys
import connect.handlers
print(json.dumps(sorted(m for m in sys.modules if m.startswith("django"))))
"""

AFTER_AN_INVOCATION = """
import json, os, sys
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                  AWS_REGION="us-east-1")
from moto import mock_aws
from connect import dynamo, handlers
from connect.items import PROMPTS_KEY, table_definition
with mock_aws():
    dynamo.resource().meta.client.create_table(**table_definition("jam-cc-prompts", PROMPTS_KEY))
    handlers.get_prompts({"Details": {"Parameters": {"contactFlowName": "Main"}}}, None)
print(json.dumps(sorted(m for m in sys.modules if m.startswith("django"))))
"""


def django_modules_after(script: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_importing_the_handlers_imports_no_django() -> None:
    assert django_modules_after(AFTER_IMPORT) == []


def test_an_invocation_imports_no_django() -> None:
    assert django_modules_after(AFTER_AN_INVOCATION) == []


def test_importing_the_handlers_leaves_boto3_for_the_first_lookup() -> None:
    script = "import sys, connect.handlers; print('boto3' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True
    )

    assert result.stdout.strip() == "False"
