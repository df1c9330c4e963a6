from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SUPPORT_PHONE_NUMBER": settings.SUPPORT_PHONE_NUMBER,
        "CONNECT_IS_LOCAL": settings.CONNECT_BACKEND == "local",
        # The sign-in URL is swappable (Django's form locally, Cognito in production).
        "LOGIN_URL": resolve_url(settings.LOGIN_URL),
    }
