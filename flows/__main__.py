"""Check the contact flows, or run a call through them, without the site.

    python -m flows check [--generic] [--type TYPE] [--json] [--prompts PROMPTS.json] [PATH...]
    python -m flows simulate IntroInbound --caller +12025550100 --input 1,3,1 [--json]
    python -m flows simulate PATH.json [--type TYPE] [--input KEYS] [--lambda-answer JSON]

``check`` applies the flow-language rules and our conventions to each PATH, a flow file or a
folder of flows with its manifest.json (our flows when none is given); ``--generic`` keeps the
flow language's rules only, for flows that are not ours, and ``--type`` gives a lone file's
flow type (else its folder's manifest says it). Exit 0 without errors (warnings allowed), 1
with errors, 2 when a PATH cannot be read. With ``--prompts`` (flow -> prompt id -> language
-> text, as ``check_flows`` reads the database) the rules about prompts too. ``simulate``
plays a call with the real Lambdas, which read their DynamoDB tables from the environment as
in Lambda (``PROMPT_TABLE_NAME``, ...), or with ``--lambda-answer`` for every Lambda; its
outcome is queued, disconnected, transferred, ended, stopped, error or unsupported, with the
reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from flows import check as flowcheck
from flows.loader import FLOWS_DIR, FlowError, FlowSet, flow_set, load_flows
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
    run = commands.add_parser("simulate", help="run one call and print what happened")
    run.add_argument(
        "flow", help="a flow of --dir by name (e.g. IntroInbound), or a flow file's path"
    )
    run.add_argument("--dir", type=Path, default=FLOWS_DIR, help="the flows' directory")
    run.add_argument("--type", dest="flow_type", help="a lone flow file's type (CONTACT_FLOW)")
    run.add_argument("--caller", default="+12025550199", help="the caller's number, E.164")
    run.add_argument(
        "--input",
        action="append",
        default=[],
        help="the keys the caller presses, comma-separated, one per input; '' is silence",
    )
    run.add_argument("--language", help="the contact's language, e.g. es-US")
    run.add_argument(
        "--lambda-answer", type=json.loads, help="JSON every Lambda answers, instead of ours"
    )
    run.add_argument("--json", action="store_true", help="print the result as JSON")
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
    inputs = [key or None for entry in args.input for key in entry.split(",")]
    lambdas = None
    if args.lambda_answer is not None:
        answer = args.lambda_answer
        lambdas = {"*": lambda event, context: answer}
    try:
        flows, flow = _flows_for(args)
        result = simulate(
            flows,
            flow,
            caller=args.caller,
            inputs=inputs,
            language=args.language,
            lambdas=lambdas,
        )
    except (FlowError, UnknownFlow, OSError, ValueError) as exc:
        if args.json:
            print(json.dumps({"outcome": "error", "reason": str(exc)}))
        else:
            print(exc, file=sys.stderr)
        return 2
    if args.json:
        print(
            json.dumps({"outcome": result.ended, **result.as_dict()}, indent=2, ensure_ascii=False)
        )
    else:
        print("\n".join(result.transcript))
        print(f"Outcome: {result.ended}" + (f" ({result.reason})" if result.reason else ""))
    return 0


def _flows_for(args: argparse.Namespace) -> tuple[FlowSet, str]:
    """The flows to play and the one the call enters: a name of --dir, a file in a folder
    whose manifest lists it, or a file alone (its type from --type)."""
    path = Path(args.flow)
    if path.suffix != ".json":
        return load_flows(args.dir), args.flow
    manifest = path.parent / "manifest.json"
    if manifest.exists() and path.stem in json.loads(manifest.read_text(encoding="utf-8")):
        return load_flows(path.parent), path.stem
    content = json.loads(path.read_text(encoding="utf-8"))
    return flow_set(
        {path.stem: content}, {path.stem: {"type": args.flow_type or "CONTACT_FLOW"}}
    ), path.stem


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args)
    return _simulate(args)


if __name__ == "__main__":
    sys.exit(main())
