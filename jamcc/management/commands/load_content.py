from django.apps import apps
from django.core.management.base import BaseCommand

from jamcc.content import content_load


class Command(BaseCommand):
    help = (
        "Load the contact center's content (departments, the ten queues, the prompts of every "
        "flow in English and Spanish) into this database. Idempotent: creates what is missing "
        "and keeps every existing record as editors left it. No demo sign-ins or customers."
    )

    def handle(self, *args: object, **options: object) -> None:
        for label, counts in content_load().items():
            name = apps.get_app_config(label).verbose_name
            self.stdout.write(f"{name}: {counts['created']} created, {counts['kept']} kept")
        self.stdout.write(
            self.style.SUCCESS(
                "Content is loaded. Next: connect_publish shows what Amazon Connect still needs."
            )
        )
