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
            ]
        )
        == 0
    )

    result = json.loads(capsys.readouterr().out)
    assert (result["queue"], result["ended"], result["priority"]) == (
        "Support-Product",
        "queued",
        1,
    )


def test_simulate_names_the_flows_when_one_is_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "Nope"]) == 2
    assert "the flows are IntroInbound" in capsys.readouterr().err
