from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jamcc.demo import demo_load
from support.demo import DEMO_CUSTOMER, DEMO_PASSWORD, DEMO_STAFF


class Command(BaseCommand):
    help = "Load the demo catalog, hours and sign-ins (embedded default only); idempotent."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO_DATA:
            raise CommandError("Demo data is only for the embedded default (DEMO_DATA is off).")
        demo_load()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Sign in with:"))
        self.stdout.write(f"  customer  {DEMO_CUSTOMER} / {DEMO_PASSWORD}")
        self.stdout.write(f"  staff     {DEMO_STAFF} / {DEMO_PASSWORD}  (admin at /admin/)")
