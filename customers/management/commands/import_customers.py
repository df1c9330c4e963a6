from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.services import csv_rows, customers_import, xlsx_rows


class Command(BaseCommand):
    help = (
        "Import caller records from a large CSV or XLSX file (columns PhoneNumber, FirstName, "
        "LastName, VIP, or phone_number/first_name/...). Every row is checked first; with any "
        "error nothing is imported. Changes reach DynamoDB after commit, in batches."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: object, path: Path, batch_size: int, **options: object) -> None:
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        if path.suffix.lower() == ".xlsx":
            report = customers_import(xlsx_rows(str(path)), batch_size=batch_size)
        else:
            with path.open(newline="", encoding="utf-8-sig") as stream:
                report = customers_import(csv_rows(stream), batch_size=batch_size)
        if report.errors:
            for line, message in report.errors[:100]:
                self.stderr.write(f"row {line}: {message}")
            raise CommandError(
                f"{len(report.errors)} of {report.rows} rows have errors; nothing was imported."
            )
        self.stdout.write(
            f"{report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
