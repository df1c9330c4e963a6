"""Package tests build real Lambda zips (minutes, not seconds): they run only when asked for
by marker, e.g. ``pytest -m package`` (what ``make package`` does)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # -m "not browser" must not start a build; only an expression naming `package` positively does.
    expression = config.option.markexpr or ""
    if "package" in expression and "not package" not in expression:
        return
    skip = pytest.mark.skip(reason="builds the Lambda packages; run `make package`")
    for item in items:
        if item.get_closest_marker("package"):
            item.add_marker(skip)
