"""The harness as Charging Station: a WebSocket client of the CSMS under test (Part 4 §3.1)."""

from __future__ import annotations

import asyncio
import base64
import ssl
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake, InvalidStatus

from ..outcomes import CheckFailed, SutTimeout
from ..protocol.endpoint import connection_url
from ..recording import EventLog
from .connection import Connection, Handler
from .server import SUBPROTOCOL

__all__ = ["basic_auth_header", "connection_url", "open_station_connection"]


def basic_auth_header(identity: str, password: str) -> str:
    token = base64.b64encode(f"{identity}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


async def open_station_connection(endpoint: str, identity: str, *, password: str | None, log: EventLog | None,
                                  message_timeout: float, connect_timeout: float,
                                  handled_actions: frozenset[str] | None = None,
                                  default_handler: Handler | None = None,
                                  local_role: str = "ChargingStation",
                                  ssl_context: ssl.SSLContext | None = None) -> Connection:
    """Open an OCPP 2.0.1 WebSocket to a CSMS as station ``identity``; a failure names the cause.
    ``ssl_context``: how a wss:// server certificate is checked (transport/tls.py ``client_context``)."""
    url = connection_url(endpoint, identity)
    headers: dict[str, Any] = {}
    if password is not None:
        headers["Authorization"] = basic_auth_header(identity, password)
    if log is not None:
        log.emit("connection", event="connecting", connection=identity, url=url, basic_auth=password is not None)
    try:
        async with asyncio.timeout(connect_timeout + 1):
            ws = await connect(url, subprotocols=[SUBPROTOCOL], additional_headers=headers, ping_interval=None,
                               open_timeout=connect_timeout, max_size=2**22,
                               **({"ssl": ssl_context} if ssl_context is not None else {}))
    except TimeoutError:
        raise SutTimeout(f"the CSMS accepts a WebSocket connection at {url}", expected="handshake completed",
                         actual=f"no answer within {connect_timeout:g}s") from None
    except InvalidStatus as exc:
        raise CheckFailed(f"the CSMS accepts station {identity!r} at {url}", expected="HTTP 101",
                          actual=f"HTTP {exc.response.status_code}") from None
    except (InvalidHandshake, OSError) as exc:
        raise CheckFailed(f"the CSMS accepts a WebSocket connection at {url}", expected="handshake completed",
                          actual=f"{type(exc).__name__}: {exc}") from None
    if ws.subprotocol != SUBPROTOCOL:
        await ws.close()
        raise CheckFailed("the CSMS selects subprotocol ocpp2.0.1 (Part 4 §3.2)", expected=SUBPROTOCOL,
                          actual=ws.subprotocol)
    conn = Connection(ws, identity=identity, local_role=local_role, log=log, message_timeout=message_timeout,
                      handled_actions=handled_actions, default_handler=default_handler)
    if log is not None:
        log.emit("connection", event="opened", connection=identity, url=url)
    return conn.start()
