"""Sign-in with Amazon Cognito through mozilla-django-oidc.

Users are matched on the ID token's `sub` (stored as the Django username), never on email:
an email address can change hands, the subject cannot. Groups, the staff flag and the
verified phone number are copied from the ID token at every sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh

from support.models import Profile

Claims = dict[str, Any]

MESSAGE_WRONG_AUDIENCE = "The ID token was issued for another client."
MESSAGE_WRONG_ISSUER = "The ID token was issued by another provider."


class CognitoBackend(OIDCAuthenticationBackend):
    def verify_token(self, token: str, **kwargs: str | None) -> Claims:
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc checks the signature and nonce but neither audience nor issuer.
        if _audiences(payload) != [self.OIDC_RP_CLIENT_ID]:
            raise SuspiciousOperation(MESSAGE_WRONG_AUDIENCE)
        issuer = self.get_settings("OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation(MESSAGE_WRONG_ISSUER)
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: Claims) -> Claims:
        # Cognito's userInfo lacks cognito:groups; the verified ID token carries every claim
        # the site needs, and using it saves a round trip.
        return payload

    def verify_claims(self, claims: Claims) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: Claims) -> QuerySet[User]:
        return self.UserModel.objects.filter(username=claims["sub"])

    def describe_user_by_claims(self, claims: Claims) -> str:
        return f"sub {claims.get('sub')}"

    @transaction.atomic
    def create_user(self, claims: Claims) -> User:
        user = self.UserModel.objects.create_user(claims["sub"], email=claims.get("email", ""))
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user: User, claims: Claims) -> User:
        groups = _claim_groups(claims)
        user.email = claims.get("email", user.email)
        user.is_staff = settings.OIDC_STAFF_GROUP in groups
        user.save(update_fields=["email", "is_staff"])
        _groups_sync(user=user, cognito_groups=groups)
        _phone_sync(user=user, claims=claims)
        return user


def _audiences(payload: Claims) -> list[str]:
    aud = payload.get("aud")
    return [aud] if isinstance(aud, str) else list(aud or [])


def _claim_groups(claims: Claims) -> set[str]:
    groups = claims.get("cognito:groups") or []
    return {groups} if isinstance(groups, str) else set(groups)


def _groups_sync(*, user: User, cognito_groups: set[str]) -> None:
    """Give the mapped Django groups the token names and take away the other mapped ones.

    Groups outside the map are left alone: an admin may grant them by hand.
    """
    for cognito_name, django_name in settings.OIDC_GROUP_MAP.items():
        group, _ = Group.objects.get_or_create(name=django_name)
        if cognito_name in cognito_groups:
            user.groups.add(group)
        else:
            user.groups.remove(group)


def _is_true(value: object) -> bool:
    # Cognito's ID token says true; some of its endpoints say "true".
    return value is True or value == "true"


def _phone_sync(*, user: User, claims: Claims) -> None:
    phone = str(claims.get("phone_number") or "")
    # A CharField, whose max_length Django requires (the None in its type is for other fields).
    max_length = cast(int, Profile._meta.get_field("phone_number").max_length)
    if len(phone) > max_length:
        phone = ""
    verified = bool(phone) and _is_true(claims.get("phone_number_verified"))
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    if not phone and profile.pk is None:
        return
    profile.phone_number, profile.phone_verified = phone, verified
    profile.full_clean()
    profile.save()


def provider_logout_url(request: HttpRequest) -> str:
    """Cognito's hosted sign-out, which ends its session and returns to the home page."""
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "logout_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
    }
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(params)}"


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in through Cognito like everyone else."""
    if request.user.is_authenticated:
        # Signed in but not staff: sending them to Cognito again would loop straight back.
        raise PermissionDenied
    query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
    return HttpResponseRedirect(f"{reverse('oidc_authentication_init')}?{query}")


def _htmx_redirect(request: HttpRequest) -> HttpResponse:
    """Send htmx to the sign-in page as a whole-page visit, returning to the page it was on."""
    url = resolve_url(settings.LOGIN_URL)
    current = request.headers.get("HX-Current-URL", "")
    if current and url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(current)
        url += "?" + urlencode({"next": parts.path + (f"?{parts.query}" if parts.query else "")})
    return HttpResponse(status=204, headers={"HX-Redirect": url})


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


class HtmxLoginRedirectMiddleware:
    """Answer htmx with HX-Redirect where a view would redirect it to the sign-in page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_htmx(request) and self._is_sign_in_redirect(response):
            return _htmx_redirect(request)
        return response

    @staticmethod
    def _is_sign_in_redirect(response: HttpResponse) -> bool:
        if response.status_code not in (301, 302, 303, 307, 308):
            return False
        return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


class HtmxSessionRefresh(SessionRefresh):
    """Refresh the Cognito session, but never by a redirect htmx would swap into a fragment."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        response = super().process_request(request)
        if response is not None and _is_htmx(request):
            return _htmx_redirect(request)
        return response
