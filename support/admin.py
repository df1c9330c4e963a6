from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CallRequest, Department, Profile, Queue


class QueueInline(admin.TabularInline):
    model = Queue
    extra = 0
    fields = ("connect_name", "title", "order", "is_visible")
    show_change_link = True


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)
    inlines = [QueueInline]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("connect_name", "title", "department", "order", "is_visible", "in_connect")
    list_editable = ("order", "is_visible")
    list_filter = ("department", "is_visible")
    search_fields = ("connect_name", "title", "summary", "connect_queue_id")
    list_select_related = ("department",)
    fieldsets = (
        (None, {"fields": ("department", "connect_name", "title", "summary", "order")}),
        ("Amazon Connect", {"fields": ("connect_queue_id", "hours_of_operation_id")}),
        ("Site", {"fields": ("is_visible",)}),
    )

    @admin.display(boolean=True, description=_("in Amazon Connect"))
    def in_connect(self, queue: Queue) -> bool:
        # The site offers a queue only once connect_publish has created it and written its id.
        return bool(queue.connect_queue_id)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "phone_number", "phone_verified")
    search_fields = ("user__username", "user__email", "phone_number")
    list_filter = ("phone_verified",)
    raw_id_fields = ("user",)


@admin.register(CallRequest)
class CallRequestAdmin(admin.ModelAdmin):
    """The audit trail: read-only, so it stays a faithful record."""

    list_display = (
        "created_at",
        "user",
        "queue",
        "masked_number",
        "status",
        "reason",
        "contact_id",
    )
    list_filter = ("status", "reason", "queue")
    search_fields = ("user__username", "phone_number", "contact_id")
    date_hierarchy = "created_at"
    list_select_related = ("user", "queue")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
