"""The stand-in's demo data: the catalog's hours of operation, and a holiday to show.

Amazon Connect holds these in the real instance (``connect_publish`` puts them there); the
stand-in answers hours questions from these rows.
"""

from __future__ import annotations

from datetime import date, timedelta

from support.catalog import ACCOUNT_HOURS, HOURS

from .models import HoursOfOperation, HoursOverride


def thanksgiving(year: int) -> date:
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=3)


def next_holiday(today: date) -> date:
    """The next US Thanksgiving: a date the Account queues close, shown in this week's hours
    in late November and a reliably real holiday the rest of the year."""
    holiday = thanksgiving(today.year)
    return holiday if holiday >= today else thanksgiving(today.year + 1)


def demo_hours_load(today: date) -> None:
    """Create or refresh the stand-in's hours of operation and the holiday override."""
    for hours_id, spec in HOURS.items():
        hours, _ = HoursOfOperation.objects.update_or_create(
            hours_id=hours_id,
            defaults={
                "name": spec["name"],
                "time_zone": spec["time_zone"],
                "config": spec["config"],
            },
        )
        hours.full_clean()
    holiday = next_holiday(today)
    HoursOverride.objects.update_or_create(
        hours_id=HoursOfOperation.objects.get(hours_id=ACCOUNT_HOURS).pk,
        name="Thanksgiving Day",
        defaults={
            "override_type": HoursOverride.OverrideType.CLOSED,
            "effective_from": holiday,
            "effective_till": holiday,
            "description": "Account queues are closed for the holiday.",
        },
    )
