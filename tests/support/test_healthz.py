"""/healthz: up or down for anyone, the parts for staff and for a monitor with the token."""

import pytest
from django.db import DatabaseError
from django.test import Client

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-monitor-token"
DETAILS = {
    "status": "ok",
    "database": "ok",
    "connect": {"backend": "local", "client": "idle", "web_ingress_flow": "set"},
    "dynamodb": {"pending": 0},
}


@pytest.fixture
def token(settings: object) -> str:
    settings.HEALTHZ_TOKEN = TOKEN
    return TOKEN


def test_healthz_tells_an_anonymous_visitor_only_that_the_site_is_up(
    client: Client, token: str
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_shows_the_details_to_signed_in_staff(client: Client) -> None:
    client.force_login(make_user("sam@example.com", is_staff=True))

    assert client.get("/healthz").json() == DETAILS


def test_healthz_tells_staff_when_the_web_ingress_flow_is_not_published_yet(
    client: Client, settings: object
) -> None:
    settings.CONNECT_WEB_INGRESS_FLOW_ID = ""
    client.force_login(make_user("sam@example.com", is_staff=True))

    answer = client.get("/healthz")

    assert answer.status_code == 200
    assert answer.json()["connect"]["web_ingress_flow"] == "not set"


def test_healthz_shows_a_signed_in_customer_only_the_status(client: Client) -> None:
    client.force_login(make_user("casey@example.com"))

    assert client.get("/healthz").json() == {"status": "ok"}


def test_healthz_shows_the_details_to_a_monitor_with_the_token(client: Client, token: str) -> None:
    response = client.get("/healthz", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.json() == DETAILS


def test_healthz_shows_only_the_status_for_a_wrong_token(client: Client, token: str) -> None:
    response = client.get("/healthz", headers={"Authorization": "Bearer not-the-token"})

    assert response.json() == {"status": "ok"}


def test_healthz_takes_no_token_while_the_setting_is_empty(
    client: Client, settings: object
) -> None:
    settings.HEALTHZ_TOKEN = ""

    response = client.get("/healthz", headers={"Authorization": "Bearer "})

    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_with_only_the_status_when_the_database_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_healthz_needs_no_sign_in_and_is_never_cached(client: Client) -> None:
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
