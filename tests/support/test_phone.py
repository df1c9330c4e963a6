"""Which numbers the site refuses to dial, read straight from ``support.phone``."""

from __future__ import annotations

import pytest

from support.phone import (
    MESSAGE_EMERGENCY,
    MESSAGE_MALFORMED,
    MESSAGE_NUMBER_TYPE,
    PhoneRefused,
    callable_number,
)

# Emergency and crisis lines as visitors type them: with a country code, an international
# prefix, a trunk 0, or as dialled at home in another country.
EMERGENCY_NUMBERS = [
    "1-911",
    "1911",
    "+1 911 0000",
    "000",  # Australia
    "119",  # Japan, Korea; child protection in France
    "118",  # Italy
    "061",  # Spain: medical emergencies
    "+34 091",  # Spain: national police
    "+33 115",  # France: homeless emergency line
    "+33 3114",  # France: suicide prevention
    "988",  # US and Canada: suicide and crisis line
    "+1 988",
    "+44 (0) 999",
    "00 44 999",
    "011 44 999",
    "0112",
    "+49 110",
    "+44 116 123",  # Samaritans
]


@pytest.mark.parametrize("raw", EMERGENCY_NUMBERS)
def test_it_answers_an_emergency_number_however_typed_with_the_emergency_guidance(
    raw: str,
) -> None:
    with pytest.raises(PhoneRefused) as refused:
        callable_number(raw)

    assert (refused.value.reason, refused.value.message) == ("emergency", str(MESSAGE_EMERGENCY))


@pytest.mark.parametrize("raw", ["+44 300 123 4567", "+44 345 123 4567"])
def test_it_calls_a_uk_03_number_charged_as_a_geographic_call(raw: str) -> None:
    number = callable_number(raw)

    assert (number.e164, number.region) == ("+" + "".join(filter(str.isdigit, raw)), "GB")


def test_it_still_refuses_a_uk_055_number() -> None:
    with pytest.raises(PhoneRefused) as refused:
        callable_number("+44 55 1234 5678")

    assert refused.value.message == str(MESSAGE_NUMBER_TYPE)


@pytest.mark.parametrize("raw", ["12345", "+1 202 555", "+44 20 7946"])
def test_it_calls_an_ordinary_malformed_number_malformed(raw: str) -> None:
    with pytest.raises(PhoneRefused) as refused:
        callable_number(raw)

    assert (refused.value.reason, refused.value.message) == ("malformed", str(MESSAGE_MALFORMED))


@pytest.mark.parametrize("raw", ["+33 1 53 00 00 00", "+33 1 12 34 56 78", "+49 911 1234567"])
def test_it_calls_a_full_number_that_begins_like_an_emergency_number(raw: str) -> None:
    assert callable_number(raw).e164 == "+" + "".join(filter(str.isdigit, raw))
