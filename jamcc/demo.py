"""The embedded default's demo data, gathered from the apps that own it.

Demo data builds on the production content (:mod:`jamcc.content`), loaded first. An app
offers its demo data with a ``demo_load(today)`` method on its AppConfig;
:func:`demo_load` runs them in the order the apps are installed, so the catalog exists before
the stand-in's hours and the prompts that refer to it. No app imports another's demo data,
and none imports this module.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.db import transaction

from jamcc.content import content_load


@transaction.atomic
def demo_load(*, today: date | None = None) -> None:
    """Create or refresh all the demo data; running it again changes nothing that exists.

    One transaction: the outbox pushes what changed to DynamoDB after it commits.
    """
    today = today or date.today()
    content_load()
    for config in apps.get_app_configs():
        load = getattr(config, "demo_load", None)
        if load is not None:
            load(today)
