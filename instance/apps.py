from django.apps import AppConfig


class InstanceConfig(AppConfig):
    """The Amazon Connect instance as code: publishing it, and simulating calls through it."""

    name = "instance"
    verbose_name = "Amazon Connect instance"
