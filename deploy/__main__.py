"""``python -m deploy COMMAND``: the steps of docs/deploy.md that need more than one AWS call.

    stacks            create or update the stacks before the functions, in order
    access            the stack that lets Connect invoke the lookups (after `zappa deploy`)
    zappa-settings    write .deploy/zappa_settings.json from the stacks (zappa ... -s it)
    settings          write production.env (literal NAME=value) from the stacks
    push-settings F   make SSM Parameter Store under /jam-cc/site hold exactly file F

Each reads the choices exported in step 0 of docs/deploy.md (JAMCC_NAME, JAMCC_DOMAIN,
AWS_REGION, CONNECT_INSTANCE_ARN, CERTIFICATE_ARN) and AWS credentials the usual way.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .settings import (
    client_secret_read,
    env_file_write,
    parameters_pull,
    parameters_push,
    production_env,
)
from .stacks import SETTINGS_PATH, STACKS, DeployError, Deployment, outputs, stack_deploy
from .stages import LOOKUPS as FUNCTIONS
from .stages import stage_settings, stage_settings_write


def client(service: str) -> Any:  # noqa: ANN401 - boto3 client
    import boto3

    return boto3.client(service, region_name=os.environ.get("AWS_REGION"))  # type: ignore[call-overload]


def deployment() -> Deployment:
    account = client("sts").get_caller_identity()["Account"]
    return Deployment.from_environment(account)


def all_outputs() -> dict[str, dict[str, str]]:
    cfn = client("cloudformation")
    return {stack.name: outputs(cfn, stack.name) for stack in STACKS if not stack.after_functions}


def cmd_stacks(args: argparse.Namespace) -> None:
    chosen = deployment()
    cfn = client("cloudformation")
    earlier: dict[str, dict[str, str]] = {}
    for stack in STACKS:
        if not stack.after_functions:
            done = stack_deploy(cfn, stack, chosen.parameter_values(earlier=earlier))
            earlier[stack.name] = outputs(cfn, stack.name)
            print(f"{stack.name:18} {done}")


def cmd_access(args: argparse.Namespace) -> None:
    arns = deployed_functions()
    missing = [f"jamcc-{name}" for name in FUNCTIONS if name not in arns]
    if missing:
        raise DeployError(f"Deploy {', '.join(missing)} first (zappa deploy, docs/deploy.md)")
    values = deployment().parameter_values(functions=arns)
    cfn = client("cloudformation")
    for stack in STACKS:
        if stack.after_functions:
            print(f"{stack.name:18} {stack_deploy(cfn, stack, values)}")


def deployed_functions() -> dict[str, str]:
    """The ARN of each lookup that is deployed already, by stage."""
    from botocore.exceptions import ClientError

    lambdas = client("lambda")
    found = {}
    for stage in FUNCTIONS:
        try:
            answer = lambdas.get_function(FunctionName=f"jamcc-{stage}")
        except ClientError:
            continue  # not deployed yet
        found[stage] = answer["Configuration"]["FunctionArn"]
    return found


def cmd_zappa_settings(args: argparse.Namespace) -> None:
    path = stage_settings_write(stage_settings(deployment(), all_outputs()))
    print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


def cmd_settings(args: argparse.Namespace) -> None:
    stacks = all_outputs()
    previous = parameters_pull(client("ssm"), SETTINGS_PATH)
    values = production_env(
        deployment(),
        stacks,
        client_secret=client_secret_read(client("cognito-idp"), stacks["jam-cc-auth"]),
        support_phone_number=args.support_phone_number or previous.get("SUPPORT_PHONE_NUMBER", ""),
        previous=previous,
    )
    # After `zappa deploy`, the lookups' ARNs are what connect_publish puts in the flows; a
    # run before it leaves them out, and the run after it adds them.
    values |= {FUNCTIONS[stage]: arn for stage, arn in deployed_functions().items()}
    if not values["SUPPORT_PHONE_NUMBER"]:
        raise DeployError("Give --support-phone-number: the claimed number customers may dial")
    env_file_write(values, Path(args.output))
    print(f"wrote {args.output}: {len(values)} settings (secrets inside: keep it private)")


def cmd_push_settings(args: argparse.Namespace) -> None:
    # The site's own reader: what is pushed is exactly what the site will read back.
    from jamcc.configuration import env_file_read

    changed = parameters_push(client("ssm"), env_file_read(Path(args.file)), SETTINGS_PATH)
    for action, names in changed.items():
        print(f"{action:9} {len(names):2}  {' '.join(names)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("stacks").set_defaults(run=cmd_stacks)
    commands.add_parser("access").set_defaults(run=cmd_access)
    commands.add_parser("zappa-settings").set_defaults(run=cmd_zappa_settings)
    settings = commands.add_parser("settings")
    settings.add_argument("-o", "--output", default="production.env")
    settings.add_argument("--support-phone-number", default="")
    settings.set_defaults(run=cmd_settings)
    push = commands.add_parser("push-settings")
    push.add_argument("file")
    push.set_defaults(run=cmd_push_settings)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except DeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
