"""The contact center's production content, gathered from the apps that own it.

An app offers content with a ``content_load()`` method on its AppConfig that creates what is
missing, keeps what exists (editors own it after the first load) and says how much of each.
:func:`content_load` runs them in the order the apps are installed (the catalog before the
prompts), in one transaction. Demo data builds on this content; this content never includes
demo sign-ins or demo customers.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction


@transaction.atomic
def content_load() -> dict[str, dict[str, int]]:
    """Load every app's content; a second run creates nothing. Returns counts per app label.

    One transaction: a failure half-way leaves the database as it was, and the outbox pushes
    the new prompts to DynamoDB after the commit.
    """
    loaded: dict[str, dict[str, int]] = {}
    for config in apps.get_app_configs():
        load = getattr(config, "content_load", None)
        if load is not None:
            loaded[config.label] = load()
    return loaded
