"""The README's `make run` on a fresh machine, where uv is only a module of python3.

`make` installs uv with `pip install --user` when it is missing, and pip puts the `uv`
executable in ~/.local/bin, which is often not on PATH. The Makefile then runs `python3 -m uv`;
the scripts it calls must find uv the same way (scripts/uv) or they stop at "uv: command not
found". Both tests run with a PATH that holds no `uv` executable at all.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, suppress
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A fresh machine's PATH (no ~/.local/bin), less any directory that holds a `uv` executable.
BARE_PATH = os.pathsep.join(
    directory
    for directory in ("/usr/local/bin", "/usr/bin", "/bin")
    if shutil.which("uv", path=directory) is None
)
# What `uv run`, make and a virtualenv put in the environment of the tests; a fresh shell has none.
INHERITED = {"UV", "UV_INTERNAL__PARENT_INTERPRETER", "UV_RUN_RECURSION_DEPTH", "VIRTUAL_ENV"}
INHERITED |= {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
START_SECONDS = 120
STOP_SECONDS = 20
NOT_FOUND = "command not found"


def bare_env(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in INHERITED}
    return {**env, "PATH": BARE_PATH, **extra}


@pytest.fixture(scope="module", autouse=True)
def _uv_only_as_a_module() -> None:
    """The fallback needs python3 on the bare PATH and uv importable by it (pip's install)."""
    if shutil.which("python3", path=BARE_PATH) is None:
        pytest.skip(f"no python3 on {BARE_PATH}")
    found = subprocess.run(
        ["python3", "-m", "uv", "--version"], env=bare_env(), capture_output=True, timeout=60
    )
    if found.returncode != 0:
        pytest.skip(f"python3 on {BARE_PATH} cannot run `-m uv` (run `make uv` first)")


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (all bound at once, so no two are the same)."""
    with ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]


def test_local_dynamodb_finds_uv_without_it_on_path() -> None:
    (port,) = free_ports(1)
    result = subprocess.run(
        [str(ROOT / "scripts" / "local-dynamodb"), "true"],
        cwd=ROOT,
        env=bare_env(LOCAL_DYNAMODB_PORT=str(port)),
        capture_output=True,
        text=True,
        timeout=START_SECONDS,
    )
    output = result.stdout + result.stderr
    assert NOT_FOUND not in output
    assert result.returncode == 0, output


def wait_for_health(port: int, process: subprocess.Popen) -> int | None:
    """The status /healthz answers once the site listens; None if it never does."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy for loopback
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with opener.open(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.5)
    return None


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the whole group (make, the site, the DynamoDB server), SIGKILL what stays."""
    group = process.pid  # start_new_session: make leads its own process group
    with suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_SECONDS)
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    with suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
    process.wait()


@pytest.mark.package
def test_make_run_serves_without_uv_on_path(tmp_path: Path) -> None:
    if shutil.which("make", path=BARE_PATH) is None:
        pytest.skip(f"no make on {BARE_PATH}")
    port, dynamodb_port = free_ports(2)
    env = bare_env(
        PORT=str(port),
        LOCAL_DYNAMODB_PORT=str(dynamodb_port),
        # A throw-away database: the checkout's db.sqlite3 (or a DATABASE_URL the tests run
        # against) stays as it is.
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        make = subprocess.Popen(
            ["make", "run"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            status = wait_for_health(port, make)
        finally:
            stop_group(make)
    output = log.read_text(errors="replace")
    assert NOT_FOUND not in output, output
    assert status == 200, output
