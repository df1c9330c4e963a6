"""The CloudFormation templates in infra/: keys that match connect/items.py, least privilege,
private buckets, and a clean cfn-lint."""

from __future__ import annotations

import functools
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from connect.items import (
    CUSTOMERS_KEY,
    DEFAULT_CUSTOMER_TABLE,
    DEFAULT_PROMPT_TABLE,
    PROMPTS_KEY,
    table_definition,
)

INFRA = Path(__file__).resolve().parents[2] / "infra"
CONNECT_ACTIONS = {
    "connect:GetEffectiveHoursOfOperations",
    "connect:DescribeHoursOfOperation",
    "connect:StartOutboundVoiceContact",
    "connect:DescribeContact",
}
TABLES = [
    ("PromptTable", "PromptTableName", PROMPTS_KEY),
    ("CustomerTable", "CustomerTableName", CUSTOMERS_KEY),
]
LOOKUP_POLICIES = [
    ("PromptsFunctionPolicy", "PromptTableName"),
    ("CustomerFunctionPolicy", "CustomerTableName"),
]
CFN_LINT = "import sys; from cfnlint.runner import main; sys.exit(main())"
ZAPPA_SETTINGS = INFRA.parent / "zappa_settings.json"
# zappa_settings.json stage -> its role in roles.yaml.
ZAPPA_ROLES = {
    "site": "SiteRole",
    "lookup-prompts": "PromptsFunctionRole",
    "lookup-customer": "CustomerFunctionRole",
}
FUNCTION_PERMISSIONS = ["PromptsFunctionConnectPermission", "CustomerFunctionConnectPermission"]


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags as their long forms: ``!Ref X`` -> ``{"Ref": "X"}``."""


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CloudFormationLoader.add_multi_constructor("!", _construct_tag)


@functools.cache
def template(name: str) -> dict[str, Any]:
    return yaml.load((INFRA / name).read_text(), Loader=CloudFormationLoader)


def resource(file: str, logical_id: str) -> dict[str, Any]:
    return template(file)["Resources"][logical_id]


def statements(file: str, logical_id: str) -> list[dict[str, Any]]:
    return resource(file, logical_id)["Properties"]["PolicyDocument"]["Statement"]


def as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


def table_arn_parameter(arn: object) -> str:
    """The table-name parameter a ``!Sub`` table ARN ends with."""
    assert isinstance(arn, dict), arn
    prefix, _, name = arn["Fn::Sub"].rpartition(":table/")
    assert prefix.startswith("arn:${AWS::Partition}:dynamodb:"), arn
    return name.removeprefix("${").removesuffix("}")


@pytest.mark.parametrize(("logical_id", "parameter", "key"), TABLES)
def test_each_table_has_the_key_schema_of_the_item_format(
    logical_id: str, parameter: str, key: str
) -> None:
    expected = table_definition("any", key)
    properties = resource("data.yaml", logical_id)["Properties"]
    assert properties["KeySchema"] == expected["KeySchema"]


@pytest.mark.parametrize(("logical_id", "parameter", "key"), TABLES)
def test_each_table_defines_only_its_key_attribute_as_the_item_format_does(
    logical_id: str, parameter: str, key: str
) -> None:
    expected = table_definition("any", key)
    properties = resource("data.yaml", logical_id)["Properties"]
    assert properties["AttributeDefinitions"] == expected["AttributeDefinitions"]


@pytest.mark.parametrize(("logical_id", "parameter", "key"), TABLES)
def test_each_table_bills_on_demand_as_the_item_format_does(
    logical_id: str, parameter: str, key: str
) -> None:
    properties = resource("data.yaml", logical_id)["Properties"]
    assert properties["BillingMode"] == table_definition("any", key)["BillingMode"]


@pytest.mark.parametrize(("logical_id", "parameter", "key"), TABLES)
def test_each_table_is_named_by_its_parameter(logical_id: str, parameter: str, key: str) -> None:
    assert resource("data.yaml", logical_id)["Properties"]["TableName"] == {"Ref": parameter}


def test_the_table_names_default_to_the_ones_the_code_uses() -> None:
    parameters = template("data.yaml")["Parameters"]
    assert parameters["PromptTableName"]["Default"] == DEFAULT_PROMPT_TABLE
    assert parameters["CustomerTableName"]["Default"] == DEFAULT_CUSTOMER_TABLE


@pytest.mark.parametrize(("logical_id", "parameter", "key"), TABLES)
def test_each_table_has_point_in_time_recovery(logical_id: str, parameter: str, key: str) -> None:
    properties = resource("data.yaml", logical_id)["Properties"]
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


@pytest.mark.parametrize(("logical_id", "parameter", "key"), TABLES)
def test_each_table_is_encrypted(logical_id: str, parameter: str, key: str) -> None:
    assert resource("data.yaml", logical_id)["Properties"]["SSESpecification"]["SSEEnabled"]


@pytest.mark.parametrize(("logical_id", "parameter", "key"), TABLES)
def test_each_table_survives_a_stack_deletion_or_replacement(
    logical_id: str, parameter: str, key: str
) -> None:
    table = resource("data.yaml", logical_id)
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")


@pytest.mark.parametrize(("policy", "table_parameter"), LOOKUP_POLICIES)
def test_each_lookup_function_may_only_get_items_from_its_own_table(
    policy: str, table_parameter: str
) -> None:
    granted = [
        (action, table_arn_parameter(arn))
        for statement in statements("roles.yaml", policy)
        for action in as_list(statement["Action"])
        for arn in as_list(statement["Resource"])
    ]
    assert all(statement["Effect"] == "Allow" for statement in statements("roles.yaml", policy))
    assert granted == [("dynamodb:GetItem", table_parameter)]


def test_the_site_may_call_exactly_the_four_connect_actions() -> None:
    actions = {
        action
        for statement in statements("roles.yaml", "SitePolicy")
        for action in as_list(statement["Action"])
        if action.startswith("connect:")
    }
    assert actions == CONNECT_ACTIONS


def test_the_site_may_call_connect_only_on_the_instance_resources() -> None:
    (connect,) = [
        s for s in statements("roles.yaml", "SitePolicy") if s["Sid"] == "ConnectClickToCall"
    ]
    assert connect["Resource"] == [
        {"Ref": "ConnectInstanceArn"},
        {"Fn::Sub": "${ConnectInstanceArn}/*"},
    ]


def test_the_site_may_use_dynamodb_only_on_the_two_tables() -> None:
    resources = {
        table_arn_parameter(arn)
        for statement in statements("roles.yaml", "SitePolicy")
        if any(action.startswith("dynamodb:") for action in as_list(statement["Action"]))
        for arn in as_list(statement["Resource"])
    }
    assert resources == {"PromptTableName", "CustomerTableName"}


def role_statements(logical_id: str) -> list[dict[str, Any]]:
    """Every statement a role of roles.yaml grants: inline and attached policies."""
    properties = resource("roles.yaml", logical_id)["Properties"]
    granted = [
        statement
        for policy in properties.get("Policies", [])
        for statement in policy["PolicyDocument"]["Statement"]
    ]
    for attached in properties.get("ManagedPolicyArns", []):
        assert set(attached) == {"Ref"}, f"{logical_id} attaches a policy not in roles.yaml"
        granted += statements("roles.yaml", attached["Ref"])
    return granted


@pytest.mark.parametrize("role", ZAPPA_ROLES.values())
def test_no_role_grants_a_wildcard_action_or_resource(role: str) -> None:
    granted = role_statements(role)

    assert granted
    for statement in granted:
        assert statement["Effect"] == "Allow"
        assert "*" not in as_list(statement["Resource"])
        assert not any("*" in action for action in as_list(statement["Action"])), statement


@pytest.mark.parametrize(("stage", "role"), ZAPPA_ROLES.items())
def test_each_zappa_stage_uses_its_role_from_roles_yaml_not_its_own(stage: str, role: str) -> None:
    """With manage_roles off, Zappa looks the role up by the name it would have given its own
    (<project>-<stage>-ZappaLambdaExecutionRole) instead of creating one with s3:*, logs:*..."""
    config = json.loads(ZAPPA_SETTINGS.read_text())[stage]
    name = resource("roles.yaml", role)["Properties"]["RoleName"]

    assert config["manage_roles"] is False
    assert "role_arn" not in config
    assert name == {"Fn::Sub": f"${{ProjectName}}-{stage}-ZappaLambdaExecutionRole"}
    assert template("roles.yaml")["Parameters"]["ProjectName"]["Default"] == config["project_name"]


def test_every_zappa_stage_has_a_role() -> None:
    assert set(json.loads(ZAPPA_SETTINGS.read_text())) == set(ZAPPA_ROLES)


def test_only_the_site_role_may_be_assumed_by_api_gateway() -> None:
    services = {
        role: set(
            as_list(
                resource("roles.yaml", role)["Properties"]["AssumeRolePolicyDocument"]["Statement"][
                    0
                ]["Principal"]["Service"]
            )
        )
        for role in ZAPPA_ROLES.values()
    }

    assert services == {
        "SiteRole": {"lambda.amazonaws.com", "apigateway.amazonaws.com"},
        "PromptsFunctionRole": {"lambda.amazonaws.com"},
        "CustomerFunctionRole": {"lambda.amazonaws.com"},
    }


@pytest.mark.parametrize("logical_id", FUNCTION_PERMISSIONS)
def test_only_the_connect_instance_may_invoke_each_lookup_function(logical_id: str) -> None:
    properties = resource("access.yaml", logical_id)["Properties"]
    assert properties["Action"] == "lambda:InvokeFunction"
    assert properties["Principal"] == "connect.amazonaws.com"
    assert properties["SourceArn"] == {"Ref": "ConnectInstanceArn"}
    assert properties["SourceAccount"] == {"Ref": "AWS::AccountId"}


@pytest.mark.parametrize("bucket", ["StaticBucket", "MediaBucket"])
def test_each_bucket_blocks_every_kind_of_public_access(bucket: str) -> None:
    block = resource("web.yaml", bucket)["Properties"]["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }


@pytest.mark.parametrize("bucket", ["StaticBucket", "MediaBucket"])
def test_each_bucket_is_encrypted(bucket: str) -> None:
    encryption = resource("web.yaml", bucket)["Properties"]["BucketEncryption"]
    assert encryption["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]


def test_the_static_bucket_lets_only_the_distribution_read_it() -> None:
    (allow,) = [s for s in statements("web.yaml", "StaticBucketPolicy") if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    source = allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source.endswith(":distribution/${StaticDistribution}")


def test_the_distribution_reads_the_static_bucket_through_origin_access_control() -> None:
    config = resource("web.yaml", "StaticDistribution")["Properties"]["DistributionConfig"]
    (origin,) = config["Origins"]
    assert origin["DomainName"] == {"Fn::GetAtt": ["StaticBucket", "RegionalDomainName"]}
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["StaticOriginAccessControl", "Id"]}


def test_the_app_client_uses_the_authorization_code_flow_with_a_secret() -> None:
    properties = resource("auth.yaml", "AppClient")["Properties"]
    assert properties["AllowedOAuthFlows"] == ["code"]
    assert set(properties["AllowedOAuthScopes"]) == {"openid", "email", "phone", "profile"}
    assert properties["GenerateSecret"] is True


def test_cfn_lint_finds_nothing_in_the_templates() -> None:
    if importlib.util.find_spec("cfnlint") is None:
        pytest.skip("cfn-lint is not installed (uv sync installs it with the dev group)")
    run = subprocess.run(
        [sys.executable, "-c", CFN_LINT, *sorted(str(path) for path in INFRA.glob("*.yaml"))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
