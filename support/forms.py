from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Queue
from .phone import MAX_LENGTH


class QueueField(forms.ModelChoiceField):
    """A queue by its Connect name. An unknown name cleans to None: the service refuses it and
    records the refusal like any other, so a forged form leaves an audit row too."""

    def to_python(self, value: object) -> Queue | None:
        try:
            return super().to_python(value)
        except ValidationError:
            return None


class CallForm(forms.Form):
    # Any queue of the catalog is accepted here; whether it is shown and open is the
    # service's decision, so a forged or stale form gets the same clear answer.
    queue = QueueField(
        queryset=Queue.objects.all(),
        to_field_name="connect_name",
        required=False,
        widget=forms.HiddenInput,
    )
    # The number as typed: judging it (and recording what was typed) is the service's job,
    # so this field refuses nothing, not even an empty or over-long value.
    phone = forms.Field(
        label=_("Your phone number"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "autocomplete": "tel",
                "inputmode": "tel",
                "maxlength": MAX_LENGTH,
                "placeholder": _("(202) 555-0143 or +44 20 7946 0000"),
                "class": "input",
            }
        ),
    )
