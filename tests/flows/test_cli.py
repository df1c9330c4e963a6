"""``python -m flows``: the flow toolkit's command line, without the site."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.__main__ import main
from flows.loader import FLOWS_DIR
from tests.flows.conftest import VIP


def test_check_passes_our_flows_from_a_shell_without_django() -> None:
    # A fresh interpreter, with Django made unimportable: the toolkit must not need it.
    blocker = "import sys; sys.modules['django'] = None; from flows.__main__ import main; "
    done = subprocess.run(
        [sys.executable, "-c", blocker + "raise SystemExit(main(['check']))"],
        capture_output=True,
        text=True,
        cwd=FLOWS_DIR.parents[1],
        check=False,
    )

    assert (done.returncode, done.stdout.strip()) == (0, "9 flows checked, no problems.")


def test_check_fails_on_a_broken_flow_and_names_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FLOWS_DIR, tmp_path, dirs_exist_ok=True)
    main_flow = json.loads((tmp_path / "Main.json").read_text())
    main_flow["StartAction"] = "NoSuchAction"
    (tmp_path / "Main.json").write_text(json.dumps(main_flow))

    assert main(["check", "--dir", str(tmp_path)]) == 1
    assert "Main" in capsys.readouterr().out


def test_check_refuses_a_directory_that_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--dir", str(tmp_path / "missing")]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_simulate_prints_the_call_as_json(ivr: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "simulate",
                "IntroInbound",
                "--caller",
                VIP,
                "--input",
                "1",
                "--input",
                "3",
                "--input",
                "1",
                "--json",
            ]
        )
        == 0
    )

    result = json.loads(capsys.readouterr().out)
    assert (result["queue"], result["outcome"], result["priority"]) == (
        "Support-Product",
        "queued",
        1,
    )


def test_simulate_names_the_flows_when_one_is_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "Nope"]) == 2
    assert "the flows are IntroInbound" in capsys.readouterr().err


# --- check's contract: paths, --generic, --type, --json, exit codes ---------------------------


def foreign_flow(tmp_path: Path) -> Path:
    """Someone else's flow: a Lambda by its real ARN, a prompt we never load, an orphan."""
    flow = {
        "Version": "2019-10-30",
        "StartAction": "greet",
        "Actions": [
            {
                "Identifier": "greet",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "Hello $.External.greeting"},
                "Transitions": {
                    "NextAction": "bye",
                    "Errors": [{"NextAction": "bye", "ErrorType": "NoMatchingError"}],
                    "Conditions": [],
                },
            },
            {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}},
            {"Identifier": "orphan", "Type": "DisconnectParticipant", "Parameters": {}},
        ],
    }
    path = tmp_path / "Theirs.json"
    path.write_text(json.dumps(flow))
    return path


def test_a_lone_file_needs_its_type_when_no_manifest_lists_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(foreign_flow(tmp_path))]) == 2
    assert "give its flow type with --type" in capsys.readouterr().err


def test_an_orphan_block_is_a_warning_that_passes_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = foreign_flow(tmp_path)

    assert main(["check", "--generic", "--type", "CONTACT_FLOW", str(path)]) == 0
    out = capsys.readouterr()
    assert (
        "Theirs: action 'orphan': no path from StartAction reaches it [unreachable, warning]"
        in (out.out)
    )
    assert "1 flows checked, no errors, 1 warning." in out.out


def test_json_lists_each_files_errors_and_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = foreign_flow(tmp_path)
    flow = json.loads(path.read_text())
    flow["StartAction"] = "missing"
    path.write_text(json.dumps(flow))

    assert main(["check", "--generic", "--type", "CONTACT_FLOW", "--json", str(path)]) == 1
    [found] = json.loads(capsys.readouterr().out)["files"]
    assert (found["path"], found["type"]) == (str(path), "CONTACT_FLOW")
    assert [e["code"] for e in found["errors"]] == ["start-action"]
    assert found["warnings"] == []


