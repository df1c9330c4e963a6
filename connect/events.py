"""Reading Amazon Connect's ContactFlowEvent, whatever shape it arrives in.

Every reader returns a plain string ("" when absent or of the wrong type), so a test console
event, an API-started contact with ``CustomerEndpoint: null`` or plain junk reads as "not given".
"""

from __future__ import annotations

from collections.abc import Mapping

from connect.items import DEFAULT_LANGUAGE


def _at(event: object, *path: str) -> object:
    value = event
    for name in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(name)
    return value


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def contact_id(event: object) -> str:
    return _text(_at(event, "Details", "ContactData", "ContactId"))


def parameter(event: object, name: str) -> str:
    """A parameter the flow's "Invoke AWS Lambda function" block sends."""
    return _text(_at(event, "Details", "Parameters", name))


def listed(event: object, name: str) -> tuple[str, ...]:
    """A parameter holding a comma-separated list, as its items (none when absent)."""
    return tuple(item.strip() for item in parameter(event, name).split(",") if item.strip())


def language(event: object) -> str:
    """The ``languageCode`` parameter, else the contact's language, else English."""
    return (
        parameter(event, "languageCode")
        or _text(_at(event, "Details", "ContactData", "LanguageCode"))
        or DEFAULT_LANGUAGE
    )


def caller(event: object) -> str:
    """The customer's address (a phone number in E.164 on voice contacts)."""
    return _text(_at(event, "Details", "ContactData", "CustomerEndpoint", "Address"))
