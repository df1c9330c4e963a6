import re
from collections.abc import Mapping
from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from outbox.selectors import sync_state_text, with_sync_state
from outbox.sync import outbox_push

from .models import Customer
from .services import vip_from_word

_PHONE_LIKE = re.compile(r"\+?[\d\s().-]+")
_PHONE_SEPARATORS = re.compile(r"[\s().-]")


class VipWidget(widgets.Widget):
    """The seed's "true"/"false", and the words ``import_customers`` accepts; others refused
    (import-export's BooleanWidget reads "yes" as false and an empty cell as NULL)."""

    def clean(self, value: object, row: object = None, **kwargs: object) -> bool:
        return vip_from_word(value)

    def render(self, value: object, obj: object = None, **kwargs: object) -> str:
        return "true" if value else "false"


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TextWidget(widgets.CharWidget):
    """A name cell a spreadsheet opens as text: a leading ``'`` before a formula character,
    taken off again on import, so an export imports back unchanged."""

    def clean(self, value: object, row: Mapping[str, Any] | None = None, **kwargs: object) -> str:
        text = super().clean(value, row, **kwargs)
        return text[1:] if text.startswith("'") and _looks_like_formula(text) else text

    def render(self, value: object, obj: Model | None = None, **kwargs: object) -> str:
        text = super().render(value, obj, **kwargs)
        return f"'{text}" if _looks_like_formula(text) else text


def _looks_like_formula(text: str) -> bool:
    # Apostrophes already there are counted in, so a name that begins with one round-trips.
    return text.lstrip("'").startswith(_FORMULA_START)


MESSAGE_DUPLICATE_NUMBER = "%(number)s is already in this file (row %(row)s)."


class CustomerResource(resources.ModelResource):
    """CSV/XLSX columns: the seed's attribute names, so its exports import as they are."""

    phone_number = fields.Field("phone_number", column_name="PhoneNumber")
    first_name = fields.Field("first_name", column_name="FirstName", widget=TextWidget())
    last_name = fields.Field("last_name", column_name="LastName", widget=TextWidget())
    vip = fields.Field("vip", column_name="VIP", widget=VipWidget())

    class Meta:
        model = Customer
        fields = ("phone_number", "first_name", "last_name", "vip")
        import_id_fields = ("phone_number",)
        skip_unchanged = True
        # full_clean() on every row: an invalid phone number is a row error, not a record.
        clean_model_instances = True
        report_skipped = True
        # Row by row, so every save marks the outbox; the import runs in one transaction.
        use_bulk = False

    def before_import(self, dataset: object, **kwargs: object) -> None:
        super().before_import(dataset, **kwargs)
        self._numbers_seen: dict[str, int] = {}
        self._row_number = 0

    # **kwargs are import-export's own (row_number, ...), passed on as they come.
    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:  # noqa: ANN401
        super().before_import_row(row, **kwargs)
        self._row_number = kwargs.get("row_number") or self._row_number + 1

    def validate_instance(
        self,
        instance: Customer,
        import_validation_errors: dict | None = None,
        validate_unique: bool = True,
    ) -> None:
        # The same number twice in one file would silently keep the last row: refuse it.
        errors = dict(import_validation_errors or {})
        number = str(instance.phone_number or "")
        seen = getattr(self, "_numbers_seen", {})
        if number and number in seen:
            errors.setdefault("phone_number", []).append(
                MESSAGE_DUPLICATE_NUMBER % {"number": number, "row": seen[number]}
            )
        elif number:
            seen[number] = getattr(self, "_row_number", 0)
        super().validate_instance(instance, errors, validate_unique)


@admin.register(Customer)
class CustomerAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [CustomerResource]
    formats = [CSV, XLSX]
    list_display = ("phone_number", "first_name", "last_name", "vip", "dynamodb")
    list_filter = ("vip",)
    search_fields = ("phone_number", "first_name", "last_name")
    readonly_fields = ("updated_at", "dynamodb")
    fields = ("phone_number", "first_name", "last_name", "vip", "extra", "updated_at", "dynamodb")
    actions = ["push_now"]

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import both adds and changes records (and pushes them to the IVR), so it needs
        # both; import-export's own check takes a single permission code.
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        return with_sync_state(queryset, kind="customers", key_field="phone_number")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # People type a number as they write it; the database holds it in E.164.
        if _PHONE_LIKE.fullmatch(search_term.strip()):
            search_term = _PHONE_SEPARATORS.sub("", search_term)
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="DynamoDB")
    def dynamodb(self, obj: Customer) -> str:
        return sync_state_text(obj)

    @admin.action(description="Push the selected customers to DynamoDB now")
    def push_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        marked = [("customers", str(c.phone_number)) for c in queryset]
        result = outbox_push(marked=marked)
        if result.failed:
            self.message_user(request, "; ".join(result.errors), messages.ERROR)
        else:
            self.message_user(request, f"{result.pushed + result.deleted} pending items pushed.")
