from django.contrib import admin

from .models import Contact, HoursOfOperation, HoursOverride


class HoursOverrideInline(admin.TabularInline):
    model = HoursOverride
    extra = 0
    fields = ("name", "override_type", "effective_from", "effective_till", "config")


@admin.register(HoursOfOperation)
class HoursOfOperationAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "hours_id", "last_modified")
    search_fields = ("name", "hours_id")
    inlines = [HoursOverrideInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("contact_id", "destination", "queue_id", "initiated_at")
    search_fields = ("contact_id", "destination")
    readonly_fields = [f.name for f in Contact._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
