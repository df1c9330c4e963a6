"""The documented layout is the layout: every package has its room in the docs and the
import contracts, and the packages the Lambdas ship hold what they should."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_CODE = {"tests", "scripts", "templates", "static", "staticfiles", "locale", "docs", "infra"}


def packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_CODE and not path.parent.name.startswith(".")
    }


def test_every_package_is_in_the_import_contracts() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]

    assert set(config["root_packages"]) == packages()


@pytest.mark.parametrize("document", ["README.md", "docs/architecture.md"])
def test_every_package_has_its_room_in_the_docs(document: str) -> None:
    text = (ROOT / document).read_text()

    assert [name for name in sorted(packages()) if f"`{name}/`" not in text] == []


def test_the_lambda_package_is_only_lambda_code() -> None:
    # Zappa ships connect/ whole to the two flow Lambdas: nothing of the toolkit belongs there.
    modules = {path.stem for path in (ROOT / "connect").glob("*.py")}

    assert not {m for m in modules if m.startswith(("simulator", "flowcheck", "check"))}
    assert not (ROOT / "connect" / "flows").exists()
