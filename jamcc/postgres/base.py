"""Django's PostgreSQL backend, with the user and password taken from a Secrets Manager secret.

RDS keeps the master password in a secret it rotates every 7 days
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html); the secret's
value is JSON with ``username`` and ``password``. A password copied into ``DATABASE_URL`` goes
stale at the first rotation, so this backend reads the secret instead: once per process, and
again when PostgreSQL refuses the password (the secret was rotated since it was read), then it
connects once more. Set ``DATABASE_SECRET_ARN`` to use it; host, port, name and options still
come from ``DATABASE_URL``.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import psycopg
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)

# 28P01 invalid_password; 28000 invalid_authorization_specification (e.g. the user is gone)
# (https://www.postgresql.org/docs/current/errcodes-appendix.html).
AUTH_FAILURES = {"28P01", "28000"}

_lock = threading.Lock()
_credentials: dict[str, tuple[str, str]] = {}
_client: Any = None


def credentials(secret_arn: str, *, refresh: bool = False) -> tuple[str, str]:
    """``(username, password)`` from the secret: cached, unless ``refresh`` asks again."""
    with _lock:
        if refresh or secret_arn not in _credentials:
            _credentials[secret_arn] = _secret_read(secret_arn)
        return _credentials[secret_arn]


def credentials_forget() -> None:
    """Drop the cached credentials and client (tests; a new region or endpoint)."""
    global _client
    with _lock:
        _credentials.clear()
        _client = None


def _secret_read(secret_arn: str) -> tuple[str, str]:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = _secrets_client().get_secret_value(SecretId=secret_arn)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise ImproperlyConfigured(
            f"Could not read the database credentials from {secret_arn}: "
            f"{error.get('Code', 'error')}: {error.get('Message', '')}"
        ) from exc
    except BotoCoreError as exc:
        raise ImproperlyConfigured(
            f"Could not read the database credentials from {secret_arn}: {exc}"
        ) from exc
    try:
        value = json.loads(answer["SecretString"])
        return str(value["username"]), str(value["password"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"Secret {secret_arn} is not RDS's JSON with a username and a password"
        ) from exc


def _secrets_client() -> Any:  # noqa: ANN401 - a boto3 client
    global _client
    if _client is None:
        import boto3
        from botocore.config import Config
        from django.conf import settings

        config = Config(
            connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 3}
        )
        _client = boto3.client("secretsmanager", region_name=settings.AWS_REGION, config=config)
    return _client


def is_auth_failure(exc: Exception) -> bool:
    """Whether PostgreSQL refused the credentials (not the network, not the server)."""
    if getattr(exc, "sqlstate", None) in AUTH_FAILURES:
        return True
    # A failed connection has no result to carry the SQLSTATE; the server's message does.
    text = str(exc)
    return "password authentication failed" in text or "no password supplied" in text


class DatabaseWrapper(base.DatabaseWrapper):
    def _secret_arn(self) -> str:
        arn = self.settings_dict.get("CREDENTIALS_SECRET", "")
        if not arn:
            raise ImproperlyConfigured("The jamcc.postgres backend needs CREDENTIALS_SECRET")
        return arn

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params["user"], params["password"] = credentials(self._secret_arn())
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:  # noqa: ANN401 - a psycopg connection
        try:
            return super().get_new_connection(conn_params)
        except psycopg.OperationalError as exc:
            if not is_auth_failure(exc):
                raise
            user, password = credentials(self._secret_arn(), refresh=True)
            if (user, password) == (conn_params.get("user"), conn_params.get("password")):
                raise  # the secret has not changed: the refusal is not a rotation
            logger.info("Database password refused; connecting with the rotated secret")
            return super().get_new_connection({**conn_params, "user": user, "password": password})
