"""Writes of the prompts data that are not plain admin edits."""

from __future__ import annotations

from django.db import transaction

from connect import items

from .models import Announcement, ContactFlow, Prompt


@transaction.atomic
def flow_load(item: dict) -> str:
    """Store a prompts item read from DynamoDB (a seed deployment's table); return its flow."""
    decoded = items.prompts_decode(item)
    flow, _ = ContactFlow.objects.get_or_create(name=decoded.flow)
    for order, (prompt_id, texts) in enumerate(decoded.prompts.items()):
        prompt = Prompt.objects.filter(flow=flow, prompt_id=prompt_id).first()
        if prompt and (prompt.texts, prompt.order) == (dict(texts), order):
            continue  # unchanged: no history row
        prompt = prompt or Prompt(flow=flow, prompt_id=prompt_id)
        prompt.texts, prompt.order = dict(texts), order
        prompt.full_clean()
        prompt.save()
    for a in decoded.announcements:
        announcement, _ = Announcement.objects.get_or_create(
            name=f"Imported {a.id}",
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            defaults={"texts": dict(a.text)},
        )
        announcement.flows.add(flow)
    return flow.name
