"""The harness as Charging Station: a WebSocket client of the CSMS under test (Part 4 §3.1)."""

from __future__ import annotations

import asyncio
import base64
import ssl
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake, InvalidStatus

from ..protocol.errors import PeerRefused, PeerTimeout
from ..protocol.endpoint import connection_url
from ..recording import EventLog
from .connection import Connection, Handler
from .server import SUBPROTOCOL

__all__ = ["SubprotocolProbe", "basic_auth_header", "connection_url", "open_station_connection",
           "probe_subprotocols"]


def basic_auth_header(identity: str, password: str) -> str:
    token = base64.b64encode(f"{identity}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


async def open_station_connection(endpoint: str, identity: str, *, password: str | None, log: EventLog | None,
                                  message_timeout: float, connect_timeout: float,
                                  handled_actions: frozenset[str] | None = None,
                                  default_handler: Handler | None = None,
                                  local_role: str = "ChargingStation",
                                  ssl_context: ssl.SSLContext | None = None,
                                  max_frame_size: int = 2**22) -> Connection:
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
                               open_timeout=connect_timeout, max_size=max_frame_size,
                               **({"ssl": ssl_context} if ssl_context is not None else {}))
    except TimeoutError:
        raise PeerTimeout(f"the CSMS accepts a WebSocket connection at {url}", expected="handshake completed",
                          actual=f"no answer within {connect_timeout:g}s") from None
    except InvalidStatus as exc:
        raise PeerRefused(f"the CSMS accepts station {identity!r} at {url}", expected="HTTP 101",
                          actual=_refusal(exc.response.status_code, identity, password)) from None
    except ssl.SSLCertVerificationError as exc:
        raise PeerRefused(f"the harness accepts the CSMS's TLS server certificate at {url}",
                          expected="a server certificate that chains to a trusted root and names the host",
                          actual=f"TLS handshake refused by the harness: {exc.verify_message or exc.reason} "
                                 f"(CERTIFICATE_VERIFY_FAILED, code {exc.verify_code})") from None
    except ssl.SSLError as exc:
        raise PeerRefused(f"the CSMS completes a TLS handshake at {url}", expected="TLS handshake completed",
                          actual=f"TLS handshake failed: {exc.reason or exc}") from None
    except (InvalidHandshake, OSError) as exc:
        raise PeerRefused(f"the CSMS accepts a WebSocket connection at {url}", expected="handshake completed",
                          actual=f"{type(exc).__name__}: {exc}") from None
    if ws.subprotocol != SUBPROTOCOL:
        await ws.close()
        raise PeerRefused("the CSMS selects subprotocol ocpp2.0.1 (Part 4 §3.2)", expected=SUBPROTOCOL,
                          actual=ws.subprotocol)
    conn = Connection(ws, identity=identity, local_role=local_role, log=log, message_timeout=message_timeout,
                      handled_actions=handled_actions, default_handler=default_handler)
    if log is not None:
        log.emit("connection", event="opened", connection=identity, url=url, local_role=local_role,
                 peer_timeout=conn.judge.peer_timeout)
    return conn.start()


def _refusal(status: int, identity: str, password: str | None) -> str:
    """What an HTTP status that refuses the WebSocket upgrade means for the harness station."""
    if status == 401:
        if password is None:
            return (f"HTTP 401: the CSMS asks for credentials and the harness sent none: set connection.password "
                    f"(security profile 1 or 2) for station {identity!r}")
        return (f"HTTP 401: the CSMS refused the harness's credentials for station {identity!r}: check "
                f"connection.password and the CSMS's registration of the station")
    if status == 403:
        return f"HTTP 403: the CSMS does not let station {identity!r} in: check its registration at the CSMS"
    if status == 404:
        return (f"HTTP 404: the CSMS has no OCPP endpoint at this URL, or does not know station {identity!r}: "
                f"check connection.csms_url and the station's registration")
    return f"HTTP {status}"


@dataclass(frozen=True)
class SubprotocolProbe:
    """What a CSMS did with one WebSocket opening handshake offering ``offered`` (Part 4 §3.1.2)."""

    offered: tuple[str, ...]
    upgraded: bool  # HTTP 101
    status: int | None  # the HTTP status when it did not upgrade
    selected: str | None  # the Sec-WebSocket-Protocol of the 101 response (None: no header)
    closed_by_sut: bool  # the CSMS closed the upgraded connection within the wait
    detail: str = ""

    def describe(self) -> str:
        if not self.upgraded:
            return f"no upgrade ({self.detail or f'HTTP {self.status}'})"
        chosen = f"Sec-WebSocket-Protocol {self.selected}" if self.selected else "no Sec-WebSocket-Protocol"
        return f"upgraded with {chosen}, " + ("then closed by the CSMS" if self.closed_by_sut else "left open")


async def probe_subprotocols(endpoint: str, identity: str, offered: tuple[str, ...], *, password: str | None,
                             connect_timeout: float, close_wait: float, log: EventLog | None = None,
                             ssl_context: ssl.SSLContext | None = None) -> SubprotocolProbe:
    """Open a WebSocket offering exactly ``offered`` as subprotocols, record what the CSMS answers, and
    close it again (no OCPP message is sent). An upgraded connection is watched for ``close_wait``
    seconds to see whether the CSMS closes it itself."""
    url = connection_url(endpoint, identity)
    headers: dict[str, Any] = {}
    if password is not None:
        headers["Authorization"] = basic_auth_header(identity, password)
    if log is not None:
        log.emit("connection", event="connecting", connection=identity, url=url, subprotocols=list(offered))
    try:
        async with asyncio.timeout(connect_timeout + 1):
            ws = await connect(url, subprotocols=list(offered), additional_headers=headers, ping_interval=None,
                               open_timeout=connect_timeout, **({"ssl": ssl_context} if ssl_context else {}))
    except TimeoutError:
        raise PeerTimeout(f"the CSMS answers a WebSocket opening handshake at {url}", expected="an HTTP response",
                          actual=f"none within {connect_timeout:g}s") from None
    except InvalidStatus as exc:
        return SubprotocolProbe(offered, False, exc.response.status_code, None, False)
    except InvalidHandshake as exc:  # e.g. a subprotocol that was not offered
        return SubprotocolProbe(offered, False, None, None, False, f"{type(exc).__name__}: {exc}")
    except OSError as exc:
        raise PeerRefused(f"the CSMS answers a WebSocket opening handshake at {url}", expected="an HTTP response",
                          actual=f"{type(exc).__name__}: {exc}") from None
    selected = ws.subprotocol
    try:
        async with asyncio.timeout(close_wait):
            await ws.wait_closed()
        closed = True
    except TimeoutError:
        closed = False
        await ws.close()
    if log is not None:
        log.emit("connection", event="probed", connection=identity, subprotocol=selected, closed_by_sut=closed)
    return SubprotocolProbe(offered, True, 101, selected, closed)
