"""The CloudFormation templates in infra/: keys that match connect/items.py, least privilege,
private buckets, a private network and database, and a clean cfn-lint."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from connect.items import (
    CUSTOMERS_KEY,
    DEFAULT_CUSTOMER_TABLE,
    DEFAULT_PROMPT_TABLE,
    PROMPTS_KEY,
    table_definition,
)
from deploy.templates import template

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
    "publish": "PublishRole",
    "lookup-prompts": "PromptsFunctionRole",
    "lookup-customer": "CustomerFunctionRole",
}
FUNCTION_PERMISSIONS = ["PromptsFunctionConnectPermission", "CustomerFunctionConnectPermission"]
# What connect_publish and connect_pull call on the instance (instance/publish.py through
# support/connect_api.py); only the publish stage's role may.
PUBLISH_CONNECT_ACTIONS = {
    f"connect:{operation}"
    for operation in (
        "ListHoursOfOperations",
        "DescribeHoursOfOperation",
        "CreateHoursOfOperation",
        "UpdateHoursOfOperation",
        "ListQueues",
        "DescribeQueue",
        "CreateQueue",
        "UpdateQueueHoursOfOperation",
        "ListContactFlows",
        "DescribeContactFlow",
        "CreateContactFlow",
        "UpdateContactFlowContent",
        "ListContactFlowModules",
        "DescribeContactFlowModule",
        "CreateContactFlowModule",
        "UpdateContactFlowModuleContent",
        "ListLambdaFunctions",
        "AssociateLambdaFunction",
    )
}
CONNECT_API = INFRA.parent / "support" / "connect_api.py"
# The stages whose Lambda runs in the VPC of network.yaml, next to the database.
VPC_ROLES = ["SiteRole", "PublishRole"]
# Lambda's network-interface permissions for a function in a VPC
# (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions).
# The only actions a statement with Resource "*" may grant: EC2 has no resource-level
# permissions for the two Describe actions, and the interface IDs are Lambda's to choose.
VPC_ACTIONS = {
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
}
# Of those, the ones that change an interface: with "*" they must be held to the VPC.
# The outputs the deploy tooling reads, by template.
DEPLOY_OUTPUTS = [
    ("network.yaml", "VpcId"),
    ("network.yaml", "PrivateSubnetIds"),
    ("network.yaml", "LambdaSecurityGroupId"),
    ("database.yaml", "DatabaseHost"),
    ("database.yaml", "DatabasePort"),
    ("database.yaml", "DatabaseName"),
    ("database.yaml", "DatabaseSecretArn"),
    ("roles.yaml", "PublishRoleArn"),
]


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
    """No wildcard action anywhere; Resource "*" only in a statement granting nothing but
    Lambda's VPC network-interface actions (VPC_ACTIONS)."""
    granted = role_statements(role)

    assert granted
    for statement in granted:
        actions = as_list(statement["Action"])
        assert statement["Effect"] == "Allow"
        assert not any("*" in action for action in actions), statement
        if "*" in as_list(statement["Resource"]):
            assert statement["Resource"] == "*", statement
            assert set(actions) <= VPC_ACTIONS, statement


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
        "PublishRole": {"lambda.amazonaws.com"},
        "PromptsFunctionRole": {"lambda.amazonaws.com"},
        "CustomerFunctionRole": {"lambda.amazonaws.com"},
    }


def granted_actions(role: str, service: str = "") -> set[str]:
    return {
        action
        for statement in role_statements(role)
        for action in as_list(statement["Action"])
        if action.startswith(service)
    }


def test_the_publish_role_may_call_exactly_the_connect_actions_publish_uses() -> None:
    assert granted_actions("PublishRole", "connect:") == PUBLISH_CONNECT_ACTIONS


def test_the_publish_role_may_call_connect_only_on_the_instance_resources() -> None:
    for statement in role_statements("PublishRole"):
        if any(action.startswith("connect:") for action in as_list(statement["Action"])):
            assert statement["Resource"] == [
                {"Ref": "ConnectInstanceArn"},
                {"Fn::Sub": "${ConnectInstanceArn}/*"},
            ]


