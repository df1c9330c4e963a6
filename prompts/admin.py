from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from outbox.selectors import sync_state_text, with_sync_state

from . import selectors
from .forms import AnnouncementForm, PromptForm, text_field_name
from .models import Announcement, ContactFlow, Prompt

if TYPE_CHECKING:  # django-stubs' names: a development dependency
    from django.contrib.admin.options import _FieldGroups
    from django_stubs_ext import WithAnnotations


class _PromptCount(TypedDict):
    """What ContactFlowAdmin.get_queryset annotates each flow with."""

    _prompts: int


class MissingTranslationFilter(admin.SimpleListFilter):
    title = "missing translation"
    parameter_name = "missing"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(lang, lang) for lang in settings.PROMPT_LANGUAGES]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        language = self.value()
        if language not in settings.PROMPT_LANGUAGES:
            return queryset
        # Comparing a key's text with "" breaks on SQLite (JSON_EXTRACT of ''); these lookups
        # work on both databases.
        return queryset.filter(~Q(texts__has_key=language) | Q(**{f"texts__{language}": ""}))


def texts_search_fields() -> list[str]:
    """Search each language's text as text: the JSON column itself holds ``\\u00f3`` escapes
    for "ó" on SQLite, so "Adiós" would match nothing."""
    return [f"texts__{language}" for language in settings.PROMPT_LANGUAGES]


class UsageFilter(admin.SimpleListFilter):
    title = "spoken by a flow"
    parameter_name = "spoken"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Spoken"), ("no", "Not spoken by any flow")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("yes", "no"):
            return queryset
        spoken = Q(pk__in=[])
        for flow, ids in selectors.prompt_usage().items():
            spoken |= Q(flow__name=flow, prompt_id__in=sorted(ids))
        return queryset.filter(spoken) if self.value() == "yes" else queryset.exclude(spoken)


class PromptInline(admin.TabularInline):
    model = Prompt
    form = PromptForm
    extra = 0
    show_change_link = True

    def get_fields(self, request: HttpRequest, obj: object = None) -> "_FieldGroups":
        languages = [text_field_name(lang) for lang in settings.PROMPT_LANGUAGES]
        return ["prompt_id", *languages, "description", "order"]


@admin.register(ContactFlow)
class ContactFlowAdmin(SimpleHistoryAdmin):
    change_list_template = "admin/prompts/contactflow/change_list.html"
    list_display = ("name", "description", "prompt_count", "dynamodb")
    search_fields = ("name", "description", "prompts__prompt_id")
    inlines = [PromptInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        from django.db.models import Count

        queryset = super().get_queryset(request).annotate(_prompts=Count("prompts"))
        return with_sync_state(queryset, kind="prompts", key_field="name")

    @admin.display(description="prompts", ordering="_prompts")
    def prompt_count(self, obj: "WithAnnotations[ContactFlow, _PromptCount]") -> int:
        return obj._prompts

    @admin.display(description="DynamoDB")
    def dynamodb(self, obj: ContactFlow) -> str:
        return sync_state_text(obj)


@admin.register(Prompt)
class PromptAdmin(SimpleHistoryAdmin):
    form = PromptForm
    list_display = ("prompt_id", "flow", "english", "missing_translations", "used_by")
    list_filter = ("flow", MissingTranslationFilter, UsageFilter)
    search_fields = ("prompt_id", "description", "flow__name")
    list_select_related = ("flow",)

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return [*self.search_fields, *texts_search_fields()]

    @admin.display(description="text")
    def english(self, obj: Prompt) -> str:
        text = obj.texts.get(settings.PROMPT_LANGUAGES[0], "")
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description="missing translations")
    def missing_translations(self, obj: Prompt) -> str:
        return ", ".join(obj.missing_languages) or "—"

    @admin.display(description="used by")
    def used_by(self, obj: Prompt) -> str:
        # A prompt no flow speaks is either left over or waiting for a flow change.
        return ", ".join(selectors.prompt_used_by(obj)) or "⚠ not spoken by any flow"


@admin.register(Announcement)
class AnnouncementAdmin(SimpleHistoryAdmin):
    form = AnnouncementForm
    list_display = ("name", "starts_at", "ends_at", "applies_to", "is_active")
    list_filter = ("all_flows", "flows")
    search_fields = ("name",)
    filter_horizontal = ("flows",)
    date_hierarchy = "starts_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("flows")

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return [*self.search_fields, *texts_search_fields()]

    @admin.display(description="flows")
    def applies_to(self, obj: Announcement) -> str:
        return "all flows" if obj.all_flows else ", ".join(f.name for f in obj.flows.all()) or "—"

    @admin.display(description="active now", boolean=True)
    def is_active(self, obj: Announcement) -> bool:
        from django.utils import timezone

        return obj.starts_at <= timezone.now() < obj.ends_at
