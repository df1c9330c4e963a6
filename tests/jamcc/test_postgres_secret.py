"""The database credentials come from RDS's Secrets Manager secret and survive its rotation."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from moto import mock_aws
from psycopg import OperationalError, sql

from jamcc.postgres import base
from jamcc.postgres.base import DatabaseWrapper, credentials_forget

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (the CI run on it has it)"
)


@pytest.fixture
def secrets() -> Iterator[object]:
    credentials_forget()
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")
    credentials_forget()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The secret reads the backend makes (each still goes to Secrets Manager)."""
    made: list[str] = []
    real = base._secret_read

    def counted(secret_arn: str) -> tuple[str, str]:
        made.append(secret_arn)
        return real(secret_arn)

    monkeypatch.setattr(base, "_secret_read", counted)
    return made


def secret(client: object, username: str, password: str) -> str:
    value = json.dumps({"username": username, "password": password})
    return client.create_secret(Name=f"rds!db-{uuid.uuid4()}", SecretString=value)["ARN"]


def wrapper(arn: str, **settings: object) -> DatabaseWrapper:
    settings_dict = {
        **connection.settings_dict,
        "ENGINE": "jamcc.postgres",
        "USER": "",
        "PASSWORD": "",
        "CREDENTIALS_SECRET": arn,
        **settings,
    }
    return DatabaseWrapper(settings_dict, alias=f"secret-{uuid.uuid4().hex[:8]}")


def test_it_connects_with_the_user_and_password_in_the_secret(
    secrets: object, reads: list[str]
) -> None:
    arn = secret(secrets, "jamcc", "first-password")

    params = wrapper(arn).get_connection_params()
    wrapper(arn).get_connection_params()

    assert (params["user"], params["password"]) == ("jamcc", "first-password")
    assert reads == [arn]  # once per process, not once per connection


@pytest.mark.parametrize("value", ['{"username": "jamcc"}', "not json", '["jamcc"]'])
def test_a_secret_that_is_not_rds_json_is_refused_clearly(secrets: object, value: str) -> None:
    arn = secrets.create_secret(Name="rds!db-bad", SecretString=value)["ARN"]

    with pytest.raises(ImproperlyConfigured, match="is not RDS's JSON with a username"):
        wrapper(arn).get_connection_params()


def test_a_missing_secret_is_refused_with_aws_reason(secrets: object) -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-gone-AbCdEf"

    with pytest.raises(ImproperlyConfigured, match="ResourceNotFoundException"):
        wrapper(arn).get_connection_params()


def test_only_a_refused_password_counts_as_a_rotation() -> None:
    refused = OperationalError(
        'connection failed: ... FATAL:  password authentication failed for user "jamcc"'
    )

    assert base.is_auth_failure(refused)
    assert not base.is_auth_failure(OperationalError("connection timeout expired"))


@pytest.fixture
def login_role(transactional_db: None) -> Iterator[str]:
    """A PostgreSQL role that may sign in, dropped afterwards (roles outlive transactions)."""
    name = f"rotating_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'first'").format(sql.Identifier(name))
        )
    yield name
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def rotate(role: str, client: object, arn: str, password: str) -> None:
    """What RDS's rotation does: a new password on the role, then in the secret."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(password))
        )
    client.put_secret_value(
        SecretId=arn, SecretString=json.dumps({"username": role, "password": password})
    )


def signed_in_as(db: DatabaseWrapper) -> str:
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT current_user")
            return cursor.fetchone()[0]
    finally:
        db.close()


@on_postgres
def test_after_a_rotation_it_reads_the_secret_again_and_connects(
    login_role: str, secrets: object, reads: list[str]
) -> None:
    arn = secret(secrets, login_role, "first")
    assert signed_in_as(wrapper(arn)) == login_role

    rotate(login_role, secrets, arn, "second")

    assert signed_in_as(wrapper(arn)) == login_role
    assert reads == [arn, arn]


@on_postgres
def test_a_wrong_password_the_secret_still_holds_fails_without_a_loop(
    login_role: str, secrets: object, reads: list[str]
) -> None:
    arn = secret(secrets, login_role, "not-the-password")

    with pytest.raises(Exception, match="password authentication failed"):
        signed_in_as(wrapper(arn))
    assert reads == [arn, arn]
