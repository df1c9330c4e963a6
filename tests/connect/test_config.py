"""Settings from the environment, with defaults that reach DynamoDB on AWS."""

from __future__ import annotations

import pytest

from connect.config import ConfigError, Settings, settings_from


def test_the_defaults_are_the_seed_tables_on_aws() -> None:
    assert settings_from({}) == Settings(
        prompt_table="jam-cc-prompts",
        customer_table="jam-cc-customer-data",
        endpoint_url=None,
        region="us-east-1",
        prompt_cache_ttl=60.0,
        customer_cache_ttl=60.0,
    )


def test_every_setting_can_be_overridden() -> None:
    config = settings_from(
        {
            "PROMPT_TABLE_NAME": "prompts-prod",
            "CUSTOMER_DATA_TABLE_NAME": "customers-prod",
            "DYNAMODB_ENDPOINT_URL": "http://127.0.0.1:8001",
            "AWS_REGION": "eu-west-2",
            "PROMPT_CACHE_TTL": "5",
            "CUSTOMER_CACHE_TTL": "30",
        }
    )

    assert config == Settings(
        "prompts-prod", "customers-prod", "http://127.0.0.1:8001", "eu-west-2", 5.0, 30.0
    )


def test_the_default_region_variable_is_used_when_aws_region_is_unset() -> None:
    assert settings_from({"AWS_DEFAULT_REGION": "ap-southeast-2"}).region == "ap-southeast-2"


def test_the_customer_cache_follows_the_prompt_cache_ttl_unless_set() -> None:
    assert settings_from({"PROMPT_CACHE_TTL": "0"}).customer_cache_ttl == 0


def test_an_empty_variable_counts_as_unset() -> None:
    assert settings_from({"DYNAMODB_ENDPOINT_URL": "", "PROMPT_CACHE_TTL": ""}) == Settings()


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_ttl_that_is_not_a_number_of_seconds_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="PROMPT_CACHE_TTL"):
        settings_from({"PROMPT_CACHE_TTL": value})