def test_the_publish_role_may_let_connect_invoke_only_the_two_lookups() -> None:
    """AssociateLambdaFunction adds Connect's permission to the function's policy as the
    caller, so the caller needs lambda:AddPermission on exactly the functions the flows use."""
    (statement,) = [
        s for s in role_statements("PublishRole") if "lambda:AddPermission" in as_list(s["Action"])
    ]
    function = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
    assert as_list(statement["Action"]) == ["lambda:AddPermission"]
    assert statement["Resource"] == [
        {"Fn::Sub": function + "${ProjectName}-lookup-prompts"},
        {"Fn::Sub": function + "${ProjectName}-lookup-customer"},
    ]


def test_the_site_role_has_none_of_the_connect_admin_actions() -> None:
    site = granted_actions("SiteRole")

    assert granted_actions("SiteRole", "connect:") == CONNECT_ACTIONS
    assert not site & (PUBLISH_CONNECT_ACTIONS - CONNECT_ACTIONS)
    assert "lambda:AddPermission" not in site
    assert "PublishPolicy" not in str(resource("roles.yaml", "SiteRole")["Properties"])


def test_the_publish_role_pushes_to_the_ivr_tables_and_touches_no_bucket() -> None:
    """load_content's prompts reach DynamoDB through the outbox when the command commits."""
    statements = [s for s in role_statements("PublishRole") if granted_in(s, "dynamodb:")]

    assert {arn["Fn::Sub"].rsplit("/", 1)[1] for s in statements for arn in s["Resource"]} == {
        "${PromptTableName}",
        "${CustomerTableName}",
    }
    assert "dynamodb:Scan" not in granted_actions("PublishRole", "dynamodb:")
    assert not granted_actions("PublishRole", "s3:")


def test_every_connect_operation_the_code_calls_is_granted_to_the_site_or_publish() -> None:
    source = CONNECT_API.read_text()
    called = {
        f"connect:{operation}"
        for operation in re.findall(r'(?:_call|_pages|operation =)\(?\s*"([A-Z]\w+)"', source)
    }

    assert "connect:StartOutboundVoiceContact" in called  # the pattern finds them
    assert called <= CONNECT_ACTIONS | PUBLISH_CONNECT_ACTIONS


@pytest.mark.parametrize("role", VPC_ROLES)
def test_each_vpc_role_may_read_only_the_settings_path(role: str) -> None:
    ssm = [s for s in role_statements(role) if granted_in(s, "ssm:")]
    (statement,) = ssm
    assert statement["Action"] == "ssm:GetParametersByPath"
    # The path itself: GetParametersByPath is authorized on it; no wildcard below or beside it
    # (/jam-cc/site-staging must not match).
    parameter = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"
    assert statement["Resource"] == {"Fn::Sub": parameter + "${SettingsPath}"}
    assert template("roles.yaml")["Parameters"]["SettingsPath"]["Default"] == "/jam-cc/site"


@pytest.mark.parametrize("role", VPC_ROLES)
def test_each_vpc_role_may_read_only_the_database_secret(role: str) -> None:
    (statement,) = [s for s in role_statements(role) if granted_in(s, "secretsmanager:")]
    assert statement["Action"] == "secretsmanager:GetSecretValue"
    assert statement["Resource"] == {"Ref": "DatabaseSecretArn"}


@pytest.mark.parametrize("role", VPC_ROLES)
def test_each_vpc_role_may_manage_its_network_interfaces(role: str) -> None:
    assert granted_actions(role, "ec2:") == VPC_ACTIONS


@pytest.mark.parametrize("role", ["PromptsFunctionRole", "CustomerFunctionRole"])
def test_the_lookups_stay_outside_the_vpc_with_no_settings_or_secret(role: str) -> None:
    assert not granted_actions(role) & (VPC_ACTIONS | {"ssm:GetParametersByPath"})
    assert not granted_actions(role, "secretsmanager:")


def granted_in(statement: dict[str, Any], service: str) -> bool:
    return any(action.startswith(service) for action in as_list(statement["Action"]))


# --- network.yaml and database.yaml ----------------------------------------------------------


def resources_of_type(file: str, kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: definition
        for logical_id, definition in template(file)["Resources"].items()
        if definition["Type"] == kind
    }


