"""Which numbers the site will have Amazon Connect dial, and why not the others."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumbers import SUPPORTED_SHORT_REGIONS, UNKNOWN_REGION, PhoneNumberType, shortnumberinfo

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
# How visitors dial abroad: "00" (Europe, Mexico) and "011" (North America).
INTERNATIONAL_PREFIXES = ("00", "011")
# Emergency and crisis lines of the allowed countries that libphonenumber's emergency data
# leaves out (it knows 112, 911, 999, 110, 15/17/18, 085/088, 06x/080 in Mexico). The 116
# numbers are the EU's harmonised helplines (https://digital-strategy.ec.europa.eu/en/policies/116-helplines).
_EU_HELPLINES = {"116000", "116006", "116111", "116117", "116123"}
CRISIS_NUMBERS: dict[str, set[str]] = {
    "US": {"988"},  # 988 Suicide & Crisis Lifeline (https://www.fcc.gov/988-lifeline)
    "CA": {"988"},  # 9-8-8 Suicide Crisis Helpline (https://988.ca)
    "MX": {"065", "089"},  # Cruz Roja, anonymous reports
    "GB": {"101", "111", "116123"},  # police and NHS non-emergency, Samaritans
    "IE": {"116111", "116123"},
    # Medical emergencies, Guardia Civil, national and local police, fire, gender violence,
    # suicide line.
    "ES": {"061", "062", "091", "092", "080", "016", "024"} | _EU_HELPLINES,
    # Deaf emergency line, homeless emergency, child protection, air, sea and alert lines,
    # suicide prevention.
    "FR": {"114", "115", "119", "191", "196", "197", "3114"} | _EU_HELPLINES,
    "DE": _EU_HELPLINES,
}
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
    if _is_emergency(text, region):
        raise PhoneRefused("emergency", str(MESSAGE_EMERGENCY))
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise PhoneRefused("malformed", str(MESSAGE_MALFORMED)) from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneRefused("malformed", str(MESSAGE_MALFORMED))
    number_region = phonenumbers.region_code_for_number(number) or ""
    if number_region == INTERNATIONAL_NETWORK_REGION or _is_refused_type(number, number_region):
        raise PhoneRefused("number_type", str(MESSAGE_NUMBER_TYPE))
    if number_region not in settings.PHONE_ALLOWED_REGIONS:
        countries = ", ".join(settings.PHONE_ALLOWED_REGIONS)
        raise PhoneRefused("country", str(MESSAGE_COUNTRY) % {"countries": countries})
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return CallableNumber(e164=e164, region=number_region)


def _is_refused_type(number: phonenumbers.PhoneNumber, region: str) -> bool:
    kind = phonenumbers.number_type(number)
    # UK 03 numbers cost the same as a call to a geographic 01/02 number and count towards
    # inclusive minutes (Ofcom, https://www.ofcom.org.uk/phones-and-broadband/calling-costs/
    # numbering-and-pricing/calling-03-numbers); libphonenumber files them under UAN.
    if kind == PhoneNumberType.UAN and region == "GB":
        return not phonenumbers.national_significant_number(number).startswith("3")
    return kind in REFUSED_TYPES


def _is_emergency(text: str, region: str) -> bool:
    """Whether ``text`` dials an emergency or crisis line, however it was typed.

    Only for text that is not a full valid number: every short form below is tried against
    the allowed countries and the country the text names ("+44 (0) 999", "1-911", "00 44 999").
    """
    if _is_valid(text, region):
        return False
    allowed = {*settings.PHONE_ALLOWED_REGIONS, region}
    return any(
        _is_emergency_short(core, allowed | named) for core, named in _short_forms(text, region)
    )


def _is_valid(text: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, region))
    except phonenumbers.NumberParseException:
        return False


def _short_forms(text: str, region: str) -> Iterator[tuple[str, set[str]]]:
    """Each way of reading ``text`` as a short number: its digits and the regions it names."""
    digits = "".join(ch for ch in text if ch.isdigit())
    international = None
    if text.startswith("+"):
        international = digits
    else:
        yield from _without_trunk_zero(digits, set())
        for prefix in INTERNATIONAL_PREFIXES:
            if digits.startswith(prefix):
                international = digits[len(prefix) :]
                break
        else:
            international = digits  # "1911", "44 999": a country code without its "+"
    for length in (1, 2, 3):
        regions = _regions_for_code(international[:length])
        if regions and len(international) > length + 1:
            yield from _without_trunk_zero(international[length:], regions)


def _without_trunk_zero(core: str, regions: set[str]) -> Iterator[tuple[str, set[str]]]:
    # "+44 (0) 999", "0112": a trunk 0 typed in front of the short number.
    if core:
        yield core, regions
    if core.startswith("0") and len(core) > 2:
        yield core[1:], regions


def _regions_for_code(code: str) -> set[str]:
    if not code or code.startswith("0"):
        return set()
    return set(phonenumbers.region_codes_for_country_code(int(code))) - {UNKNOWN_REGION}


def _is_emergency_short(core: str, regions: set[str]) -> bool:
    if any(shortnumberinfo.is_emergency_number(core, r) for r in regions):
        return True
    if any(core in CRISIS_NUMBERS.get(r, ()) for r in regions):
        return True
    # 000, 119, 118: an emergency number elsewhere that a visitor may type from habit.
    if len(core) == 3 and any(
        shortnumberinfo.is_emergency_number(core, r) for r in SUPPORTED_SHORT_REGIONS
    ):
        return True
    # "+1 911 0000": libphonenumber's prefix match says this still reaches 911. Only for a
    # three-digit emergency prefix: in France "15" (SAMU) begins every Paris number.
    return len(core) > 3 and any(
        shortnumberinfo.is_emergency_number(core[:3], r)
        and shortnumberinfo.connects_to_emergency_number(core, r)
        for r in regions
    )
