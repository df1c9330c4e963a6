"""Which numbers the site will have Amazon Connect dial, and why not the others."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneNumberType, shortnumberinfo

MESSAGE_MISSING = _("Enter the number we should call.")
MESSAGE_MALFORMED = _(
    "That doesn't look like a phone number. Enter it with its area code, "
    "or in international format starting with +."
)
MESSAGE_EMERGENCY = _(
    "We can't call emergency numbers. If this is an emergency, hang up and dial your local "
    "emergency number now."
)
MESSAGE_COUNTRY = _("We can only call numbers in these countries: %(countries)s.")
MESSAGE_NUMBER_TYPE = _(
    "We can't call this kind of number (premium-rate, shared-cost, personal, pager, voicemail "
    "and similar). Please enter a regular landline or mobile number."
)

# Numbers that cost the caller or the company extra, or cannot answer a call from an agent.
REFUSED_TYPES = {
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
}
# Country calling codes of international networks (satellite, global services): no country.
INTERNATIONAL_NETWORK_REGION = "001"
MAX_LENGTH = 40


class PhoneRefused(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message


@dataclass(frozen=True)
class CallableNumber:
    e164: str
    region: str

    @property
    def masked(self) -> str:
        return mask(self.e164)


def mask(e164: str) -> str:
    """Hide all but the last four digits: what the status page and the audit log show."""
    if len(e164) <= 4:
        return "•" * len(e164)
    return "•" * (len(e164) - 4) + e164[-4:]


def callable_number(raw: str, *, default_region: str | None = None) -> CallableNumber:
    """Normalize ``raw`` to E.164, or raise :class:`PhoneRefused` saying why not."""
    region = default_region or settings.PHONE_DEFAULT_REGION
    text = (raw or "").strip()
    if not text:
        raise PhoneRefused("missing", str(MESSAGE_MISSING))
    # Control characters (NUL, newlines) never belong in a number; refuse rather than drop them.
    if len(text) > MAX_LENGTH or not text.isprintable():
        raise PhoneRefused("malformed", str(MESSAGE_MALFORMED))
    digits = "".join(ch for ch in text if ch.isdigit())
    if shortnumberinfo.is_emergency_number(digits, region) or _is_emergency_anywhere(digits):
        raise PhoneRefused("emergency", str(MESSAGE_EMERGENCY))
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise PhoneRefused("malformed", str(MESSAGE_MALFORMED)) from None
    if _is_emergency_in_its_country(number):
        raise PhoneRefused("emergency", str(MESSAGE_EMERGENCY))
    if not phonenumbers.is_valid_number(number):
        raise PhoneRefused("malformed", str(MESSAGE_MALFORMED))
    number_region = phonenumbers.region_code_for_number(number) or ""
    if (
        number_region == INTERNATIONAL_NETWORK_REGION
        or phonenumbers.number_type(number) in REFUSED_TYPES
    ):
        raise PhoneRefused("number_type", str(MESSAGE_NUMBER_TYPE))
    if number_region not in settings.PHONE_ALLOWED_REGIONS:
        countries = ", ".join(settings.PHONE_ALLOWED_REGIONS)
        raise PhoneRefused("country", str(MESSAGE_COUNTRY) % {"countries": countries})
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return CallableNumber(e164=e164, region=number_region)


def _is_emergency_in_its_country(number: phonenumbers.PhoneNumber) -> bool:
    # "+1 911" or "+44 999": an emergency number typed after its country code.
    national = phonenumbers.national_significant_number(number)
    country = phonenumbers.region_code_for_country_code(number.country_code)
    return shortnumberinfo.is_emergency_number(national, country)


def _is_emergency_anywhere(digits: str) -> bool:
    # A short string like 112 or 999 is an emergency number in the allowed countries even
    # when typed with another default region.
    if len(digits) > 4:
        return False
    return any(
        shortnumberinfo.is_emergency_number(digits, r) for r in settings.PHONE_ALLOWED_REGIONS
    )
