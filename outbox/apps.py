from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """The outbox to DynamoDB: each app registers the kind of items it keeps there."""

    name = "outbox"
    verbose_name = "DynamoDB sync"
