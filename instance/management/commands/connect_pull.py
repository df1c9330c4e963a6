from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from instance.publish import catalog_pull
from support.connect_api import ConnectError

ERROR_CONNECT = "Amazon Connect refused the request ({code}); the catalog is unchanged."
ERROR_LOCAL = "connect_pull reads a real instance: set CONNECT_BACKEND=aws."


class Command(BaseCommand):
    help = "Fill the catalog's Connect queue and hours ids from the instance, by queue name."

    def handle(self, *args: object, **options: object) -> None:
        if settings.CONNECT_BACKEND != "aws":
            raise CommandError(ERROR_LOCAL)
        try:
            missing = catalog_pull()
        except ConnectError as exc:
            raise CommandError(ERROR_CONNECT.format(code=exc.code or exc.kind)) from exc
        if missing:
            self.stderr.write(f"Not found in Connect (left as they were): {', '.join(missing)}")
        self.stdout.write(self.style.SUCCESS("The catalog has the instance's queue and hours ids."))
