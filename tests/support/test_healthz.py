import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_the_database_and_the_connect_adapter(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "connect": {"backend": "local", "client": "idle"},
        "dynamodb": {"pending": 0},
    }


@pytest.mark.django_db
def test_healthz_needs_no_sign_in_and_is_never_cached(client: Client) -> None:
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
