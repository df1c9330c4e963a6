"""Contact flows as the simulator reads them: flows/definitions/<Name>.json plus manifest.json.

Plain Python, standard library only, like the rest of ``connect``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLOWS_DIR = Path(__file__).resolve().parent / "definitions"
MANIFEST = "manifest.json"
VERSION = "2019-10-30"

CONTACT_FLOW = "CONTACT_FLOW"
CUSTOMER_QUEUE = "CUSTOMER_QUEUE"
FLOW_MODULE = "FLOW_MODULE"

# Ids that differ per instance, written in the flows as ${kind:Name} (see flows/README.md).
PLACEHOLDER = re.compile(r"^\$\{(lambda|queue|flow|module):([^}]+)\}$")


class FlowError(ValueError):
    """A flow file or the manifest is not usable; the message names the file and the problem."""


@dataclass(frozen=True)
class Flow:
    name: str
    type: str
    start: str
    actions: Mapping[str, Mapping[str, Any]]  # Identifier -> action
    role: str = ""
    description: str = ""


@dataclass(frozen=True)
class FlowSet:
    flows: Mapping[str, Flow] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.flows

    def __getitem__(self, name: str) -> Flow:
        return self.flows[name]

    @property
    def names(self) -> list[str]:
        return list(self.flows)


def placeholder(value: object) -> tuple[str, str] | None:
    """``("queue", "Sales-EMEA")`` for ``"${queue:Sales-EMEA}"``; None for anything else."""
    match = PLACEHOLDER.match(value) if isinstance(value, str) else None
    return (match[1], match[2]) if match else None


def flow_set(
    contents: Mapping[str, object], manifest: Mapping[str, Mapping[str, Any]] | None = None
) -> FlowSet:
    """Flows from their JSON contents; a flow the manifest does not list is a CONTACT_FLOW."""
    manifest = manifest or {}
    return FlowSet(
        {name: _flow(name, content, manifest.get(name, {})) for name, content in contents.items()}
    )


def load_flows(directory: Path = FLOWS_DIR) -> FlowSet:
    """Every flow the manifest lists, read from ``<Name>.json`` beside it."""
    manifest = _read(directory / MANIFEST)
    if not isinstance(manifest, dict):
        raise FlowError(f"{MANIFEST}: expected an object of flow name -> settings")
    contents = {name: _read(directory / f"{name}.json") for name in manifest}
    return flow_set(contents, manifest)


def _read(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FlowError(f"{path.name}: no such file") from exc
    except json.JSONDecodeError as exc:
        raise FlowError(f"{path.name}: not JSON ({exc})") from exc


def _flow(name: str, content: object, settings: Mapping[str, Any]) -> Flow:
    if not isinstance(content, Mapping) or not isinstance(content.get("Actions"), list):
        raise FlowError(f"{name}: a flow needs an Actions list")
    actions: dict[str, Mapping[str, Any]] = {}
    for action in content["Actions"]:
        ident = action.get("Identifier") if isinstance(action, Mapping) else None
        if not isinstance(ident, str) or ident in actions:
            raise FlowError(f"{name}: every action needs its own Identifier ({ident!r})")
        actions[ident] = action
    start = content.get("StartAction")
    if start not in actions:
        raise FlowError(f"{name}: StartAction {start!r} is not one of its actions")
    return Flow(
        name=name,
        type=str(settings.get("type", CONTACT_FLOW)),
        start=start,
        actions=actions,
        role=str(settings.get("role", "")),
        description=str(settings.get("description", "")),
    )
