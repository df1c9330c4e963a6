from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Queue

MESSAGE_UNKNOWN_QUEUE = _("Please choose a queue from the list.")


class CallForm(forms.Form):
    # Any queue of the catalog is accepted here; whether it is shown and open is the
    # service's decision, so a forged or stale form gets the same clear answer.
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.all(),
        to_field_name="connect_name",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": MESSAGE_UNKNOWN_QUEUE, "required": MESSAGE_UNKNOWN_QUEUE},
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "autocomplete": "tel",
                "inputmode": "tel",
                "placeholder": _("(202) 555-0143 or +44 20 7946 0000"),
                "class": "input",
            }
        ),
        error_messages={"required": _("Enter the number we should call.")},
    )
