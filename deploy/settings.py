"""The site's production settings, worked out from the stacks, written and pushed to SSM.

Every value has one named origin (:data:`ORIGINS` says which stack output or choice it comes
from). The result is an env file of literal ``NAME=value`` lines, the format
``jamcc.configuration`` reads, so no shell ever interprets a value, and the same values go to
SSM Parameter Store under the settings path, where the site reads them at each cold start.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

# The site's own reader of the store and the names it accepts: what is pushed is read back
# exactly so (jamcc.configuration imports no Django).
from jamcc.configuration import NAME, parameters_by_path

from .stacks import SETTINGS_PATH, DeployError, Deployment, stack_output

# Stored as SecureString (encrypted with the account's aws/ssm key).
SECRETS = frozenset({"SECRET_KEY", "OIDC_RP_CLIENT_SECRET", "HEALTHZ_TOKEN"})

# Where each value comes from: "stack:Output", "choice:..." or "generated".
ORIGINS: dict[str, str] = {
    "DEBUG": "fixed",
    "SECRET_KEY": "generated (kept from the previous settings if there are any)",
    "HEALTHZ_TOKEN": "generated (kept from the previous settings if there are any)",
    "ALLOWED_HOSTS": "choice: JAMCC_DOMAIN",
    "CSRF_TRUSTED_ORIGINS": "choice: JAMCC_DOMAIN",
    "DATABASE_URL": "jam-cc-database: DatabaseHost, DatabasePort, DatabaseName",
    "DATABASE_SECRET_ARN": "jam-cc-database: DatabaseSecretArn",
    "CACHE_URL": "fixed",
    "STATIC_BUCKET": "jam-cc-web: StaticBucketName",
    "STATIC_CUSTOM_DOMAIN": "jam-cc-web: StaticDistributionDomainName",
    "MEDIA_BUCKET": "jam-cc-web: MediaBucketName",
    "AWS_REGION": "choice: AWS_REGION",
    "CONNECT_BACKEND": "fixed",
    "CONNECT_INSTANCE_ID": "choice: CONNECT_INSTANCE_ARN",
    "PROMPT_TABLE_NAME": "jam-cc-data: PromptTableName",
    "CUSTOMER_DATA_TABLE_NAME": "jam-cc-data: CustomerTableName",
    "AUTH_MODE": "fixed",
    "COGNITO_DOMAIN": "jam-cc-auth: HostedDomain",
    "COGNITO_USER_POOL_ID": "jam-cc-auth: UserPoolId",
    "COGNITO_REGION": "choice: AWS_REGION",
    "OIDC_RP_CLIENT_ID": "jam-cc-auth: AppClientId",
    "OIDC_RP_CLIENT_SECRET": "Cognito: DescribeUserPoolClient of AppClientId",
    "SUPPORT_PHONE_NUMBER": "choice: SUPPORT_PHONE_NUMBER (the claimed number)",
    "LOG_FORMAT": "fixed",
}


def production_env(
    deployment: Deployment,
    stack_outputs: dict[str, dict[str, str]],
    *,
    client_secret: str,
    support_phone_number: str,
    previous: dict[str, str] | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """The settings the site needs, from the stacks' outputs (by stack name) and the choices.

    ``previous`` (the settings already pushed) keeps the generated secrets stable across runs,
    so re-running does not sign everyone out; ``extra`` adds values known later, such as
    ``CONNECT_WEB_INGRESS_FLOW_ID`` and the Lambda ARNs after the first publish.
    """
    previous = previous or {}

    def output(stack: str, key: str) -> str:
        return stack_output(stack_outputs, stack, key)

    database = (
        f"postgres://{output('jam-cc-database', 'DatabaseHost')}:"
        f"{output('jam-cc-database', 'DatabasePort')}/{output('jam-cc-database', 'DatabaseName')}"
        "?sslmode=require"
    )
    values = {
        "DEBUG": "false",
        "SECRET_KEY": previous.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "HEALTHZ_TOKEN": previous.get("HEALTHZ_TOKEN") or secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": deployment.domain,
        "CSRF_TRUSTED_ORIGINS": f"https://{deployment.domain}",
        "DATABASE_URL": database,
        "DATABASE_SECRET_ARN": output("jam-cc-database", "DatabaseSecretArn"),
        "CACHE_URL": "dbcache://jamcc_cache",
        "STATIC_BUCKET": output("jam-cc-web", "StaticBucketName"),
        "STATIC_CUSTOM_DOMAIN": output("jam-cc-web", "StaticDistributionDomainName"),
        "MEDIA_BUCKET": output("jam-cc-web", "MediaBucketName"),
        "AWS_REGION": deployment.region,
        "CONNECT_BACKEND": "aws",
        "CONNECT_INSTANCE_ID": deployment.connect_instance_id,
        "PROMPT_TABLE_NAME": output("jam-cc-data", "PromptTableName"),
        "CUSTOMER_DATA_TABLE_NAME": output("jam-cc-data", "CustomerTableName"),
        "AUTH_MODE": "oidc",
        "COGNITO_DOMAIN": output("jam-cc-auth", "HostedDomain"),
        "COGNITO_USER_POOL_ID": output("jam-cc-auth", "UserPoolId"),
        "COGNITO_REGION": deployment.region,
        "OIDC_RP_CLIENT_ID": output("jam-cc-auth", "AppClientId"),
        "OIDC_RP_CLIENT_SECRET": client_secret,
        "SUPPORT_PHONE_NUMBER": support_phone_number,
        "LOG_FORMAT": "json",
    }
    # Values the operator added to the pushed settings stay (e.g. the web-ingress flow id).
    for name, value in previous.items():
        values.setdefault(name, value)
    values |= extra or {}
    return values


def client_secret_read(cognito: Any, auth_outputs: dict[str, str]) -> str:  # noqa: ANN401 - boto3 client
    """The app client's secret: Cognito never puts it in a stack output."""
    answer = cognito.describe_user_pool_client(
        UserPoolId=auth_outputs["UserPoolId"], ClientId=auth_outputs["AppClientId"]
    )
    return str(answer["UserPoolClient"]["ClientSecret"])


