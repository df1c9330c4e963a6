"""Reads of the prompts data, shaped as the DynamoDB items the Lambdas read."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Prefetch, Q
from django.utils import timezone

from connect import items
from flows import check as flowcheck
from flows.loader import FLOWS_DIR

from .models import Announcement, ContactFlow, Prompt


def flow_items(names: list[str] | None = None) -> dict[str, dict]:
    """Flow name -> prompts item, for ``names`` (all flows when None). Three queries."""
    flows = ContactFlow.objects.prefetch_related(
        Prefetch("prompts", queryset=Prompt.objects.order_by("order", "prompt_id"))
    )
    if names is not None:
        flows = flows.filter(name__in=names)
    # Announcements that have ended are dropped; the Lambda checks start and end itself.
    current = list(
        Announcement.objects.filter(ends_at__gt=timezone.now())
        .filter(Q(all_flows=True) | Q(flows__isnull=False))
        .distinct()
        .prefetch_related("flows")
    )
    return {flow.name: items.prompts_encode(_flow_prompts(flow, current)) for flow in flows}


def _flow_prompts(flow: ContactFlow, current: list[Announcement]) -> items.FlowPrompts:
    applying = [a for a in current if a.all_flows or any(f.pk == flow.pk for f in a.flows.all())]
    return items.FlowPrompts(
        flow=flow.name,
        prompts={p.prompt_id: dict(p.texts) for p in flow.prompts.all()},
        announcements=tuple(
            items.Announcement(
                id=str(a.pk), starts_at=a.starts_at, ends_at=a.ends_at, text=dict(a.texts)
            )
            for a in applying
        ),
    )


def flow_item_comparable(item: dict) -> dict:
    """A held prompts item without the announcements that have ended since it was pushed."""
    announcements = item.get("Announcements")
    if not isinstance(announcements, list):
        return item
    now = timezone.now()
    current = []
    for raw in announcements:
        try:
            ends = items.prompts_decode({"ContactFlowName": "-", "Announcements": [raw]})
        except items.ItemError:
            current.append(raw)
            continue
        if not ends.announcements or ends.announcements[0].ends_at > now:
            current.append(raw)
    trimmed = {k: v for k, v in item.items() if k != "Announcements"}
    return {**trimmed, "Announcements": current} if current else trimmed


@lru_cache(maxsize=1)
def prompt_usage() -> dict[str, frozenset[str]]:
    """Flow name -> the prompt ids it speaks, from the flows in flows/definitions/ (read once)."""
    flows, _types, _problems = flowcheck.load(FLOWS_DIR)
    return {name: frozenset(ids) for name, ids in flowcheck.prompt_usage(flows).items()}


def prompt_used_by(prompt: Prompt) -> list[str]:
    """The flows that speak ``prompt``: each flow loads and speaks only its own prompts."""
    return (
        [prompt.flow.name] if prompt.prompt_id in prompt_usage().get(prompt.flow.name, ()) else []
    )
