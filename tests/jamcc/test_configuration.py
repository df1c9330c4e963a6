"""Where production's settings come from: a literal env file, or SSM Parameter Store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from deploy.motoserver import moto_server
from jamcc.configuration import (
    SettingsSourceError,
    env_file_read,
    environment_load,
    parameters_read,
)
from tests.jamcc.test_settings import EXAMPLE_ENV, check_deploy, example_env

PATH = "/jam-cc/site"
AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture
def ssm() -> Iterator[object]:
    with mock_aws():
        yield boto3.client("ssm", region_name="us-east-1")


def put(ssm: object, name: str, value: str, kind: str = "String") -> None:
    ssm.put_parameter(Name=name, Value=value, Type=kind)


# --- The env file ---------------------------------------------------------------------------


def test_an_env_file_value_arrives_exactly_as_written(tmp_path: Path) -> None:
    tricky = "p@ss $HOME 'single' \"double\" # not a comment & more"
    (tmp_path / "production.env").write_text(
        f'# a comment\n\nSECRET_KEY={tricky}\nOIDC_GROUP_MAP={{"a b": "C d"}}\nEMPTY=\n'
    )

    assert env_file_read(tmp_path / "production.env") == {
        "SECRET_KEY": tricky,
        "OIDC_GROUP_MAP": '{"a b": "C d"}',
        "EMPTY": "",
    }


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("export SECRET_KEY=x", "line 2: expected NAME=value"),
        ("secret_key=x", "line 2: expected NAME=value"),
        ("SECRET_KEY", "line 2: expected NAME=value"),
        ("DEBUG=true", "line 2: DEBUG twice"),
    ],
)
def test_a_malformed_env_file_line_is_refused_by_its_number(
    tmp_path: Path, line: str, says: str
) -> None:
    (tmp_path / "production.env").write_text(f"DEBUG=false\n{line}\n")

    with pytest.raises(SettingsSourceError, match=says):
        env_file_read(tmp_path / "production.env")


def test_a_missing_env_file_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(SettingsSourceError, match="No such file"):
        environment_load({"SETTINGS_ENV_FILE": str(tmp_path / "nowhere.env")})


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    (tmp_path / "production.env").write_text("DEBUG=false\nSECRET_KEY=from-file\n")
    environ = {"SETTINGS_ENV_FILE": str(tmp_path / "production.env"), "DEBUG": "true"}

    assert environment_load(environ) == ["SECRET_KEY"]
    assert environ["DEBUG"] == "true"


def test_production_starts_from_the_example_env_file_alone() -> None:
    result = check_deploy(SETTINGS_ENV_FILE=str(EXAMPLE_ENV))

    assert result.returncode == 0, result.stderr


# --- SSM Parameter Store --------------------------------------------------------------------


def test_it_reads_every_parameter_under_the_path_across_pages(ssm: object) -> None:
    for number in range(12):  # GetParametersByPath answers at most 10 a page
        put(ssm, f"{PATH}/SETTING_{number}", f"value {number}")
    put(ssm, f"{PATH}/SECRET_KEY", "s3cr3t", "SecureString")

    values = parameters_read(PATH, client=ssm)

    assert values["SECRET_KEY"] == "s3cr3t"
    assert len(values) == 13


def test_it_takes_nothing_from_below_the_path_or_beside_it(ssm: object) -> None:
    put(ssm, f"{PATH}/DEBUG", "false")
    put(ssm, f"{PATH}/old/SECRET_KEY", "nested")
    put(ssm, "/jam-cc/site-staging/SECRET_KEY", "other stage")

    assert parameters_read(PATH, client=ssm) == {"DEBUG": "false"}


def test_a_parameter_that_cannot_be_a_setting_is_refused_by_name(ssm: object) -> None:
    put(ssm, f"{PATH}/secret-key", "x")

    with pytest.raises(SettingsSourceError, match=f"Parameter {PATH}/secret-key cannot be"):
        parameters_read(PATH, client=ssm)


def test_an_empty_path_says_to_push_the_settings_first(ssm: object) -> None:
    with pytest.raises(SettingsSourceError, match="holds no parameters: push the settings"):
        parameters_read(PATH, client=ssm)


@pytest.mark.parametrize("path", ["jam-cc/site", "/", "/jam cc"])
def test_a_path_that_is_not_a_parameter_path_is_refused(path: str) -> None:
    with pytest.raises(SettingsSourceError, match="must be an absolute parameter path"):
        parameters_read(path, client=object())


def test_a_denied_read_stops_the_start_with_the_reason() -> None:
    client = boto3.client("ssm", region_name="us-east-1", **_keys())
    with Stubber(client) as stub:
        stub.add_client_error(
            "get_parameters_by_path",
            "AccessDeniedException",
            "not authorized to perform: ssm:GetParametersByPath",
            expected_params={"Path": PATH, "Recursive": False, "WithDecryption": True},
        )
        with pytest.raises(SettingsSourceError, match="AccessDeniedException: not authorized"):
            parameters_read(PATH, client=client)


def _keys() -> dict[str, str]:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def test_production_starts_from_the_parameter_store_alone() -> None:
    with moto_server() as url:
        ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=url, **_keys())
        for name, value in example_env().items():
            secret = name in ("SECRET_KEY", "OIDC_RP_CLIENT_SECRET")
            put(ssm, f"{PATH}/{name}", value, "SecureString" if secret else "String")

        result = check_deploy(
            SETTINGS_PARAMETER_PATH=PATH,
            AWS_REGION="us-east-1",
            AWS_ENDPOINT_URL_SSM=url,
            **AWS,
        )

    assert result.returncode == 0, result.stderr


def test_production_does_not_start_when_the_parameter_store_is_unreachable() -> None:
    with moto_server() as url:
        pass  # stopped: nothing listens on its port any more

    result = check_deploy(
        SETTINGS_PARAMETER_PATH=PATH, AWS_REGION="us-east-1", AWS_ENDPOINT_URL_SSM=url, **AWS
    )

    assert result.returncode != 0
    assert f"Could not read the settings under SSM parameter path {PATH}" in result.stderr


def test_the_embedded_default_reads_no_source() -> None:
    assert "SETTINGS_PARAMETER_PATH" not in os.environ
    assert environment_load({}) == []
