"""Admin forms that edit a language -> text map as one field per configured language."""

from __future__ import annotations

from django import forms
from django.conf import settings

from .models import Announcement, Prompt, texts_errors


def text_field_name(language: str) -> str:
    return "text_" + language.replace("-", "_")


class TextsFormMixin(forms.ModelForm):
    """One textarea per language in ``PROMPT_LANGUAGES``; the first is required."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        texts = (self.instance.texts or {}) if self.instance else {}
        for index, language in enumerate(settings.PROMPT_LANGUAGES):
            self.fields[text_field_name(language)] = forms.CharField(
                label=f"Text ({language})",
                required=index == 0,
                initial=texts.get(language, ""),
                widget=forms.Textarea(attrs={"rows": 2, "cols": 48}),
                help_text="Plain text, or SSML wrapped in <speak>…</speak>.",
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        texts = {
            language: (cleaned.get(text_field_name(language)) or "").strip()
            for language in settings.PROMPT_LANGUAGES
        }
        # Languages no longer configured are kept, so removing one from settings loses nothing.
        kept = {k: v for k, v in (self.instance.texts or {}).items() if k not in texts}
        for language, message in texts_errors(texts, required=settings.PROMPT_LANGUAGES[0]).items():
            self.add_error(text_field_name(language), message)
        self.instance.texts = {**kept, **{k: v for k, v in texts.items() if v}}
        return cleaned


class PromptForm(TextsFormMixin):
    class Meta:
        model = Prompt
        fields = ["flow", "prompt_id", "description", "order"]


class AnnouncementForm(TextsFormMixin):
    class Meta:
        model = Announcement
        fields = ["name", "starts_at", "ends_at", "all_flows", "flows"]
