"""The rehearsal's guard: a command it runs reaches 127.0.0.1 and nothing else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deploy.loopback import is_loopback
from deploy.motoserver import free_port

ROOT = Path(__file__).resolve().parents[2]
GUARDED = "from deploy import loopback; loopback.install()\n"


def guarded(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", GUARDED + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.53", "::1", "localhost"])
def test_loopback_addresses_are_allowed(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["10.0.0.1", "169.254.169.254", "pypi.org", "0.0.0.0", ""])
def test_everything_else_is_not(host: str) -> None:
    assert not is_loopback(host)


def test_a_name_off_the_machine_is_refused_before_any_dns_query() -> None:
    done = guarded(
        "import urllib.request; urllib.request.urlopen('https://pypi.org/pypi/zappa/json')"
    )

    assert done.returncode != 0
    assert "refused a connection to pypi.org:443; only 127.0.0.1 is allowed" in done.stderr


def test_an_address_off_the_machine_is_refused() -> None:
    # The instance metadata address: where boto3 looks for credentials when it has none.
    done = guarded("import socket; socket.create_connection(('169.254.169.254', 80), timeout=1)")

    assert "refused a connection to 169.254.169.254:80" in done.stderr


def test_a_loopback_server_is_reached() -> None:
    port = free_port()
    done = guarded(
        "import socket, threading\n"
        f"server = socket.create_server(('127.0.0.1', {port}))\n"
        f"client = socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
        "print('connected')\n"
    )

    assert done.stdout.strip() == "connected", done.stderr
