"""Types for requests, shared by the views that need a signed-in user."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """A request that ``login_required`` (or the admin's sign-in) let through: a user's."""

    user: User
