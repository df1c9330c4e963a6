"""Sign-in settings: production signs in through Cognito only; locally, htmx still behaves."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.jamcc.test_settings import check_deploy, example_env, without


def test_production_refuses_the_local_password_sign_in() -> None:
    result = check_deploy(**{**example_env(), "AUTH_MODE": "local"})

    assert result.returncode != 0
    assert "AUTH_MODE (must be 'oidc' in production)" in result.stderr


def test_production_names_every_missing_cognito_setting() -> None:
    result = check_deploy(**without("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "COGNITO_DOMAIN"))

    assert result.returncode != 0
    assert (
        "Missing required settings: OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET, COGNITO_DOMAIN"
        in result.stderr
    )


def test_the_embedded_default_signs_in_with_the_local_password_form(settings: object) -> None:
    assert settings.AUTH_MODE == "local"
    assert reverse("login") == "/accounts/login/"


@pytest.mark.django_db
def test_an_anonymous_htmx_poll_is_told_to_reload_the_local_sign_in_page(client: Client) -> None:
    url = reverse("support:call_status_fragment", args=["6f1c4f3e-2b1a-4c5d-8e9f-0a1b2c3d4e5f"])
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/support/calls/1/"}

    response = client.get(url, headers=headers)

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fsupport%2Fcalls%2F1%2F"
    assert response.content == b""


@pytest.mark.django_db
def test_an_anonymous_page_visit_still_gets_the_local_sign_in_redirect(client: Client) -> None:
    response = client.get(reverse("support:live"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/support/"
