"""Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser download is not used: the tests launch Debian's /usr/bin/chromium
(`make test` installs it when missing). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import importlib
import os
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import werkzeug.serving
from django.conf import settings as django_settings
from django.urls import clear_url_caches
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in this thread, which Django would otherwise take
# for async code and refuse every database query from the test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# "localhost" may resolve to ::1; the live server and the browser both stay on 127.0.0.1.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Generous: two cores run the live server, Chromium and the test at once.
TIMEOUT_MS = 15_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `scripts/apt-install chromium` (or `make test`).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh, English-speaking browser tab whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


# --- An OpenID provider on loopback ------------------------------------------------------------
OIDC_CLIENT_ID = "jamcc-test-client"
OIDC_CLIENT_SECRET = "jamcc-test-secret"


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[str]:
    """oidc-provider-mock (Cognito's stand-in) on 127.0.0.1; yields its base URL."""
    # The mock still imports Authlib's deprecated modules, and Authlib forces its deprecation
    # warnings on at import; that is the mock's business, not this project's.
    with warnings.catch_warnings():
        import authlib.deprecate  # noqa: F401

        warnings.simplefilter("ignore")
        import oidc_provider_mock

    # The mock's OAuth library refuses plain http unless told this is a test.
    previous = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    app = oidc_provider_mock.app(require_nonce=True)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    if previous is None:
        del os.environ["AUTHLIB_INSECURE_TRANSPORT"]
    else:
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = previous


def _reload_urlconf() -> None:
    # jamcc.urls chooses its sign-in routes at import, from AUTH_MODE.
    clear_url_caches()
    importlib.reload(importlib.import_module(django_settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def oidc_settings(settings: object, oidc_provider: str) -> Iterator[str]:
    """The site in "oidc" mode against the loopback provider; yields the provider's URL."""
    auth_mode = settings.AUTH_MODE
    settings.AUTH_MODE = "oidc"
    settings.AUTHENTICATION_BACKENDS = ["jamcc.oidc.CognitoBackend"]
    settings.LOGIN_URL = "oidc_authentication_init"
    settings.OIDC_RP_CLIENT_ID = OIDC_CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = OIDC_CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{oidc_provider}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{oidc_provider}/oauth2/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{oidc_provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{oidc_provider}/jwks"
    settings.OIDC_OP_ISSUER = oidc_provider
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{oidc_provider}/oauth2/end_session"
    # The mock's ID tokens carry no `kid` (Cognito's do); it publishes a single key.
    settings.OIDC_VERIFY_KID = False
    _reload_urlconf()
    yield oidc_provider
    settings.AUTH_MODE = auth_mode
    _reload_urlconf()
