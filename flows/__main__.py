"""Check the contact flows, or run a call through them, without the site.

    python -m flows check [--dir DIR] [--prompts PROMPTS.json]
    python -m flows simulate IntroInbound --caller +12025550100 --input 1 --input 3 --input 1

``check`` applies the flow-language rules and our conventions to every flow; with
``--prompts`` (flow -> prompt id -> language -> text, as ``check_flows`` reads the database)
the rules about prompts too. ``simulate`` plays a call with the real Lambdas, which read their
DynamoDB tables from the environment as in Lambda (``PROMPT_TABLE_NAME``, ...).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from flows import check as flowcheck
from flows.loader import FLOWS_DIR, FlowError, load_flows
from flows.simulator import UnknownFlow, simulate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m flows", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check the flows; exit 1 on any problem")
    check.add_argument("--dir", type=Path, default=FLOWS_DIR, help="the flows' directory")
    check.add_argument("--prompts", type=Path, help="a JSON file of the prompts to check against")
    run = commands.add_parser("simulate", help="run one call and print what happened, as JSON")
    run.add_argument("flow", help="the flow the call enters, e.g. IntroInbound")
    run.add_argument("--dir", type=Path, default=FLOWS_DIR, help="the flows' directory")
    run.add_argument("--caller", default="+12025550199", help="the caller's number, E.164")
    run.add_argument(
        "--input", action="append", default=[], help="a key the caller presses; '' times out"
    )
    run.add_argument("--language", help="the contact's language, e.g. es-US")
    return parser


def _check(directory: Path, prompts_file: Path | None) -> int:
    if not directory.is_dir():
        print(flowcheck.MESSAGE_NO_DIRECTORY.format(directory=directory), file=sys.stderr)
        return 2
    prompts = json.loads(prompts_file.read_text()) if prompts_file else None
    flows, types, problems = flowcheck.load(directory)
    problems += flowcheck.check(flows, types, prompts=prompts)
    for problem in problems:
        print(problem)
    print(flowcheck.outcome(problems, len(flows)), file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


def _simulate(args: argparse.Namespace) -> int:
    try:
        result = simulate(
            load_flows(args.dir),
            args.flow,
            caller=args.caller,
            inputs=[entry or None for entry in args.input],
            language=args.language,
        )
    except (FlowError, UnknownFlow) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args.dir, args.prompts)
    return _simulate(args)


if __name__ == "__main__":
    sys.exit(main())
