"""The outbox tests push caller records and prompts, with the editors' personas."""

from __future__ import annotations

from tests.customers.conftest import (  # noqa: F401 - fixtures, found by name
    customer_data_editor,
    customer_editor_client,
    customer_viewer,
    prompt_editor,
    prompt_editor_client,
    staff_outsider,
)
