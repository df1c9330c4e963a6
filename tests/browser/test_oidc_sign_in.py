"""Sign-in through an OpenID provider on loopback, standing in for Amazon Cognito.

Chromium walks the whole flow (sign in, groups and phone from the ID token, sign out); the
refused cases drive the callback directly, since a browser cannot forge a state, a nonce or
a signature.
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from jamcc.demo import demo_load
from jamcc.oidc import CognitoBackend
from support.models import CallRequest

from .conftest import OIDC_CLIENT_ID

SUB = "7d0c1a52-3b7e-4f0e-9a51-0c2f5e2b9a11"
EMAIL = "ana@example.com"
PHONE = "+12025550177"


def register_user(provider: str, *, sub: str = SUB, **claims: object) -> None:
    """Tell the provider what the ID token says about this subject (as Cognito would)."""
    body = {
        "email": EMAIL,
        "email_verified": True,
        "phone_number": PHONE,
        "phone_number_verified": True,
        "cognito:groups": ["staff", "prompt-editors"],
        **claims,
    }
    response = httpx.put(f"{provider}/users/{quote(sub)}", json=body)
    assert response.status_code == 204


def authorize(url: str, *, sub: str = SUB) -> str:
    """Approve an authorization request at the provider as `sub`; return the callback URL."""
    response = httpx.post(url, data={"sub": sub})
    assert response.is_redirect, response.text
    return response.headers["location"]


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_cognito_user_signs_in_gets_groups_and_phone_then_signs_out(
    page: Page, oidc_settings: str, live_server: object
) -> None:
    demo_load()
    register_user(oidc_settings)

    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Sign in").click()
    page.get_by_placeholder("sub").fill(SUB)
    page.get_by_role("button", name="Authorize").click()

    expect(page).to_have_url("/support/")
    expect(page.get_by_role("navigation")).to_contain_text(EMAIL)
    user = get_user_model().objects.get(username=SUB)
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["Prompt editors"]

    page.locator('a.queue-link[data-queue="Support-Website"]').click()
    expect(page.get_by_label("Your phone number")).to_have_value(PHONE)
    page.get_by_role("button", name="Start call").click()
    expect(page.get_by_role("heading", name="We are calling you at")).to_contain_text("0177")
    assert CallRequest.objects.get(user=user).verified

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(f"{oidc_settings}/oauth2/end_session?")))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"client_id": [OIDC_CLIENT_ID], "logout_uri": [f"{live_server.url}/"]}
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()


@pytest.mark.django_db
def test_a_callback_with_a_state_this_browser_never_sent_is_refused(
    client: Client, oidc_settings: str
) -> None:
    register_user(oidc_settings)
    start = client.get("/oidc/authenticate/")
    genuine = authorize(start["Location"])
    params = {k: v[0] for k, v in parse_qs(urlsplit(genuine).query).items()}
    forged = "/oidc/callback/?" + urlencode(params | {"state": "forged-state"})

    response = client.get(forged)

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_id_token_carrying_another_nonce_is_refused(client: Client, oidc_settings: str) -> None:
    register_user(oidc_settings)
    start = urlsplit(client.get("/oidc/authenticate/")["Location"])
    params = {k: v[0] for k, v in parse_qs(start.query).items()} | {"nonce": "replayed-nonce"}
    tampered = f"{oidc_settings}/oauth2/authorize?{urlencode(params)}"

    response = client.get(callback_path(authorize(tampered)))

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_genuine_flow_without_a_browser_signs_the_user_in(
    client: Client, oidc_settings: str
) -> None:
    register_user(oidc_settings)
    start = client.get("/oidc/authenticate/")

    response = client.get(callback_path(authorize(start["Location"])))

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username=SUB).pk)


def provider_kid(provider: str) -> str:
    return httpx.get(f"{provider}/jwks").json()["keys"][0]["kid"]


def token_signed_with_an_unknown_key(provider: str, *, kid: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"iss": provider, "aud": OIDC_CLIENT_ID, "sub": SUB, "nonce": "n"}
    claims |= {"iat": now, "exp": now + 300}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@pytest.mark.django_db
def test_an_id_token_signed_with_an_unknown_key_under_the_providers_key_id_is_refused(
    oidc_settings: str,
) -> None:
    token = token_signed_with_an_unknown_key(oidc_settings, kid=provider_kid(oidc_settings))

    with pytest.raises(SuspiciousOperation, match="verification failed"):
        CognitoBackend().verify_token(token, nonce="n")


@pytest.mark.django_db
def test_an_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused(
    oidc_settings: str, settings: object
) -> None:
    settings.OIDC_VERIFY_KID = True  # as with Cognito, whose tokens name their key
    token = token_signed_with_an_unknown_key(oidc_settings, kid="not-the-providers")

    with pytest.raises(SuspiciousOperation, match="valid JWKS"):
        CognitoBackend().verify_token(token, nonce="n")