def route_table_of(subnet: str) -> str:
    (table,) = [
        association["Properties"]["RouteTableId"]["Ref"]
        for association in resources_of_type(
            "network.yaml", "AWS::EC2::SubnetRouteTableAssociation"
        ).values()
        if association["Properties"]["SubnetId"] == {"Ref": subnet}
    ]
    return table


def routes_of(table: str) -> list[dict[str, Any]]:
    return [
        route["Properties"]
        for route in resources_of_type("network.yaml", "AWS::EC2::Route").values()
        if route["Properties"]["RouteTableId"] == {"Ref": table}
    ]


PRIVATE_SUBNETS = ["PrivateSubnetA", "PrivateSubnetB"]
PUBLIC_SUBNETS = ["PublicSubnetA", "PublicSubnetB"]


def test_the_network_has_two_public_and_two_private_subnets_in_two_zones() -> None:
    subnets = resources_of_type("network.yaml", "AWS::EC2::Subnet")
    zones = {
        name: subnets[name]["Properties"]["AvailabilityZone"]
        for name in PRIVATE_SUBNETS + PUBLIC_SUBNETS
    }

    assert set(subnets) == set(PRIVATE_SUBNETS + PUBLIC_SUBNETS)
    for private, public, index in zip(PRIVATE_SUBNETS, PUBLIC_SUBNETS, [0, 1], strict=True):
        assert zones[private] == zones[public] == {"Fn::Select": [index, {"Fn::GetAZs": ""}]}
    assert template("network.yaml")["Parameters"]["CidrBlock"]["Default"] == "10.20.0.0/16"


@pytest.mark.parametrize("subnet", PRIVATE_SUBNETS)
def test_each_private_subnet_routes_only_through_the_nat_gateway(subnet: str) -> None:
    (route,) = routes_of(route_table_of(subnet))
    assert route == {
        "RouteTableId": {"Ref": route_table_of(subnet)},
        "DestinationCidrBlock": "0.0.0.0/0",
        "NatGatewayId": {"Ref": "NatGateway"},
    }


@pytest.mark.parametrize("subnet", PUBLIC_SUBNETS)
def test_each_public_subnet_routes_to_the_internet_gateway(subnet: str) -> None:
    (route,) = routes_of(route_table_of(subnet))
    assert route["DestinationCidrBlock"] == "0.0.0.0/0"
    assert route["GatewayId"] == {"Ref": "InternetGateway"}


def test_one_nat_gateway_with_its_elastic_ip_in_a_public_subnet() -> None:
    (nat,) = resources_of_type("network.yaml", "AWS::EC2::NatGateway").values()
    (eip,) = resources_of_type("network.yaml", "AWS::EC2::EIP")

    assert nat["Properties"]["SubnetId"]["Ref"] in PUBLIC_SUBNETS
    assert nat["Properties"]["AllocationId"] == {"Fn::GetAtt": [eip, "AllocationId"]}


@pytest.mark.parametrize("service", ["s3", "dynamodb"])
def test_each_gateway_endpoint_is_on_the_private_route_tables(service: str) -> None:
    name = {"Fn::Sub": f"com.amazonaws.${{AWS::Region}}.{service}"}
    (endpoint,) = [
        e["Properties"]
        for e in resources_of_type("network.yaml", "AWS::EC2::VPCEndpoint").values()
        if e["Properties"]["ServiceName"] == name
    ]
    assert endpoint["VpcEndpointType"] == "Gateway"
    assert endpoint["RouteTableIds"] == [
        {"Ref": route_table_of(subnet)} for subnet in PRIVATE_SUBNETS
    ]


def security_group_rules(group: str, kind: str) -> list[dict[str, Any]]:
    """Every ingress or egress rule of a group of network.yaml: inline and separate."""
    inline = resource("network.yaml", group)["Properties"].get(f"SecurityGroup{kind}", [])
    separate = [
        rule["Properties"]
        for rule in resources_of_type("network.yaml", f"AWS::EC2::SecurityGroup{kind}").values()
        if rule["Properties"]["GroupId"] == {"Fn::GetAtt": [group, "GroupId"]}
    ]
    return [
        {key: value for key, value in rule.items() if key not in ("GroupId", "Description")}
        for rule in [*inline, *separate]
    ]


