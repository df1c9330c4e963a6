"""The embedded default's prompts: the shipped content, kept as shipped."""

from django.db import transaction

from .content import FLOWS
from .models import ContactFlow, Prompt


@transaction.atomic
def demo_prompts_load() -> None:
    """The embedded default resets drifted prompts to the shipped text (demo data is
    disposable); production never runs this."""
    for name, (description, prompts) in FLOWS.items():
        flow, _ = ContactFlow.objects.update_or_create(
            name=name, defaults={"description": description}
        )
        for order, (prompt_id, (english, spanish)) in enumerate(prompts.items()):
            texts = {"en-US": english, "es-US": spanish}
            prompt = Prompt.objects.filter(flow=flow, prompt_id=prompt_id).first()
            if prompt is None:
                Prompt.objects.create(flow=flow, prompt_id=prompt_id, texts=texts, order=order)
            elif prompt.texts != texts or prompt.order != order:
                # Re-running leaves an editor's untouched prompts alone; only drift is reset.
                prompt.texts, prompt.order = texts, order
                prompt.save()
