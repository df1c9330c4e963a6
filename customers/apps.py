from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Caller records"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the outbox receivers
        from .selectors import customer_items
        from .services import customer_load
        from .sync import Kind, kind_register

        kind_register(
            Kind(
                name="customers",
                items_for=lambda keys: customer_items(keys),
                items_all=lambda: customer_items(None),
                load=customer_load,
            )
        )
