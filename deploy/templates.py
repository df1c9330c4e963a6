"""The CloudFormation templates of infra/, read as CloudFormation reads them.

:func:`template` loads YAML with the short forms as their long forms (``!Ref X`` becomes
``{"Ref": "X"}``); :func:`resolve` evaluates the intrinsic functions a template's properties
use, for the rehearsal, which sends to their own APIs the resources moto's CloudFormation
cannot create (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from pathlib import Path
from typing import Any

import yaml

INFRA = Path(__file__).resolve().parent.parent / "infra"


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags as their long forms: ``!Ref X`` -> ``{"Ref": "X"}``."""


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:
        raise yaml.constructor.ConstructorError(None, None, f"unknown node {node!r}")
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CloudFormationLoader.add_multi_constructor("!", _construct_tag)


@functools.cache
def _template(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load((INFRA / name).read_text(), Loader=CloudFormationLoader)
    return loaded


def template(name: str) -> dict[str, Any]:
    """The template ``infra/<name>`` in long form (a shared, read-only value)."""
    return _template(name)


def cidrs(block: str, count: int, host_bits: int) -> list[str]:
    """``Fn::Cidr``: the first ``count`` subnets of ``block`` with ``host_bits`` host bits."""
    network = ipaddress.ip_network(block)
    subnets = network.subnets(new_prefix=network.max_prefixlen - host_bits)
    return [str(next(subnets)) for _ in range(count)]


_SUB = re.compile(r"\$\{([^}!]+)\}")


def resolve(value: Any, names: dict[str, Any]) -> Any:  # noqa: ANN401 - any template value
    """Evaluate ``Ref``, ``Fn::GetAtt`` (as ``"Logical.Attr"`` in ``names``), ``Fn::Sub``,
    ``Fn::Join``, ``Fn::Select`` and ``Fn::Cidr``; anything else is kept as written."""
    if isinstance(value, list):
        return [resolve(item, names) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (function, argument), *_ = value.items()
        if function == "Ref":
            return names[argument]
        if function == "Fn::GetAtt":
            return names[".".join(argument)]
        if function == "Fn::Sub":
            text, local = (argument, {}) if isinstance(argument, str) else argument
            scope = {**names, **{k: resolve(v, names) for k, v in local.items()}}
            return _SUB.sub(lambda match: str(scope[match.group(1)]), text)
        if function == "Fn::Join":
            separator, items = argument
            return separator.join(str(item) for item in resolve(items, names))
        if function == "Fn::Select":
            index, items = argument
            return resolve(items, names)[int(index)]
        if function == "Fn::Cidr":
            block, count, bits = resolve(argument, names)
            return cidrs(block, int(count), int(bits))
    return {key: resolve(item, names) for key, item in value.items()}


def cidr_evaluated(value: Any, parameters: dict[str, str]) -> Any:  # noqa: ANN401 - any template value
    """The template with each ``Fn::Cidr`` replaced by its list (moto has no ``Fn::Cidr``)."""
    if isinstance(value, list):
        return [cidr_evaluated(item, parameters) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Fn::Cidr"}:
        return resolve(value, parameters)
    return {key: cidr_evaluated(item, parameters) for key, item in value.items()}
