"""The deploy tooling: names from one choice, settings from the stacks, stages from both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from deploy.settings import env_file_text, parameters_pull, parameters_push, production_env
from deploy.stacks import STACKS, DeployError, Deployment, stack_parameters, template_parameters
from deploy.stages import committed_stages, stage_settings
from jamcc.configuration import env_file_read

ARN = "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-4333-8444-555555555555"
CHOICES = {
    "JAMCC_NAME": "acme-jamcc",
    "JAMCC_DOMAIN": "support.acme.example",
    "AWS_REGION": "us-east-1",
    "CONNECT_INSTANCE_ARN": ARN,
}
OUTPUTS = {
    "jam-cc-network": {
        "VpcId": "vpc-1",
        "PrivateSubnetIds": "subnet-a,subnet-b",
        "LambdaSecurityGroupId": "sg-lambda",
    },
    "jam-cc-database": {
        "DatabaseHost": "jamcc.abc.us-east-1.rds.amazonaws.com",
        "DatabasePort": "5432",
        "DatabaseName": "jamcc",
        "DatabaseSecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1",
    },
    "jam-cc-data": {
        "PromptTableName": "jam-cc-prompts",
        "CustomerTableName": "jam-cc-customer-data",
    },
    "jam-cc-auth": {
        "UserPoolId": "us-east-1_Pool",
        "AppClientId": "client-1",
        "HostedDomain": "https://acme-jamcc.auth.us-east-1.amazoncognito.com",
    },
    "jam-cc-web": {
        "StaticBucketName": "acme-jamcc-static-123456789012",
        "StaticDistributionDomainName": "d111.cloudfront.net",
        "MediaBucketName": "acme-jamcc-media-123456789012",
    },
    "jam-cc-roles": {
        "SiteRoleArn": "arn:aws:iam::123456789012:role/jamcc-site-ZappaLambdaExecutionRole",
        "PublishRoleArn": "arn:aws:iam::123456789012:role/jamcc-publish-ZappaLambdaExecutionRole",
        "PromptsFunctionRoleArn": "arn:aws:iam::123456789012:role/jamcc-lookup-prompts-Zappa",
        "CustomerFunctionRoleArn": "arn:aws:iam::123456789012:role/jamcc-lookup-customer-Zappa",
    },
}


def deployment(**changes: str) -> Deployment:
    return Deployment.from_environment("123456789012", {**CHOICES, **changes})


# --- One choice, every unique name ------------------------------------------------------------


def test_the_names_that_must_be_unique_worldwide_derive_from_the_choice() -> None:
    chosen = deployment()

    assert chosen.zappa_bucket == "acme-jamcc-zappa-123456789012"
    assert chosen.static_bucket == "acme-jamcc-static-123456789012"
    assert chosen.parameter_values()["DomainPrefix"] == "acme-jamcc"


def test_nothing_in_the_committed_stages_is_a_bucket_name() -> None:
    for name, stage in committed_stages().items():
        assert "s3_bucket" not in stage, name


def test_missing_choices_are_named_together() -> None:
    with pytest.raises(DeployError, match="JAMCC_NAME, JAMCC_DOMAIN"):
        Deployment.from_environment("123456789012", {"AWS_REGION": "us-east-1"})


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("JAMCC_NAME", "Acme_JAMCC", "JAMCC_NAME"),
        ("JAMCC_DOMAIN", "https://support.acme.example/", "JAMCC_DOMAIN"),
        ("CONNECT_INSTANCE_ARN", ARN.replace("us-east-1", "eu-west-2"), "CONNECT_INSTANCE_ARN"),
    ],
)
def test_a_wrong_choice_is_refused_before_any_aws_call(
    variable: str, value: str, says: str
) -> None:
    with pytest.raises(DeployError, match=says):
        deployment(**{variable: value})


def test_every_stack_gets_every_parameter_its_template_requires() -> None:
    functions = {"lookup-prompts": "arn:f:1", "lookup-customer": "arn:f:2"}
    values = deployment().parameter_values(functions=functions, earlier=OUTPUTS)

    for stack in STACKS:
        declared = template_parameters(stack)
        given = {item["ParameterKey"] for item in stack_parameters(stack, values)}
        required = {name for name, spec in declared.items() if "Default" not in spec}
        assert required <= given <= set(declared), stack.name


def test_the_cognito_callback_is_the_sites_own_oidc_callback() -> None:
    values = deployment().parameter_values()

    assert values["CallbackUrls"] == "https://support.acme.example/oidc/callback/"


# --- Settings from the stacks -----------------------------------------------------------------


def settings(**kwargs: object) -> dict[str, str]:
    return production_env(
        deployment(), OUTPUTS, client_secret="cs", support_phone_number="+12025550199", **kwargs
    )


def test_every_production_setting_comes_from_a_named_origin() -> None:
    from deploy.settings import ORIGINS
    from jamcc.settings import PRODUCTION_REQUIRED

    values = settings()

    assert set(PRODUCTION_REQUIRED) <= set(values)
    assert set(values) == set(ORIGINS)
    assert values["STATIC_CUSTOM_DOMAIN"] == "d111.cloudfront.net"
    assert values["DATABASE_URL"] == (
        "postgres://jamcc.abc.us-east-1.rds.amazonaws.com:5432/jamcc?sslmode=require"
    )
    assert "password" not in values["DATABASE_URL"]


def test_a_second_run_keeps_the_secrets_and_what_was_added_since() -> None:
    first = settings()

    again = settings(previous={**first, "CONNECT_WEB_INGRESS_FLOW_ID": "flow-1"})

    assert again["SECRET_KEY"] == first["SECRET_KEY"]
    assert again["CONNECT_WEB_INGRESS_FLOW_ID"] == "flow-1"


def test_the_env_file_reads_back_exactly_through_the_sites_own_reader(tmp_path: Path) -> None:
    values = {**settings(), "OIDC_GROUP_MAP": '{"a b": "C $d"}', "SECRET_KEY": "a'b\"c $x #y"}
    (tmp_path / "production.env").write_text(env_file_text(values))

    assert env_file_read(tmp_path / "production.env") == values


def test_a_value_with_a_line_break_is_refused() -> None:
    with pytest.raises(DeployError, match="line break"):
        env_file_text({"SECRET_KEY": "one\ntwo"})


@pytest.fixture
def ssm() -> Iterator[object]:
    with mock_aws():
        yield boto3.client("ssm", region_name="us-east-1")


def test_pushing_makes_the_store_hold_exactly_the_file(ssm: object) -> None:
    parameters_push(ssm, {"SECRET_KEY": "s", "DEBUG": "false", "OLD": "x"})

    changed = parameters_push(ssm, {"SECRET_KEY": "s", "DEBUG": "true"})

    assert changed == {"written": ["DEBUG"], "unchanged": ["SECRET_KEY"], "deleted": ["OLD"]}
    assert parameters_pull(ssm) == {"SECRET_KEY": "s", "DEBUG": "true"}
    kind = ssm.get_parameter(Name="/jam-cc/site/SECRET_KEY")["Parameter"]["Type"]
    assert kind == "SecureString"


# --- Zappa's stages from the stacks -----------------------------------------------------------


def test_the_django_stages_run_in_the_private_subnets_and_read_the_settings_path() -> None:
    stages = stage_settings(deployment(), OUTPUTS)

    for name in ("site", "publish"):
        assert stages[name]["vpc_config"] == {
            "SubnetIds": ["subnet-a", "subnet-b"],
            "SecurityGroupIds": ["sg-lambda"],
        }
        assert stages[name]["aws_environment_variables"]["SETTINGS_PARAMETER_PATH"] == (
            "/jam-cc/site"
        )
    for name in ("lookup-prompts", "lookup-customer"):
        assert "vpc_config" not in stages[name]


def test_each_stage_runs_with_its_own_role_and_the_deployment_bucket() -> None:
    stages = stage_settings(deployment(), OUTPUTS)

    assert stages["publish"]["role_arn"].endswith("jamcc-publish-ZappaLambdaExecutionRole")
    assert {stage["s3_bucket"] for stage in stages.values()} == {"acme-jamcc-zappa-123456789012"}
    assert all(stage["manage_roles"] is False for stage in stages.values())


def test_no_secret_reaches_a_functions_environment() -> None:
    stages = stage_settings(deployment(), OUTPUTS)
    secret_values = {settings()[name] for name in ("SECRET_KEY", "OIDC_RP_CLIENT_SECRET")}

    for stage in stages.values():
        environment = json.dumps(stage["aws_environment_variables"])
        assert not any(value in environment for value in secret_values)
        assert not {"SECRET_KEY", "DATABASE_URL"} & set(stage["aws_environment_variables"])


def test_the_custom_domain_is_set_only_once_its_certificate_exists() -> None:
    assert "domain" not in stage_settings(deployment(), OUTPUTS)["site"]

    site = stage_settings(deployment(CERTIFICATE_ARN="arn:aws:acm:us-east-1:1:cert/x"), OUTPUTS)
    assert site["site"]["domain"] == "support.acme.example"


# --- Templates, read and resolved as CloudFormation does ----------------------------------------


def test_fn_cidr_gives_the_first_blocks_of_the_range() -> None:
    from deploy.templates import cidrs

    assert cidrs("10.20.0.0/16", 4, 8) == [
        "10.20.0.0/24",
        "10.20.1.0/24",
        "10.20.2.0/24",
        "10.20.3.0/24",
    ]


def test_the_network_template_resolves_to_four_distinct_subnets() -> None:
    from deploy.templates import resolve, template

    resources = template("network.yaml")["Resources"]
    names = {"CidrBlock": "10.20.0.0/16", "AWS::Region": "us-east-1"}
    blocks = {
        resolve(spec["Properties"]["CidrBlock"], names)
        for spec in resources.values()
        if spec["Type"] == "AWS::EC2::Subnet"
    }

    assert blocks == {"10.20.0.0/24", "10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"}


def test_sub_takes_parameters_attributes_and_its_own_variables() -> None:
    from deploy.templates import resolve

    names = {"Name": "jam", "Pool.Arn": "arn:pool", "AWS::Region": "us-east-1"}

    assert resolve({"Fn::Sub": "${Name}-${AWS::Region} ${Pool.Arn}"}, names) == (
        "jam-us-east-1 arn:pool"
    )
    assert resolve({"Fn::Sub": ["${X}/*", {"X": {"Ref": "Name"}}]}, names) == "jam/*"


# --- The documented steps are the tooling's ---------------------------------------------------


def test_the_deploy_guide_runs_every_command_of_the_tooling_in_the_stack_order() -> None:
    from deploy.__main__ import main  # noqa: F401 - the commands exist
    from deploy.stacks import ROOT

    guide = (ROOT / "docs" / "deploy.md").read_text()
    for command in ("stacks", "zappa-settings", "settings", "push-settings", "access"):
        assert f"python -m deploy {command}" in guide, command
    rows = [guide.index(f"| `{stack.name}` |") for stack in STACKS if not stack.after_functions]
    assert rows == sorted(rows)


def test_the_deploy_guide_names_the_origin_of_the_static_domain() -> None:
    from deploy.settings import ORIGINS
    from deploy.stacks import ROOT

    guide = (ROOT / "docs" / "deploy.md").read_text()

    assert ORIGINS["STATIC_CUSTOM_DOMAIN"] == "jam-cc-web: StaticDistributionDomainName"
    assert "`STATIC_CUSTOM_DOMAIN` from `jam-cc-web`'s" in guide
    assert "`StaticDistributionDomainName` output" in guide


@pytest.mark.parametrize("stage", ["site", "publish"])
def test_nothing_git_ignores_at_the_top_reaches_a_django_package(stage: str) -> None:
    # Zappa zips the working tree: a local production.env (secrets), the rehearsal's unzipped
    # packages or a virtualenv would ship unless excluded by name.
    from deploy.stacks import ROOT

    config = committed_stages()[stage]
    shipped_on_purpose = {"*.mo"}  # compiled translations, built by `make locale`
    ignored = [
        line.strip().strip("/")
        for line in (ROOT / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#") and line.strip() not in shipped_on_purpose
    ]
    excluded = set(config["exclude"]) | set(config["exclude_glob"])

    assert [name for name in ignored if name not in excluded] == []
