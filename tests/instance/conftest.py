"""The instance app's tests use the editors' personas and the flows' call fixtures."""

from __future__ import annotations

from tests.flows.conftest import flows, ivr  # noqa: F401 - fixtures, found by name
from tests.prompts.conftest import (  # noqa: F401 - fixtures, found by name
    both_editor,
    customer_data_editor,
    customer_editor_client,
    editor_group,
    make_flow,
    prompt_editor,
    prompt_editor_client,
)
