from datetime import datetime

from django import template

from support.formatting import when_text

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


@register.filter
def when(moment: datetime | None) -> str:
    """'today at 9:00 AM EST' and the like, in the moment's own zone."""
    return when_text(moment) if moment else ""
