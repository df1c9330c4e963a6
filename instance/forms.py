"""The admin call simulator's form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings

from support.models import Queue


class CallSimulatorForm(forms.Form):
    """What an editor asks the call simulator: where the call starts, who calls, what they press."""

    flow = forms.ChoiceField(initial="IntroInbound")
    caller = forms.CharField(
        initial="+12025550100", max_length=16, help_text="The caller's number in E.164 (+1…)."
    )
    language = forms.ChoiceField(required=False, help_text="Where the flow does not set it.")
    inputs = forms.CharField(
        label="Keys pressed",
        required=False,
        max_length=200,
        help_text='One entry per question, e.g. "2,1,3"; leave an entry empty for a timeout.',
    )
    queue: forms.ModelChoiceField[Queue] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="connect_name",
        help_text="Simulate the website's click-to-call to this queue (runs WebIngress).",
    )
    verified = forms.BooleanField(required=False, label="Signed in with a verified number")

    # *args and **kwargs are Form's own (data, initial, ...), passed on as they come.
    def __init__(self, *args: Any, flow_names: list[str], **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, **kwargs)
        # self.fields holds copies of the fields declared above, so of the same classes.
        flow = cast(forms.ChoiceField, self.fields["flow"])
        flow.choices = [(name, name) for name in flow_names]
        languages = settings.PROMPT_LANGUAGES
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [("", "—"), *((code, code) for code in languages)]
        queue = cast("forms.ModelChoiceField[Queue]", self.fields["queue"])
        queue.queryset = Queue.objects.order_by("connect_name")

    def clean_caller(self) -> str:
        caller = self.cleaned_data["caller"].strip()
        if not (caller.startswith("+") and caller[1:].isdigit() and 8 <= len(caller) <= 16):
            raise forms.ValidationError("Enter the number in E.164, e.g. +12025550100.")
        return caller
