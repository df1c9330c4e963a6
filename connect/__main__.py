"""Invoke a flow Lambda by hand, the way Amazon Connect would, against the configured DynamoDB.

    python -m connect invoke get_prompts --flow Main --language es-US
    python -m connect invoke lookup_customer --caller +12025550100

Without DYNAMODB_ENDPOINT_URL it talks to the embedded local server on
127.0.0.1:$LOCAL_DYNAMODB_PORT (8001); ``--aws`` talks to AWS itself instead.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import uuid
from collections.abc import Sequence
from typing import Any

from connect import handlers
from connect.config import ConfigError
from connect.dynamo import Unavailable
from connect.items import DEFAULT_LANGUAGE

DEFAULT_LOCAL_PORT = "8001"
SAMPLE_CALLER = "+12025550199"
INSTANCE_ARN = (
    "arn:aws:connect:us-east-1:123456789012:instance/8a8f1c4e-0000-4000-8000-000000000000"
)
MESSAGE_UNREACHABLE = (
    "DynamoDB at {endpoint} could not answer: {error}\n"
    "Start the local server (make run), or pass --endpoint-url URL, or --aws."
)


def build_event(*, parameters: dict[str, str], caller: str, language: str) -> dict[str, Any]:
    """A ContactFlowEvent shaped like the ones Connect sends to a flow's Lambda block."""
    contact_id = str(uuid.uuid4())
    return {
        "Details": {
            "ContactData": {
                "Attributes": {},
                "Channel": "VOICE",
                "ContactId": contact_id,
                "CustomerEndpoint": {"Address": caller, "Type": "TELEPHONE_NUMBER"},
                "InitialContactId": contact_id,
                "InitiationMethod": "INBOUND",
                "InstanceARN": INSTANCE_ARN,
                "LanguageCode": language,
                "MediaStreams": {"Customer": {"Audio": None}},
                "Name": "ContactFlowEvent",
                "PreviousContactId": contact_id,
                "Queue": None,
                "SystemEndpoint": {"Address": "+18005550100", "Type": "TELEPHONE_NUMBER"},
            },
            "Parameters": parameters,
        },
        "Name": "ContactFlowEvent",
    }


def _parser() -> argparse.ArgumentParser:
    where = argparse.ArgumentParser(add_help=False)
    choice = where.add_mutually_exclusive_group()
    choice.add_argument("--endpoint-url", help="a DynamoDB-compatible server to use")
    choice.add_argument("--aws", action="store_true", help="use DynamoDB on AWS")
    where.add_argument("--language", default=DEFAULT_LANGUAGE, help="the contact's language")
    parser = argparse.ArgumentParser(prog="python -m connect", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    invoke = commands.add_parser("invoke", help="invoke a flow Lambda with a built event")
    handlers_ = invoke.add_subparsers(dest="handler", required=True)
    prompts = handlers_.add_parser("get_prompts", parents=[where], help="a flow's prompts")
    prompts.add_argument("--flow", required=True, help="the contactFlowName parameter")
    prompts.add_argument("--caller", default=SAMPLE_CALLER, help="the customer's number")
    customer = handlers_.add_parser("lookup_customer", parents=[where], help="a caller's data")
    customer.add_argument("--caller", required=True, help="the customer's number, E.164")
    return parser


def _use_endpoint(args: argparse.Namespace) -> str:
    """Point the Lambdas' settings at the chosen DynamoDB; return it for messages."""
    if args.aws:
        os.environ.pop("DYNAMODB_ENDPOINT_URL", None)
        return "AWS"
    if args.endpoint_url:
        os.environ["DYNAMODB_ENDPOINT_URL"] = args.endpoint_url
    elif not os.environ.get("DYNAMODB_ENDPOINT_URL"):
        port = os.environ.get("LOCAL_DYNAMODB_PORT") or DEFAULT_LOCAL_PORT
        os.environ["DYNAMODB_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
    if not os.environ.get("AWS_ACCESS_KEY_ID"):
        # A local server accepts any credentials, but botocore will not sign without some.
        os.environ["AWS_ACCESS_KEY_ID"] = os.environ["AWS_SECRET_ACCESS_KEY"] = "local"
    return os.environ["DYNAMODB_ENDPOINT_URL"]


def _event(args: argparse.Namespace) -> dict[str, Any]:
    parameters: dict[str, str] = {}
    if args.handler == "get_prompts":
        parameters = {"contactFlowName": args.flow, "languageCode": args.language}
    return build_event(parameters=parameters, caller=args.caller, language=args.language)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    endpoint = _use_endpoint(args)
    handlers.reset()
    handler = getattr(handlers, args.handler)
    try:
        answer = handler(_event(args), None)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except Unavailable as exc:
        print(MESSAGE_UNREACHABLE.format(endpoint=endpoint, error=str(exc)[:500]), file=sys.stderr)
        return 2
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
