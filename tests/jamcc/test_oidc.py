"""Sign-in with Cognito: what the ID token's claims make of a Django user, and the refusals."""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.models import AbstractUser, AnonymousUser, Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import clear_url_caches, reverse

from jamcc.oidc import (
    MESSAGE_WRONG_AUDIENCE,
    MESSAGE_WRONG_ISSUER,
    CognitoBackend,
    HtmxSessionRefresh,
)
from support.models import Profile, Queue
from tests.conftest import make_user

CLIENT_ID = "jamcc-client"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST"
COGNITO_DOMAIN = "https://jamcc.auth.us-east-1.amazoncognito.com"
SUB = "0b6a3c1e-2f4d-4e5a-8b7c-9d0e1f2a3b4c"
PHONE = "+12025550143"
SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _reload_urlconf() -> None:
    # jamcc.urls chooses its sign-in routes at import, from AUTH_MODE.
    clear_url_caches()
    importlib.reload(importlib.import_module(django_settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def oidc_mode(settings: object) -> Iterator[None]:
    """The site signing in through Cognito; nothing here reaches the network."""
    auth_mode = settings.AUTH_MODE
    settings.AUTH_MODE = "oidc"
    settings.AUTHENTICATION_BACKENDS = ["jamcc.oidc.CognitoBackend"]
    settings.LOGIN_URL = "oidc_authentication_init"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{COGNITO_DOMAIN}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{COGNITO_DOMAIN}/oauth2/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{COGNITO_DOMAIN}/oauth2/userInfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "http://127.0.0.1:9/jwks"
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{COGNITO_DOMAIN}/logout"
    settings.OIDC_RP_IDP_SIGN_KEY = (
        SIGNING_KEY.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    _reload_urlconf()
    yield
    settings.AUTH_MODE = auth_mode
    _reload_urlconf()


def claims(
    *,
    sub: str = SUB,
    email: str = "ana@example.com",
    groups: list[str] | None = None,
    phone: str = PHONE,
    phone_verified: bool = True,
) -> dict[str, object]:
    """A verified ID token's payload, shaped like Cognito's."""
    return {
        "sub": sub,
        "aud": CLIENT_ID,
        "iss": ISSUER,
        "email": email,
        "email_verified": True,
        "phone_number": phone,
        "phone_number_verified": phone_verified,
        "cognito:groups": groups or [],
    }


def sign_in(payload: dict[str, object]) -> AbstractUser:
    return CognitoBackend().get_or_create_user("access-token", "id-token", payload)


def group_names(user: AbstractUser) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def id_token(**overrides: object) -> str:
    now = int(time.time())
    payload = {**claims(), "nonce": "n", "iat": now, "exp": now + 300, **overrides}
    return jwt.encode(payload, SIGNING_KEY, algorithm="RS256")


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("oidc_mode")]


# --- Users, groups, staff -------------------------------------------------------------------


def test_a_first_sign_in_creates_a_user_named_by_the_subject() -> None:
    user = sign_in(claims())

    assert user.username == SUB
    assert user.email == "ana@example.com"
    assert not user.has_usable_password()


def test_the_same_subject_stays_the_same_user_when_the_email_changes() -> None:
    first = sign_in(claims(email="ana@example.com"))

    again = sign_in(claims(email="ana.new@example.com"))

    assert again.pk == first.pk
    assert get_user_model().objects.get(pk=first.pk).email == "ana.new@example.com"


def test_a_user_with_the_same_email_but_another_subject_is_someone_else() -> None:
    first = sign_in(claims(sub="subject-one", email="shared@example.com"))

    other = sign_in(claims(sub="subject-two", email="shared@example.com"))

    assert other.pk != first.pk


def test_cognito_groups_become_the_mapped_django_groups() -> None:
    user = sign_in(claims(groups=["prompt-editors", "customer-data-editors"]))

    assert group_names(user) == {"Prompt editors", "Customer data editors"}


def test_a_user_removed_from_a_cognito_group_loses_its_django_group_at_next_sign_in() -> None:
    sign_in(claims(groups=["prompt-editors", "customer-data-editors"]))

    user = sign_in(claims(groups=["customer-data-editors"]))

    assert group_names(user) == {"Customer data editors"}


def test_django_groups_outside_the_map_are_left_alone() -> None:
    user = sign_in(claims())
    user.groups.add(Group.objects.create(name="Granted by hand"))

    user = sign_in(claims(groups=["prompt-editors"]))

    assert group_names(user) == {"Granted by hand", "Prompt editors"}


def test_unknown_cognito_groups_grant_nothing() -> None:
    user = sign_in(claims(groups=["admins", "Prompt editors"]))

    assert group_names(user) == set()
    assert not user.is_staff


def test_the_staff_group_makes_a_staff_user_and_leaving_it_unmakes_one() -> None:
    assert sign_in(claims(groups=["staff"])).is_staff

    assert not sign_in(claims(groups=[])).is_staff


def test_the_staff_group_is_configurable(settings: object) -> None:
    settings.OIDC_STAFF_GROUP = "site-admins"

    assert sign_in(claims(groups=["site-admins"])).is_staff
    assert not sign_in(claims(groups=["staff"])).is_staff


# --- The phone number -----------------------------------------------------------------------


def test_a_verified_phone_number_prefills_the_call_form(client: Client, catalog: list) -> None:
    user = sign_in(claims(phone=PHONE, phone_verified=True))
    client.force_login(user, backend="jamcc.oidc.CognitoBackend")

    response = client.get(reverse("support:live"))

    assert response.context["form"].initial["phone"] == PHONE
    assert Profile.objects.get(user=user).phone_verified


def test_an_unverified_phone_number_is_neither_prefilled_nor_verified(
    client: Client, catalog: list
) -> None:
    user = sign_in(claims(phone=PHONE, phone_verified=False))
    client.force_login(user, backend="jamcc.oidc.CognitoBackend")

    response = client.get(reverse("support:live"))

    assert response.context["form"].initial["phone"] == ""
    assert not Profile.objects.get(user=user).phone_verified


def test_a_phone_number_that_lost_its_verification_is_no_longer_verified() -> None:
    sign_in(claims(phone=PHONE, phone_verified=True))

    user = sign_in(claims(phone=PHONE, phone_verified=False))

    assert not Profile.objects.get(user=user).phone_verified


def test_a_user_without_a_phone_number_gets_no_profile() -> None:
    user = sign_in(claims(phone=""))

    assert not Profile.objects.filter(user=user).exists()


# --- The ID token ---------------------------------------------------------------------------


def test_an_id_token_for_this_client_from_this_issuer_is_accepted() -> None:
    payload = CognitoBackend().verify_token(id_token(), nonce="n")

    assert payload["sub"] == SUB


def test_an_id_token_issued_for_another_client_is_refused() -> None:
    with pytest.raises(SuspiciousOperation, match=MESSAGE_WRONG_AUDIENCE):
        CognitoBackend().verify_token(id_token(aud="someone-elses-client"), nonce="n")


def test_an_id_token_issued_for_several_audiences_is_refused() -> None:
    with pytest.raises(SuspiciousOperation, match=MESSAGE_WRONG_AUDIENCE):
        CognitoBackend().verify_token(id_token(aud=[CLIENT_ID, "other"]), nonce="n")


def test_an_id_token_from_another_issuer_is_refused() -> None:
    with pytest.raises(SuspiciousOperation, match=MESSAGE_WRONG_ISSUER):
        CognitoBackend().verify_token(id_token(iss="https://evil.example.com"), nonce="n")


def test_an_id_token_for_another_nonce_is_refused() -> None:
    with pytest.raises(SuspiciousOperation, match="Nonce"):
        CognitoBackend().verify_token(id_token(nonce="replayed"), nonce="n")


def test_claims_without_a_subject_sign_nobody_in() -> None:
    with pytest.raises(SuspiciousOperation):
        sign_in({**claims(), "sub": ""})


# --- Routes: sign-in, admin, sign-out -------------------------------------------------------


def test_the_sign_in_link_starts_the_cognito_flow(client: Client) -> None:
    response = client.get("/accounts/login/?next=/support/")

    assert response.status_code == 302
    assert response["Location"] == "/oidc/authenticate/?next=/support/"


def test_the_cognito_flow_asks_for_a_nonce_and_a_pkce_challenge(client: Client) -> None:
    response = client.get("/oidc/authenticate/")

    location = response["Location"]
    assert location.startswith(f"{COGNITO_DOMAIN}/oauth2/authorize?")
    assert "nonce=" in location
    assert "code_challenge_method=S256" in location
    assert "scope=openid+email+phone+profile" in location


def test_a_sign_in_denied_at_cognito_lands_on_the_home_page(client: Client) -> None:
    response = client.get("/oidc/callback/?error=access_denied&state=whatever")

    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_the_admin_signs_in_through_cognito(client: Client) -> None:
    admin_login = client.get("/admin/")["Location"]

    response = client.get(admin_login)

    assert response["Location"] == "/oidc/authenticate/?next=%2Fadmin%2F"


def test_a_signed_in_non_staff_user_is_refused_the_admin_rather_than_looped(
    client: Client,
) -> None:
    client.force_login(sign_in(claims()), backend="jamcc.oidc.CognitoBackend")

    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 403


def test_the_password_form_does_not_exist_in_oidc_mode(client: Client) -> None:
    make_user("local@example.com")

    response = client.post(
        "/accounts/login/", {"username": "local@example.com", "password": "anything"}
    )

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session_and_cognitos(client: Client) -> None:
    client.force_login(sign_in(claims()), backend="jamcc.oidc.CognitoBackend")

    response = client.post(reverse("logout"))

    assert response["Location"] == (
        f"{COGNITO_DOMAIN}/logout?client_id={CLIENT_ID}&logout_uri=http%3A%2F%2Ftestserver%2F"
    )
    assert "_auth_user_id" not in client.session


# --- htmx and expired sessions --------------------------------------------------------------


def expired_request(*, htmx: bool) -> HttpRequest:
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/support/"}
    request = RequestFactory().get("/support/calls/x/status/", headers=headers if htmx else {})
    request.user = sign_in(claims())
    request.session = SessionStore()
    request.session[BACKEND_SESSION_KEY] = "jamcc.oidc.CognitoBackend"
    request.session["oidc_id_token_expiration"] = time.time() - 1
    return request


def refresh_middleware() -> HtmxSessionRefresh:
    return HtmxSessionRefresh(lambda request: HttpResponse("fragment"))


def test_an_htmx_poll_with_an_expired_session_is_told_to_reload_the_sign_in_page() -> None:
    response = refresh_middleware()(expired_request(htmx=True))

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/oidc/authenticate/?next=%2Fsupport%2F"


def test_a_page_with_an_expired_session_is_sent_to_cognito_to_refresh_it() -> None:
    response = refresh_middleware()(expired_request(htmx=False))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{COGNITO_DOMAIN}/oauth2/authorize?")
    assert "prompt=none" in response["Location"]


def test_the_health_check_is_never_refreshed() -> None:
    request = expired_request(htmx=False)
    request.path = "/healthz"

    assert refresh_middleware()(request).content == b"fragment"


def test_a_fresh_session_is_left_alone() -> None:
    request = expired_request(htmx=True)
    request.session["oidc_id_token_expiration"] = time.time() + 60

    assert refresh_middleware()(request).content == b"fragment"


def test_an_anonymous_htmx_poll_is_told_to_reload_the_sign_in_page(
    client: Client, catalog: list[Queue]
) -> None:
    url = reverse("support:call_status_fragment", args=["6f1c4f3e-2b1a-4c5d-8e9f-0a1b2c3d4e5f"])

    response = client.get(url, headers={"HX-Request": "true", "HX-Current-URL": "http://x.io/"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/oidc/authenticate/"


def test_an_anonymous_request_without_htmx_is_still_redirected(client: Client) -> None:
    response = client.get(reverse("support:live"))

    assert response.status_code == 302
    assert response["Location"] == "/oidc/authenticate/?next=/support/"


def test_an_anonymous_user_object_is_never_refreshed() -> None:
    request = expired_request(htmx=True)
    request.user = AnonymousUser()

    assert refresh_middleware()(request).content == b"fragment"
