"""The DynamoDB item format, defined once: the Lambdas read it, the Django apps write it.

Compatible with the seed's tables, so an existing deployment keeps working:

- ``jamcc-cc-prompts`` style table, key ``ContactFlowName``::

    {"ContactFlowName": "Main",
     "Prompts": [{"Id": "Welcome", "PromptText": {"en-US": "...", "es-US": "..."}}],
     "Announcements": [{"Id": "...", "StartsAt": "2026-12-24T00:00:00Z",
                        "EndsAt": "2026-12-26T00:00:00Z", "Text": {"en-US": "..."}}]}

  ``Announcements`` is ours (the seed ignores attributes it does not know). Announcements
  that apply to every flow are copied into every flow's item, so a call reads one item.

- customer table, key ``PhoneNumber``::

    {"PhoneNumber": "+12025550100", "FirstName": "...", "LastName": "...", "VIP": "true"}

  plus optional extra string attributes.

Plain Python: no Django, no boto3 import needed to encode or decode.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

PROMPTS_KEY = "ContactFlowName"
CUSTOMERS_KEY = "PhoneNumber"
DEFAULT_PROMPT_TABLE = "jam-cc-prompts"
DEFAULT_CUSTOMER_TABLE = "jam-cc-customer-data"
DEFAULT_LANGUAGE = "en-US"
CUSTOMER_FIELDS = ("PhoneNumber", "FirstName", "LastName", "VIP")

# An item as boto3's DynamoDB resource writes it: attribute names to values of any shape.
Item = dict[str, Any]


@dataclass(frozen=True)
class Announcement:
    id: str
    starts_at: datetime
    ends_at: datetime
    text: Mapping[str, str]

    def is_active(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


@dataclass(frozen=True)
class FlowPrompts:
    flow: str
    prompts: Mapping[str, Mapping[str, str]]  # prompt id -> language -> text
    announcements: tuple[Announcement, ...] = ()

    def texts(self, language: str) -> dict[str, str]:
        """Each prompt in ``language``, falling back to English where it is missing."""
        return {
            prompt_id: by_language.get(language) or by_language.get(DEFAULT_LANGUAGE, "")
            for prompt_id, by_language in self.prompts.items()
        }

    def announcement(self, language: str, now: datetime) -> str:
        """The active announcement's text (the latest started wins), or ''."""
        active = [a for a in self.announcements if a.is_active(now)]
        if not active:
            return ""
        latest = max(active, key=lambda a: a.starts_at)
        return latest.text.get(language) or latest.text.get(DEFAULT_LANGUAGE, "")


@dataclass(frozen=True)
class Customer:
    phone_number: str
    first_name: str = ""
    last_name: str = ""
    vip: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)


class ItemError(ValueError):
    """An item that does not have the shape above."""


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_timestamp(value: object) -> datetime:
    if not isinstance(value, str):
        raise ItemError(f"not a timestamp: {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ItemError(f"not a timestamp: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text_map(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ItemError(f"not a text map: {value!r}")
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str) and v}


def prompts_encode(flow: FlowPrompts) -> Item:
    item: Item = {
        PROMPTS_KEY: flow.flow,
        "Prompts": [
            {"Id": prompt_id, "PromptText": {k: v for k, v in texts.items() if v}}
            for prompt_id, texts in flow.prompts.items()
        ],
    }
    if flow.announcements:
        item["Announcements"] = [
            {
                "Id": a.id,
                "StartsAt": _timestamp(a.starts_at),
                "EndsAt": _timestamp(a.ends_at),
                "Text": {k: v for k, v in a.text.items() if v},
            }
            for a in flow.announcements
        ]
    return item


def prompts_decode(item: Mapping[str, object]) -> FlowPrompts:
    """Read a prompts item; raise :class:`ItemError` when it is not one."""
    flow = item.get(PROMPTS_KEY)
    prompts = item.get("Prompts", [])
    if not isinstance(flow, str) or not isinstance(prompts, list):
        raise ItemError("a prompts item needs ContactFlowName and a Prompts list")
    by_id: dict[str, dict[str, str]] = {}
    for prompt in prompts:
        if isinstance(prompt, Mapping) and isinstance(prompt.get("Id"), str):
            by_id[prompt["Id"]] = _text_map(prompt.get("PromptText", {}))
    announcements = []
    raw_announcements = item.get("Announcements")
    for raw in raw_announcements if isinstance(raw_announcements, list) else []:
        if not isinstance(raw, Mapping):
            continue
        try:
            announcements.append(
                Announcement(
                    id=str(raw.get("Id", "")),
                    starts_at=_parse_timestamp(raw.get("StartsAt")),
                    ends_at=_parse_timestamp(raw.get("EndsAt")),
                    text=_text_map(raw.get("Text", {})),
                )
            )
        except ItemError:
            continue  # one bad announcement must not silence the flow's prompts
    return FlowPrompts(flow=flow, prompts=by_id, announcements=tuple(announcements))


def customer_encode(customer: Customer) -> Item:
    item: Item = {k: v for k, v in customer.extra.items() if k not in CUSTOMER_FIELDS and v != ""}
    item.update(
        {
            CUSTOMERS_KEY: customer.phone_number,
            "FirstName": customer.first_name,
            "LastName": customer.last_name,
            "VIP": "true" if customer.vip else "false",
        }
    )
    return item