def test_our_project_rules_stay_out_of_a_generic_check(tmp_path: Path) -> None:
    shutil.copytree(FLOWS_DIR, tmp_path, dirs_exist_ok=True)
    main_flow = json.loads((tmp_path / "Main.json").read_text())
    main_flow["Actions"][0]["Parameters"]["LambdaFunctionARN"] = "${nonsense:thing}"
    (tmp_path / "Main.json").write_text(json.dumps(main_flow))

    assert main(["check", str(tmp_path)]) == 1
    assert main(["check", "--generic", str(tmp_path)]) == 0


def test_a_folder_and_a_file_of_it_check_alike(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FLOWS_DIR / "Main.json")]) == 0
    assert capsys.readouterr().out.strip() == "1 flows checked, no problems."


# --- simulate's contract: a lone file, --input KEYS, --lambda-answer, --json -------------------


def lone_flow(tmp_path: Path) -> Path:
    """Someone else's flow: a real Lambda ARN, a menu, a queue by ARN."""
    arn = "arn:aws:lambda:us-east-1:123456789012:function:their-prompts"
    queue = "arn:aws:connect:us-east-1:123456789012:instance/i/queue/q-1"
    flow = {
        "Version": "2019-10-30",
        "StartAction": "ask",
        "Actions": [
            {
                "Identifier": "ask",
                "Type": "InvokeLambdaFunction",
                "Parameters": {"LambdaFunctionARN": arn, "InvocationTimeLimitSeconds": "3"},
                "Transitions": {
                    "NextAction": "menu",
                    "Errors": [{"NextAction": "bye", "ErrorType": "NoMatchingError"}],
                },
            },
            {
                "Identifier": "menu",
                "Type": "GetParticipantInput",
                "Parameters": {"Text": "$.External.menu", "InputTimeLimitSeconds": "5"},
                "Transitions": {
                    "NextAction": "bye",
                    "Conditions": [
                        {
                            "NextAction": "out",
                            "Condition": {"Operator": "Equals", "Operands": ["1"]},
                        }
                    ],
                    "Errors": [
                        {"NextAction": "bye", "ErrorType": "InputTimeLimitExceeded"},
                        {"NextAction": "bye", "ErrorType": "NoMatchingCondition"},
                        {"NextAction": "bye", "ErrorType": "NoMatchingError"},
                    ],
                },
            },
            {
                "Identifier": "out",
                "Type": "TransferToFlow",
                "Parameters": {"ContactFlowId": queue.replace("queue/q-1", "contact-flow/f-9")},
                "Transitions": {
                    "NextAction": "bye",
                    "Errors": [{"NextAction": "bye", "ErrorType": "NoMatchingError"}],
                },
            },
            {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}},
        ],
    }
    path = tmp_path / "Theirs.json"
    path.write_text(json.dumps(flow))
    return path


def simulated(*args: str, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["simulate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_lone_flow_plays_with_the_lambda_answer_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = simulated(
        str(lone_flow(tmp_path)),
        "--input",
        "1",
        "--lambda-answer",
        '{"menu": "Press 1 for more."}',
        capsys=capsys,
    )

    assert result["spoken"] == ["Press 1 for more."]
    assert (result["outcome"], result["reason"]) == (
        "transferred",
        "Transferred to flow arn:aws:connect:us-east-1:123456789012:instance/i/contact-flow/f-9",
    )
    assert set(result) >= {
        "outcome", "reason", "queue", "spoken", "attributes", "unsupported", "transcript",
    }  # fmt: skip


def test_an_empty_key_list_is_silence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = simulated(
        str(lone_flow(tmp_path)), "--input", "", "--lambda-answer", '{"menu": "Press 1."}',
        capsys=capsys,
    )  # fmt: skip

    assert result["outcome"] == "disconnected"


def test_a_file_that_is_no_flow_gives_an_error_outcome_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Broken.json").write_text('{"Actions": "none"}')

    assert main(["simulate", str(tmp_path / "Broken.json"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["outcome"] == "error"
