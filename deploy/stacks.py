"""The CloudFormation stacks of a deployment, in the order they must be created.

The operator names a deployment once (:class:`Deployment`, from environment variables that
``docs/deploy.md`` has them export); every value that must be unique worldwide (the buckets,
the Cognito domain prefix) derives from that name and the account id, so none is a literal
here or in the templates. Each stack gets exactly the parameters its template declares.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .templates import template

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
NAME = re.compile(r"[a-z][a-z0-9-]{1,28}[a-z0-9]\Z")
DOMAIN = re.compile(r"(?=.{4,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z")
SETTINGS_PATH = "/jam-cc/site"


class DeployError(Exception):
    """The deployment cannot go on as asked; the message says what to fix."""


@dataclass(frozen=True)
class Stack:
    name: str
    template: str
    # Template outputs other stacks import need their own stack names, hence IAM capabilities.
    capabilities: tuple[str, ...] = ()
    # Created after `zappa deploy`, because it needs the functions' ARNs.
    after_functions: bool = False

    def body(self) -> str:
        return (INFRA / self.template).read_text(encoding="utf-8")


# The documented order: each stack only imports from stacks before it.
STACKS = (
    Stack("jam-cc-network", "network.yaml"),
    Stack("jam-cc-database", "database.yaml"),
    Stack("jam-cc-data", "data.yaml"),
    Stack("jam-cc-auth", "auth.yaml", ("CAPABILITY_IAM",)),
    Stack("jam-cc-web", "web.yaml"),
    Stack("jam-cc-roles", "roles.yaml", ("CAPABILITY_NAMED_IAM",)),
    Stack("jam-cc-access", "access.yaml", after_functions=True),
)


@dataclass(frozen=True)
class Deployment:
    """What the operator chooses; everything else comes from stack outputs.

    ``name`` must be unique worldwide among Cognito domain prefixes and, with the account id,
    among S3 bucket names; ``domain`` is the site's host name.
    """

    name: str
    domain: str
    region: str
    account: str
    connect_instance_arn: str
    certificate_arn: str = ""

    @classmethod
    def from_environment(cls, account: str, environ: dict[str, str] | None = None) -> Deployment:
        env = dict(os.environ if environ is None else environ)
        missing = [
            var
            for var in ("JAMCC_NAME", "JAMCC_DOMAIN", "AWS_REGION", "CONNECT_INSTANCE_ARN")
            if not env.get(var)
        ]
        if missing:
            raise DeployError("Export these first (docs/deploy.md, step 0): " + ", ".join(missing))
        deployment = cls(
            name=env["JAMCC_NAME"],
            domain=env["JAMCC_DOMAIN"].lower(),
            region=env["AWS_REGION"],
            account=account,
            connect_instance_arn=env["CONNECT_INSTANCE_ARN"],
            certificate_arn=env.get("CERTIFICATE_ARN", ""),
        )
        deployment.check()
        return deployment

    def check(self) -> None:
        if not NAME.match(self.name):
            raise DeployError(
                f"JAMCC_NAME {self.name!r}: 3-30 lower-case letters, digits and hyphens, starting "
                "with a letter (it becomes the Cognito domain prefix and part of bucket names)"
            )
        if not DOMAIN.match(self.domain):
            raise DeployError(
                f"JAMCC_DOMAIN {self.domain!r} is not a host name like support.example.com"
            )
        arn = self.connect_instance_arn
        if not re.fullmatch(
            rf"arn:aws[a-z-]*:connect:{self.region}:\d{{12}}:instance/[0-9a-f-]{{36}}", arn
        ):
            raise DeployError(
                f"CONNECT_INSTANCE_ARN {arn!r} is not an Amazon Connect instance ARN in "
                f"{self.region} (Connect console: Overview, Instance ARN)"
            )

    @property
    def zappa_bucket(self) -> str:
        return f"{self.name}-zappa-{self.account}"

    @property
    def static_bucket(self) -> str:
        return f"{self.name}-static-{self.account}"

    @property
    def media_bucket(self) -> str:
        return f"{self.name}-media-{self.account}"

    @property
    def connect_instance_id(self) -> str:
        return self.connect_instance_arn.rsplit("/", 1)[1]

    def parameter_values(
        self,
        functions: dict[str, str] | None = None,
        earlier: dict[str, dict[str, str]] | None = None,
    ) -> dict[str, str]:
        """Every parameter any template takes, by name; each stack picks its own.

        ``earlier`` holds the outputs of the stacks already deployed (by stack name), for the
        values a later stack takes from them.
        """
        earlier = earlier or {}
        values = {
            "NetworkStackName": "jam-cc-network",
            "DatabaseStackName": "jam-cc-database",
            "DomainPrefix": self.name,
            # The site's own URLs: its host is known before the site exists, so the callback
            # can be registered first and the sign-in works the moment DNS points at the site.
            "CallbackUrls": f"https://{self.domain}/oidc/callback/",
            "LogoutUrls": f"https://{self.domain}/",
            "StaticBucketName": self.static_bucket,
            "MediaBucketName": self.media_bucket,
            "ConnectInstanceArn": self.connect_instance_arn,
            "SettingsPath": SETTINGS_PATH,
        }
        if secret := earlier.get("jam-cc-database", {}).get("DatabaseSecretArn"):
            values["DatabaseSecretArn"] = secret
        if functions:
            values |= {
                "PromptsFunctionArn": functions["lookup-prompts"],
                "CustomerFunctionArn": functions["lookup-customer"],
            }
        return values


def template_parameters(stack: Stack) -> dict[str, dict[str, Any]]:
    """The template's declared parameters."""
    parameters: dict[str, dict[str, Any]] = template(stack.template).get("Parameters", {})
    return parameters


