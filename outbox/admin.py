from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import SyncRecord
from .sync import outbox_push


@admin.register(SyncRecord)
class SyncRecordAdmin(admin.ModelAdmin):
    """What is waiting for DynamoDB, and why; for the people who run the site."""

    list_display = ("kind", "key", "status", "attempts", "last_error", "changed_at", "synced_at")
    list_filter = ("status", "kind")
    search_fields = ("key", "last_error")
    actions = ["retry"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Retry the selected items now")
    def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
        result = outbox_push(marked=[(r.kind, r.key) for r in queryset])
        level = messages.ERROR if result.failed else messages.SUCCESS
        self.message_user(
            request,
            f"pushed {result.pushed}, deleted {result.deleted}, failed {result.failed}",
            level,
        )
