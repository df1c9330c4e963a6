from datetime import date

from django.apps import AppConfig


class ConnectLocalConfig(AppConfig):
    name = "connectlocal"
    verbose_name = "Local Amazon Connect stand-in"

    def demo_load(self, today: date) -> None:
        """The hours of operation the stand-in serves (see ``jamcc.demo``)."""
        from .demo import demo_hours_load

        demo_hours_load(today)
