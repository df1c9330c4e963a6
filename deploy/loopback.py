"""Refuse every network connection that does not stay on this machine.

The deploy rehearsal runs Zappa, the packaged site and the deploy tooling against moto on
127.0.0.1; a forgotten endpoint (Zappa's update check on PyPI, a service without an
``AWS_ENDPOINT_URL``, an OIDC discovery) must fail loudly rather than reach AWS or the
internet. :func:`install` patches the socket module of the process it runs in; the rehearsal
puts a ``sitecustomize`` that calls it on the path of every command it starts.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

ALLOWED_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_installed = False


class OffLoopbackError(ConnectionRefusedError):
    """A connection to somewhere other than this machine was attempted and refused."""


def is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host in ALLOWED_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse(host: object, port: object) -> OffLoopbackError:
    return OffLoopbackError(
        f"deploy rehearsal: refused a connection to {host}:{port}; only 127.0.0.1 is allowed"
    )


def install() -> None:
    """Patch ``socket`` so that only loopback and Unix sockets connect; idempotent."""
    global _installed
    if _installed:
        return
    _installed = True
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def _check(sock: socket.socket, address: Any) -> None:  # noqa: ANN401 - any address form
        if sock.family == getattr(socket, "AF_UNIX", None):
            return
        host, port = address[0], address[1]
        if not is_loopback(host):
            raise _refuse(host, port)

    def connect(self: socket.socket, address: Any) -> None:  # noqa: ANN401
        _check(self, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:  # noqa: ANN401
        _check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        # Names are refused before any DNS query leaves the machine.
        if host is not None and not is_loopback(host.decode() if isinstance(host, bytes) else host):
            raise _refuse(host, port)
        return real_getaddrinfo(host, port, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo
