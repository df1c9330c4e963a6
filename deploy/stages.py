"""Zappa's settings for a deployment: the committed stages plus what the stacks created.

``zappa_settings.json`` holds what is the same everywhere (handlers, memory, timeouts, what
each package excludes). What differs per account comes from the stacks and the operator's
choices and is written to ``.deploy/zappa_settings.json``, the file every ``zappa`` command of
``docs/deploy.md`` is given with ``-s``: the deployment bucket, the region, each function's
role from ``infra/roles.yaml``, the VPC of ``infra/network.yaml`` for the functions that reach
the database, the site's settings path, the table names and the custom domain.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from .stacks import ROOT, SETTINGS_PATH, Deployment, stack_output

COMMITTED = ROOT / "zappa_settings.json"
GENERATED = ROOT / ".deploy" / "zappa_settings.json"
# The stages that run Django against PostgreSQL: in the private subnets, with the settings path.
DJANGO_STAGES = ("site", "publish")
# The lookups Connect invokes, by stage, and the setting connect_publish reads each ARN from.
LOOKUPS = {
    "lookup-prompts": "CONNECT_LAMBDA_GET_PROMPTS_ARN",
    "lookup-customer": "CONNECT_LAMBDA_LOOKUP_CUSTOMER_ARN",
}
ROLE_OUTPUTS = {
    "site": "SiteRoleArn",
    "publish": "PublishRoleArn",
    "lookup-prompts": "PromptsFunctionRoleArn",
    "lookup-customer": "CustomerFunctionRoleArn",
}


def committed_stages(path: Path = COMMITTED) -> dict[str, dict[str, Any]]:
    stages: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return stages


def stage_settings(
    deployment: Deployment,
    stack_outputs: dict[str, dict[str, str]],
    committed: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Every stage, completed for this deployment."""
    committed = committed if committed is not None else committed_stages()

    def output(stack: str, key: str) -> str:
        return stack_output(stack_outputs, stack, key)

    tables = {
        "PROMPT_TABLE_NAME": output("jam-cc-data", "PromptTableName"),
        "CUSTOMER_DATA_TABLE_NAME": output("jam-cc-data", "CustomerTableName"),
    }
    stages: dict[str, dict[str, Any]] = {}
    for name, committed_stage in committed.items():
        stage = copy.deepcopy(committed_stage)
        stage.pop("comment", None)
        stage["aws_region"] = deployment.region
        stage["s3_bucket"] = deployment.zappa_bucket
        # manage_roles is false in every stage: Zappa takes this role and changes nothing on it.
        stage["role_arn"] = output("jam-cc-roles", ROLE_OUTPUTS[name])
        environment = stage.setdefault("aws_environment_variables", {})
        for variable in tables:
            if variable in environment:
                environment[variable] = tables[variable]
        if name in DJANGO_STAGES:
            # https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html: private
            # subnets (the NAT reaches Cognito and Connect), the Lambda security group.
            stage["vpc_config"] = {
                "SubnetIds": output("jam-cc-network", "PrivateSubnetIds").split(","),
                "SecurityGroupIds": [output("jam-cc-network", "LambdaSecurityGroupId")],
            }
            environment["SETTINGS_PARAMETER_PATH"] = SETTINGS_PATH
        if name == "site" and deployment.certificate_arn:
            stage["domain"] = deployment.domain
            stage["certificate_arn"] = deployment.certificate_arn
        stages[name] = stage
    return stages


def stage_settings_write(stages: dict[str, dict[str, Any]], path: Path = GENERATED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stages, indent=4) + "\n", encoding="utf-8")
    return path
