from datetime import date

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Live support"

    def content_load(self) -> dict[str, int]:
        """The departments and ten queues (see ``jamcc.content``)."""
        from .content import content_load

        return content_load()

    def demo_load(self, today: date) -> None:
        """The seed's catalog and the two demo sign-ins (see ``jamcc.demo``)."""
        from .demo import demo_catalog_load

        demo_catalog_load(today)