def stack_parameters(stack: Stack, values: dict[str, str]) -> list[dict[str, str]]:
    declared = template_parameters(stack)
    missing = [
        name for name, spec in declared.items() if "Default" not in spec and name not in values
    ]
    if missing:
        raise DeployError(f"{stack.name} needs {', '.join(missing)} (for {stack.template})")
    return [
        {"ParameterKey": name, "ParameterValue": values[name]}
        for name in declared
        if name in values
    ]


def stack_deploy(cfn: Any, stack: Stack, values: dict[str, str]) -> str:  # noqa: ANN401 - boto3 client
    """Create the stack or update it in place; wait for it; return what happened."""
    from botocore.exceptions import ClientError

    request = {
        "StackName": stack.name,
        "TemplateBody": stack.body(),
        "Parameters": stack_parameters(stack, values),
        "Capabilities": list(stack.capabilities),
    }
    try:
        cfn.describe_stacks(StackName=stack.name)
    except ClientError as exc:
        if "does not exist" not in str(exc):
            raise
        cfn.create_stack(**request, OnFailure="ROLLBACK")
        cfn.get_waiter("stack_create_complete").wait(
            StackName=stack.name, WaiterConfig={"Delay": 1 if _local(cfn) else 15}
        )
        return "created"
    try:
        cfn.update_stack(**request)
    except ClientError as exc:
        if "No updates are to be performed" in str(exc):
            return "unchanged"
        raise
    cfn.get_waiter("stack_update_complete").wait(
        StackName=stack.name, WaiterConfig={"Delay": 1 if _local(cfn) else 15}
    )
    return "updated"


def _local(client: Any) -> bool:  # noqa: ANN401 - boto3 client
    return str(client.meta.endpoint_url).startswith("http://127.0.0.1")


def outputs(cfn: Any, stack_name: str) -> dict[str, str]:  # noqa: ANN401 - boto3 client
    from botocore.exceptions import ClientError

    try:
        [found] = cfn.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        raise DeployError(f"Stack {stack_name} does not exist yet: create it first") from exc
    return {item["OutputKey"]: item["OutputValue"] for item in found.get("Outputs", [])}


def stack_output(stack_outputs: dict[str, dict[str, str]], stack: str, key: str) -> str:
    """One output of a deployed stack, from the outputs gathered by stack name."""
    if stack not in stack_outputs:
        raise DeployError(f"Stack {stack} is not deployed yet: run `python -m deploy stacks` first")
    try:
        return stack_outputs[stack][key]
    except KeyError:
        raise DeployError(f"Stack {stack} has no output {key}: update it from infra/") from None