def customer_decode(item: Mapping[str, object]) -> Customer:
    phone = item.get(CUSTOMERS_KEY)
    if not isinstance(phone, str) or not phone:
        raise ItemError("a customer item needs a PhoneNumber")
    vip = item.get("VIP", "false")
    return Customer(
        phone_number=phone,
        first_name=str(item.get("FirstName", "") or ""),
        last_name=str(item.get("LastName", "") or ""),
        # The seed stored "true"/"false" strings; accept a real boolean from older tools too.
        vip=vip is True or (isinstance(vip, str) and vip.strip().lower() == "true"),
        extra={
            str(k): str(v) for k, v in item.items() if k not in CUSTOMER_FIELDS and v is not None
        },
    )


def table_definition(name: str, key: str) -> dict[str, Any]:
    """CreateTable arguments for one of the two tables: a string hash key, on demand."""
    return {
        "TableName": name,
        "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


# What the Lambdas answer Amazon Connect. The prompts answer is flat: prompt id -> text, plus
# these keys, so no prompt may use one of them as its id. The flows branch on the two flags
# (Compare ... Equals "true") before they speak a prompt that might be empty: what Connect
# does with an empty prompt text is not documented, and a recording disclosure must never
# depend on it.
RESERVED_PROMPT_IDS = (
    "operation",
    "promptsFound",
    "promptsComplete",
    "announcement",
    "hasAnnouncement",
)
CUSTOMER_ANSWER_KEYS = ("operation", "CustomerFound", "FirstName", "LastName", "VIP")
# Connect refuses a Lambda answer of 32 KB or more (the response size limit in
# https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html);
# measured as the UTF-8 bytes of the JSON the runtime sends, with a margin under 32,768.
MAX_ANSWER_BYTES = 32_000


def answer_bytes(answer: Mapping[str, str]) -> int:
    """The UTF-8 bytes of ``answer`` as JSON, non-ASCII escaped as Lambda's Python 3.11
    runtime sends it: never less than the same JSON sent unescaped, so it bounds both."""
    return len(json.dumps(answer).encode("utf-8"))


# Connect's text-to-speech takes at most 6,000 characters (3,000 billed), so a longer value
# cannot be played; the Lambdas cut any value to this length.
MAX_VALUE_CHARS = 6_000


# What the flows play with MessageParticipant's "SSML" parameter: every prompt and the
# announcement. The flows compare an empty announcement with "", so nothing stays "".
# https://docs.aws.amazon.com/connect/latest/APIReference/participant-actions-messageparticipant.html
_SPEAK_DOCUMENT = re.compile(r"^\s*<speak[\s/>].*</speak>\s*$", re.DOTALL)


def is_ssml(text: str) -> bool:
    """Whether ``text`` is an SSML document (the admin has checked those it accepted)."""
    return bool(_SPEAK_DOCUMENT.match(text))


def speak(text: str) -> str:
    """Plain ``text`` as an SSML document that says exactly it; blank stays ''."""
    return f"<speak>{escape(text)}</speak>" if text.strip() else ""


def as_ssml(text: str) -> str:
    """``text`` as Connect's SSML parameter takes it: SSML as written, plain text spoken."""
    return text if is_ssml(text) else speak(text)


def prompts_flat(
    flow: FlowPrompts | None,
    language: str,
    *,
    announcement: str,
    required: Sequence[str] = (),
) -> dict[str, str]:
    """The prompts Lambda's answer for ``flow`` (None: unknown), before any cut to fit.

    ``required`` are the prompt ids the flow asks to have words (its ``requiredPrompts``);
    promptsComplete says whether they all do (without it: every prompt the item holds).
    """
    texts = flow.texts(language) if flow is not None else {}
    answer = {key: as_ssml(text) for key, text in texts.items() if key not in RESERVED_PROMPT_IDS}
    complete = flow is not None and _complete(answer, required)
    answer.update(
        operation="getPrompts",
        promptsFound="true" if flow is not None else "false",
        # Every prompt of the flow has words to say (see prompts_complete for a cut answer).
        promptsComplete="true" if complete else "false",
        announcement=as_ssml(announcement),
        hasAnnouncement="true" if announcement.strip() else "false",
    )
    return answer


def _complete(answer: Mapping[str, str], required: Sequence[str]) -> bool:
    keys = required or [key for key in answer if key not in RESERVED_PROMPT_IDS]
    return all(answer.get(key, "").strip() for key in keys)


def prompts_complete(answer: dict[str, str], required: Sequence[str] = ()) -> dict[str, str]:
    """``answer`` (cut to fit) with promptsComplete false when the cut dropped or emptied a
    prompt the flow requires."""
    if answer.get("promptsComplete") == "true" and not _complete(answer, required):
        answer["promptsComplete"] = "false"
    return answer


def flow_answer_bytes(flow: FlowPrompts, language: str) -> int:
    """The largest answer the prompts Lambda could give for ``flow`` in ``language``.

    Counts the longest announcement as if it were running, so an editor can be warned before
    publishing a flow whose answer the Lambda would have to cut.
    """
    texts = [a.text.get(language) or a.text.get(DEFAULT_LANGUAGE, "") for a in flow.announcements]
    longest = max(texts, key=len, default="")
    return answer_bytes(prompts_flat(flow, language, announcement=longest))
