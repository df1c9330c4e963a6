"""Admin forms that edit a language -> text map as one field per configured language.

The fields are declared on the class (built from ``PROMPT_LANGUAGES``), because the admin's
inlines build their form classes from declared fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from .models import Announcement, Prompt, texts_errors


def text_field_name(language: str) -> str:
    return "text_" + language.replace("-", "_")


class TextsFormMixin(forms.ModelForm):
    """Fills the language fields from ``instance.texts`` and writes them back."""

    # *args and **kwargs are ModelForm's own (data, instance, ...), passed on as they come.
    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, **kwargs)
        texts = self.instance.texts or {}
        for language in settings.PROMPT_LANGUAGES:
            self.initial.setdefault(text_field_name(language), texts.get(language, ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean returns
        texts = {
            language: (cleaned.get(text_field_name(language)) or "").strip()
            for language in settings.PROMPT_LANGUAGES
        }
        # Languages no longer configured are kept, so removing one from settings loses nothing.
        kept = {k: v for k, v in (self.instance.texts or {}).items() if k not in texts}
        for language, message in texts_errors(texts, required=settings.PROMPT_LANGUAGES[0]).items():
            if text_field_name(language) not in self.errors:
                self.add_error(text_field_name(language), message)
        self.instance.texts = {**kept, **{k: v for k, v in texts.items() if v}}
        return cleaned

    def _update_errors(self, errors: ValidationError) -> None:
        # The model checks its text map as one "texts" field, which this form does not have
        # (Django would raise ValueError: a 500 for an editor's typo). clean() has already put
        # each problem on its language's textarea; anything else shows above the form.
        if hasattr(errors, "error_dict") and "texts" in errors.error_dict:
            messages = errors.error_dict.pop("texts")
            languages = settings.PROMPT_LANGUAGES
            if not any(self.has_error(text_field_name(lang)) for lang in languages):
                errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(messages)
            if not errors.error_dict:
                return
        super()._update_errors(errors)  # type: ignore[misc]  # private ModelForm API, not in django-stubs


def _texts_form(model: type[models.Model], fields: list[str]) -> type[TextsFormMixin]:
    attrs: dict[str, object] = {
        text_field_name(language): forms.CharField(
            label=f"Text ({language})",
            required=index == 0,
            widget=forms.Textarea(attrs={"rows": 2, "cols": 48}),
            help_text="Plain text, or SSML wrapped in <speak>…</speak>.",
        )
        for index, language in enumerate(settings.PROMPT_LANGUAGES)
    }
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}Form", (TextsFormMixin,), attrs)


PromptForm = _texts_form(Prompt, ["flow", "prompt_id", "description", "order"])
AnnouncementForm = _texts_form(Announcement, ["name", "starts_at", "ends_at", "all_flows", "flows"])
