"""What an editor may write as SSML: Amazon Connect's tags with their documented limits."""

from __future__ import annotations

import pytest

from prompts.ssml import MESSAGE_SSML_DTD, MESSAGE_SSML_ROOT, ssml_error

SUPPORTED = [
    "<speak>Welcome to JAM.</speak>",
    '<speak>One moment.<break time="10s"/> Thank you.<break strength="strong"/></speak>',
    '<speak><break time="1500ms"/></speak>',
    '<speak><lang xml:lang="es-US">Hola</lang></speak>',
    '<speak><mark name="menu"/>For sales, press 1.</speak>',
    "<speak><p><s>First.</s><s>Second.</s></p></speak>",
    '<speak><phoneme alphabet="ipa" ph="d͡ʒæm">JAM</phoneme></speak>',
    '<speak><prosody rate="90%" volume="+6dB" pitch="-10%">Slowly.</prosody></speak>',
    '<speak><prosody rate="x-slow" volume="loud" pitch="high">Hi.</prosody></speak>',
    '<speak><say-as interpret-as="telephone">2025550100</say-as></speak>',
    '<speak><say-as interpret-as="date" format="mdy">12/03/2026</say-as></speak>',
    '<speak><sub alias="Jam Contact Center">JAMCC</sub></speak>',
    '<speak>I <w role="amazon:VB">read</w> it.</speak>',
    '<speak><amazon:effect name="whispered">A secret.</amazon:effect></speak>',
    "<speak>Tom &amp; Jerry</speak>",
]


@pytest.mark.parametrize("ssml", SUPPORTED)
def test_the_tags_amazon_connect_speaks_are_accepted(ssml: str) -> None:
    assert ssml_error(ssml) == ""


def test_an_unknown_tag_is_refused_where_it_is() -> None:
    assert ssml_error("<speak>Hi <foo>there</foo></speak>") == (
        "<foo> at line 1, column 11 is not an SSML tag Amazon Connect supports."
    )


@pytest.mark.parametrize(
    "tag", ["emphasis", "amazon:domain", "amazon:auto-breaths", "voice", "script"]
)
def test_tags_polly_knows_but_connect_does_not_list_are_refused(tag: str) -> None:
    assert "is not an SSML tag Amazon Connect supports" in ssml_error(
        f"<speak><{tag}>Hi</{tag}></speak>"
    )


def test_external_audio_is_refused() -> None:
    error = ssml_error('<speak>Hi <audio src="http://attacker.example/a.mp3"/></speak>')

    assert error.startswith("<audio> at line 1, column 11: a prompt cannot play external audio")


def test_a_nested_speak_is_refused() -> None:
    assert "<speak> at line 1" in ssml_error("<speak><speak>Hi</speak></speak>")


@pytest.mark.parametrize("time", ["3600s", "10001ms", "10.5s", "11s"])
def test_a_pause_longer_than_ten_seconds_is_refused(time: str) -> None:
    assert ssml_error(f'<speak><break time="{time}"/></speak>') == (
        f'<break> at line 1, column 8: time="{time}" '
        "is longer than the 10 seconds a pause may last."
    )


def test_a_pause_in_other_units_is_refused() -> None:
    assert ssml_error('<speak><break time="1h"/></speak>') == (
        '<break> at line 1, column 8: time="1h" must be a number of seconds or milliseconds, '
        'such as "2s" or "500ms".'
    )


def test_a_doctype_with_an_entity_is_refused_before_anything_is_expanded() -> None:
    billion_laughs = (
        '<?xml version="1.0"?><!DOCTYPE speak [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><speak>&b;</speak>'
    )

    assert ssml_error(billion_laughs) == MESSAGE_SSML_DTD


def test_an_external_entity_is_refused() -> None:
    xxe = '<!DOCTYPE speak [<!ENTITY x SYSTEM "file:///etc/passwd">]><speak>&x;</speak>'

    assert ssml_error(xxe) == MESSAGE_SSML_DTD


@pytest.mark.parametrize(
    ("ssml", "attribute"),
    [
        ('<speak><break time="1s" src="x"/></speak>', "src"),
        ('<speak><prosody amazon:max-duration="2s">Hi</prosody></speak>', "amazon:max-duration"),
        ('<speak onload="x">Hi</speak>', "onload"),
        ('<speak><amazon:effect phonation="soft">Hi</amazon:effect></speak>', "phonation"),
    ],
)
def test_an_attribute_connect_does_not_support_is_refused(ssml: str, attribute: str) -> None:
    assert f"has the attribute {attribute}" in ssml_error(ssml)


@pytest.mark.parametrize(
    "ssml",
    [
        '<speak><prosody rate="500%">Hi</prosody></speak>',
        '<speak><prosody rate="10%">Hi</prosody></speak>',
        '<speak><prosody volume="loudest">Hi</prosody></speak>',
        '<speak><say-as interpret-as="shout">Hi</say-as></speak>',
        '<speak><lang xml:lang="spanish">Hola</lang></speak>',
        '<speak><amazon:effect name="drc">Hi</amazon:effect></speak>',
        '<speak><sub alias=" ">JAM</sub></speak>',
    ],
)
def test_a_value_outside_its_documented_range_is_refused(ssml: str) -> None:
    assert ssml_error(ssml).startswith("<")


def test_markup_outside_speak_is_refused() -> None:
    assert ssml_error("<p>Welcome.</p>") == MESSAGE_SSML_ROOT


def test_a_document_both_malformed_and_unsupported_is_reported_as_malformed() -> None:
    assert ssml_error("<speak><foo>Hi</speak>").startswith("The SSML is not well-formed")
