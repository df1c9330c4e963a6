"""The hours of operation the catalog's queues use, as the Connect instance must have them.

Production data, not demo data: ``connect_publish`` creates or updates these in Amazon Connect
(by name), the demo catalog points its queues at them, and the local stand-in serves them.
The ids are fixed so that the catalog, the stand-in and a fresh publish agree on every run.
"""

from __future__ import annotations

from typing import Any, TypedDict

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
ALL_DAYS = (*WEEKDAYS, "SATURDAY", "SUNDAY")


class HoursSpec(TypedDict):
    """One hours of operation: its name in Connect, time zone and weekly ``Config``."""

    name: str
    time_zone: str
    config: list[dict[str, Any]]  # HoursOfOperationConfig entries, as Connect takes them


def _range(day: str, start: str, end: str) -> dict[str, Any]:
    (sh, sm), (eh, em) = (map(int, start.split(":")), map(int, end.split(":")))
    return {
        "Day": day,
        "StartTime": {"Hours": sh, "Minutes": sm},
        "EndTime": {"Hours": eh, "Minutes": em},
    }


# Hours of operation ids are fixed so the catalog and the stand-in agree on every run.
HOURS: dict[str, HoursSpec] = {
    "a1b2c3d4-0000-4000-8000-000000000001": {
        "name": "Support 24x7",
        "time_zone": "America/New_York",
        "config": [_range(d, "00:00", "00:00") for d in ALL_DAYS],
    },
    "a1b2c3d4-0000-4000-8000-000000000002": {
        "name": "Sales Americas",
        "time_zone": "America/New_York",
        "config": [_range(d, "09:00", "18:00") for d in WEEKDAYS],
    },
    "a1b2c3d4-0000-4000-8000-000000000003": {
        "name": "Sales Asia-Pacific (lunch break)",
        "time_zone": "Asia/Singapore",
        "config": [
            r for d in WEEKDAYS for r in (_range(d, "09:00", "12:30"), _range(d, "13:30", "18:00"))
        ],
    },
    "a1b2c3d4-0000-4000-8000-000000000004": {
        "name": "Sales EMEA",
        "time_zone": "Europe/London",
        "config": [_range(d, "08:30", "17:30") for d in WEEKDAYS],
    },
    "a1b2c3d4-0000-4000-8000-000000000005": {
        "name": "Accounts",
        "time_zone": "America/Chicago",
        "config": [_range(d, "08:00", "20:00") for d in WEEKDAYS]
        + [_range("SATURDAY", "22:00", "02:00")],
    },
}
SUPPORT_HOURS, AMER_HOURS, APAC_HOURS, EMEA_HOURS, ACCOUNT_HOURS = HOURS
