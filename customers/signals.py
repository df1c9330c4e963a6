"""Mark changed caller records in the outbox, whatever made the change (admin, bulk delete,
import-export, simple-history revert). Only the outbox row is written here, in the same
transaction; the push to DynamoDB happens after commit."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from outbox.sync import outbox_mark

from .models import Customer

KIND = "customers"


@receiver(pre_save, sender=Customer)
def _number_changed(sender: type, instance: Customer, **kwargs: object) -> None:
    instance._old_phone_number = None
    if instance.pk:
        old = Customer.objects.filter(pk=instance.pk).values_list("phone_number", flat=True).first()
        if old and str(old) != str(instance.phone_number):
            # Marked after the save, with the new number: outside a transaction (the history
            # revert view) a mark is pushed at once, and the old item must be gone by then.
            instance._old_phone_number = str(old)


@receiver([post_save, post_delete], sender=Customer)
def _customer_changed(sender: type, instance: Customer, **kwargs: object) -> None:
    if not kwargs.get("raw"):
        old = getattr(instance, "_old_phone_number", None)
        outbox_mark(kind=KIND, keys=[str(instance.phone_number), old or ""])
