"""What an editor may write as SSML: the tags Amazon Connect's text-to-speech speaks, no more.

Connect plays prompts with Amazon Polly and silently ignores tags it does not support, so an
unknown tag is refused here rather than dropped unheard on a call. The tags and their limits:
https://docs.aws.amazon.com/connect/latest/adminguide/supported-ssml-tags.html and
https://docs.aws.amazon.com/polly/latest/dg/supportedtags.html

Parsed with defusedxml's SAX reader, which refuses a DOCTYPE (and so every ENTITY declaration
and external reference) before anything is expanded, and which reads ``amazon:effect`` and
``xml:lang`` as the plain names Polly expects, without namespace declarations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import cast
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax
from defusedxml import DefusedXmlException

MESSAGE_SSML_MALFORMED = (
    "The SSML is not well-formed at line {line}, column {column}: "
    "check that every tag is closed and every & is written &amp;."
)
MESSAGE_SSML_ROOT = "SSML must be wrapped in <speak>...</speak>."
MESSAGE_SSML_DTD = "SSML may not contain a DOCTYPE or ENTITY declaration."
MESSAGE_SSML_AUDIO = (
    "<audio> at line {line}, column {column}: a prompt cannot play external audio; "
    "use a recorded prompt in Amazon Connect instead."
)
MESSAGE_SSML_TAG = (
    "<{tag}> at line {line}, column {column} is not an SSML tag Amazon Connect supports."
)
MESSAGE_SSML_ATTRIBUTE = (
    "<{tag}> at line {line}, column {column} has the attribute {attribute}, "
    "which Amazon Connect does not support there."
)
MESSAGE_SSML_VALUE = '<{tag}> at line {line}, column {column}: {attribute}="{value}" {reason}.'

MAX_BREAK_MS = 10_000  # Polly's break tag: "The maximum duration is 10s" (break-tag.html)
_BREAK_TIME = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)$")
_PERCENT = re.compile(r"^[+-]?\d+(?:\.\d+)?%$")
_DECIBELS = re.compile(r"^[+-]\d+(?:\.\d+)?dB$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}-[A-Z]{2}$")
MIN_RATE, MAX_RATE = 20, 200  # prosody rate, in percent of the voice's default (prosody-tag)


def _one_of(*values: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        return "" if value in values else f"must be one of {', '.join(values)}"

    return check


def _break_time(value: str) -> str:
    match = _BREAK_TIME.match(value)
    if not match:
        return 'must be a number of seconds or milliseconds, such as "2s" or "500ms"'
    milliseconds = float(match[1]) * (1 if match[2] == "ms" else 1000)
    return "" if milliseconds <= MAX_BREAK_MS else "is longer than the 10 seconds a pause may last"


def _rate(value: str) -> str:
    if value in ("x-slow", "slow", "medium", "fast", "x-fast"):
        return ""
    if _PERCENT.match(value) and MIN_RATE <= float(value.strip("+%")) <= MAX_RATE:
        return ""
    return f"must be x-slow to x-fast, or {MIN_RATE}% to {MAX_RATE}%"


def _volume(value: str) -> str:
    named = ("default", "silent", "x-soft", "soft", "medium", "loud", "x-loud")
    return "" if value in named or _DECIBELS.match(value) else "must be soft, loud or +/-n dB"


def _pitch(value: str) -> str:
    named = ("default", "x-low", "low", "medium", "high", "x-high")
    return "" if value in named or _PERCENT.match(value) else "must be low, high or +/-n%"


def _language(value: str) -> str:
    return "" if _LANGUAGE.match(value) else 'must be a language code such as "es-US"'


def _text(value: str) -> str:
    return "" if value.strip() else "must not be empty"


def _amazon_role(value: str) -> str:
    return "" if value.startswith("amazon:") else 'must be a Polly role such as "amazon:VB"'


SAY_AS = (
    "characters",
    "spell-out",
    "cardinal",
    "number",
    "ordinal",
    "digits",
    "fraction",
    "unit",
    "date",
    "time",
    "address",
    "expletive",
    "telephone",
)
# Tag -> attribute -> check (an error reason, or ""). Exactly Connect's list: Polly knows more
# (<emphasis>, other amazon:effect names), but Connect documents only these, and ignores the
# rest unheard.
TAGS: Mapping[str, Mapping[str, Callable[[str], str]]] = {
    "speak": {},
    "break": {
        "time": _break_time,
        "strength": _one_of("none", "x-weak", "weak", "medium", "strong", "x-strong"),
    },
    "lang": {"xml:lang": _language},
    "mark": {"name": _text},
    "p": {},
    "s": {},
    "phoneme": {"alphabet": _one_of("ipa", "x-sampa"), "ph": _text},
    "prosody": {"rate": _rate, "volume": _volume, "pitch": _pitch},
    "say-as": {"interpret-as": _one_of(*SAY_AS), "format": _text},
    "sub": {"alias": _text},
    "w": {"role": _amazon_role},
    "amazon:effect": {"name": _one_of("whispered")},
}


def looks_like_ssml(text: str) -> bool:
    """Whether ``text`` is meant as SSML (the admin's rule: it starts with a tag)."""
    return text.lstrip().startswith("<")


def ssml_error(text: str) -> str:
    """Why Amazon Connect could not speak ``text`` as SSML, or '' when it can."""
    checker = _Checker()
    try:
        defusedxml.sax.parseString(text.encode("utf-8"), checker, forbid_dtd=True)
    except SAXParseException as exc:
        # expat counts columns from 0; editors count from 1. It always knows the column of
        # an error (the None that the SAX interface allows is for readers that do not).
        column = cast(int, exc.getColumnNumber())
        return MESSAGE_SSML_MALFORMED.format(line=exc.getLineNumber(), column=column + 1)
    except DefusedXmlException:
        return MESSAGE_SSML_DTD
    return checker.problem


class _Checker(ContentHandler):
    """Remembers the first tag or attribute Connect would not speak; parsing carries on so
    that a document both malformed and unsupported is reported as malformed."""

    def __init__(self) -> None:
        super().__init__()
        self.problem = ""
        self._depth = 0
        self._locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self._locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        self._depth += 1
        if not self.problem:
            self.problem = self._element_problem(name, attrs)

    def endElement(self, name: str) -> None:
        self._depth -= 1

    def _element_problem(self, name: str, attrs: AttributesImpl) -> str:
        if self._depth == 1:
            if name != "speak":
                return MESSAGE_SSML_ROOT
        elif name == "audio":
            return MESSAGE_SSML_AUDIO.format(**self._where())
        elif name not in TAGS or name == "speak":
            return MESSAGE_SSML_TAG.format(tag=name, **self._where())
        return self._attribute_problem(name, attrs)

    def _attribute_problem(self, name: str, attrs: AttributesImpl) -> str:
        allowed = TAGS[name]
        for attribute in attrs.getNames():
            if attribute not in allowed:
                return MESSAGE_SSML_ATTRIBUTE.format(tag=name, attribute=attribute, **self._where())
            value = attrs.getValue(attribute)
            reason = allowed[attribute](value)
            if reason:
                return MESSAGE_SSML_VALUE.format(
                    tag=name, attribute=attribute, value=value, reason=reason, **self._where()
                )
        return ""

    def _where(self) -> dict[str, int]:
        locator = self._locator
        if locator is None:
            return {"line": 0, "column": 0}
        # While expat parses, its locator always knows where it is (None is for other readers).
        line, column = cast(int, locator.getLineNumber()), cast(int, locator.getColumnNumber())
        return {"line": line, "column": column + 1}
