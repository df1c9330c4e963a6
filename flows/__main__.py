"""Check the contact flows, or run a call through them, without the site.

    python -m flows check [--generic] [--type TYPE] [--json] [--prompts PROMPTS.json] [PATH...]
    python -m flows simulate IntroInbound --caller +12025550100 --input 1 --input 3 --input 1

``check`` applies the flow-language rules and our conventions to each PATH, a flow file or a
folder of flows with its manifest.json (our flows when none is given); ``--generic`` keeps the
flow language's rules only, for flows that are not ours, and ``--type`` gives a lone file's
flow type (else its folder's manifest says it). Exit 0 without errors (warnings allowed), 1
with errors, 2 when a PATH cannot be read. With ``--prompts`` (flow -> prompt id -> language
-> text, as ``check_flows`` reads the database) the rules about prompts too. ``simulate``
plays a call with the real Lambdas, which read their DynamoDB tables from the environment as
in Lambda (``PROMPT_TABLE_NAME``, ...).
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
    check = commands.add_parser("check", help="check flows; exit 1 on any error")
    check.add_argument("paths", nargs="*", type=Path, help="flow files or folders of flows")
    check.add_argument("--dir", type=Path, help="a folder of flows (the same as one PATH)")
    check.add_argument("--generic", action="store_true", help="the flow language's rules only")
    check.add_argument("--type", dest="flow_type", help="the flow type of a lone flow file")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
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


def _check(args: argparse.Namespace) -> int:
    paths = [*args.paths, *([args.dir] if args.dir else [])] or [FLOWS_DIR]
    prompts = json.loads(args.prompts.read_text()) if args.prompts else None
    files: list[dict[str, object]] = []
    problems: list[flowcheck.Problem] = []
    checked = 0
    for path in paths:
        try:
            flows, types, found = _read(path, args.flow_type)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        found += flowcheck.check(flows, types, prompts=prompts, generic=args.generic)
        checked += len(flows)
        problems += found
        files += _files(path, flows, types, found)
    if args.json:
        print(json.dumps({"files": files}, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem)
        failed = bool(flowcheck.errors(problems))
        print(flowcheck.outcome(problems, checked), file=sys.stderr if failed else sys.stdout)
    return 1 if flowcheck.errors(problems) else 0


def _read(
    path: Path, flow_type: str | None
) -> tuple[dict[str, object], dict[str, str], list[flowcheck.Problem]]:
    """A folder's flows with its manifest, or one file with ``--type`` or its folder's type."""
    if path.is_dir():
        return flowcheck.load(path)
    if not path.is_file():
        raise ValueError(flowcheck.MESSAGE_NO_DIRECTORY.format(directory=path))
    flows, types, problems = flowcheck.load(path.parent)
    flows = {path.stem: flows[path.stem]} if path.stem in flows else {}
    problems = [p for p in problems if p.flow == path.stem]
    if flow_type:
        types = {**types, path.stem: flow_type}
    elif path.stem not in types:
        raise ValueError(f"{path}: give its flow type with --type (no manifest.json lists it)")
    if not flows:
        try:
            flows = {path.stem: json.loads(path.read_text(encoding="utf-8"))}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(flowcheck.Problem(path.stem, "", "invalid-json", f"{path.name}: {exc}"))
    return flows, types, problems


def _files(
    path: Path,
    flows: dict[str, object],
    types: dict[str, str],
    problems: list[flowcheck.Problem],
) -> list[dict[str, object]]:
    folder = path if path.is_dir() else path.parent
    names = sorted(set(flows) | {p.flow for p in problems})
    return [
        {
            "path": str(folder / f"{name}.json")
            if name != flowcheck.MANIFEST
            else str(folder / name),
            "type": types.get(name, ""),
            "errors": [p.as_dict() for p in problems if p.flow == name and p.level == "error"],
            "warnings": [p.as_dict() for p in problems if p.flow == name and p.level != "error"],
        }
        for name in names
    ]


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
        return _check(args)
    return _simulate(args)


if __name__ == "__main__":
    sys.exit(main())
