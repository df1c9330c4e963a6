"""Where the settings come from, before ``jamcc.settings`` reads them from the environment.

Production keeps one source of settings and secrets: AWS Systems Manager Parameter Store,
one parameter per setting under one path (``SETTINGS_PARAMETER_PATH``, e.g. ``/jam-cc/site``
holds ``/jam-cc/site/SECRET_KEY``, SecureString for secrets). The site reads the path once per
process, which on Lambda means once per cold start, so a changed parameter takes effect on the
next cold start (``zappa update`` forces one). The Lambda's own environment holds only that
path and the few fixed values its Zappa stage sets.

A machine outside Lambda (the operator's, CI's) may name a file instead with
``SETTINGS_ENV_FILE``: ``NAME=value`` lines read literally, with no shell in between, so a value
with ``$``, quotes, spaces or ``#`` arrives exactly as written. ``deploy.settings`` writes such
files and pushes them to the parameter path.

Either way, a variable already in the environment wins: the stage's fixed values and a test's
override are never replaced. Any failure to read the source stops the start with its reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any


class SettingsSourceError(Exception):
    """The settings source could not be read; the message says which and why.

    Not Django's ImproperlyConfigured: this module imports no Django, so the deploy tooling
    reads env files with this very code (``jamcc.settings`` re-raises it as that).
    """


NAME = re.compile(r"[A-Z_][A-Z0-9_]*\Z")
PATH = re.compile(r"/[A-Za-z0-9_.\-/]*[A-Za-z0-9_.\-]\Z")


def environment_load(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Add the configured source's settings to ``environ`` (default ``os.environ``).

    Returns the names added, for the start-up log. The file is read before the parameters, so
    an operator's file wins over the parameter store on their own machine.
    """
    environ = os.environ if environ is None else environ
    added: list[str] = []
    if env_file := environ.get("SETTINGS_ENV_FILE", ""):
        added += _merge(environ, env_file_read(Path(env_file)))
    if path := environ.get("SETTINGS_PARAMETER_PATH", ""):
        added += _merge(environ, parameters_read(path, region=_region(environ)))
    return added


def _merge(environ: MutableMapping[str, str], values: dict[str, str]) -> list[str]:
    added = [name for name in values if name not in environ]
    for name in added:
        environ[name] = values[name]
    return added


def _region(environ: MutableMapping[str, str]) -> str | None:
    return environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or None


# --- The env file ---------------------------------------------------------------------------


def env_file_read(path: Path) -> dict[str, str]:
    """``NAME=value`` lines, the value verbatim after the first ``=``; blank and ``#`` lines
    skipped. A missing file or a malformed line is an error that names the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsSourceError(f"SETTINGS_ENV_FILE {path}: {exc.strerror}") from exc
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not NAME.match(name):
            raise SettingsSourceError(
                f"SETTINGS_ENV_FILE {path}, line {number}: expected NAME=value with NAME in "
                "capitals, digits and _ (the value is taken literally, so do not quote it)"
            )
        if name in values:
            raise SettingsSourceError(f"SETTINGS_ENV_FILE {path}, line {number}: {name} twice")
        values[name] = value
    return values


# --- SSM Parameter Store --------------------------------------------------------------------


def parameters_read(path: str, *, region: str | None = None, client: Any = None) -> dict[str, str]:  # noqa: ANN401 - a boto3 client
    """Every parameter directly under ``path``, decrypted, keyed by its last name segment.

    GetParametersByPath pages at most 10 parameters at a time and decrypts SecureStrings with
    ``WithDecryption`` (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html).
    Not recursive: nothing below the path's own level can become a setting by accident.
    """
    if not PATH.match(path):
        raise SettingsSourceError(
            f"SETTINGS_PARAMETER_PATH {path!r} must be an absolute parameter path like /jam-cc/site"
        )
    from botocore.exceptions import BotoCoreError, ClientError

    client = client or _ssm_client(region)
    try:
        values = parameters_by_path(client, path)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise SettingsSourceError(
            f"Could not read the settings under SSM parameter path {path}: "
            f"{error.get('Code', 'error')}: {error.get('Message', '')}".rstrip(": ")
        ) from exc
    except BotoCoreError as exc:
        raise SettingsSourceError(
            f"Could not read the settings under SSM parameter path {path}: {exc}"
        ) from exc
    for name in values:
        if not NAME.match(name):
            raise SettingsSourceError(
                f"Parameter {path.rstrip('/')}/{name} cannot be a setting: its last part must "
                "be in capitals, digits and _ (e.g. SECRET_KEY)"
            )
    if not values:
        raise SettingsSourceError(
            f"SSM parameter path {path} holds no parameters: push the settings there first "
            "(python -m deploy push-settings, see docs/deploy.md)"
        )
    return values


def parameters_by_path(client: Any, path: str) -> dict[str, str]:  # noqa: ANN401 - a boto3 client
    """The parameters directly under ``path``, decrypted, by their last name segment, as
    they are (the deploy tooling reads the store with this too). Raises botocore's errors."""
    prefix = path.rstrip("/") + "/"
    pages = client.get_paginator("get_parameters_by_path").paginate(
        Path=prefix.rstrip("/"), Recursive=False, WithDecryption=True
    )
    return {
        parameter["Name"].removeprefix(prefix): parameter["Value"]
        for page in pages
        for parameter in page["Parameters"]
    }


def _ssm_client(region: str | None) -> Any:  # noqa: ANN401 - a boto3 client
    import boto3
    from botocore.config import Config

    # Start-up waits on this: short timeouts, and standard retries for a throttled burst of
    # cold starts (GetParametersByPath has a per-account request rate).
    config = Config(
        connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 4}
    )
    return boto3.client("ssm", region_name=region, config=config)
