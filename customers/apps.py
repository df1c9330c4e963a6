from datetime import date

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Caller records"

    def ready(self) -> None:
        from outbox.sync import Kind, kind_register

        from . import signals  # noqa: F401 - connects the outbox receivers
        from .selectors import customer_items
        from .services import customer_load

        kind_register(
            Kind(
                name="customers",
                items_for=lambda keys: customer_items(keys),
                items_all=lambda: customer_items(None),
                load=customer_load,
            )
        )

    def demo_load(self, today: date) -> None:
        """The demo caller records (see ``jamcc.demo``); they reach DynamoDB through the outbox."""
        from .demo import demo_customers_load

        demo_customers_load()