def test_the_database_accepts_postgresql_only_from_the_lambda_security_group() -> None:
    assert security_group_rules("DatabaseSecurityGroup", "Ingress") == [
        {
            "IpProtocol": "tcp",
            "FromPort": 5432,
            "ToPort": 5432,
            "SourceSecurityGroupId": {"Fn::GetAtt": ["LambdaSecurityGroup", "GroupId"]},
        }
    ]


def test_the_lambdas_may_send_only_https_anywhere_and_postgresql_to_the_database() -> None:
    assert security_group_rules("LambdaSecurityGroup", "Egress") == [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
        {
            "IpProtocol": "tcp",
            "FromPort": 5432,
            "ToPort": 5432,
            "DestinationSecurityGroupId": {"Fn::GetAtt": ["DatabaseSecurityGroup", "GroupId"]},
        },
    ]
    assert not security_group_rules("LambdaSecurityGroup", "Ingress")


def test_the_database_is_private_encrypted_and_rds_manages_its_password() -> None:
    properties = resource("database.yaml", "Database")["Properties"]

    assert properties["PubliclyAccessible"] is False
    assert properties["StorageEncrypted"] is True
    assert properties["ManageMasterUserPassword"] is True
    assert "MasterUserPassword" not in properties
    assert (properties["Engine"], properties["EngineVersion"]) == ("postgres", "16")
    assert properties["BackupRetentionPeriod"] == 7


def test_the_database_lives_in_the_private_subnets_behind_its_security_group() -> None:
    properties = resource("database.yaml", "Database")["Properties"]
    subnets = resource("database.yaml", "DatabaseSubnetGroup")["Properties"]["SubnetIds"]

    assert properties["DBSubnetGroupName"] == {"Ref": "DatabaseSubnetGroup"}
    assert properties["VPCSecurityGroups"] == [
        {"Fn::ImportValue": {"Fn::Sub": "${NetworkStackName}-DatabaseSecurityGroupId"}}
    ]
    assert subnets == {
        "Fn::Split": [",", {"Fn::ImportValue": {"Fn::Sub": "${NetworkStackName}-PrivateSubnetIds"}}]
    }


def test_the_database_survives_a_stack_deletion_or_replacement_as_a_snapshot() -> None:
    database = resource("database.yaml", "Database")
    assert (database["DeletionPolicy"], database["UpdateReplacePolicy"]) == ("Snapshot", "Snapshot")


def test_the_database_secret_output_is_the_rds_managed_secret() -> None:
    output = template("database.yaml")["Outputs"]["DatabaseSecretArn"]
    assert output["Value"] == {"Fn::GetAtt": ["Database", "MasterUserSecret.SecretArn"]}


@pytest.mark.parametrize(("file", "name"), DEPLOY_OUTPUTS)
def test_each_output_the_deploy_tooling_reads_exists(file: str, name: str) -> None:
    assert name in template(file)["Outputs"]


@pytest.mark.parametrize("file", ["network.yaml", "database.yaml"])
def test_each_output_of_the_shared_stacks_is_exported_under_the_stack_name(file: str) -> None:
    for name, output in template(file)["Outputs"].items():
        assert output["Export"] == {"Name": {"Fn::Sub": f"${{AWS::StackName}}-{name}"}}


def imports(value: object) -> list[str]:
    """The ``Fn::Sub`` names of every ``Fn::ImportValue`` in a template fragment."""
    if isinstance(value, dict):
        if "Fn::ImportValue" in value:
            return [value["Fn::ImportValue"]["Fn::Sub"]]
        return [name for item in value.values() for name in imports(item)]
    if isinstance(value, list):
        return [name for item in value for name in imports(item)]
    return []


STACK_PARAMETERS = {"${NetworkStackName}": "network.yaml", "${DatabaseStackName}": "database.yaml"}


@pytest.mark.parametrize("file", ["database.yaml"])
def test_every_import_names_an_export_of_the_stack_it_comes_from(file: str) -> None:
    found = imports(template(file)["Resources"])

    assert found
    for name in found:
        stack, _, output = name.partition("-")
        assert output in template(STACK_PARAMETERS[stack])["Outputs"], name
        parameter = stack.removeprefix("${").removesuffix("}")
        default = template(file)["Parameters"][parameter]["Default"]
        assert default == f"jam-cc-{STACK_PARAMETERS[stack].removesuffix('.yaml')}"


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
