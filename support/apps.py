from datetime import date

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Live support"

    def demo_load(self, today: date) -> None:
        """The seed's catalog and the two demo sign-ins (see ``jamcc.demo``)."""
        from .demo import demo_catalog_load

        demo_catalog_load(today)
