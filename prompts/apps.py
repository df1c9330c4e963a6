from datetime import date

from django.apps import AppConfig


class PromptsConfig(AppConfig):
    name = "prompts"
    verbose_name = "IVR prompts"

    def ready(self) -> None:
        from outbox.sync import Kind, kind_register

        from . import signals  # noqa: F401 - connects the outbox receivers
        from .selectors import flow_item_comparable, flow_items
        from .services import flow_load

        kind_register(
            Kind(
                name="prompts",
                items_for=lambda keys: flow_items(keys),
                items_all=lambda: flow_items(None),
                load=flow_load,
                comparable=flow_item_comparable,
            )
        )

    def content_load(self) -> dict[str, int]:
        """The prompts of every flow in both languages (see ``jamcc.content``)."""
        from .content import content_load

        return content_load()

    def demo_load(self, today: date) -> None:
        """Prompts for every flow (see ``jamcc.demo``); they reach DynamoDB through the outbox."""
        from .demo import demo_prompts_load

        demo_prompts_load()