# --- The env file ---------------------------------------------------------------------------


def env_file_text(values: dict[str, str]) -> str:
    """Literal ``NAME=value`` lines; refuses what that format cannot hold (a line break)."""
    lines = [
        "# JAM Contact Center production settings: NAME=value, read literally (no quoting).",
        "# Written by `python -m deploy settings`; push with `python -m deploy push-settings`.",
    ]
    for name, value in values.items():
        if not NAME.match(name):
            raise DeployError(f"{name!r} cannot be a setting name")
        if "\n" in value or "\r" in value:
            raise DeployError(f"{name}'s value has a line break, which an env file cannot hold")
        lines.append(f"{name}={value}")
    return "\n".join(lines) + "\n"


def env_file_write(values: dict[str, str], path: Path) -> None:
    # Secrets inside: readable by the operator alone.
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(env_file_text(values), encoding="utf-8")


# --- SSM Parameter Store --------------------------------------------------------------------


def parameters_pull(ssm: Any, path: str = SETTINGS_PATH) -> dict[str, str]:  # noqa: ANN401 - boto3 client
    """What the store holds for the site now (the settings path by default)."""
    return parameters_by_path(ssm, path)


def parameters_push(
    ssm: Any,  # noqa: ANN401 - boto3 client
    values: dict[str, str],
    path: str = SETTINGS_PATH,
    *,
    prune: bool = True,
) -> dict[str, list[str]]:
    """Make the parameters under ``path`` hold exactly ``values``; say what changed.

    Unchanged values are not written again (each write makes a new parameter version), and
    with ``prune`` a setting removed from the file is removed from the store, so the file and
    the site never disagree.
    """
    current = parameters_pull(ssm, path)
    changed: dict[str, list[str]] = {"written": [], "unchanged": [], "deleted": []}
    for name, value in values.items():
        if current.get(name) == value:
            changed["unchanged"].append(name)
            continue
        # An empty String parameter is not allowed; an empty setting is simply left out.
        if value == "":
            continue
        ssm.put_parameter(
            Name=f"{path}/{name}",
            Value=value,
            Type="SecureString" if name in SECRETS else "String",
            Overwrite=True,
        )
        changed["written"].append(name)
    if prune:
        gone = sorted(set(current) - {name for name, value in values.items() if value})
        for start in range(0, len(gone), 10):  # DeleteParameters takes at most 10 names
            batch = gone[start : start + 10]
            ssm.delete_parameters(Names=[f"{path}/{name}" for name in batch])
            changed["deleted"] += batch
    return changed
