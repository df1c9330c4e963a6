"""Mark changed flows in the outbox, whatever made the change.

Signals rather than service calls because the admin's inlines, bulk deletes, imports and
simple-history's revert all save models directly. They only write the outbox row (in the
same transaction); the push to DynamoDB happens after commit.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from outbox.sync import outbox_mark

from .models import Announcement, ContactFlow, Prompt

KIND = "prompts"


@receiver(pre_save, sender=ContactFlow)
def _flow_renamed(sender: type, instance: ContactFlow, **kwargs: object) -> None:
    instance._old_name = None
    if instance.pk:
        old = ContactFlow.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        if old and old != instance.name:
            # Marked after the save, with the new name: outside a transaction (the history
            # revert view) a mark is pushed at once, and the old item must be gone by then.
            instance._old_name = old


@receiver([post_save, post_delete], sender=ContactFlow)
def _flow_changed(sender: type, instance: ContactFlow, **kwargs: object) -> None:
    if not kwargs.get("raw"):
        old = getattr(instance, "_old_name", None)
        outbox_mark(kind=KIND, keys=[instance.name, old or ""])  # the old item is deleted


@receiver([post_save, post_delete], sender=Prompt)
def _prompt_changed(sender: type, instance: Prompt, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return
    # During a flow's cascade delete the flow row may be gone; its own signal marks it.
    name = ContactFlow.objects.filter(pk=instance.flow_id).values_list("name", flat=True).first()
    if name:
        outbox_mark(kind=KIND, keys=[name])


@receiver([post_save, post_delete], sender=Announcement)
def _announcement_changed(sender: type, instance: Announcement, **kwargs: object) -> None:
    if not kwargs.get("raw"):
        _mark_every_flow()


@receiver(m2m_changed, sender=Announcement.flows.through)
def _announcement_flows_changed(sender: type, action: str, **kwargs: object) -> None:
    if action.startswith("post_"):
        _mark_every_flow()


def _mark_every_flow() -> None:
    # Flows are few; re-sending every one is simpler than tracking which an edit touched.
    outbox_mark(kind=KIND, keys=ContactFlow.objects.values_list("name", flat=True))
